package io.postway.delivery;

import io.postway.testkit.PackageRules;
import io.postway.testkit.ServicePackageRulesTest;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rules every Postway service keeps ({@link PackageRules}), plus delivery's own: the
 * Vert.x Mail client (all of {@code io.vertx.ext.mail}), Vert.x internals and JDK proxies are known
 * to the mail client adapter only ({@code mailclient}), so an upgrade of the client touches one
 * package. One of its quirks is handled by {@code smtp.SessionTap} through the adapter's own
 * {@code WireListener}, without any client type (see the README).
 */
class ArchitectureTest extends ServicePackageRulesTest {

    ArchitectureTest() {
        super("io.postway.delivery", DeliveryService.class);
    }

    @Test
    void onlyTheMailClientAdapterKnowsTheMailClientAndVertxInternals() {
        // every type of the client (MailClient, MailConfig, MailMessage, StartTLSOptions, ...): none is needed outside
        noClasses().that().resideOutsideOfPackage("io.postway.delivery.mailclient..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.impl..", "io.vertx.ext.mail..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.reflect.Proxy")
                .check(rules().classes());
    }
}
