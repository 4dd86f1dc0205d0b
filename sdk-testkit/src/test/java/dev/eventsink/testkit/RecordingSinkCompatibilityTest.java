package dev.eventsink.testkit;

import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.spi.EventSinkProvider;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The recording sink keeps the contract every sink keeps, created through a {@link Recorders} id. */
class RecordingSinkCompatibilityTest extends EventSinkCompatibilityKit {

    /** The recording sink reads no API key, but none configured may leak either. */
    private static final String API_KEY = "recording-secret-4711";

    private Recorders recorders;

    @BeforeEach
    void openRecorders() {
        recorders = Recorders.open();
    }

    @AfterEach
    void closeRecorders() {
        recorders.close();
    }

    @Override
    protected EventSinkProvider provider() {
        return new RecordingSinkProvider();
    }

    @Override
    protected Map<String, String> validConfiguration() {
        return Map.of("UX_EVENT_SINK_RECORDER_ID", recorders.id(), "UX_EVENT_SINK_API_KEY", API_KEY);
    }

    @Override
    protected Map<String, String> invalidConfiguration() {
        return Map.of("UX_EVENT_SINK_RECORDER_ID", "recorders-that-were-never-opened");
    }

    @Override
    protected String invalidKey() {
        return "UX_EVENT_SINK_RECORDER_ID";
    }

    @Override
    protected String apiKey() {
        return API_KEY;
    }

    @Override
    protected Map<String, String> failingConfiguration() {
        return Map.of("UX_EVENT_SINK_FAIL_WITH", "backend down", "UX_EVENT_SINK_API_KEY", API_KEY);
    }

    @Override
    protected Collection<UUID> deliveredEventIds(EventSink sink) {
        return ((RecordingSink) sink).events().stream().map(Event::id).toList();
    }
}
