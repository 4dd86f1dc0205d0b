package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that sinks are plugins: a provider and sink that sdk-api knows nothing of are compiled at test time,
 * packed into their own jar with a services file, and chosen by configuration alone.
 */
class PluginJarTest {

    private static final String PROVIDER_SOURCE = String.join("\n",
            "package com.example.jarsink;",
            "",
            "import dev.eventsink.EventSink;",
            "import dev.eventsink.spi.EventSinkProvider;",
            "import dev.eventsink.spi.SinkConfig;",
            "",
            "public final class JarSinkProvider implements EventSinkProvider {",
            "    @Override public String type() { return \"jarsink\"; }",
            "    @Override public EventSink create(SinkConfig config) {",
            "        return new JarSink(config.channel() + \"/\" + config.get(\"LABEL\").orElse(\"unlabelled\"));",
            "    }",
            "}");

    private static final String SINK_SOURCE = String.join("\n",
            "package com.example.jarsink;",
            "",
            "import dev.eventsink.Event;",
            "import dev.eventsink.EventSink;",
            "import java.util.ArrayList;",
            "import java.util.List;",
            "import java.util.concurrent.CompletableFuture;",
            "",
            "/** Keeps what it receives; a minimal sink implementing only sendEvent and close. */",
            "public final class JarSink implements EventSink {",
            "    private final String label;",
            "    private final List<Event> received = new ArrayList<>();",
            "    private boolean closed;",
            "",
            "    JarSink(String label) { this.label = label; }",
            "",
            "    @Override public synchronized CompletableFuture<Void> sendEvent(Event event) {",
            "        if (closed) {",
            "            return CompletableFuture.failedFuture(new IllegalStateException(\"jarsink closed\"));",
            "        }",
            "        received.add(event);",
            "        return CompletableFuture.completedFuture(null);",
            "    }",
            "",
            "    public synchronized List<Event> received() { return List.copyOf(received); }",
            "",
            "    public synchronized boolean isClosed() { return closed; }",
            "",
            "    @Override public synchronized void close() { closed = true; }",
            "",
            "    @Override public String toString() { return \"JarSink{\" + label + \"}\"; }",
            "}");

    /** A provider whose superclass is left out of its jar, so that the JVM cannot link it. */
    private static final String BROKEN_PROVIDER_SOURCE = String.join("\n",
            "package com.example.broken;",
            "",
            "import dev.eventsink.EventSink;",
            "import dev.eventsink.spi.EventSinkProvider;",
            "import dev.eventsink.spi.SinkConfig;",
            "",
            "public final class BrokenProvider extends MissingBase implements EventSinkProvider {",
            "    @Override public String type() { return \"broken\"; }",
            "    @Override public EventSink create(SinkConfig config) { throw new UnsupportedOperationException(); }",
            "}");

    private static final String MISSING_BASE_SOURCE = String.join("\n",
            "package com.example.broken;",
            "",
            "public abstract class MissingBase {}");

    @TempDir
    static Path work;

    /** The jarsink plugin. */
    private static Path pluginJar;
    /** The jarsink plugin plus, listed first, a provider whose superclass is missing. */
    private static Path brokenJar;

    @BeforeAll
    static void buildPluginJars() throws IOException {
        Path sources = work.resolve("src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<Path> files = List.of(
                write(sources.resolve("com/example/jarsink/JarSinkProvider.java"), PROVIDER_SOURCE),
                write(sources.resolve("com/example/jarsink/JarSink.java"), SINK_SOURCE),
                write(sources.resolve("com/example/broken/BrokenProvider.java"), BROKEN_PROVIDER_SOURCE),
                write(sources.resolve("com/example/broken/MissingBase.java"), MISSING_BASE_SOURCE));

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK with javax.tools is needed to compile the plugin").isNotNull();
        String sdkApiClasses = Path.of(locationOf(EventSinkProvider.class)).toString();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager =
                compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Boolean compiled = compiler.getTask(null, fileManager, diagnostics,
                    List.of("--release", "17", "-classpath", sdkApiClasses, "-d", classes.toString()),
                    null, fileManager.getJavaFileObjectsFromPaths(files)).call();
            assertThat(compiled).as("compiling the plugin: %s", diagnostics.getDiagnostics()).isTrue();
        }

