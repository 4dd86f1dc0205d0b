package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampFormatTest {

    private static String expected(Instant instant) {
        String text = instant.toString();
        return instant.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }

    @Test
    void alwaysShowsAtLeastMillisecondsAndKeepsFinerDigits() {
        assertThat(EventJson.formatTimestamp(Instant.parse("2026-11-28T12:00:00Z"))).isEqualTo("2026-11-28T12:00:00.000Z");
        assertThat(EventJson.formatTimestamp(Instant.parse("2026-11-28T12:00:00.120Z"))).isEqualTo("2026-11-28T12:00:00.120Z");
        assertThat(EventJson.formatTimestamp(Instant.parse("2026-11-28T12:00:00.123456Z")))
                .isEqualTo("2026-11-28T12:00:00.123456Z");
        assertThat(EventJson.formatTimestamp(Instant.parse("2026-11-28T12:00:00.000000001Z")))
                .isEqualTo("2026-11-28T12:00:00.000000001Z");
    }

    @Test
    void agreesWithInstantToStringAcrossYearsIncludingOnesOutsideFourDigits() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(-100_000_000_000L, 400_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);
            assertThat(EventJson.formatTimestamp(instant)).isEqualTo(expected(instant));
            Instant sameSecond = Instant.ofEpochSecond(second, (nano + 7_000_000) % 1_000_000_000);
            assertThat(EventJson.formatTimestamp(sameSecond)).isEqualTo(expected(sameSecond));
        }
    }
}
