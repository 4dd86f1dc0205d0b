package dev.eventsink.export;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One accepted event until it is settled, and the future its caller holds: one object per event. Its record
 * lies in the queue, then in a worker's batch.
 *
 * <p>The outcome is decided (and counted) once, apart from the future: a caller that completes or cancels its
 * future changes nothing in the pipeline's books, and a close that runs while callbacks run cannot turn a
 * decided outcome into another.
 */
final class Pending extends CompletableFuture<Void> {

    /** The outcome of an event the backend accepted. */
    static final Object DELIVERED = new Object();

    private static final AtomicReferenceFieldUpdater<Pending, Object> OUTCOME =
            AtomicReferenceFieldUpdater.newUpdater(Pending.class, Object.class, "outcome");

    /** The length of the event's record. */
    final int length;
    /** {@code null} while pending, then {@link #DELIVERED} or the {@link dev.eventsink.DeliveryException}. */
    private volatile Object outcome;

    Pending(int length) {
        this.length = length;
    }

    /** Decides the outcome; true for the one caller that decides it, false once it is decided. */
    boolean decide(Object decided) {
        return OUTCOME.compareAndSet(this, null, decided);
    }

    boolean isSettled() {
        return outcome != null;
    }

    /** Completes the future with the decided outcome; does nothing while undecided. Idempotent. */
    void completeFuture() {
        Object decided = outcome;
        if (decided == DELIVERED) {
            super.complete(null);
        } else if (decided != null) {
            super.completeExceptionally((Throwable) decided);
        }
    }

    /** The weight of this event in the pipeline's byte bounds: its JSON size at most. */
    long weight() {
        return EventRecords.jsonBound(length);
    }
}
