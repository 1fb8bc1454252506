package io.postway.intake;

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
 * The package rules every Postway service keeps: no cycles between the intake's packages (its root
 * package, where the application services live, counts as one), a {@code domain} of plain Java,
 * and nothing but {@code api} depending on {@code api}.
 */
class ArchitectureTest {

    static final String ROOT = "io.postway.intake";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** One slice per package directly under the root, and the root itself. */
    static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(ROOT)) {
                return SliceIdentifier.of("(root)");
            }
            if (!pkg.startsWith(ROOT + ".")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(pkg.substring(ROOT.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "the packages of " + ROOT;
        }
    };

    @Test
    void thePackagesHaveNoCycles() {
        slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theDomainIsPlainJava() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        ROOT + ".api..", ROOT + ".messaging..", ROOT + ".infra..", ROOT + ".config..",
                        "jakarta..", "io.quarkus..", "io.vertx..", "java.sql..", "org.apache.kafka..")
                .check(MAIN);
    }

    @Test
    void onlyTheApiDependsOnTheApi() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .check(MAIN);
    }

    @Test
    void theRulesSeeTheIntakesClasses() {
        // an empty import would let every rule above pass
        org.junit.jupiter.api.Assertions.assertTrue(MAIN.contain(IntakeService.class) && MAIN.contain(ROOT + ".domain.Addresses")
                && MAIN.contain(ROOT + ".api.MessagesResource"), "the main classes are imported");
    }
}
