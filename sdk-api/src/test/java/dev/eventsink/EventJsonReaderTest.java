package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The one-pass decoder gives exactly the event the thorough decoder gives, or leaves the text to it. */
class EventJsonReaderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String ID = "0b6c2f4e-8d1a-4c3b-9e7f-112233445566";

    @Test
    void decodesValidEventsExactlyAsTheThoroughDecoder() {
        List<String> texts = List.of(
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00.123Z\",\"eventType\":\"ux_action\","
                        + "\"userId\":\"u1\",\"sessionId\":\"s1\",\"payload\":{\"button\":\"buy\"}}",
                " { \"payload\" : { \"b\" : [1, -0, 2.50, 1e3, 1E-7, -1.5e+300, true, false, null, \"x\"] },"
                        + " \"eventType\":\"simulation_event\", \"timestamp\":\"2026-11-28T12:00:00Z\","
                        + " \"id\":\"" + ID.toUpperCase() + "\" } ",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"1969-12-31T23:59:59.999999999Z\",\"eventType\":\"ux_action\","
                        + "\"payload\":{\"big\":123456789012345678901234567890,\"neg\":-9223372036854775808,"
                        + "\"esc\":\"q\\\" \\\\ \\n \\u00e9 \\ud83d\\ude00 \\u2028\",\"\\u00fc\":{\"deep\":{\"k\":[[{}],[]]}}}}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2024-02-29T00:00:00.5Z\",\"eventType\":\"ux_action\","
                        + "\"userId\":null,\"sessionId\":null,\"payload\":null}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"0001-01-01T00:00:00Z\",\"eventType\":\"ux_action\",\"payload\":{}}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"9999-12-31T23:59:59.999999999Z\",\"eventType\":\"ux_action\"}");
        for (String text : texts) {
            Event fast = EventJsonReader.read(text, null);
            assertThat(fast).as(text).isNotNull().isEqualTo(EventJson.decodeThoroughly(text, null));
            assertThat(EventJson.toJson(fast)).isEqualTo(EventJson.toJson(EventJson.decodeThoroughly(text, null)));
        }
    }

    @Test
    void randomEventsSurviveTheRoundTripThroughBothDecoders() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++) {
            Event event = Event.builder(random.nextBoolean() ? EventType.UX_ACTION : EventType.SIMULATION_EVENT)
                    .id(new UUID(random.nextLong(), random.nextLong()))
                    .timestamp(Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                            random.nextInt(1_000_000_000)))
                    .userId(random.nextBoolean() ? "user " + random.nextInt() : null)
                    .payload(Map.of("n", random.nextLong(), "d", random.nextDouble() * 1e9 - 5e8,
                            "s", text(random), "l", List.of(random.nextInt(), text(random))))
                    .build();
            String json = EventJson.toJson(event);

            assertThat(EventJsonReader.read(json, null)).isEqualTo(event).isEqualTo(EventJson.decodeThoroughly(json, null));
        }
    }

    @Test
    void missingIdAndTimestampAreFilledOnlyWhenAClockIsGiven() {
        String text = "{\"eventType\":\"ux_action\",\"payload\":{\"a\":1}}";

        assertThat(EventJsonReader.read(text, null)).isNull();
        Event filled = EventJsonReader.read(text, CLOCK);
        assertThat(filled.timestamp()).isEqualTo(CLOCK.instant());
        assertThat(filled.payload()).isEqualTo(Map.of("a", 1L));
    }

    @Test
    void leavesEverythingUnusualToTheThoroughDecoder() {
        for (String text : List.of("", "[]", "{\"id\":1}", "{\"extra\":1,\"eventType\":\"ux_action\"}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00+01:00\",\"eventType\":\"ux_action\"}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-02-30T12:00:00Z\",\"eventType\":\"ux_action\"}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\" UX_ACTION \"}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\","
                        + "\"payload\":{\"x\":1e400}}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\","
                        + "\"payload\":{\"a\":1,\"a\":2}}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\","
                        + "\"payload\":{\"a\":{\"b\":1,\"c\":2},\"d\":[{\"b\":1}],\"a\":3}}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\","
                        + "\"payload\":{" + manyKeysThenFirstAgain(40) + "}}",
                "{\"id\":\"" + ID + "\",\"eventType\":\"ux_action\",\"timestamp\":\"2026-11-28T12:00:00Z\","
                        + "\"eventType\":\"ux_action\"}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\"} {}",
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\","
                        + "\"payload\":" + "{\"a\":".repeat(33) + "1" + "}".repeat(33) + "}")) {
            assertThat(EventJsonReader.read(text, null)).as(text).isNull();
        }
    }

    /** Found by EventJsonFuzzTest: a non-digit in the time of day was read as -1 and shifted the instant. */
    @Test
    void aTimeOfDayWithANonDigitIsNotReadAsANegativeNumber() {
        for (String time : List.of("2026-11-28T12:0x:00.123Z", "2026-11-28T1?:00:00Z", "2026-11-28T12:00:\ufffd0Z")) {
            String text = "{\"id\":\"" + ID + "\",\"timestamp\":\"" + time + "\",\"eventType\":\"ux_action\"}";

            assertThat(EventJsonReader.read(text, null)).as(time).isNull();
        }
        assertThatThrownBy(() -> EventJson.fromJson("{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:0x:00.123Z\","
                + "\"eventType\":\"ux_action\"}"))
                .isExactlyInstanceOf(EventJsonException.class)
                .hasMessage("Invalid event JSON: timestamp '2026-11-28T12:0x:00.123Z' is not an ISO-8601 instant such as"
                        + " 2026-11-28T12:00:00.123Z");
    }

    /** {@code "k0":0,...,"k(n-1)":n-1,"k0":0}: a duplicate found past the names that are scanned. */
    private static String manyKeysThenFirstAgain(int n) {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < n; i++) {
            keys.append("\"k").append(i).append("\":").append(i).append(',');
        }
        return keys.append("\"k0\":0").toString();
    }

    @Test
    void namesRepeatedInSiblingObjectsAreNoDuplicates() {
        String text = "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-28T12:00:00Z\",\"eventType\":\"ux_action\","
                + "\"payload\":{\"a\":{\"x\":1},\"b\":{\"x\":2},\"c\":[{\"x\":3},{\"x\":4}],\"x\":\"zo\u00eb \\\"q\\\"\"}}";

        Event event = EventJsonReader.read(text, null);

        assertThat(event).isNotNull().isEqualTo(EventJson.decodeThoroughly(text, null));
        assertThat(event.payload()).containsEntry("x", "zo\u00eb \"q\"");
    }

    private static String text(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int k = random.nextInt(12); k > 0; k--) {
            text.append(random.nextInt(5) == 0 ? (char) random.nextInt(0xD800) : (char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }
}
