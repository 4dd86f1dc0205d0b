package dev.eventsink.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Recognises a line of a dead-letter file, as a pipeline appends it to {@code *_EVENT_SINK_DEAD_LETTER_FILE}, so
 * that {@code replay} sends its event again:
 *
 * <pre>{@code
 * {"deadLetteredAt":"2026-12-01T10:00:00Z","reason":"HTTP 400: …","sink":"ux-openobserve","event":{"id":…}}
 * }</pre>
 *
 * <p>A line is a dead letter when it is an object whose first field is {@code deadLetteredAt}; any other line is
 * read as an event.
 */
final class DeadLetterLine {

    private static final String PREFIX = "{\"deadLetteredAt\"";
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(200)
                            .maxStringLength(ReplayCommand.MAX_LINE_BYTES)
                            .maxNumberLength(1000)
                            .build())
                    .build())
            .build();

    private DeadLetterLine() {}

    /** Whether the line is a dead letter rather than an event. */
    static boolean isDeadLetter(String line) {
        return line.stripLeading().startsWith(PREFIX);
    }

    /**
     * The JSON of the event a dead-letter line holds.
     *
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    static String eventJson(String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid dead letter: " + e.getOriginalMessage());
        }
        JsonNode event = root.get("event");
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("a dead letter needs an object in its field event");
        }
        return event.toString();
    }
}
