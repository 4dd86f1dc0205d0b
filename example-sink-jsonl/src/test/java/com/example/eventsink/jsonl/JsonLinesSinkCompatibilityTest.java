package com.example.eventsink.jsonl;

import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.testkit.EventSinkCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON lines sink keeps the contract every sink keeps: the whole of a plugin's compatibility test is this
 * class, which supplies the provider, configurations, and a way to read back what was delivered.
 */
class JsonLinesSinkCompatibilityTest extends EventSinkCompatibilityKit {

    /** The sink reads no API key, but one configured for the channel must not leak either. */
    private static final String API_KEY = "jsonl-secret-4711";

    @TempDir
    Path dir;

    @Override
    protected EventSinkProvider provider() {
        return new JsonLinesSinkProvider();
    }

    @Override
    protected Map<String, String> validConfiguration() {
        return Map.of("UX_EVENT_SINK_PATH", dir.resolve("events.jsonl").toString(), "UX_EVENT_SINK_API_KEY", API_KEY);
    }

    /** PATH is required. */
    @Override
    protected Map<String, String> invalidConfiguration() {
        return Map.of("UX_EVENT_SINK_FSYNC", "flush");
    }

    @Override
    protected String invalidKey() {
        return "UX_EVENT_SINK_PATH";
    }

    @Override
    protected String apiKey() {
        return API_KEY;
    }

    /** A file that may not grow past one byte refuses every event. */
    @Override
    protected Map<String, String> failingConfiguration() {
        return Map.of("UX_EVENT_SINK_PATH", dir.resolve("full.jsonl").toString(), "UX_EVENT_SINK_MAX_FILE_SIZE", "1");
    }

    @Override
    protected Collection<UUID> deliveredEventIds(EventSink sink) throws IOException {
        Path file = ((JsonLinesSink) sink).path();
        return Files.readAllLines(file).stream().map(line -> EventJson.fromJson(line).id()).toList();
    }
}
