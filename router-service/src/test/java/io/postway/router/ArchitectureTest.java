package io.postway.router;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Postway's package rules for a service: no package cycles (the root package counts as one),
 * {@code domain} is plain Java that knows no other layer, and only the REST layer ({@code api})
 * knows the REST layer.
 */
class ArchitectureTest {

    private static final String ROOT = "io.postway.router";

    private static final JavaClasses ROUTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Each class's top-level package below the root; the root package itself is a slice too. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (!pkg.startsWith(ROOT)) {
                return SliceIdentifier.ignore();
            }
            String below = pkg.substring(ROOT.length());
            return SliceIdentifier.of(below.isEmpty() ? "(root)" : below.substring(1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "the router's packages";
        }
    };

    @Test
    void packagesAreFreeOfCycles() {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(ROUTER);
    }

    @Test
    void theDomainIsPlainJava() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        ROOT + ".api..", ROOT + ".messaging..", ROOT + ".infra..", ROOT + ".config..",
                        "jakarta..", "io.quarkus..", "io.vertx..", "java.sql..", "org.apache.kafka..")
                .check(ROUTER);
    }

    @Test
    void nothingButTheRestLayerUsesIt() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .check(ROUTER);
    }

    @Test
    void theDomainDependsOnNoOtherRouterPackage() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(ROUTER);
    }
}
