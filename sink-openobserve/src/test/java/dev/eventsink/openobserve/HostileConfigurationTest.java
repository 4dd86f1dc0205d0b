package dev.eventsink.openobserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import dev.eventsink.Channel;
import dev.eventsink.EventSink;
import dev.eventsink.LogCapture;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.SinkConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Configuration that could forge a header or a log line is refused at start-up, and a credential about to travel
 * unencrypted to another machine is warned about, once per sink.
 */
class HostileConfigurationTest {

    private static Map<String, String> config(String... pairs) {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_URL", "http://127.0.0.1:5080");
        keys.put("UX_EVENT_SINK_API_KEY", "root@example.com:Complexpass#123");
        for (int i = 0; i < pairs.length; i += 2) {
            keys.put("UX_EVENT_SINK_" + pairs[i], pairs[i + 1]);
        }
        return keys;
    }

    private static ConfigurationException createFails(Map<String, String> keys) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, keys)));
        assertThat(e).as("a configuration error").isNotNull();
        return e;
    }

    @Test
    void aLineBreakInTheOrganizationIsAControlCharacterError() {
        assertThat(createFails(config("ORG", "default\r\nX-Org: other"))).hasMessage(
                "UX_EVENT_SINK_ORG='default\\r\\nX-Org: other' contains a control character (such as CR or LF);"
                        + " allowed: printable characters only");
    }

    @Test
    void aLineBreakInTheUrlIsAControlCharacterError() {
        assertThat(createFails(config("URL", "http://127.0.0.1:5080/\nHost: evil"))).hasMessage(
                "UX_EVENT_SINK_URL='http://127.0.0.1:5080/\\nHost: evil' contains a control character (such as CR or"
                        + " LF); allowed: printable characters only");
    }

    @Test
    void aCarriageReturnInTheStreamIsAControlCharacterError() {
        assertThat(createFails(config("STREAM", "ux\revents"))).hasMessage(
                "UX_EVENT_SINK_STREAM='ux\\revents' contains a control character (such as CR or LF); allowed:"
                        + " printable characters only");
    }

    @Test
    void aLineFeedInTheApiKeyIsAnErrorThatShowsNoSecret() {
        ConfigurationException e = createFails(config("API_KEY", "root@example.com:secret\nX-Injected: 1"));

        assertThat(e).hasMessage("UX_EVENT_SINK_API_KEY='****' contains a control character (such as CR or LF);"
                + " allowed: printable characters only");
        assertThat(e.keys()).containsExactly("UX_EVENT_SINK_API_KEY");
    }

    @Test
    void everyKeyWithALineBreakIsReportedAtOnce() {
        ConfigurationException e = createFails(config("URL", "http://a\nb", "ORG", "o\nx", "STREAM", "s\nx",
                "API_KEY", "k:\nx"));

        assertThat(e.keys()).containsExactly("UX_EVENT_SINK_URL", "UX_EVENT_SINK_API_KEY", "UX_EVENT_SINK_STREAM",
                "UX_EVENT_SINK_ORG");
    }

    @Test
    void plainHttpToAnotherHostIsWarnedAboutOncePerSink() {
        try (LogCapture log = LogCapture.capture(Level.WARN, "dev.eventsink.openobserve")) {
            // 192.0.2.1 is reserved for documentation: nothing is sent there before close
            EventSink first = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX,
                    config("URL", "http://192.0.2.1:5080", "CONNECT_TIMEOUT", "10ms")));
            first.close(Duration.ofMillis(100));
            EventSink second = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.SIM,
                    Map.of("SIM_EVENT_SINK_URL", "http://ingest.example.com", "SIM_EVENT_SINK_API_KEY", "a@b:c")));
            second.close(Duration.ofMillis(100));

            assertThat(log.lines(Level.WARN)).containsExactly(
                    "UX_EVENT_SINK_URL=http://192.0.2.1:5080 is plain http to a host other than this machine: the"
                            + " credential in UX_EVENT_SINK_API_KEY and the events travel unencrypted. Use https://"
                            + " unless the network between is trusted.",
                    "SIM_EVENT_SINK_URL=http://ingest.example.com is plain http to a host other than this machine:"
                            + " the credential in SIM_EVENT_SINK_API_KEY and the events travel unencrypted. Use"
                            + " https:// unless the network between is trusted.");
            assertThat(log.everything()).doesNotContain("Complexpass", "a@b:c");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5080", "http://127.1.2.3", "http://localhost:5080",
        "http://LOCALHOST", "http://[::1]:5080", "http://[0:0:0:0:0:0:0:1]", "https://ingest.example.com",
        "https://10.0.0.1:5080"})
    void loopbackOrHttpsIsNotWarnedAbout(String url) {
        try (LogCapture log = LogCapture.capture(Level.WARN, "dev.eventsink.openobserve")) {
            new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, config("URL", url)))
                    .close(Duration.ofMillis(100));

            assertThat(log.lines(Level.WARN)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "localhost", "app.localhost", "[::1]"})
    void loopbackHostsAreRecognisedWithoutALookup(String host) {
        assertThat(OpenObserveSettings.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"128.0.0.1", "10.0.0.1", "127.0.0.256", "127.example.com", "localhost.example.com",
        "[::2]", "[fe80::1]", "0.0.0.0"})
    void otherHostsAreNot(String host) {
        assertThat(OpenObserveSettings.isLoopback(host)).isFalse();
    }
}
