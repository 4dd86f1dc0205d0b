package dev.eventsink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.eventsink.internal.ByteBuf;
import dev.eventsink.internal.Json;
import dev.eventsink.internal.Quoting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The canonical JSON form of an {@link Event}, which is the SDK's schema exactly:
 *
 * <pre>{@code
 * {"id":"0b6c…","timestamp":"2026-11-28T12:00:00.123Z","eventType":"ux_action",
 *  "userId":"u1","sessionId":"s1","payload":{"button":"buy"}}
 * }</pre>
 *
 * <p>{@code timestamp} is ISO-8601 UTC with milliseconds or finer; {@code userId} and {@code sessionId}
 * are left out when absent. Decoding then encoding gives back the same event. Thread-safe.
 */
public final class EventJson {

    /** The deepest nesting of any JSON read as an event: {@value}, room for the payload's 32 levels and more. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** The longest string or object key, in characters, of any JSON read as an event: {@value} (16 Mi). */
    public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

    /**
     * The longest number, in digits, of any JSON read as an event: {@value}, as {@link Event#MAX_INTEGER_DIGITS}.
     */
    public static final int MAX_NUMBER_LENGTH = Event.MAX_INTEGER_DIGITS;

    /**
     * The limits on any JSON read as an event: nesting, string and key length, number length. Text that passes one
     * fails with the path where it does, before any tree is built ({@link EventJsonLimits}).
     */
    static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build();

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(READ_CONSTRAINTS).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final java.util.regex.Pattern CANONICAL_UUID =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Set<String> FIELDS = Set.of("id", "timestamp", "eventType", "userId", "sessionId", "payload");
    private static final String FIELD_LIST = "id, timestamp, eventType, userId, sessionId, payload";
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuf(512));
    private static final int MAX_KEPT_SCRATCH = 64 * 1024;

    private EventJson() {}

    /** The event as one line of canonical JSON. */
    public static String toJson(Event event) {
        return new String(toJsonBytes(event), StandardCharsets.UTF_8);
    }

    /** The event as canonical JSON in UTF-8. */
    public static byte[] toJsonBytes(Event event) {
        ByteBuf out = new ByteBuf(256);
        write(event, out);
        return out.toByteArray();
    }

    /** Writes the event's canonical JSON in UTF-8 to {@code out}, without a line separator. */
    public static void writeTo(Event event, OutputStream out) {
        ByteBuf json = SCRATCH.get();
        json.reset();
        write(event, json);
        try {
            out.write(json.array(), 0, json.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            json.reset(MAX_KEPT_SCRATCH);
        }
    }

    /**
     * Writes the event's payload as compact JSON in UTF-8 to {@code out}: the JSON object that the canonical form
     * holds under {@code payload}, {@code {}} when it is empty.
     */
    public static void writePayloadTo(Event event, OutputStream out) {
        try {
            out.write(payloadJson(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] payloadJson(Event event) {
        return ((PayloadMap) event.payload()).json();
    }

    private static void write(Event event, ByteBuf out) {
        out.ascii("{\"id\":");
        UUID id = event.id();
        Json.writeUuid(out, id.getMostSignificantBits(), id.getLeastSignificantBits());
        out.ascii(",\"timestamp\":");
        Instant timestamp = event.timestamp();
        Json.writeTimestamp(out, timestamp.getEpochSecond(), timestamp.getNano());
        out.ascii(",\"eventType\":\"");
        out.ascii(event.eventType().wireName());
        out.write('"');
        if (event.userId() != null) {
            out.ascii(",\"userId\":");
            Json.writeString(out, event.userId());
        }
        if (event.sessionId() != null) {
            out.ascii(",\"sessionId\":");
            Json.writeString(out, event.sessionId());
        }
        out.ascii(",\"payload\":");
        out.write(payloadJson(event));
        out.write('}');
    }

    /**
     * ISO-8601 UTC with at least milliseconds, and micro- or nanoseconds when the instant has them:
     * {@code 2026-11-28T12:00:00.120Z}, {@code 2026-11-28T12:00:00.123456Z}. The same text as
     * {@link Instant#toString()} except that the fraction is never left out.
     */
    public static String formatTimestamp(Instant timestamp) {
        if (timestamp.isBefore(Event.MIN_TIMESTAMP) || timestamp.isAfter(Event.MAX_TIMESTAMP)) {
            // Outside years 1 to 9999 ISO-8601 needs a sign and more digits, which Instant.toString() handles.
            String text = timestamp.toString();
            return timestamp.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
        }
        ByteBuf out = new ByteBuf(32);
        Json.writeTimestampContent(out, timestamp.getEpochSecond(), timestamp.getNano());
        return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
    }

    /**
     * Decodes canonical JSON; every required field ({@code id}, {@code timestamp}, {@code eventType}) must be
     * present and no unknown field is allowed.
     *
     * <p>Limits, each failing with the path where it is passed: the payload's
     * {@link Event#MAX_PAYLOAD_DEPTH depth} and {@link Event#MAX_PAYLOAD_KEYS key count} (the messages of
     * {@link Event}'s constructor), and anywhere in the text {@value #MAX_NESTING_DEPTH} levels of nesting, strings
     * and keys of {@value #MAX_STRING_LENGTH} characters and numbers of {@value #MAX_NUMBER_LENGTH} digits, for
     * example {@code Invalid event JSON: payload.n is a number of more than 1000 digits}. No tree is built before
     * the limits are checked.
     *
     * @throws EventJsonException naming the offending field
     */
    public static Event fromJson(String json) {
        return decode(json, null);
    }

    /**
     * Decodes canonical JSON in which {@code id} and {@code timestamp} may be missing: a missing id becomes a
     * random UUID and a missing timestamp the clock's instant. Otherwise as strict as {@link #fromJson(String)}.
     *
     * @throws EventJsonException naming the offending field
     */
    public static Event fromJson(String json, Clock fillMissingTimestampFrom) {
        return decode(json, java.util.Objects.requireNonNull(fillMissingTimestampFrom, "clock must not be null"));
    }

    private static Event decode(String json, Clock fillDefaults) {
        Event event = EventJsonReader.read(json, fillDefaults);
        return event != null ? event : decodeThoroughly(json, fillDefaults);
    }

    /** Decodes any text, reporting the first problem it finds by field: the path that explains bad input. */
    static Event decodeThoroughly(String json, Clock fillDefaults) {
        EventJsonLimits.check(json);
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EventJsonException(null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new EventJsonException(null, "the event must be a JSON object, was empty");
        }
        if (!root.isObject()) {
            throw new EventJsonException(null, "the event must be a JSON object, was "
                    + root.getNodeType().toString().toLowerCase());
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw unknownField(name);
            }
        }
        UUID id = null;
        String idText = text(root, "id", fillDefaults == null);
        if (idText != null) {
            if (!CANONICAL_UUID.matcher(idText).matches()) {
                throw new EventJsonException("id", "id '" + Quoting.quote(idText) + "' is not a UUID");
            }
            id = UUID.fromString(idText);
        } else {
            id = UUID.randomUUID();
        }
        String timestampText = text(root, "timestamp", fillDefaults == null);
        Instant timestamp = timestampText == null ? fillDefaults.instant() : parseTimestamp(timestampText);
        String typeText = text(root, "eventType", true);
        EventType type;
        try {
            type = EventType.fromWireName(typeText);
        } catch (IllegalArgumentException e) {
            throw new EventJsonException("eventType", e.getMessage());
        }
        String userId = text(root, "userId", false);
        String sessionId = text(root, "sessionId", false);
        JsonNode payloadNode = root.get("payload");
        Map<String, Object> payload = null;
        if (payloadNode != null && !payloadNode.isNull()) {
            if (!payloadNode.isObject()) {
                throw new EventJsonException("payload", "payload must be a JSON object, was " + describe(payloadNode));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> converted = MAPPER.convertValue(payloadNode, Map.class);
            payload = converted;
        }
        try {
            return new Event(id, timestamp, type, userId, sessionId, payload);
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = e.getMessage();
            String field = message == null ? null : message.split("[ .\\[]", 2)[0];
            throw new EventJsonException(FIELDS.contains(field) ? field : null, message);
        }
    }

    static EventJsonException unknownField(String name) {
        return new EventJsonException(name, "unknown field '" + Quoting.quote(name) + "'; allowed: " + FIELD_LIST);
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new EventJsonException(field, field + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new EventJsonException(field, field + " must be a string, was " + describe(node));
        }
        return node.textValue();
    }

    private static String describe(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return type.toString().toLowerCase() + " " + Quoting.quote(node.toString());
    }

    private static Instant parseTimestamp(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new EventJsonException("timestamp",
                        "timestamp '" + Quoting.quote(text) + "' is not an ISO-8601 instant such as 2026-11-28T12:00:00.123Z");
            }
        }
    }
}
