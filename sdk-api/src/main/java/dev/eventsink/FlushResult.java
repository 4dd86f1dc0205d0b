package dev.eventsink;

/**
 * The outcome of {@link EventSink#flush} or {@link EventSink#close(java.time.Duration)}: how many events were
 * still undelivered when the wait ended. Undelivered events of a flush may still be delivered later; those of
 * a close have failed. For example {@code if (!sink.flush(Duration.ofSeconds(5)).isComplete()) ...}.
 *
 * @param undelivered events neither delivered nor failed when the deadline passed; never negative
 */
public record FlushResult(long undelivered) {

    /** Nothing stayed undelivered. */
    public static final FlushResult COMPLETE = new FlushResult(0);

    public FlushResult {
        if (undelivered < 0) {
            throw new IllegalArgumentException("undelivered must not be negative, was " + undelivered);
        }
    }

    /** Whether every event was delivered or failed before the deadline. */
    public boolean isComplete() {
        return undelivered == 0;
    }

    /** The sum of two results, as for a tracker with two sinks. */
    public FlushResult plus(FlushResult other) {
        return new FlushResult(undelivered + other.undelivered);
    }
}
