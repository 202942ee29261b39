package io.tokiowakes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages in the order data flows (README, Layout): a package may use those before it on the
 * path, never one after it, and no two packages use each other. {@code json} (the JSON mapper and
 * the unsigned span ID serializer) and {@code model} (the trace record, task, thread, source and
 * resource state, the kinds) come first, so every stage may use them; {@code model} uses only
 * {@code json}. Kafka Streams wiring ({@code topology}), HTTP and metrics ({@code observe}), the
 * in-process run ({@code analyze}), the Kafka clients ({@code kafka}) and the commands ({@code cli})
 * sit on top.
 */
class LayersTest {

    /** The job's own classes (not the broker launcher or other modules on the test class path). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .importPath(Path.of(System.getProperty("user.dir"), "target/classes"));

    /** The packages in the order data flows: each may use those before it, none after it. */
    private static final List<String> PATH = List.of("json", "model", "ingest", "order", "resolve", "classify",
            "detect", "emit", "engine", "avro", "graph", "topology", "observe", "analyze", "kafka", "cli");

    @Test
    void eachPackageUsesOnlyThoseBeforeItOnTheDataPath() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers();
        for (String p : PATH) {
            layers = layers.layer(p).definedBy("io.tokiowakes." + p + "..");
        }
        for (int i = 0; i < PATH.size(); i++) {
            List<String> later = PATH.subList(i + 1, PATH.size());
            layers = later.isEmpty()
                    ? layers.whereLayer(PATH.get(i)).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(PATH.get(i)).mayOnlyBeAccessedByLayers(later.toArray(String[]::new));
        }
        layers.check(MAIN);
    }

    @Test
    void everyPackageIsOnThePath() {
        assertTrue(MAIN.size() > 100, "the job's classes were not found: " + MAIN.size());
        for (JavaClass c : MAIN) {
            String rest = c.getPackageName().substring("io.tokiowakes".length());
            String top = rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0];
            assertTrue(PATH.contains(top), c.getName() + " is in no package of the data path");
        }
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.tokiowakes.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
