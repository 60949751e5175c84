package io.kwire.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The sample app is what a user writes: kwire's public API only, never the engine under it. */
class SampleAppArchitectureTests {

    @Test
    void theSampleAppDoesNotReachIntoKwiresInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.kwire.internal..")
                .check(new ClassFileImporter().importPackages("io.kwire.sample"));
    }
}
