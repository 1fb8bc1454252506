package io.postway.policy;

import io.postway.testkit.PackageRules;
import io.postway.testkit.ServicePackageRulesTest;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package rules every Postway service keeps ({@link PackageRules}), on the policy service's classes. */
class ArchitectureTest extends ServicePackageRulesTest {

    ArchitectureTest() {
        super("io.postway.policy", PolicyService.class);
    }

    /** Transactions are infra's ({@code Transactions}): the service and the outbox relay see no JDBC. */
    @Test
    void onlyInfraUsesJdbc() {
        noClasses().that().resideOutsideOfPackage("io.postway.policy.infra..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .check(rules().classes());
    }
}
