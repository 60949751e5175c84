package io.kwire.spring.boot.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The Spring module uses kwire's public API and observability hook only, never the engine under them. */
class AutoConfigureArchitectureTests {

    @Test
    void theSpringModuleDoesNotReachIntoKwiresInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.kwire.internal..")
                .check(new ClassFileImporter().importPackages("io.kwire.spring"));
    }
}
