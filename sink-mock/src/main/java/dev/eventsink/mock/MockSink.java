package dev.eventsink.mock;

import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.SinkStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory sink for development and tests: it keeps the events it receives, logs each in one INFO line,
 * and completes every future at once.
 *
 * <p>It keeps at most {@code capacity} events; when full, the oldest is evicted and counted in
 * {@link #evictedCount()} (it still counts as delivered). It can be told to fail with {@link #failAll} or
 * {@link #failNext}. Thread-safe. Reach the mock a tracker created with
 * {@code tracker.sink(Channel.UX, MockSink.class)}: there is no global state.
 */
public final class MockSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(MockSink.class);

    /** How many events a mock keeps unless configured otherwise. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final String name;
    private final int capacity;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final Map<String, Long> failed = new TreeMap<>();
    private long accepted;
    private long delivered;
    private long rejected;
    private long evicted;
    private int failuresLeft;
    private String failureReason;
    private boolean closed;

    /** A mock that keeps up to {@link #DEFAULT_CAPACITY} events. */
    public MockSink() {
        this("default", DEFAULT_CAPACITY);
    }

    /**
     * @param name     shown in log lines, such as the channel
     * @param capacity how many events to keep, at least 1
     */
    public MockSink(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.capacity = capacity;
    }

    @Override
    public CompletableFuture<Void> sendEvent(Event event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        String failure;
        DeliveryException.Outcome outcome = DeliveryException.Outcome.REJECTED;
        synchronized (this) {
            accepted++;
            if (closed) {
                failure = DeliveryException.SINK_CLOSED;
                outcome = DeliveryException.Outcome.UNDELIVERED;
            } else if (failureReason != null && failuresLeft != 0) {
                failure = failureReason;
                rejected++;
                if (failuresLeft > 0) {
                    failuresLeft--;
                }
            } else {
                failure = null;
                if (events.size() == capacity) {
                    events.removeFirst();
                    evicted++;
                }
                events.addLast(event);
                delivered++;
            }
            if (failure != null) {
                failed.merge(failure, 1L, Long::sum);
            }
        }
        if (failure != null) {
            LOG.info("[mock {}] failed {} {}: {}", name, event.eventType(), event.id(), failure);
            return CompletableFuture.failedFuture(new DeliveryException(outcome, failure));
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("[mock {}] {}", name, EventJson.toJson(event));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The events kept, oldest first: an unmodifiable snapshot. */
    public synchronized List<Event> events() {
        return List.copyOf(new ArrayList<>(events));
    }

    /** How many events are kept now. */
    public synchronized int size() {
        return events.size();
    }

    /** How many events were evicted because the mock was full. */
    public synchronized long evictedCount() {
        return evicted;
    }

    /** Forgets the events kept and the counts, and stops failing. */
    public synchronized void reset() {
        events.clear();
        failed.clear();
        accepted = delivered = evicted = rejected = 0;
        failureReason = null;
        failuresLeft = 0;
    }

    /** Makes every following event fail with {@code reason}, until {@link #succeed()}. */
    public synchronized void failAll(String reason) {
        failureReason = Objects.requireNonNull(reason, "reason must not be null");
        failuresLeft = -1;
    }

    /** Makes the next {@code count} events fail with {@code reason}. */
    public synchronized void failNext(int count, String reason) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        failureReason = Objects.requireNonNull(reason, "reason must not be null");
        failuresLeft = count;
    }

    /** Stops failing events. */
    public synchronized void succeed() {
        failureReason = null;
        failuresLeft = 0;
    }

    @Override
    public synchronized SinkStats stats() {
        return SinkStats.builder().accepted(accepted).delivered(delivered).failed(failed).rejected(rejected).build();
    }

    /** Stops accepting events; what was kept stays readable. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public synchronized String toString() {
        return "MockSink{" + name + ", capacity=" + capacity + ", kept=" + events.size()
                + (failureReason != null && failuresLeft != 0 ? ", failing" : "") + (closed ? ", closed" : "") + "}";
    }
}
