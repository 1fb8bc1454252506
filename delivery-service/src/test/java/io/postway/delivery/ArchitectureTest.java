package io.postway.delivery;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * COMMON.md's package rules for delivery-service, plus delivery's own: the Vert.x Mail client and
 * Vert.x internals are known to the mail client adapter only ({@code mailclient}).
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.postway.delivery");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.postway.delivery.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void domainIsPlainJava() {
        noClasses().that().resideInAPackage("io.postway.delivery.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.postway.delivery.api..", "io.postway.delivery.messaging..", "io.postway.delivery.infra..",
                        "io.postway.delivery.config..", "io.postway.delivery.smtp..", "io.postway.delivery.tls..",
                        "io.postway.delivery.dns..", "io.postway.delivery.mailclient..",
                        "jakarta..", "io.quarkus..", "io.vertx..", "java.sql..", "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void nothingImportsApiButApi() {
        noClasses().that().resideOutsideOfPackage("io.postway.delivery.api..")
                .should().dependOnClassesThat().resideInAPackage("io.postway.delivery.api..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyTheMailClientAdapterKnowsTheMailClientAndVertxInternals() {
        noClasses().that().resideOutsideOfPackage("io.postway.delivery.mailclient..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.impl..", "io.vertx.ext.mail.impl..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.mail.MailClient")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.mail.MailConfig")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.mail.StartTLSOptions")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.reflect.Proxy")
                .check(classes);
    }
}
