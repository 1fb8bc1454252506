package io.postway.intake;

import io.postway.testkit.PackageRules;
import io.postway.testkit.ServicePackageRulesTest;

/** The package rules every Postway service keeps ({@link PackageRules}), on the intake service's classes. */
class ArchitectureTest extends ServicePackageRulesTest {

    ArchitectureTest() {
        super("io.postway.intake", IntakeService.class);
    }
}
