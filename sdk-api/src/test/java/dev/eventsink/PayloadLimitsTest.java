package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The limits on an event's payload (depth, key count, number length) and on any JSON read as an event, each with
 * its exact error, the same whether the payload is built as a map or decoded from JSON.
 */
class PayloadLimitsTest {

    private static final String ID = "0b6c2f4e-8d1a-4c3b-9e7f-112233445566";
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final String HEAD = "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00.123Z\","
            + "\"eventType\":\"ux_action\"";

    private static Event withPayload(Map<String, ?> payload) {
        return new Event(UUID.fromString(ID), NOW, EventType.UX_ACTION, null, null, new LinkedHashMap<>(payload));
    }

    private static String eventJson(String payloadJson) {
        return HEAD + ",\"payload\":" + payloadJson + "}";
    }

    /** {"k0":0,...} with {@code count} keys. */
    private static Map<String, Object> keys(int count) {
        Map<String, Object> payload = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            payload.put("k" + i, i);
        }
        return payload;
    }

    /** {"a":{"a":...{"a":1}}}: {@code levels} maps, the payload included. */
    private static Map<String, Object> nested(int levels) {
        Object value = 1;
        for (int i = 1; i < levels; i++) {
            value = Map.of("a", value);
        }
        return Map.of("a", value);
    }

    private static String nestedJson(int levels) {
        return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
    }

    /** The message of the constructor's failure for this payload. */
    private static String constructionError(Map<String, ?> payload) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> withPayload(payload));
        assertThat(error).isInstanceOf(IllegalArgumentException.class);
        return error.getMessage();
    }

    private static void assertDecodingFails(String json, String field, String message) {
        assertThatThrownBy(() -> EventJson.fromJson(json))
                .isExactlyInstanceOf(EventJsonException.class)
                .hasMessage("Invalid event JSON: " + message)
                .satisfies(e -> assertThat(((EventJsonException) e).field()).isEqualTo(field));
    }

    @Nested
    class KeyCount {

        @Test
        void aPayloadOfExactlyTheMaximumIsAccepted() {
            Event event = withPayload(keys(Event.MAX_PAYLOAD_KEYS));

            assertThat(event.payload()).hasSize(1000);
            assertThat(EventJson.fromJson(EventJson.toJson(event))).isEqualTo(event);
        }

        @Test
        void oneKeyMoreFailsAtConstructionNamingTheFirstKeyOver() {
            assertThat(constructionError(keys(1001))).isEqualTo(
                    "payload has more than 1000 keys, counted at every level; the first key over the limit is payload.k1000");
        }

        @Test
        void keysOfNestedMapsCount() {
            Map<String, Object> payload = keys(998);
            payload.put("inner", Map.of("x", Map.of("y", 1)));

            assertThat(constructionError(payload)).isEqualTo(
                    "payload has more than 1000 keys, counted at every level; the first key over the limit is"
                            + " payload.inner.x.y");
        }

        @Test
        void listElementsAreNotKeys() {
            Map<String, Object> payload = keys(999);
            payload.put("list", java.util.Collections.nCopies(5000, 1));

            assertThat(withPayload(payload).payload()).hasSize(1000);
        }

        @Test
        void decodingGivesTheSameErrorWithTheFieldPayload() {
            Map<String, Object> payload = keys(998);
            payload.put("inner", List.of(Map.of("x", Map.of("y", 1))));
            String message = constructionError(payload);
            String json = eventJson("{" + String.join(",", keys(998).keySet().stream()
                    .map(k -> "\"" + k + "\":1").toList()) + ",\"inner\":[{\"x\":{\"y\":1}}]}");

            assertThat(message).isEqualTo("payload has more than 1000 keys, counted at every level; the first key"
                    + " over the limit is payload.inner[0].x.y");
            assertDecodingFails(json, "payload", message);
        }
    }

    @Nested
    class Depth {

        @Test
        void theMaximumDepthDecodes() {
            Event event = withPayload(nested(Event.MAX_PAYLOAD_DEPTH));

            assertThat(EventJson.fromJson(eventJson(nestedJson(32)))).isEqualTo(event);
        }

        @Test
        void oneLevelDeeperFailsTheSameWayBuiltAndDecoded() {
            String message = "payload" + ".a".repeat(32) + " nests deeper than 32 levels";

            assertThat(constructionError(nested(33))).isEqualTo(message);
            assertDecodingFails(eventJson(nestedJson(33)), "payload", message);
        }

        @Test
        void farDeeperThanTheReadingLimitStillNamesThePayloadsLimit() {
            String message = "payload" + ".a".repeat(32) + " nests deeper than 32 levels";

            assertThat(constructionError(nested(500))).isEqualTo(message);
            assertDecodingFails(eventJson(nestedJson(100_000)), "payload", message);
        }

        @Test
        void listsCountTheSameInJson() {
            String json = eventJson("{\"l\":" + "[".repeat(40) + "]".repeat(40) + "}");

            assertDecodingFails(json, "payload", "payload.l" + "[0]".repeat(31) + " nests deeper than 32 levels");
        }

        @Test
        void deepNestingInAnotherFieldNamesThatFieldAndTheReadingLimit() {
            String json = HEAD + ",\"userId\":" + "[".repeat(100) + "]".repeat(100) + "}";

            assertDecodingFails(json, "userId", "userId" + "[0]".repeat(63) + " nests deeper than 64 levels");
        }

        @Test
        void aDeepArrayAsTheWholeEventIsNotAnObject() {
            assertDecodingFails("[".repeat(100_000), null, "the event must be a JSON object, was array");
        }

        @Test
        void deepNestingUnderAnUnknownFieldIsAnUnknownField() {
            String json = HEAD + ",\"extra\":" + "[".repeat(100) + "]".repeat(100) + "}";

            assertDecodingFails(json, "extra",
                    "unknown field 'extra'; allowed: id, timestamp, eventType, userId, sessionId, payload");
        }
    }

    @Nested
    class Numbers {

        @Test
        void wholeNumbersOfTheMaximumLengthRoundTrip() {
            BigInteger big = new BigInteger("-" + "9".repeat(Event.MAX_INTEGER_DIGITS));
            Event event = withPayload(Map.of("n", big));

            assertThat(event.payload()).containsEntry("n", big);
            assertThat(EventJson.fromJson(EventJson.toJson(event)).payload()).containsEntry("n", big);
        }

        @Test
        void aLongerWholeNumberFailsAtConstruction() {
            BigInteger big = new BigInteger("1" + "0".repeat(1000));

            assertThat(constructionError(Map.of("list", List.of(big)))).isEqualTo(
                    "payload.list[0] is a number of more than 1000 digits");
        }

        @Test
        void aHugeWholeNumberFailsWithoutBeingWrittenOut() {
            BigInteger huge = BigInteger.ONE.shiftLeft(50_000_000);

            assertThat(constructionError(Map.of("n", huge))).isEqualTo("payload.n is a number of more than 1000 digits");
        }

        @Test
        void aLongerNumberInJsonFailsTheSameWay() {
            assertDecodingFails(eventJson("{\"n\":" + "1".repeat(1001) + "}"), "payload",
                    "payload.n is a number of more than 1000 digits");
        }

        @Test
        void aLongNumberInAnotherFieldNamesIt() {
            assertDecodingFails(HEAD + ",\"sessionId\":[" + "7".repeat(5000) + "]}", "sessionId",
                    "sessionId[0] is a number of more than 1000 digits");
        }

        @Test
        void aNumberTooLargeForADoubleIsNotFinite() {
            assertDecodingFails(eventJson("{\"x\":1e400}"), "payload",
                    "payload.x must be a finite number, was Infinity");
        }
    }

    @Nested
    class Strings {

        @Test
        void aStringOverTheReadingLimitNamesItsPath() {
            String json = eventJson("{\"s\":[\"" + "x".repeat(EventJson.MAX_STRING_LENGTH + 1) + "\"]}");

            assertDecodingFails(json, "payload", "payload.s[0] is a string of more than 16777216 characters");
        }

        @Test
        void aKeyOverTheReadingLimitNamesWhereItIs() {
            String json = eventJson("{\"a\":{\"" + "k".repeat(EventJson.MAX_STRING_LENGTH + 1) + "\":1}}");

            assertDecodingFails(json, "payload", "payload.a has a key of more than 16777216 characters");
        }

        @Test
        void keysLongerThanJacksonsDefaultRoundTrip() {
            String longKey = "k".repeat(60_000);
            Event event = withPayload(Map.of(longKey, "v"));

            assertThat(event.payload()).containsEntry(longKey, "v");
            assertThat(EventJson.fromJson(EventJson.toJson(event))).isEqualTo(event);
        }

        @Test
        void aStringLongerThanJacksonsDefaultIsReadBackFromTheEvent() {
            String longValue = "v".repeat(20_000_001);

            assertThat(withPayload(Map.of("s", longValue)).payload()).containsEntry("s", longValue);
        }
    }
}
