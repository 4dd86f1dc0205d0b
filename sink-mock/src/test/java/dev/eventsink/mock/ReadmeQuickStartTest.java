package dev.eventsink.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsink.Event;
import io.github.cdimascio.dotenv.Dotenv;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The README's quick start compiles as written, and a program with only the sdk-api and sink-mock jars (and
 * their own dependencies) on its class path sends both kinds of event through {@code EventTracker} with
 * {@code UX_EVENT_SINK_TYPE=mock} and {@code SIM_EVENT_SINK_TYPE=mock}, in a JVM of its own.
 */
class ReadmeQuickStartTest {

    private static final String BEGIN = "<!-- quickstart:begin";
    private static final String END = "<!-- quickstart:end -->";

    /** A program that checks what reached each channel's mock. */
    private static final String CHECK = String.join("\n",
            "import dev.eventsink.*;",
            "import dev.eventsink.mock.MockSink;",
            "public class MockCheck {",
            "  public static void main(String[] args) {",
            "    try (EventTracker tracker = EventTracker.fromEnvironment()) {",
            "      tracker.track(Event.uxAction().userId(\"u1\").put(\"button\", \"buy\").build()).join();",
            "      tracker.track(Event.simulationEvent().put(\"tick\", 1).build()).join();",
            "      tracker.track(Event.simulationEvent().put(\"tick\", 2).build()).join();",
            "      System.out.println(\"ux=\" + tracker.sink(Channel.UX, MockSink.class).events().stream()",
            "          .map(e -> e.eventType() + \":\" + e.payload()).toList());",
            "      System.out.println(\"sim=\" + tracker.sink(Channel.SIM, MockSink.class).events().stream()",
            "          .map(e -> e.eventType() + \":\" + e.payload()).toList());",
            "    }",
            "  }",
            "}");

    @TempDir
    Path dir;

    @Test
    void theQuickStartCompilesAndDeliversWithMockSinks() throws Exception {
        compile(wrapQuickStart(quickStart()), "QuickStart");

        Output output = run("QuickStart");

        assertThat(output.exitCode).as(output.stderr).isZero();
        assertThat(output.stdout).isEqualTo("delivered\n");
    }

    @Test
    void aProgramWithOnlyTheApiAndMockJarsSeesBothKindsInTheirChannelsMocks() throws Exception {
        compile(CHECK, "MockCheck");

        Output output = run("MockCheck");

        assertThat(output.exitCode).as(output.stderr).isZero();
        assertThat(output.stdout).isEqualTo("ux=[ux_action:{button=buy}]\n"
                + "sim=[simulation_event:{tick=1}, simulation_event:{tick=2}]\n");
    }

    static String quickStart() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README has a quick start block").isNotNegative();
        String block = readme.substring(readme.indexOf("```java", begin) + "```java".length(),
                readme.lastIndexOf("```", end));
        assertThat(block.lines().filter(line -> !line.isBlank()).count())
                .as("the quick start is at most 10 lines of Java").isLessThanOrEqualTo(10);
        return block;
    }

    private static String wrapQuickStart(String block) {
        String imports = block.lines().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
        String body = block.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
        return imports + "\npublic class QuickStart {\n  public static void main(String[] args) throws Exception {\n"
                + body + "\n  }\n}\n";
    }

    /** The class path of the program: sdk-api, sink-mock and sdk-api's own runtime dependencies, nothing else. */
    private static String programClassPath() throws URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(Event.class, MockSink.class, ObjectMapper.class, JsonFactory.class,
                JsonProperty.class, Dotenv.class, LoggerFactory.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private void compile(String source, String className) throws Exception {
        Path file = dir.resolve(className + ".java");
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int result = compiler.run(null, null, null, "-classpath", programClassPath(), "-d", dir.toString(),
                file.toString());
        assertThat(result).as("javac " + className).isZero();
    }

    private record Output(int exitCode, String stdout, String stderr) {}

    private Output run(String className) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", dir + File.pathSeparator + programClassPath(),
                className).directory(dir.toFile());
        builder.environment().keySet().removeIf(key -> key.contains("EVENT_SINK_"));
        builder.environment().put("UX_EVENT_SINK_TYPE", "mock");
        builder.environment().put("SIM_EVENT_SINK_TYPE", "mock");
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Output(process.exitValue(), stdout, stderr);
    }
}
