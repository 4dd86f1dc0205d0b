package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar that {@code ./eventsink} runs, as the build made it: what it carries, and the sink types its
 * commands offer. Failsafe runs this after {@code package}, against {@code target/eventsink-cli-all.jar}.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("eventsink.cli.jar", "target/eventsink-cli-all.jar"));
    private static final Pattern AVAILABLE = Pattern.compile("Available: ([a-z, ]+)");

    @TempDir
    Path workDir;

    @Test
    void carriesNeitherATestFrameworkNorTheTestkit() throws IOException {
        List<String> testOnly = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("org/junit/") || name.startsWith("org/assertj/")
                            || name.startsWith("org/opentest4j/") || name.startsWith("dev/eventsink/testkit/"))
                    .forEach(testOnly::add);

            assertThat(jar.getEntry("dev/eventsink/cli/Main.class")).isNotNull();
            assertThat(jar.getEntry("dev/eventsink/openobserve/server/OpenObserveServer.class")).isNotNull();
            try (InputStream services = jar.getInputStream(
                    jar.getEntry("META-INF/services/dev.eventsink.spi.EventSinkProvider"))) {
                assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                        .containsExactlyInAnyOrder("dev.eventsink.mock.MockSinkProvider",
                                "dev.eventsink.openobserve.OpenObserveSinkProvider",
                                "dev.eventsink.kafka.KafkaSinkProvider");
            }
        }
        assertThat(testOnly).isEmpty();
    }

    @Test
    void doctorOffersOnlyTheProductionSinkTypes() throws Exception {
        Run doctor = run("doctor");

        assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(Main.FAILED);
        assertThat(doctor.out()).as(doctor.toString()).contains("UX_EVENT_SINK_TYPE is not set");
        assertThat(availableTypes(doctor.out())).as(doctor.toString()).containsExactly("kafka", "mock", "openobserve");
        assertThat(doctor.out() + doctor.err()).doesNotContain("recording");
    }

    @Test
    void replayOffersOnlyTheProductionSinkTypes() throws Exception {
        Run replay = run("replay", "-");

        assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(Main.USAGE);
        assertThat(replay.err()).as(replay.toString()).contains("_EVENT_SINK_TYPE is not set");
        assertThat(availableTypes(replay.err())).as(replay.toString()).containsExactly("kafka", "mock", "openobserve");
        assertThat(replay.out() + replay.err()).doesNotContain("recording");
    }

    /** The types listed after every "Available:" in {@code text}. */
    private static Set<String> availableTypes(String text) {
        Set<String> types = new LinkedHashSet<>();
        Matcher m = AVAILABLE.matcher(text);
        while (m.find()) {
            Arrays.stream(m.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(types::add);
        }
        return types;
    }

    record Run(int exitCode, String out, String err) {}

    /** Runs the jar in an empty directory (no .env), with no *_EVENT_SINK_* variable and empty input. */
    private Run run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar, built by package").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path in = Files.createFile(workDir.resolve("in.txt"));
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.contains("_EVENT_SINK_"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("eventsink " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
