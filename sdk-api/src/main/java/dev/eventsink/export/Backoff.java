package dev.eventsink.export;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt at a batch: exponential backoff with full jitter, at least what the backend
 * asked for in {@code Retry-After}, never more than {@code RETRY_MAX_BACKOFF}. Both are capped before any
 * arithmetic, so that no value a backend sends can overflow.
 *
 * <pre>{@code
 * long wait = backoff.nanos(attempt, result.retryAfter());   // attempt 0, 1, 2…: up to 200ms, 400ms, 800ms…
 * }</pre>
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final Duration max;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.max = max;
        this.random = random;
    }

    /** The wait before attempt {@code attempt + 1}, in nanoseconds, from 0 to the maximum backoff. */
    long nanos(int attempt, Duration retryAfter) {
        long ceiling = attempt >= 62 || initialNanos > (maxNanos >> Math.min(attempt, 62))
                ? maxNanos : Math.min(maxNanos, initialNanos << attempt);
        long wait = (long) (random.getAsDouble() * ceiling);
        if (retryAfter != null) {
            long asked = retryAfter.compareTo(max) >= 0 ? maxNanos : retryAfter.toNanos();
            wait = Math.max(wait, asked);
        }
        return Math.min(Math.max(wait, 0), maxNanos);
    }
}
