package dev.eventsink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.eventsink.EventSink;
import dev.eventsink.spi.EventSinkProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The mutation-style proof that the compatibility kit can fail: it runs the kit, with the JUnit Platform's
 * {@link EngineTestKit}, against a {@link ReferenceSink} that has one {@link Defect} at a time, and asserts that
 * exactly the check for that defect fails, with a message that says what went wrong. Without a defect, every
 * check passes.
 */
@Isolated
class EventSinkCompatibilityKitTest {

    /** The defect the reference sink has in the kit run under way; {@code null} outside one. */
    static volatile Defect defect;

    @TempDir
    static Path services;

    @AfterAll
    static void releaseLeakedThreads() {
        ReferenceSink.LEAKED_THREADS_MAY_END.countDown();
    }

    @Test
    void aCorrectSinkPassesEveryCheck() {
        EngineExecutionResults results = runKit(Defect.NONE);

        assertThat(results.testEvents().failed().stream().map(EventSinkCompatibilityKitTest::describe).toList())
                .isEmpty();
        assertThat(results.testEvents().aborted().count()).isZero();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(12);
    }

    @ParameterizedTest
    @EnumSource(value = Defect.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void exactlyTheCheckForTheDefectFailsSayingWhatWentWrong(Defect defect) {
        EngineExecutionResults results = runKit(defect);

        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed.stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .as("failed checks; details: %s",
                        failed.stream().map(EventSinkCompatibilityKitTest::describe).collect(Collectors.joining("; ")))
                .containsExactly(defect.check);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(11);
        assertThat(results.testEvents().aborted().count()).isZero();
        assertFailureSaysWhatWentWrong(defect, throwable(failed.get(0)));
    }

    private static void assertFailureSaysWhatWentWrong(Defect defect, Throwable failure) {
        switch (defect) {
            case UNREGISTERED -> assertThat(failure).hasMessage("ServiceLoader finds no "
                    + "dev.eventsink.testkit.ReferenceSinkProvider; it found [dev.eventsink.testkit.RecordingSinkProvider"
                    + " (recording)]. Register the provider: add its class name to "
                    + "META-INF/services/dev.eventsink.spi.EventSinkProvider");
            case UPPERCASE_TYPE -> assertThat(failure).hasMessage("The type of "
                    + "dev.eventsink.testkit.ReferenceSinkProvider is 'Reference'; it must be a lowercase name such as "
                    + "'reference' (letters, digits, . _ -)");
            case SIM_CHANNEL_UNSUPPORTED -> assertThat(failure).hasMessage("create() threw for the valid configuration"
                    + " on the SIM channel SinkConfig{SIM_EVENT_SINK_API_KEY=****}: "
                    + "dev.eventsink.spi.ConfigurationException: the reference sink serves the UX channel only");
            case ACCEPTS_INVALID_CONFIGURATION -> assertThat(failure).hasMessage("create() accepted the invalid "
                    + "configuration SinkConfig{UX_EVENT_SINK_API_KEY=****, UX_EVENT_SINK_LIMIT=0} and returned "
                    + "ReferenceSink{events=0}; it must throw dev.eventsink.spi.ConfigurationException naming "
                    + "UX_EVENT_SINK_LIMIT");
            case WRONG_EXCEPTION_FOR_INVALID_CONFIGURATION -> assertThat(failure).hasMessage("create() threw "
                    + "java.lang.IllegalArgumentException: limit must be positive for the invalid configuration "
                    + "SinkConfig{UX_EVENT_SINK_API_KEY=****, UX_EVENT_SINK_LIMIT=0}; it must throw "
                    + "dev.eventsink.spi.ConfigurationException naming UX_EVENT_SINK_LIMIT");
            case REJECTS_EVERY_EVENT -> assertThat(failure).hasMessageStartingWith("the future of event ")
                    .hasMessageEndingWith(" failed with dev.eventsink.DeliveryException: rejected: the reference sink "
                            + "rejects everything; it must complete normally once the event is delivered");
            case THROWS_ON_DELIVERY_PROBLEM -> assertThat(failure).hasMessage("sendEvent on the sink of "
                    + "failingConfiguration() threw java.lang.IllegalStateException: backend down; it must return a "
                    + "future that fails instead");
            case THROWS_ON_NULL_EVENT -> assertThat(failure).hasMessage("sendEvent(null) threw "
                    + "java.lang.NullPointerException: event; it must return a future that fails instead");
            case LOSES_CONCURRENT_EVENTS -> assertThat(failure).hasMessageStartingWith("8 threads sent 400 events; "
                    + "400 futures completed normally, 0 exceptionally, but 350 of the events whose future completed "
                    + "were not delivered, for example ");
            case FLUSH_DOES_NOT_WAIT -> assertThat(failure).hasMessage("flush(10s) returned "
                    + "FlushResult[undelivered=0] but 20 of the 20 events sent before it were still pending 100 ms "
                    + "later");
            case CLOSE_NOT_IDEMPOTENT -> assertThat(failure).hasMessage("close() after close(500ms) threw "
                    + "java.lang.IllegalStateException: already closed");
            case CLOSE_IGNORES_TIMEOUT -> assertThat(failure).hasMessage("close(500ms) did not return within 1500ms");
            case ACCEPTS_AFTER_CLOSE -> assertThat(failure).hasMessage("the future of an event sent after close() "
                    + "completed normally; it must fail with a dev.eventsink.DeliveryException");
            case LEAKS_THREAD -> assertThat(failure).hasMessage("1 thread that started with the sink is still alive "
                    + "300ms after close() returned: [reference-sink-leak (daemon, WAITING)]");
            case KEY_IN_TO_STRING -> assertThat(failure).hasMessage("toString() of the new sink shows the API key "
                    + "(here as <API key>): ReferenceSink{key=<API key>, events=0}");
            case KEY_IN_LOGS -> assertThat(failure).hasMessageStartingWith("The API key appears in 2 log lines of ")
                    .hasMessageEndingWith(" captured (shown here as <API key>):\n"
                            + "  DEBUG dev.eventsink.testkit.ReferenceSinkProvider created a sink with API key "
                            + "<API key>\n"
                            + "  DEBUG dev.eventsink.testkit.ReferenceSinkProvider created a sink with API key "
                            + "<API key>");
            case NONE -> throw new IllegalArgumentException("NONE has no failure");
        }
    }

    private static EngineExecutionResults runKit(Defect defect) {
        return runKit(defect, ReferenceKit.class, Map.of());
    }

    /** Runs {@code kit}, a {@link ReferenceKit} or a subclass of it, against the reference sink with {@code defect}. */
    static EngineExecutionResults runKit(Defect defect, Class<? extends ReferenceKit> kit,
            Map<String, String> configuration) {
        EventSinkCompatibilityKitTest.defect = defect;
        try {
            return EngineTestKit.engine("junit-jupiter")
                    .enableImplicitConfigurationParameters(false)
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .configurationParameters(configuration)
                    .selectors(selectClass(kit))
                    .execute();
        } finally {
            EventSinkCompatibilityKitTest.defect = null;
        }
    }

    static Throwable throwable(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow();
    }

    static String describe(Event event) {
        return event.getTestDescriptor().getDisplayName() + ": " + throwable(event);
    }

    static boolean kitRunUnderWay() {
        return defect != null;
    }

    /** The kit, pointed at the reference sink; it runs only inside {@link #runKit}. */
    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    static class ReferenceKit extends EventSinkCompatibilityKit {

        private static final String API_KEY = "reference-secret-4711";

        @Override
        protected EventSinkProvider provider() {
            return new ReferenceSinkProvider();
        }

        @Override
        protected Map<String, String> validConfiguration() {
            return Map.of("UX_EVENT_SINK_API_KEY", API_KEY);
        }

        @Override
        protected Map<String, String> invalidConfiguration() {
            return Map.of("UX_EVENT_SINK_API_KEY", API_KEY, "UX_EVENT_SINK_LIMIT", "0");
        }

        @Override
        protected String invalidKey() {
            return "UX_EVENT_SINK_LIMIT";
        }

        @Override
        protected String apiKey() {
            return API_KEY;
        }

        @Override
        protected Map<String, String> failingConfiguration() {
            return Map.of("UX_EVENT_SINK_API_KEY", API_KEY, "UX_EVENT_SINK_FAIL_WITH", "backend down");
        }

        @Override
        protected Collection<UUID> deliveredEventIds(EventSink sink) {
            return ((ReferenceSink) sink).delivered().stream().map(dev.eventsink.Event::id).toList();
        }

        @Override
        protected Duration threadGrace() {
            return Duration.ofMillis(300);
        }

        @Override
        protected ClassLoader classLoader() {
            return defect == Defect.UNREGISTERED ? super.classLoader() : registering(super.classLoader());
        }

        /** A class loader whose services file also lists the {@link ReferenceSinkProvider}. */
        private static ClassLoader registering(ClassLoader parent) {
            try {
                Path file = services.resolve("META-INF/services/" + EventSinkProvider.class.getName());
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, ReferenceSinkProvider.class.getName() + "\n");
                }
                return new URLClassLoader(new URL[] {services.toUri().toURL()}, parent);
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
