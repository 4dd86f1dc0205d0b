package dev.eventsink.openobserve;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses an HTTP {@code Retry-After} header: delay seconds, or an HTTP date. Whatever the header says, the wait
 * is at most {@link #MAX}, so that later arithmetic on it cannot overflow; the pipeline caps it further at
 * {@code RETRY_MAX_BACKOFF}. For example {@code Retry-After: 120} is two minutes, and
 * {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT} the time until then.
 */
final class RetryAfter {

    /** The longest wait a header may ask for; longer ones are cut to it. */
    static final Duration MAX = Duration.ofDays(1);

    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\d{1,1000}");

    private RetryAfter() {}

    /** The wait the header asks for, from zero to {@link #MAX}; {@code null} when absent or unreadable. */
    static Duration parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (DIGITS.matcher(value).matches()) {
            // More digits than a long holds is still a (very long) number of seconds.
            return value.length() > 18 ? MAX : cap(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return wait.isNegative() ? Duration.ZERO : cap(wait);
        } catch (DateTimeParseException | ArithmeticException unreadable) {
            return null;
        }
    }

    private static Duration cap(Duration wait) {
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }
}