        pluginJar = jar(work.resolve("jarsink-plugin.jar"), classes, List.of("com/example/jarsink/"),
                "com.example.jarsink.JarSinkProvider");
        brokenJar = jar(work.resolve("broken-plugin.jar"), classes,
                List.of("com/example/jarsink/", "com/example/broken/BrokenProvider.class"),
                "com.example.broken.BrokenProvider", "com.example.jarsink.JarSinkProvider");
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** A jar of the compiled classes whose path starts with one of {@code include}, and a services file. */
    private static Path jar(Path jarFile, Path classes, List<String> include, String... providers) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile), manifest);
                Stream<Path> compiledFiles = Files.walk(classes)) {
            for (Path file : compiledFiles.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (include.stream().anyMatch(name::startsWith)) {
                    jar.putNextEntry(new JarEntry(name));
                    Files.copy(file, jar);
                    jar.closeEntry();
                }
            }
            jar.putNextEntry(new JarEntry("META-INF/services/" + EventSinkProvider.class.getName()));
            OutputStream out = jar;
            out.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return jarFile;
    }

    private static java.net.URI locationOf(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URLClassLoader pluginLoader() throws IOException {
        return loaderOf(pluginJar);
    }

    private static URLClassLoader loaderOf(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginJarTest.class.getClassLoader());
    }

    @SuppressWarnings("unchecked")
    private static List<Event> received(EventSink sink) throws ReflectiveOperationException {
        Method received = sink.getClass().getMethod("received");
        return (List<Event>) received.invoke(sink);
    }

    private static boolean isClosed(EventSink sink) throws ReflectiveOperationException {
        return (Boolean) sink.getClass().getMethod("isClosed").invoke(sink);
    }

    @Test
    void theTestClassPathKnowsNothingOfThePlugin() {
        assertThatThrownBy(() -> Class.forName("com.example.jarsink.JarSinkProvider", false,
                PluginJarTest.class.getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void withoutThePluginJarTheTypeIsUnknown() {
        assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX,
                ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "jarsink")), PluginJarTest.class.getClassLoader()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unknown event sink type 'jarsink' in UX_EVENT_SINK_TYPE. Available: none"
                        + ". Check the spelling, or add the jar that provides the type to the class path");
    }

    @Test
    void factoryCreatesTheSinkOfAPluginJarChosenByConfiguration() throws Exception {
        try (URLClassLoader loader = pluginLoader(); LogCapture log = LogCapture.capture(Level.INFO,
                EventSinkFactory.class.getName())) {
            EventSink sink = EventSinkFactory.create(Channel.UX,
                    ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "JarSink", "UX_EVENT_SINK_LABEL", "first")), loader);

            assertThat(sink.getClass().getName()).isEqualTo("com.example.jarsink.JarSink");
            assertThat(sink.getClass().getClassLoader()).isSameAs(loader);
            assertThat(log.lines(Level.INFO)).containsExactly("UX channel: event sink 'jarsink' from"
                    + " com.example.jarsink.JarSinkProvider (" + pluginJar.toUri().toURL() + "), configured from"
                    + " explicit configuration: JarSink{UX/first}");

            Event event = Event.uxAction().userId("u1").put("button", "buy").build();
            CompletableFuture<Void> future = sink.sendEvent(event);

            assertThat(future).isCompletedWithValue(null);
            assertThat(received(sink)).containsExactly(event);
            sink.close();
        }
    }

    @Test
    @SuppressWarnings("try") // the capture keeps the SDK's log lines out of the build output
    void trackerRoutesBothChannelsThroughThePluginAndClosesItsSinks() throws Exception {
        ConfigSource source = ConfigSource.fromMap(Map.of(
                "UX_EVENT_SINK_TYPE", "jarsink", "UX_EVENT_SINK_LABEL", "ux",
                "SIM_EVENT_SINK_TYPE", "jarsink", "SIM_EVENT_SINK_LABEL", "sim"));
        Event click = Event.uxAction().put("button", "buy").build();
        Event tick = Event.simulationEvent().put("tick", 42).build();
        try (URLClassLoader loader = pluginLoader(); LogCapture ignored = LogCapture.sdk()) {
            EventTracker tracker = EventTracker.create(source, loader);
            EventSink ux = tracker.sink(Channel.UX);
            EventSink sim = tracker.sink(Channel.SIM);

            assertThat(tracker.track(click)).isCompletedWithValue(null);
            assertThat(tracker.track(tick)).isCompletedWithValue(null);
            tracker.close();

            assertThat(ux).hasToString("JarSink{UX/ux}");
            assertThat(sim).hasToString("JarSink{SIM/sim}");
            assertThat(received(ux)).containsExactly(click);
            assertThat(received(sim)).containsExactly(tick);
            assertThat(isClosed(ux)).isTrue();
            assertThat(isClosed(sim)).isTrue();
        }
    }

    @Test
    void aPluginProviderThatCannotBeLinkedIsReportedAndSkipped() throws Exception {
        try (URLClassLoader loader = loaderOf(brokenJar); LogCapture log = LogCapture.capture(Level.WARN,
                ProviderRegistry.class.getName())) {
            EventSink sink = EventSinkFactory.create(Channel.UX,
                    ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "jarsink")), loader);

            assertThat(sink).hasToString("JarSink{UX/unlabelled}");
            assertThat(ProviderRegistry.load(loader).loadFailures()).singleElement().asString()
                    .contains("a provider class could not be linked: java.lang.NoClassDefFoundError: com/example/broken/MissingBase");
            assertThat(log.lines(Level.WARN)).hasSize(2).allSatisfy(line -> assertThat(line)
                    .startsWith("An event sink provider failed to load and is skipped: ")
                    .contains("com/example/broken/MissingBase"));
        }
    }
}
