package dev.eventsink.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a repeated warning at most once per interval, with how many occurrences the line stands for, so that a
 * flood of drops or failures costs one line every few seconds:
 * {@code new RateLimitedLog(LOG, 5, TimeUnit.SECONDS).warn("event dropped: {}", reason)}. Thread-safe. Not public
 * API.
 */
public final class RateLimitedLog {

    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong nextAllowed;

    public RateLimitedLog(Logger logger, long interval, TimeUnit unit) {
        this(logger, unit.toNanos(interval), System::nanoTime);
    }

    RateLimitedLog(Logger logger, long intervalNanos, LongSupplier nanoTime) {
        this.logger = logger;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Counts one occurrence and logs a warning when the interval has passed since the last line. The message
     * is SLF4J-formatted; {@code " (N occurrences since the last message)"} is appended when N &gt; 1.
     */
    public void warn(String format, Object... args) {
        long now = nanoTime.getAsLong();
        suppressed.incrementAndGet();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            return;
        }
        long represented = suppressed.getAndSet(0);
        if (logger.isWarnEnabled()) {
            logger.warn(represented > 1 ? format + " (" + represented + " occurrences since the last message)" : format,
                    args);
        }
    }
}
