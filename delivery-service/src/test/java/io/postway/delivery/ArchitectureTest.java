package io.postway.delivery;

import io.postway.testkit.PackageRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rules every Postway service keeps ({@link PackageRules}), plus delivery's own: the
 * Vert.x Mail client and Vert.x internals are known to the mail client adapter only ({@code
 * mailclient}), so an upgrade of the client touches one package.
 */
class ArchitectureTest {

    static final PackageRules RULES = PackageRules.of("io.postway.delivery", DeliveryService.class);

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

    @Test
    void onlyTheMailClientAdapterKnowsTheMailClientAndVertxInternals() {
        noClasses().that().resideOutsideOfPackage("io.postway.delivery.mailclient..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.impl..", "io.vertx.ext.mail.impl..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.mail.MailClient")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.mail.MailConfig")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.mail.StartTLSOptions")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.reflect.Proxy")
                .check(RULES.classes());
    }
}
