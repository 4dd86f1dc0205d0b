package dev.eventsink.openobserve;

import static dev.eventsink.testkit.EventAssertions.assertThat;

import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventTracker;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.testkit.EventSinkCompatibilityKit;
import dev.eventsink.testkit.OpenObserveServerExtension;
import dev.eventsink.testkit.StoredRecords;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenObserve sink keeps the contract every sink keeps, against the testkit's OpenObserve-compatible server,
 * which the {@link OpenObserveServerExtension} starts for the class.
 */
@ExtendWith(OpenObserveServerExtension.class)
class OpenObserveSinkCompatibilityTest extends EventSinkCompatibilityKit {

    private static final String STREAM = "compatibility";
    private static OpenObserveServer server;

    @BeforeAll
    static void keep(OpenObserveServer started) {
        server = started;
    }

    @BeforeEach
    void forgetEarlierChecks() {
        server.clear();
    }

    @Override
    protected EventSinkProvider provider() {
        return new OpenObserveSinkProvider();
    }

    @Override
    protected Map<String, String> validConfiguration() {
        return Map.of(
                "UX_EVENT_SINK_URL", server.url(),
                "UX_EVENT_SINK_API_KEY", server.apiKey(),
                "UX_EVENT_SINK_STREAM", STREAM,
                "UX_EVENT_SINK_LINGER", "20ms");
    }

    @Override
    protected Map<String, String> invalidConfiguration() {
        return Map.of("UX_EVENT_SINK_URL", "ftp://example.com", "UX_EVENT_SINK_API_KEY", server.apiKey());
    }

    @Override
    protected String invalidKey() {
        return "UX_EVENT_SINK_URL";
    }

    @Override
    protected String apiKey() {
        return server.apiKey();
    }

    /** A wrong password: OpenObserve answers 401, and the sink rejects the events without retrying. */
    @Override
    protected Map<String, String> failingConfiguration() {
        return Map.of(
                "UX_EVENT_SINK_URL", server.url(),
                "UX_EVENT_SINK_API_KEY", server.email() + ":wrong-password",
                "UX_EVENT_SINK_STREAM", STREAM,
                "UX_EVENT_SINK_LINGER", "20ms");
    }

    @Override
    protected Collection<UUID> deliveredEventIds(EventSink sink) {
        return server.records(STREAM).stream().map(r -> UUID.fromString((String) r.get("event_id"))).toList();
    }

    /** The server's request threads start on demand, while a check runs; they are the server's, not the sink's. */
    @Override
    protected boolean isIgnoredThread(Thread thread) {
        return super.isIgnoredThread(thread) || thread.getName().startsWith("openobserve-server-");
    }

    /** What the testkit's README shows: a tracker built from the injected configuration delivers to the server. */
    @Nested
    class ThroughTheServerExtension {

        @Test
        void eventsTrackedWithTheInjectedConfigurationAreStoredForTheTest(ConfigSource config,
                StoredRecords records) {
            try (EventTracker tracker = EventTracker.create(config)) {
                for (int i = 0; i < 3; i++) {
                    tracker.track(Event.uxAction().userId("u1").put("button", "buy").build());
                }
                tracker.track(Event.simulationEvent().put("tick", 7).build());
                tracker.flush(Duration.ofSeconds(10));
            }

            assertThat(records).stream("ux_events")
                    .hasRecordCount(3)
                    .containsRecordWith("event_type", "ux_action")
                    .allRecordsHave("payload_button", "buy");
            assertThat(records).stream("simulation_events").hasRecordCount(1).containsRecordWith("payload_tick", 7);
            assertThat(server).stream("ux_events").hasRecordCount(0);
        }
    }
}
