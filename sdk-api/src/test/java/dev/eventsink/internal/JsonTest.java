package dev.eventsink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final long MIN_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void timestampsOfEveryEraAreWrittenAsInstantToStringWithTheFractionAlwaysShown() {
        SplittableRandom random = new SplittableRandom(42);
        int[] nanoPatterns = {0, 120_000_000, 123_456_000, 123_456_789, 1, 999_999_999};
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(MIN_SECOND, MAX_SECOND + 1);
            int nano = i % 7 == 6 ? random.nextInt(1_000_000_000) : nanoPatterns[i % 6];
            assertThat(written(second, nano)).as("%d s %d ns", second, nano).isEqualTo(expected(second, nano));
        }
    }

    @Test
    void theEdgesOfTheRangeAndOfCalendarsAreWrittenExactly() {
        for (String text : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "2000-02-29T12:00:00Z", "1900-03-01T00:00:00Z",
            "2024-02-29T23:59:59.000001Z", "2100-12-31T00:00:00.5Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(written(instant.getEpochSecond(), instant.getNano()))
                    .isEqualTo(expected(instant.getEpochSecond(), instant.getNano()));
        }
    }

    @Test
    void uuidsAreWrittenAsUuidToStringQuoted() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            ByteBuf out = new ByteBuf(40);
            Json.writeUuid(out, id.getMostSignificantBits(), id.getLeastSignificantBits());
            assertThat(text(out)).isEqualTo("\"" + id + "\"");
        }
    }

    @Test
    void stringsAreEscapedAsJacksonDoes() {
        ByteBuf out = new ByteBuf(16);
        Json.writeString(out, "q\" b\\ /\n\r\t\b\f\u0000\u001f\u007f é 日 😀");
        assertThat(text(out)).isEqualTo("\"q\\\" b\\\\ /\\n\\r\\t\\b\\f\\u0000\\u001F\u007f é 日 \\uD83D\\uDE00\"");
    }

    private static String written(long second, int nano) {
        ByteBuf out = new ByteBuf(8);
        Json.writeTimestampContent(out, second, nano);
        return text(out);
    }

    private static String expected(long second, int nano) {
        String text = Instant.ofEpochSecond(second, nano).toString();
        return nano == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }

    private static String text(ByteBuf out) {
        return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    }
}
