package dev.eventsink;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one sink's delivery statistics. Every event handed to {@link EventSink#sendEvent} is counted
 * in {@code accepted} and ends in exactly one of {@code delivered}, {@code failed} or {@code dropped}, or is
 * still {@code queued} or {@code inFlight}:
 * {@code accepted == delivered + failedTotal() + droppedTotal() + queued + inFlight} once the sink is idle.
 *
 * @param accepted  events handed to the sink
 * @param delivered events the backend accepted
 * @param failed    events the backend rejected, or that could not be delivered, by reason
 * @param dropped   events dropped by the overflow policy, by reason (events left at close are failed)
 * @param retried   batch retries after a retryable failure
 * @param queued    events waiting in the queue, including those whose callers wait for room ({@code block})
 * @param inFlight  events in a batch being exported
 * @param batches   requests sent to the backend
 * @param bytesSent request body bytes sent, after compression
 */
public record SinkStats(
        long accepted,
        long delivered,
        Map<String, Long> failed,
        Map<String, Long> dropped,
        long retried,
        long queued,
        long inFlight,
        long batches,
        long bytesSent) {

    /** All zeros. */
    public static final SinkStats EMPTY = new SinkStats(0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0);

    public SinkStats {
        failed = Map.copyOf(Objects.requireNonNull(failed, "failed must not be null"));
        dropped = Map.copyOf(Objects.requireNonNull(dropped, "dropped must not be null"));
    }

    /**
     * The statistics of a sink that delivers or fails each event before {@code sendEvent} returns, so nothing is
     * ever queued, in flight, dropped or retried. Prefer this to the canonical constructor, which grows when a
     * statistic is added.
     */
    public static SinkStats ofSynchronous(long accepted, long delivered, Map<String, Long> failed) {
        return new SinkStats(accepted, delivered, failed, Map.of(), 0, 0, 0, 0, 0);
    }

    /** Events that failed, whatever the reason. */
    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Events that were dropped, whatever the reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Events not yet delivered, failed or dropped. */
    public long pending() {
        return queued + inFlight;
    }
}
