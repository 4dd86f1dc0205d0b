package dev.eventsink;

import dev.eventsink.internal.Quoting;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One recorded event: a UX action or a simulation event, in the SDK's single schema.
 *
 * <p>Instances are immutable and validated at construction: invalid input throws
 * {@link NullPointerException} or {@link IllegalArgumentException} with a message naming the field.
 * Build events with {@link #uxAction()} or {@link #simulationEvent()}, which fill {@code id} and
 * {@code timestamp}: {@code Event.uxAction().userId("u1").put("button", "buy").build()}.
 *
 * @param id        unique id, so that duplicates from at-least-once delivery can be removed downstream
 * @param timestamp when the event happened (UTC instant), from {@link #MIN_TIMESTAMP} to {@link #MAX_TIMESTAMP}:
 *                  years 1 to 9999, which ISO-8601 writes with four digits and every backend can store
 * @param eventType the kind of event, which selects its {@link Channel}
 * @param userId    the user, or {@code null}; when present, non-blank and at most {@value #MAX_ID_LENGTH} characters
 * @param sessionId the session, or {@code null}; same rules as {@code userId}
 * @param payload   JSON values only: {@code null}, {@link Boolean}, finite {@link Number}, {@link String},
 *                  {@link java.util.List}, {@link Map} with {@code String} keys, nested at most
 *                  {@value #MAX_PAYLOAD_DEPTH} levels, with at most {@value #MAX_PAYLOAD_KEYS} keys in all
 *                  and whole numbers of at most {@value #MAX_INTEGER_DIGITS} digits; validated and kept as
 *                  compact JSON, and read as an unmodifiable map that keeps insertion order, decoded when first read (whole numbers as
 *                  {@link Long}, decimals as {@link Double}). A {@code null} payload becomes an empty map.
 */
public record Event(
        UUID id,
        Instant timestamp,
        EventType eventType,
        String userId,
        String sessionId,
        Map<String, Object> payload) {

    /** Longest accepted {@code userId} or {@code sessionId}. */
    public static final int MAX_ID_LENGTH = 256;

    /**
     * Deepest accepted nesting of maps and lists in a payload, the payload itself counting as the first level:
     * {@code {"a":{"b":[1]}}} nests 3 levels. Deeper input fails, at construction and in {@link EventJson}, with
     * the path to the container that is one level too deep: {@code payload.a.a.(…) nests deeper than 32 levels}.
     */
    public static final int MAX_PAYLOAD_DEPTH = 32;

    /**
     * Most keys a payload may hold, counted at every level: each key of the payload and of every map nested in
     * it counts once (list elements are not keys), so {@code {"a":1,"b":{"c":2}}} holds 3. More fails, at
     * construction and in {@link EventJson}, naming the first key past the limit:
     * {@code payload has more than 1000 keys, counted at every level; the first key over the limit is payload.k1000}.
     * OpenObserve stores at most 1000 fields per record by default ({@code ZO_COLS_PER_RECORD_LIMIT}).
     */
    public static final int MAX_PAYLOAD_KEYS = 1000;

    /**
     * Most digits a whole number in a payload may have, its sign not counted: 1000, as many as {@link EventJson}
     * reads. A longer {@link java.math.BigInteger} fails at construction:
     * {@code payload.n is a number of more than 1000 digits}.
     */
    public static final int MAX_INTEGER_DIGITS = 1000;

    /** The earliest accepted timestamp: {@code 0001-01-01T00:00:00Z}. */
    public static final Instant MIN_TIMESTAMP = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest accepted timestamp: {@code 9999-12-31T23:59:59.999999999Z}. */
    public static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public Event {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(timestamp, "timestamp must not be null");
        if (timestamp.isBefore(MIN_TIMESTAMP) || timestamp.isAfter(MAX_TIMESTAMP)) {
            throw new IllegalArgumentException("timestamp must be from " + MIN_TIMESTAMP + " to " + MAX_TIMESTAMP
                    + ", was " + timestamp);
        }
        Objects.requireNonNull(eventType, "eventType must not be null");
        checkOptionalId("userId", userId);
        checkOptionalId("sessionId", sessionId);
        payload = PayloadMap.of(payload);
    }

    /** A builder for a {@link EventType#UX_ACTION} event. */
    public static Builder uxAction() {
        return new Builder(EventType.UX_ACTION);
    }

    /** A builder for a {@link EventType#SIMULATION_EVENT} event. */
    public static Builder simulationEvent() {
        return new Builder(EventType.SIMULATION_EVENT);
    }

    /** A builder for an event of the given type. */
    public static Builder builder(EventType eventType) {
        return new Builder(Objects.requireNonNull(eventType, "eventType must not be null"));
    }

    private static void checkOptionalId(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must be null or non-blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(
                    field + " must be at most " + MAX_ID_LENGTH + " characters, was " + value.length());
        }
    }

    /**
     * Builds an {@link Event}. Not thread-safe; each {@link #build()} validates and returns a new event.
     * Unless set, {@code id} is a random UUID and {@code timestamp} is the clock's instant at {@code build()}.
     */
    public static final class Builder {
        private final EventType eventType;
        private Clock clock = Clock.systemUTC();
        private UUID id;
        private Instant timestamp;
        private String userId;
        private String sessionId;
        private final Map<String, Object> payload = new LinkedHashMap<>();

        private Builder(EventType eventType) {
            this.eventType = eventType;
        }

        /** The clock that fills {@code timestamp} when none is set; defaults to {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** A fixed id; a random UUID is used when not set. */
        public Builder id(UUID id) {
            this.id = Objects.requireNonNull(id, "id must not be null");
            return this;
        }

        /** A fixed timestamp; the clock's instant at {@link #build()} is used when not set. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = Objects.requireNonNull(timestamp, "timestamp must not be null");
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** Adds one payload entry; values are validated at {@link #build()}. */
        public Builder put(String key, Object value) {
            payload.put(Objects.requireNonNull(key, "payload key must not be null"), value);
            return this;
        }

        /** Adds all entries of {@code values} to the payload; values are validated at {@link #build()}. */
        public Builder payload(Map<String, ?> values) {
            for (Map.Entry<?, ?> entry : Objects.requireNonNull(values, "payload must not be null").entrySet()) {
                Object key = entry.getKey();
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException("payload has a non-String key " + Quoting.quote(String.valueOf(key)) + " ("
                            + (key == null ? "null" : key.getClass().getName()) + "); JSON object keys must be Strings");
                }
                put((String) key, entry.getValue());
            }
            return this;
        }

        /** Validates and returns the event. */
        public Event build() {
            return new Event(
                    id != null ? id : UUID.randomUUID(),
                    timestamp != null ? timestamp : clock.instant(),
                    eventType,
                    userId,
                    sessionId,
                    payload);
        }
    }
}
