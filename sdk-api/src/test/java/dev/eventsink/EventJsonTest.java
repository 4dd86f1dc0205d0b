package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventJsonTest {

    private static final String ID_TEXT = "0b6c2f4e-8d1a-4c3b-9e7f-112233445566";
    private static final UUID ID = UUID.fromString(ID_TEXT);
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00.123Z");

    /** Canonical JSON with the given fields after id, timestamp and eventType ux_action. */
    private static String json(String rest) {
        return "{\"id\":\"" + ID_TEXT + "\",\"timestamp\":\"2026-11-28T12:00:00.123Z\",\"eventType\":\"ux_action\""
                + rest + "}";
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertDecodingFails(String json, String field,
            String message) {
        return assertThatThrownBy(() -> EventJson.fromJson(json))
                .isInstanceOf(EventJsonException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((EventJsonException) e).field()).isEqualTo(field));
    }

    @Nested
    class Encoding {

        @Test
        void encodesEveryFieldInCanonicalOrder() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("button", "buy");
            payload.put("count", 3);
            payload.put("big", 12_345_678_901L);
            payload.put("price", 9.5);
            payload.put("ok", true);
            payload.put("none", null);
            payload.put("tags", List.of("a", "b"));
            payload.put("nested", Map.of("k", 1));
            Event event = new Event(ID, NOW, EventType.UX_ACTION, "u1", "s1", payload);

            assertThat(EventJson.toJson(event)).isEqualTo("{\"id\":\"" + ID_TEXT + "\","
                    + "\"timestamp\":\"2026-11-28T12:00:00.123Z\",\"eventType\":\"ux_action\","
                    + "\"userId\":\"u1\",\"sessionId\":\"s1\",\"payload\":{\"button\":\"buy\",\"count\":3,"
                    + "\"big\":12345678901,\"price\":9.5,\"ok\":true,\"none\":null,\"tags\":[\"a\",\"b\"],"
                    + "\"nested\":{\"k\":1}}}");
        }

        @Test
        void absentOptionalFieldsAreLeftOut() {
            Event event = new Event(ID, NOW, EventType.SIMULATION_EVENT, null, null, null);

            assertThat(EventJson.toJson(event)).isEqualTo("{\"id\":\"" + ID_TEXT + "\","
                    + "\"timestamp\":\"2026-11-28T12:00:00.123Z\",\"eventType\":\"simulation_event\",\"payload\":{}}");
        }

        @Test
        void onlyTheAbsentOneOfUserIdAndSessionIdIsLeftOut() {
            Event event = new Event(ID, NOW, EventType.UX_ACTION, null, "s1", null);

            assertThat(EventJson.toJson(event)).isEqualTo(json(",\"sessionId\":\"s1\",\"payload\":{}"));
        }

        @Test
        void stringsAreEscapedAndWrittenAsUtf8() {
            Event event = new Event(ID, NOW, EventType.UX_ACTION, "zoë", null, Map.of("q", "say \"hi\"\n"));

            String expected = json(",\"userId\":\"zoë\",\"payload\":{\"q\":\"say \\\"hi\\\"\\n\"}");
            assertThat(EventJson.toJson(event)).isEqualTo(expected);
            assertThat(EventJson.toJsonBytes(event)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void writeToWritesTheSameBytesWithoutALineSeparator() {
            Event event = new Event(ID, NOW, EventType.UX_ACTION, "u1", null, Map.of("k", 1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            EventJson.writeTo(event, out);

            assertThat(out.toByteArray()).isEqualTo(EventJson.toJsonBytes(event));
        }

        @Test
        void writeToLeavesTheStreamOpenForTheNextEvent() {
            Event event = new Event(ID, NOW, EventType.UX_ACTION, null, null, null);
            boolean[] closed = {false};
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            FilterOutputStream out = new FilterOutputStream(bytes) {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };

            EventJson.writeTo(event, out);

            assertThat(closed[0]).as("stream closed by writeTo").isFalse();
        }
    }

    @Nested
    class Numbers {

        @Test
        void aWholeNumberBeyondTheRangeOfLongIsDecodedAsABigInteger() {
            Event event = EventJson.fromJson(json(",\"payload\":{\"big\":123456789012345678901234567890,\"n\":7}"));

            assertThat(event.payload()).containsEntry("big", new java.math.BigInteger("123456789012345678901234567890"))
                    .containsEntry("n", 7L);
            assertThat(EventJson.toJson(event)).isEqualTo(
                    json(",\"payload\":{\"big\":123456789012345678901234567890,\"n\":7}"));
        }
    }

    /** A bad value is quoted in the message escaped and cut short, however long or strange it is. */
    @Nested
    class HostileValues {

        @Test
        void aTimestampBeyondYear9999IsRejectedByNameInsteadOfPoisoningABatchLater() {
            assertDecodingFails("{\"id\":\"" + ID_TEXT + "\",\"timestamp\":\"+300000-01-01T00:00:00Z\","
                    + "\"eventType\":\"ux_action\"}", "timestamp", "Invalid event JSON: timestamp must be from"
                    + " 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, was +300000-01-01T00:00:00Z");
        }

        @Test
        void aMegabyteIdIsQuotedInTwoHundredCharacters() {
            String huge = "z".repeat(1_000_000);
            assertDecodingFails("{\"id\":\"" + huge + "\",\"timestamp\":\"2026-11-28T12:00:00Z\","
                    + "\"eventType\":\"ux_action\"}", "id",
                    "Invalid event JSON: id '" + "z".repeat(200) + "…(1000000 characters)' is not a UUID");
        }

        @Test
        void aMegabyteObjectWhereAStringBelongsIsQuotedShort() {
            String huge = "{\"k\":\"" + "v".repeat(1_000_000) + "\"}";
            Throwable e = catchThrowable(() -> EventJson.fromJson("{\"id\":" + huge + "}"));
            assertThat(e).isInstanceOf(EventJsonException.class);
            assertThat(e.getMessage()).hasSizeLessThan(400)
                    .startsWith("Invalid event JSON: id must be a string, was object {\"k\":\"vvv")
                    .endsWith("…(1000008 characters)");
        }

        @Test
        void lineBreaksInAnUnknownFieldNameAreEscaped() {
            assertDecodingFails(json(",\"evil\\nINFO forged\":1"), "evil\nINFO forged",
                    "Invalid event JSON: unknown field 'evil\\nINFO forged'; allowed: id, timestamp, eventType, userId,"
                            + " sessionId, payload");
        }

        @Test
        void lineBreaksInAnUnknownEventTypeAreEscaped() {
            assertDecodingFails("{\"id\":\"" + ID_TEXT + "\",\"timestamp\":\"2026-11-28T12:00:00Z\","
                    + "\"eventType\":\"click\\r\\nERROR forged\"}", "eventType",
                    "Invalid event JSON: Unknown eventType 'click\\r\\nERROR forged'; valid values: ux_action,"
                            + " simulation_event");
        }
    }

    @Nested
    class Timestamps {

        @ParameterizedTest
        @CsvSource({
                "2026-11-28T12:00:00Z,           2026-11-28T12:00:00.000Z",
                "2026-11-28T12:00:00.100Z,       2026-11-28T12:00:00.100Z",
                "2026-11-28T12:00:00.123Z,       2026-11-28T12:00:00.123Z",
                "2026-11-28T12:00:00.123456Z,    2026-11-28T12:00:00.123456Z",
                "2026-11-28T12:00:00.123456789Z, 2026-11-28T12:00:00.123456789Z",
                "1970-01-01T00:00:00.000001Z,    1970-01-01T00:00:00.000001Z"})
        void timestampHasMillisecondsOrFiner(String instant, String expected) {
            assertThat(EventJson.formatTimestamp(Instant.parse(instant))).isEqualTo(expected);
        }

        @Test
        void wholeSecondTimestampIsEncodedWithZeroMilliseconds() {
            Event event = new Event(ID, Instant.parse("2026-11-28T12:00:00Z"), EventType.UX_ACTION, null, null, null);

            assertThat(EventJson.toJson(event)).contains("\"timestamp\":\"2026-11-28T12:00:00.000Z\"");
        }

        @Test
        void timestampWithAnOffsetIsDecodedToTheSameInstant() {
            Event event = EventJson.fromJson(json("").replace("2026-11-28T12:00:00.123Z", "2026-11-28T14:00:00.5+02:00"));

            assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-28T12:00:00.500Z"));
        }

        @Test
        void nanosecondsSurviveDecoding() {
            Event event = EventJson.fromJson(json("").replace(".123Z", ".123456789Z"));

            assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-28T12:00:00.123456789Z"));
        }
    }

    @Nested
    class RoundTrip {

        @Test
        void encodeThenDecodeGivesAnEqualEvent() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("s", "text");
            payload.put("i", 7);
            payload.put("l", 12_345_678_901L);
            payload.put("d", 0.25);
            payload.put("t", false);
            payload.put("n", null);
            payload.put("list", Arrays.asList(1, "two", null, List.of(3.5)));
            payload.put("map", Map.of("inner", Map.of("deep", true)));
            Event event = new Event(ID, Instant.parse("2026-11-28T12:00:00.123456Z"), EventType.SIMULATION_EVENT,
                    "u1", "s1", payload);

            Event decoded = EventJson.fromJson(EventJson.toJson(event));

            assertThat(decoded).isEqualTo(event);
            assertThat(decoded.payload().keySet()).containsExactly("s", "i", "l", "d", "t", "n", "list", "map");
        }

        @Test
        void smallLongValueRoundTripsToAnEqualEvent() {
            Event event = new Event(ID, NOW, EventType.UX_ACTION, null, null, Map.of("count", 5L));

            assertThat(EventJson.fromJson(EventJson.toJson(event))).isEqualTo(event);
        }

        @Test
        void encodeThenDecodeKeepsAnEventWithoutOptionalFields() {
            Event event = Event.uxAction().clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).build();

            assertThat(EventJson.fromJson(EventJson.toJson(event))).isEqualTo(event);
        }

        @Test
        void decodeThenEncodeGivesTheSameCanonicalJson() {
            String canonical = json(",\"userId\":\"u1\",\"sessionId\":\"s1\",\"payload\":{\"z\":1,\"a\":[true,null,\"x\"],"
                    + "\"m\":{\"f\":1.5}}");

            assertThat(EventJson.toJson(EventJson.fromJson(canonical))).isEqualTo(canonical);
        }

        @Test
        void nullPayloadDecodesToAnEmptyPayload() {
            assertThat(EventJson.fromJson(json(",\"payload\":null")).payload()).isEmpty();
            assertThat(EventJson.fromJson(json("")).payload()).isEmpty();
        }

        @Test
        void eventTypeIsDecodedTrimmedIgnoringCase() {
            Event event = EventJson.fromJson(json("").replace("\"ux_action\"", "\" Simulation_Event \""));

            assertThat(event.eventType()).isEqualTo(EventType.SIMULATION_EVENT);
        }
    }

    @Nested
    class DecodingErrors {

        @Test
        void missingIdIsNamed() {
            assertDecodingFails("{\"timestamp\":\"2026-11-28T12:00:00.123Z\",\"eventType\":\"ux_action\"}",
                    "id", "Invalid event JSON: id is required");
        }

        @Test
        void nullIdIsMissing() {
            assertDecodingFails(json("").replace("\"" + ID_TEXT + "\"", "null"), "id", "Invalid event JSON: id is required");
        }

        @Test
        void missingTimestampIsNamed() {
            assertDecodingFails("{\"id\":\"" + ID_TEXT + "\",\"eventType\":\"ux_action\"}",
                    "timestamp", "Invalid event JSON: timestamp is required");
        }

        @Test
        void missingEventTypeIsNamed() {
            assertDecodingFails("{\"id\":\"" + ID_TEXT + "\",\"timestamp\":\"2026-11-28T12:00:00.123Z\"}",
                    "eventType", "Invalid event JSON: eventType is required");
        }

        @Test
        void badUuidIsNamed() {
            assertDecodingFails(json("").replace(ID_TEXT, "not-a-uuid"),
                    "id", "Invalid event JSON: id 'not-a-uuid' is not a UUID");
        }

        @Test
        void nonCanonicalUuidIsRejected() {
            assertDecodingFails(json("").replace(ID_TEXT, "1-1-1-1-1"),
                    "id", "Invalid event JSON: id '1-1-1-1-1' is not a UUID");
        }

        @Test
        void nonStringIdIsNamed() {
            assertDecodingFails(json("").replace("\"" + ID_TEXT + "\"", "42"),
                    "id", "Invalid event JSON: id must be a string, was number 42");
        }

        @Test
        void badTimestampIsNamed() {
            assertDecodingFails(json("").replace("2026-11-28T12:00:00.123Z", "yesterday"), "timestamp",
                    "Invalid event JSON: timestamp 'yesterday' is not an ISO-8601 instant such as 2026-11-28T12:00:00.123Z");
        }

        @Test
        void timestampWithoutZoneIsRejected() {
            assertDecodingFails(json("").replace("2026-11-28T12:00:00.123Z", "2026-11-28T12:00:00.123"), "timestamp",
                    "Invalid event JSON: timestamp '2026-11-28T12:00:00.123' is not an ISO-8601 instant such as"
                            + " 2026-11-28T12:00:00.123Z");
        }

        @Test
        void unknownEventTypeIsNamedWithTheValidOnes() {
            assertDecodingFails(json("").replace("ux_action", "click"), "eventType",
                    "Invalid event JSON: Unknown eventType 'click'; valid values: ux_action, simulation_event");
        }

        @Test
        void nonStringEventTypeIsNamed() {
            assertDecodingFails(json("").replace("\"ux_action\"", "true"), "eventType",
                    "Invalid event JSON: eventType must be a string, was boolean true");
        }

        @Test
        void unknownFieldIsNamedWithTheAllowedOnes() {
            assertDecodingFails(json(",\"user_id\":\"u1\""), "user_id",
                    "Invalid event JSON: unknown field 'user_id'; allowed: id, timestamp, eventType, userId, sessionId,"
                            + " payload");
        }

        /** Found by EventJsonFuzzTest: the empty name made quoting it throw StringIndexOutOfBoundsException. */
        @Test
        void anUnknownFieldWithAnEmptyNameIsNamed() {
            assertDecodingFails(json(",\"\":1"), "",
                    "Invalid event JSON: unknown field ''; allowed: id, timestamp, eventType, userId, sessionId,"
                            + " payload");
        }

        @Test
        void nonObjectPayloadIsNamed() {
            assertDecodingFails(json(",\"payload\":[1,2]"), "payload",
                    "Invalid event JSON: payload must be a JSON object, was array [1,2]");
        }

        @Test
        void stringPayloadIsNamed() {
            assertDecodingFails(json(",\"payload\":\"x\""), "payload",
                    "Invalid event JSON: payload must be a JSON object, was string \"x\"");
        }

        @Test
        void nonStringUserIdIsNamed() {
            assertDecodingFails(json(",\"userId\":5"), "userId", "Invalid event JSON: userId must be a string, was number 5");
        }

        @Test
        void nonStringSessionIdIsNamed() {
            assertDecodingFails(json(",\"sessionId\":{}"), "sessionId",
                    "Invalid event JSON: sessionId must be a string, was object {}");
        }

        @Test
        void blankUserIdIsNamed() {
            assertDecodingFails(json(",\"userId\":\"  \""), "userId", "Invalid event JSON: userId must be null or non-blank");
        }

        @Test
        void overLongSessionIdIsNamed() {
            assertDecodingFails(json(",\"sessionId\":\"" + "s".repeat(300) + "\""), "sessionId",
                    "Invalid event JSON: sessionId must be at most 256 characters, was 300");
        }

        @Test
        void payloadNumberTooLargeForADoubleIsNamed() {
            assertDecodingFails(json(",\"payload\":{\"x\":{\"y\":1e400}}"), "payload",
                    "Invalid event JSON: payload.x.y must be a finite number, was Infinity");
        }

        @Test
        void invalidJsonIsReportedWithoutAField() {
            assertDecodingFails("not json", null, "Invalid event JSON: not valid JSON: Unrecognized token 'not': was"
                    + " expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        }

        @Test
        void truncatedJsonIsInvalid() {
            assertDecodingFails("{\"id\":", null, "Invalid event JSON: not valid JSON: Unexpected end-of-input within/between Object entries");
        }

        @Test
        void jsonThatIsNotAnObjectIsRejected() {
            assertDecodingFails("[1]", null, "Invalid event JSON: the event must be a JSON object, was array");
            assertDecodingFails("null", null, "Invalid event JSON: the event must be a JSON object, was null");
        }

        @Test
        void trailingContentIsInvalidJson() {
            assertThatThrownBy(() -> EventJson.fromJson(json("") + " garbage"))
                    .isInstanceOf(EventJsonException.class)
                    .hasMessageStartingWith("Invalid event JSON: not valid JSON: ");
        }

        @Test
        void duplicateFieldIsRejected() {
            assertThatThrownBy(() -> EventJson.fromJson(json(",\"eventType\":\"simulation_event\"")))
                    .isInstanceOf(EventJsonException.class)
                    .hasMessageStartingWith("Invalid event JSON: not valid JSON: Duplicate field 'eventType'");
        }
    }

    @Nested
    class Lenient {

        private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        @Test
        void missingIdAndTimestampAreFilled() {
            Event event = EventJson.fromJson("{\"eventType\":\"ux_action\",\"userId\":\"u1\",\"payload\":{\"k\":1}}", clock);

            assertThat(event.id()).isNotNull();
            assertThat(event.id().version()).isEqualTo(4);
            assertThat(event.timestamp()).isEqualTo(NOW);
            assertThat(event.eventType()).isEqualTo(EventType.UX_ACTION);
            assertThat(event.userId()).isEqualTo("u1");
            assertThat(event.payload()).isEqualTo(Map.of("k", 1L));
        }

        @Test
        void presentIdAndTimestampAreKept() {
            Event event = EventJson.fromJson(json(""), clock);

            assertThat(event).isEqualTo(new Event(ID, NOW, EventType.UX_ACTION, null, null, null));
        }

        @Test
        void eachDecodingFillsAFreshId() {
            String json = "{\"eventType\":\"simulation_event\"}";

            assertThat(EventJson.fromJson(json, clock).id()).isNotEqualTo(EventJson.fromJson(json, clock).id());
        }

        @Test
        void eventTypeIsStillRequired() {
            assertThatThrownBy(() -> EventJson.fromJson("{\"userId\":\"u1\"}", clock))
                    .isInstanceOf(EventJsonException.class)
                    .hasMessage("Invalid event JSON: eventType is required");
        }

        @Test
        void otherFieldsAreAsStrictAsEver() {
            assertThatThrownBy(() -> EventJson.fromJson("{\"eventType\":\"ux_action\",\"extra\":1}", clock))
                    .isInstanceOf(EventJsonException.class)
                    .hasMessage("Invalid event JSON: unknown field 'extra'; allowed: id, timestamp, eventType, userId,"
                            + " sessionId, payload");
            assertThatThrownBy(() -> EventJson.fromJson("{\"eventType\":\"ux_action\",\"timestamp\":\"soon\"}", clock))
                    .isInstanceOf(EventJsonException.class)
                    .hasMessage("Invalid event JSON: timestamp 'soon' is not an ISO-8601 instant such as"
                            + " 2026-11-28T12:00:00.123Z");
        }

        @Test
        void nullClockIsRejected() {
            assertThatThrownBy(() -> EventJson.fromJson(json(""), null))
                    .isInstanceOf(NullPointerException.class).hasMessage("clock must not be null");
        }
    }
}
