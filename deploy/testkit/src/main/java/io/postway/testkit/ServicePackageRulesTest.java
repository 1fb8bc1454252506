package io.postway.testkit;

import org.junit.jupiter.api.Test;

/**
 * The package rules every Postway service keeps ({@link PackageRules}) as tests: a service's
 * {@code ArchitectureTest} extends this, names its root package and main class, and adds its own.
 */
public abstract class ServicePackageRulesTest {

    private final PackageRules rules;

    protected ServicePackageRulesTest(String rootPackage, Class<?> mainClass) {
        this.rules = PackageRules.of(rootPackage, mainClass);
    }

    protected PackageRules rules() {
        return rules;
    }

    @Test
    void thePackagesHaveNoCycles() {
        rules.assertNoPackageCycles();
    }

    @Test
    void theDomainIsPlainJava() {
        rules.assertDomainIsPlainJava();
    }

    @Test
    void onlyTheApiUsesTheApi() {
        rules.assertOnlyTheApiUsesTheApi();
    }
}
