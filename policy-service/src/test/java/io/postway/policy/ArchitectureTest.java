package io.postway.policy;

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
 * The package rules every Postway service keeps: no package cycles; {@code domain} is plain Java
 * that knows neither the service's adapters nor a framework; only {@code api} uses {@code api}.
 */
class ArchitectureTest {

    static final String ROOT = "io.postway.policy";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Each top-level package under {@value #ROOT} is one slice; the root package's classes are one more. */
    static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
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
            return "top-level packages of " + ROOT;
        }
    };

    @Test
    void noPackageCycles() {
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
    void nothingButTheApiUsesTheApi() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .check(MAIN);
    }
}
