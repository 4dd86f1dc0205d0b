package dev.eventsink.mock;

import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.testkit.EventSinkCompatibilityKit;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** The mock sink keeps the contract every sink keeps. */
class MockSinkCompatibilityTest extends EventSinkCompatibilityKit {

    /** The mock reads no API key, but one configured for the channel must not leak either. */
    private static final String API_KEY = "mock-secret-4711";

    @Override
    protected EventSinkProvider provider() {
        return new MockSinkProvider();
    }

    @Override
    protected Map<String, String> validConfiguration() {
        return Map.of("UX_EVENT_SINK_CAPACITY", "1000", "UX_EVENT_SINK_API_KEY", API_KEY);
    }

    @Override
    protected Map<String, String> invalidConfiguration() {
        return Map.of("UX_EVENT_SINK_CAPACITY", "0");
    }

    @Override
    protected String invalidKey() {
        return "UX_EVENT_SINK_CAPACITY";
    }

    @Override
    protected String apiKey() {
        return API_KEY;
    }

    @Override
    protected Map<String, String> failingConfiguration() {
        return Map.of("UX_EVENT_SINK_FAIL_WITH", "backend down");
    }

    @Override
    protected Collection<UUID> deliveredEventIds(EventSink sink) {
        return ((MockSink) sink).events().stream().map(Event::id).toList();
    }
}
