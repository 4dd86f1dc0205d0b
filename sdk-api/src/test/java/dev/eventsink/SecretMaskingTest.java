package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import dev.eventsink.spi.ConfigurationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An API key given in configuration appears in no log line and no exception message. */
class SecretMaskingTest {

    private static final String KEY = "sk-live-5ecret-0123456789";

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void apiKeyAppearsInNoLogLineWhileCreatingTrackingAndClosing() {
        ConfigSource source = ConfigSource.fromMap(Map.of(
                "UX_EVENT_SINK_TYPE", "alpha", "UX_EVENT_SINK_API_KEY", KEY, "UX_EVENT_SINK_UNREAD", "x",
                "SIM_EVENT_SINK_TYPE", "strict", "SIM_EVENT_SINK_URL", "http://localhost:5080",
                "SIM_EVENT_SINK_API_KEY", KEY, "SIM_EVENT_SINK_API_KEYS", "typo"));
        try (LogCapture log = LogCapture.sdk()) {
            try (EventTracker tracker = EventTracker.create(source,
                    ProviderClassLoader.of(TestProviders.Alpha.class, TestProviders.Strict.class))) {
                tracker.track(Event.uxAction().build());
                tracker.track(Event.simulationEvent().build());
                assertThat(tracker.toString()).doesNotContain(KEY).contains("UX_EVENT_SINK_API_KEY=****");
            }

            assertThat(log.lines(Level.INFO)).hasSize(2).allSatisfy(line -> assertThat(line).contains("API_KEY=****"));
            assertThat(log.lines(Level.DEBUG)).hasSize(2);
            assertThat(log.lines(Level.WARN)).containsExactly("SIM_EVENT_SINK_API_KEYS is not a key the 'strict' sink"
                    + " reads; it is ignored. Check its spelling.");
            assertThat(log.everything()).doesNotContain(KEY);
        }
    }

    @Test
    void apiKeyAppearsInNoConfigurationError() {
        Map<String, String> base = Map.of("UX_EVENT_SINK_API_KEY", KEY);
        ProviderClassLoader loader = ProviderClassLoader.of(TestProviders.Alpha.class, TestProviders.Strict.class);
        try (LogCapture log = LogCapture.sdk()) {
            for (String type : new String[] {"", "nope", "openobserve", "strict"}) {
                Map<String, String> values = new java.util.HashMap<>(base);
                values.put("UX_EVENT_SINK_TYPE", type);
                Throwable thrown = catchThrowable(
                        () -> EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(values), loader));

                assertThat(thrown).as("type '%s'", type).isInstanceOf(ConfigurationException.class);
                assertThat(stackTrace(thrown)).as("type '%s'", type).doesNotContain(KEY);
            }
            assertThat(log.everything()).doesNotContain(KEY);
        }
    }

    @Test
    void badApiKeyIsShownMasked() {
        ConfigSource source = ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "strict",
                "UX_EVENT_SINK_URL", "http://x", "UX_EVENT_SINK_API_KEY", "pk-" + KEY));

        Throwable thrown = catchThrowable(() -> EventSinkFactory.create(Channel.UX, source,
                ProviderClassLoader.of(TestProviders.Strict.class)));

        assertThat(thrown).isInstanceOf(ConfigurationException.class)
                .hasMessage("UX_EVENT_SINK_API_KEY='****' does not start with sk-; allowed: a key such as sk-123");
    }
}
