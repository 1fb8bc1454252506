package io.postway.router;

import io.postway.testkit.PackageRules;
import io.postway.testkit.ServicePackageRulesTest;

/** The package rules every Postway service keeps ({@link PackageRules}), on the router service's classes. */
class ArchitectureTest extends ServicePackageRulesTest {

    ArchitectureTest() {
        super("io.postway.router", RouterService.class);
    }
}
