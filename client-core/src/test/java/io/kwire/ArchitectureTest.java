package io.kwire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of client-core as rules the build checks: API on top, engine below, no cycles, nothing internal in a
 * public signature, no framework. See {@code docs/architecture.md}.
 */
class ArchitectureTest {

    /** What users may use: the client faces, configuration and errors, the protocol, the extension points. */
    static final Set<String> EXPORTED = Set.of("io.kwire", "io.kwire.client", "io.kwire.errors", "io.kwire.network",
            "io.kwire.protocol", "io.kwire.protocol.message", "io.kwire.protocol.records", "io.kwire.security");

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/io/kwire/generator/")) // build-time only
            .importPackages("io.kwire");

    @Test
    void componentsDependOnEachOtherWithoutCycles() {
        // A component is a package with its subpackages (the generated protocol is one component), except under
        // io.kwire.internal, where each package is one.
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String[] parts = c.getPackageName().split("\\.");
                if (parts.length < 2 || !parts[1].equals("kwire")) {
                    return SliceIdentifier.ignore();
                }
                if (parts.length == 2) {
                    return SliceIdentifier.of("io.kwire");
                }
                if (parts[2].equals("internal")) {
                    return SliceIdentifier.of("internal." + (parts.length > 3 ? parts[3] : ""));
                }
                return SliceIdentifier.of(parts[2]);
            }

            @Override
            public String getDescription() {
                return "kwire's components";
            }
        }).should().beFreeOfCycles().check(CORE);
    }

    @Test
    void everyPackageIsExportedOrInternal() {
        classes().should(new ArchCondition<>("reside in an exported package or under io.kwire.internal") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String p = c.getPackageName();
                boolean ok = EXPORTED.contains(p) || p.startsWith("io.kwire.internal.");
                events.add(new SimpleConditionEvent(c, ok, c.getName() + " is in " + p));
            }
        }).check(CORE);
    }

    @Test
    void exportedPackagesShowNoInternalTypeInTheirPublicSignatures() {
        classes().that().resideInAnyPackage(EXPORTED.toArray(String[]::new)).and().arePublic()
                .should(exposeNoInternalType()).check(CORE);
    }

    @Test
    void theCoreKnowsNoFramework() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "io.micrometer..", "jakarta..", "org.apache.kafka..")
                .check(CORE);
    }

    /** Netty is an optional dependency: one class links against it, loaded only with sslEngine OPENSSL. */
    @Test
    void onlyOpenSslEnginesKnowsNetty() {
        noClasses().that().doNotHaveFullyQualifiedName("io.kwire.internal.tls.OpenSslEngines")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..").check(CORE);
    }

    @Test
    void onlyTheClientFacesAndTheSecurityFactoriesReachIntoTheEngine() {
        noClasses().that().resideInAnyPackage("io.kwire.client..", "io.kwire.errors..", "io.kwire.network..",
                        "io.kwire.protocol..")
                .should().dependOnClassesThat().resideInAPackage("io.kwire.internal..").check(CORE);
    }

    /** Public and protected members of a public class, its supertypes and its thrown types: none internal. */
    static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no type of io.kwire.internal in a public signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<String> leaks = new ArrayList<>();
                if (c.getRawSuperclass().isPresent()) {
                    leak(c.getName() + " extends", List.of(c.getRawSuperclass().get()), leaks);
                }
                leak(c.getName() + " implements", c.getRawInterfaces(), leaks);
                for (JavaField f : c.getFields()) {
                    if (visible(f.getModifiers())) {
                        leak(f.getFullName(), f.getType().getAllInvolvedRawTypes(), leaks);
                    }
                }
                for (JavaCodeUnit u : c.getCodeUnits()) {
                    if (!visible(u.getModifiers())) {
                        continue;
                    }
                    leak(u.getFullName(), u.getReturnType().getAllInvolvedRawTypes(), leaks);
                    for (JavaType p : u.getParameterTypes()) {
                        leak(u.getFullName(), p.getAllInvolvedRawTypes(), leaks);
                    }
                    leak(u.getFullName() + " throws", u.getExceptionTypes(), leaks);
                }
                for (String leak : leaks) {
                    events.add(SimpleConditionEvent.violated(c, leak));
                }
                if (leaks.isEmpty()) {
                    events.add(SimpleConditionEvent.satisfied(c, c.getName() + " exposes nothing internal"));
                }
            }
        };
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void leak(String where, Collection<JavaClass> types, List<String> leaks) {
        for (JavaClass t : types) {
            if (t.getPackageName().startsWith("io.kwire.internal")) {
                leaks.add(where + " exposes " + t.getName());
            }
        }
    }
}
