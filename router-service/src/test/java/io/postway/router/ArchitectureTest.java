package io.postway.router;

import io.postway.testkit.PackageRules;
import org.junit.jupiter.api.Test;

/** The package rules every Postway service keeps ({@link PackageRules}), on the router service's classes. */
class ArchitectureTest {

    static final PackageRules RULES = PackageRules.of("io.postway.router", RouterService.class);

    @Test
    void thePackagesHaveNoCycles() {
        RULES.assertNoPackageCycles();
    }

    @Test
    void theDomainIsPlainJava() {
        RULES.assertDomainIsPlainJava();
    }

    @Test
    void onlyTheApiUsesTheApi() {
        RULES.assertOnlyTheApiUsesTheApi();
    }
}
