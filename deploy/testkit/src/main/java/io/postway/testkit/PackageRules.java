package io.postway.testkit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules every Postway service keeps (README, "Packages and what each may import"),
 * checked with ArchUnit on a service's compiled main classes: no cycle between its top-level
 * packages (the root package, where the main class and application services live, is one of
 * them); {@code domain} is plain Java that knows no other package of the service and no framework;
 * nothing but {@code api} uses {@code api}. A service's {@code ArchitectureTest} calls these and
 * adds its own rules.
 */
public final class PackageRules {

    /** What the domain must not know besides the service's other packages. */
    private static final String[] FRAMEWORKS = {"jakarta..", "javax.sql..", "io.quarkus..", "io.vertx..", "io.smallrye..",
            "io.micrometer..", "java.sql..", "org.apache.kafka..", "org.jboss.."};

    private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

    private final String root;
    private final JavaClasses classes;

    private PackageRules(String root, JavaClasses classes) {
        this.root = root;
        this.classes = classes;
    }

    /**
     * The main classes under {@code root} (e.g. {@code io.postway.intake}); {@code mainClass} must be
     * among them, so an import that found nothing cannot let every rule pass.
     */
    public static PackageRules of(String root, Class<?> mainClass) {
        // imported once per JVM: JUnit makes a test instance per test method
        JavaClasses classes = IMPORTED.computeIfAbsent(root, r -> new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(r));
        if (!classes.contain(mainClass)) {
            throw new AssertionError("the import of " + root + " does not contain " + mainClass.getName());
        }
        return new PackageRules(root, classes);
    }

    public JavaClasses classes() {
        return classes;
    }

    public void assertNoPackageCycles() {
        slices().assignedFrom(topLevelPackages()).should().beFreeOfCycles().check(classes);
    }

    public void assertDomainIsPlainJava() {
        noClasses().that().resideInAPackage(root + ".domain..")
                .should().dependOnClassesThat(resideInAPackage(root + "..").and(not(resideInAPackage(root + ".domain.."))))
                .orShould().dependOnClassesThat(resideInAnyPackage(FRAMEWORKS))
                .allowEmptyShould(true)
                .check(classes);
    }

    public void assertOnlyTheApiUsesTheApi() {
        noClasses().that().resideOutsideOfPackage(root + ".api..")
                .should().dependOnClassesThat().resideInAPackage(root + ".api..")
                .allowEmptyShould(true)
                .check(classes);
    }

    /** One slice per package directly under the root, and the root package itself. */
    private SliceAssignment topLevelPackages() {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String pkg = c.getPackageName();
                if (pkg.equals(root)) {
                    return SliceIdentifier.of("(root)");
                }
                if (!pkg.startsWith(root + ".")) {
                    return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(pkg.substring(root.length() + 1).split("\\.")[0]);
            }

            @Override
            public String getDescription() {
                return "the top-level packages of " + root;
            }
        };
    }
}
