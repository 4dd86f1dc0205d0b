package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The SDK's package rules, checked on the compiled classes. */
class PackageDependencyTest {

    private static final String ROOT = "dev.eventsink";
    private static final String SPI = "dev.eventsink.spi";
    private static final String EXPORT = "dev.eventsink.export";
    private static final String INTERNAL = "dev.eventsink.internal";

    private final List<ClassReferences> classes = ClassReferences.in(Path.of("target/classes"));

    @Test
    void internalDependsOnNoOtherPackageOfTheSdk() {
        assertThat(dependencies(INTERNAL)).isEmpty();
    }

    @Test
    void theExportToolkitDependsOnTheApiTheContractAndInternalOnly() {
        assertThat(dependencies(EXPORT)).containsOnly(ROOT, SPI, INTERNAL);
    }

    @Test
    void noPackageDependsOnTheExportToolkit() {
        for (String pkg : List.of(ROOT, SPI, INTERNAL)) {
            assertThat(dependencies(pkg)).as(pkg).doesNotContain(EXPORT);
        }
    }

    @Test
    void theOnlyPairOfPackagesThatReferToEachOtherIsTheApiAndTheContractThroughTheFactory() {
        Set<String> pairs = new TreeSet<>();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String pkg : List.of(ROOT, SPI, EXPORT, INTERNAL)) {
            graph.put(pkg, dependencies(pkg));
        }
        graph.forEach((pkg, deps) -> deps.forEach(dep -> {
            if (graph.getOrDefault(dep, Set.of()).contains(pkg) && pkg.compareTo(dep) < 0) {
                pairs.add(pkg + " <-> " + dep);
            }
        }));
        assertThat(pairs).containsExactly(ROOT + " <-> " + SPI);
        // The API refers to the contract only to find and create providers, and to throw its exception.
        assertThat(classesOf(ROOT).stream()
                .filter(c -> c.referencedClasses().stream().anyMatch(r -> ClassReferences.packageOf(r).equals(SPI)))
                .map(ClassReferences::className)
                .map(name -> name.replaceFirst("\\$.*", "")))
                .containsOnly("dev.eventsink.EventSinkFactory", "dev.eventsink.ProviderRegistry",
                        "dev.eventsink.SinkProviders", "dev.eventsink.DotenvSource");
    }

    @Test
    void theCoreNamesNoArtifactOfAnotherModule() {
        for (ClassReferences c : classes) {
            assertThat(c.strings()).as(c.className()).noneMatch(s -> s.contains("eventsink-sink")
                    || s.contains("eventsink-sdk-testkit") || s.contains("eventsink-openobserve")
                    || s.equals("recording"));
        }
    }

    private List<ClassReferences> classesOf(String pkg) {
        return classes.stream().filter(c -> c.packageName().equals(pkg)).toList();
    }

    /** The other packages of the SDK that {@code pkg}'s classes refer to. */
    private Set<String> dependencies(String pkg) {
        Set<String> deps = new TreeSet<>();
        for (ClassReferences c : classesOf(pkg)) {
            for (String referenced : c.referencedClasses()) {
                String other = ClassReferences.packageOf(referenced);
                if (other.startsWith(ROOT) && !other.equals(pkg)) {
                    deps.add(other);
                }
            }
        }
        return deps;
    }
}
