package dev.eventsink.export;

import dev.eventsink.SinkStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts behind a pipeline's {@link SinkStats}: every event accepted, and how each ended. Failures and drops
 * are counted by reason, at most {@value #MAX_REASONS} distinct reasons each (the rest as
 * {@value #OTHER_REASONS}), so that free-text reasons cannot grow the map without bound.
 *
 * <pre>{@code
 * counters.accepted.increment();
 * counters.fail("not delivered within RETRY_DEADLINE 5m; last error: …");
 * SinkStats stats = counters.snapshot(queued, inFlight);
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class PipelineCounters {

    static final int MAX_REASONS = 100;
    static final String OTHER_REASONS = "other reasons";

    final LongAdder accepted = new LongAdder();
    /** Events a spool recovered at start; set once. */
    volatile long recovered;
    final LongAdder delivered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final AtomicLong inFlight = new AtomicLong();
    /** Events whose callers wait for queue room under {@code block}: counted as queued. */
    final AtomicLong waitingForRoom = new AtomicLong();
    /** Events failed by close because they were still undelivered. */
    final AtomicLong failedAtClose = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> dropped = new ConcurrentHashMap<>();

    void fail(String reason) {
        count(failed, reason);
    }

    void drop(String reason) {
        count(dropped, reason);
    }

    private static void count(ConcurrentHashMap<String, LongAdder> byReason, String reason) {
        LongAdder adder = byReason.get(reason);
        if (adder == null) {
            String key = byReason.size() >= MAX_REASONS ? OTHER_REASONS : reason;
            adder = byReason.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }

    /** The statistics now, given how many events are queued. */
    SinkStats snapshot(long queued) {
        return SinkStats.builder()
                .accepted(accepted.sum())
                .recovered(recovered)
                .delivered(delivered.sum())
                .failed(byReason(failed))
                .rejected(rejected.sum())
                .dropped(byReason(dropped))
                .retried(retried.sum())
                .queued(queued + waitingForRoom.get())
                .inFlight(inFlight.get())
                .batches(batches.sum())
                .bytesSent(bytesSent.sum())
                .build();
    }

    private static Map<String, Long> byReason(ConcurrentHashMap<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((reason, adder) -> copy.put(reason, adder.sum()));
        return copy;
    }
}
