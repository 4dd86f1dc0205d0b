package dev.eventsink.openobserve.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The script of {@link Fault}s an {@link OpenObserveServer} applies to its ingestion requests (every
 * {@code POST /api/{org}/{stream}/_json}, whatever its credentials or body; {@code /healthz}, unknown paths and
 * other methods are never affected and take no fault). Each arriving ingestion request takes the next queued fault; when the queue is empty it takes the
 * {@linkplain #always(Fault) standing fault}, if any; otherwise it is handled normally.
 *
 * <pre>{@code
 * server.faults().next(3, Fault.memoryTableOverflow())   // the next 3 requests get 503,
 *                .next(Fault.dropConnection());          // the 4th a dropped connection, then normal
 * server.faults().always(Fault.memoryTableOverflow());   // an outage, until
 * server.faults().clear();                               // everything is forgotten
 * }</pre>
 *
 * Thread-safe; a fault is taken atomically, so concurrent requests never share one queued fault.
 */
public final class Faults {

    private final Deque<Fault> queue = new ArrayDeque<>();
    private Fault always;

    Faults() {}

    /** Queues {@code fault} for one request. */
    public synchronized Faults next(Fault fault) {
        queue.addLast(Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /** Queues {@code fault} for the next {@code times} requests (after those already queued). */
    public synchronized Faults next(int times, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative: " + times);
        }
        for (int i = 0; i < times; i++) {
            queue.addLast(fault);
        }
        return this;
    }

    /** Applies {@code fault} to every request once the queue is empty, until {@link #clear()}. */
    public synchronized Faults always(Fault fault) {
        always = Objects.requireNonNull(fault, "fault");
        return this;
    }

    /** Forgets the queue and the standing fault: requests are handled normally again. */
    public synchronized Faults clear() {
        queue.clear();
        always = null;
        return this;
    }

    /** How many queued faults are still to be taken (the standing fault not counted). */
    public synchronized int pending() {
        return queue.size();
    }

    /** The fault for the request arriving now, or {@code null}. */
    synchronized Fault take() {
        Fault fault = queue.pollFirst();
        return fault != null ? fault : always;
    }

    @Override
    public synchronized String toString() {
        return "Faults[queued=" + queue + ", always=" + always + "]";
    }
}
