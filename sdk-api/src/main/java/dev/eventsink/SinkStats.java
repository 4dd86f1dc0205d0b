package dev.eventsink;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one sink's delivery statistics. Every event handed to {@link EventSink#sendEvent} is counted in
 * {@link #accepted()} and ends in exactly one of {@link #delivered()}, {@link #failed()} or {@link #dropped()}, or
 * is still {@link #queued()} or {@link #inFlight()}. Events that an earlier process accepted and left in a disk
 * spool are counted in {@link #recovered()} and end the same way:
 * {@code accepted + recovered == delivered + failedTotal() + droppedTotal() + queued + inFlight}.
 *
 * <pre>{@code
 * SinkStats stats = tracker.stats(Channel.UX);
 * if (stats.droppedTotal() > 0) log.warn("events dropped: {}", stats.dropped());
 * }</pre>
 *
 * <p>Sinks build one with {@link #builder()}; a statistic added later defaults to zero, so that no sink breaks.
 * Immutable.
 */
public final class SinkStats {

    /** All zeros. */
    public static final SinkStats EMPTY = builder().build();

    private final long accepted;
    private final long recovered;
    private final long delivered;
    private final Map<String, Long> failed;
    private final long rejected;
    private final Map<String, Long> dropped;
    private final long retried;
    private final long queued;
    private final long inFlight;
    private final long batches;
    private final long bytesSent;

    private SinkStats(Builder b) {
        this.accepted = b.accepted;
        this.recovered = b.recovered;
        this.delivered = b.delivered;
        this.failed = Map.copyOf(b.failed);
        this.rejected = b.rejected;
        this.dropped = Map.copyOf(b.dropped);
        this.retried = b.retried;
        this.queued = b.queued;
        this.inFlight = b.inFlight;
        this.batches = b.batches;
        this.bytesSent = b.bytesSent;
    }

    /** A builder with every statistic zero. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The statistics of a sink that delivers or fails each event before {@code sendEvent} returns, so nothing is
     * ever queued, in flight, dropped or retried.
     */
    public static SinkStats ofSynchronous(long accepted, long delivered, Map<String, Long> failed) {
        return builder().accepted(accepted).delivered(delivered).failed(failed).build();
    }

    /** Events handed to the sink. */
    public long accepted() {
        return accepted;
    }

    /** Events the backend accepted. */
    /**
     * Events found in the sink's disk spool at start, accepted by an earlier process that ended before they were
     * delivered; they have no futures.
     */
    public long recovered() {
        return recovered;
    }

    public long delivered() {
        return delivered;
    }

    /** Events the backend rejected, or that could not be delivered, by reason. */
    public Map<String, Long> failed() {
        return failed;
    }

    /**
     * Of the {@linkplain #failed() failed} events, those the backend rejected
     * ({@link DeliveryException.Outcome#REJECTED}); the others could not be delivered
     * ({@link DeliveryException.Outcome#UNDELIVERED}). Zero for sinks that do not tell the two apart.
     */
    public long rejected() {
        return rejected;
    }

    /** Of the failed events, those that could not be delivered: {@code failedTotal() - rejected()}. */
    public long undelivered() {
        return failedTotal() - rejected;
    }

    /** Events dropped by the overflow policy, by reason (events left at close are failed, not dropped). */
    public Map<String, Long> dropped() {
        return dropped;
    }

    /** Batch retries after a retryable failure. */
    public long retried() {
        return retried;
    }

    /** Events waiting in the queue, including those whose callers wait for room ({@code block}). */
    public long queued() {
        return queued;
    }

    /** Events in a batch being exported. */
    public long inFlight() {
        return inFlight;
    }

    /** Requests sent to the backend. */
    public long batches() {
        return batches;
    }

    /** Request body bytes sent, after compression. */
    public long bytesSent() {
        return bytesSent;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof SinkStats s && accepted == s.accepted && recovered == s.recovered && delivered == s.delivered
                && failed.equals(s.failed) && rejected == s.rejected && dropped.equals(s.dropped) && retried == s.retried
                && queued == s.queued && inFlight == s.inFlight && batches == s.batches && bytesSent == s.bytesSent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(accepted, recovered, delivered, failed, rejected, dropped, retried, queued, inFlight, batches, bytesSent);
    }

    @Override
    public String toString() {
        return "SinkStats[accepted=" + accepted + (recovered > 0 ? ", recovered=" + recovered : "") + ", delivered=" + delivered + ", failed=" + failed
                + ", rejected=" + rejected + ", dropped=" + dropped + ", retried=" + retried + ", queued=" + queued + ", inFlight=" + inFlight
                + ", batches=" + batches + ", bytesSent=" + bytesSent + "]";
    }

    /** Builds a {@link SinkStats}; every statistic not set is zero (or empty). Not thread-safe. */
    public static final class Builder {
        private long accepted;
        private long recovered;
        private long delivered;
        private Map<String, Long> failed = Map.of();
        private long rejected;
        private Map<String, Long> dropped = Map.of();
        private long retried;
        private long queued;
        private long inFlight;
        private long batches;
        private long bytesSent;

        private Builder() {}

        public Builder accepted(long accepted) {
            this.accepted = accepted;
            return this;
        }

        public Builder recovered(long recovered) {
            this.recovered = recovered;
            return this;
        }

        public Builder delivered(long delivered) {
            this.delivered = delivered;
            return this;
        }

        /** Failed events by reason; the map is copied. */
        public Builder failed(Map<String, Long> failed) {
            this.failed = Objects.requireNonNull(failed, "failed must not be null");
            return this;
        }

        /** How many of the failed events the backend rejected. */
        public Builder rejected(long rejected) {
            this.rejected = rejected;
            return this;
        }

        /** Dropped events by reason; the map is copied. */
        public Builder dropped(Map<String, Long> dropped) {
            this.dropped = Objects.requireNonNull(dropped, "dropped must not be null");
            return this;
        }

        public Builder retried(long retried) {
            this.retried = retried;
            return this;
        }

        public Builder queued(long queued) {
            this.queued = queued;
            return this;
        }

        public Builder inFlight(long inFlight) {
            this.inFlight = inFlight;
            return this;
        }

        public Builder batches(long batches) {
            this.batches = batches;
            return this;
        }

        public Builder bytesSent(long bytesSent) {
            this.bytesSent = bytesSent;
            return this;
        }

        public SinkStats build() {
            return new SinkStats(this);
        }
    }
}
