package dev.eventsink.openobserve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsDelaySeconds() {
        assertThat(RetryAfter.parse("120", clock)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsAnHttpDateRelativeToTheClock() {
        assertThat(RetryAfter.parse("Sat, 28 Nov 2026 12:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Sat, 28 Nov 2026 11:59:00 GMT", clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void absentNegativeOrUnreadableValuesAreIgnored() {
        assertThat(RetryAfter.parse(null, clock)).isNull();
        assertThat(RetryAfter.parse("", clock)).isNull();
        assertThat(RetryAfter.parse("-5", clock)).isNull();
        assertThat(RetryAfter.parse("soon", clock)).isNull();
    }
}
