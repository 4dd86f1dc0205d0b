package dev.eventsink.export;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The pipeline's queue: accepted events in arrival order, bounded by count and by bytes, from which workers take
 * batches. Each event is its {@link Pending} plus its record, whose bytes lie back to back in large arrays
 * ("chunks") rather than in objects of their own: the queue holds few objects for the garbage collector to trace,
 * and a queued event costs little more than its record.
 *
 * <pre>{@code
 * queue.offer(pending, record.array(), record.size());   // a caller
 * queue.takeBatch(batch, pendings, 500, 1 << 20, lingerNanos, () -> closed);   // a worker
 * }</pre>
 *
 * <p>One lock. Callers never wait unless they use {@link #offer(Pending, byte[], int, long)} with a timeout.
 * Thread-safe.
 */
final class RecordQueue {

    /** The size of a chunk; a larger record gets a chunk of its own. Below G1's humongous threshold. */
    static final int CHUNK_BYTES = 128 * 1024;
    /** Emptied chunks kept for reuse. */
    private static final int MAX_FREE_CHUNKS = 4;

    private final int capacity;
    private final long maxWeight;
    private final int batchCount;
    private final long batchWeight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition batchReady = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    private final ArrayDeque<Pending> pendings = new ArrayDeque<>();
    /** Chunks in order; records are read from the first and written to the last. */
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private int readAt;
    private long weight;
    private boolean hurry;

    /** A chunk's bytes and how much of them holds records. */
    private static final class Chunk {
        final byte[] bytes;
        int used;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /**
     * @param batchCount  the count at which a waiting worker is woken to take a full batch
     * @param batchWeight the weight at which a waiting worker is woken to take a full batch
     */
    RecordQueue(int capacity, long maxWeight, int batchCount, long batchWeight) {
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.batchCount = batchCount;
        this.batchWeight = batchWeight;
    }

    /** Adds the event if it fits by count and weight; returns whether it was added. Never waits. */
    boolean offer(Pending pending, byte[] record, int length) {
        lock.lock();
        try {
            if (!fits(pending.weight())) {
                return false;
            }
            add(pending, record, length);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds the event, waiting up to {@code timeoutNanos} for room; returns whether it was added. */
    boolean offer(Pending pending, byte[] record, int length, long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            while (!fits(pending.weight())) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = notFull.awaitNanos(remaining);
            }
            add(pending, record, length);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds the event, removing the oldest events until it fits, and returns those removed (an empty list, allocated
     * once, when none was). An event that cannot fit even in an empty queue is not added and is returned itself.
     */
    List<Pending> offerEvictingOldest(Pending pending, byte[] record, int length) {
        lock.lock();
        try {
            if (pending.weight() > maxWeight) {
                return List.of(pending);
            }
            List<Pending> evicted = List.of();
            while (!fits(pending.weight())) {
                if (evicted.isEmpty()) {
                    evicted = new ArrayList<>(2);
                }
                evicted.add(removeFirst(null));
            }
            add(pending, record, length);
            return evicted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Empties {@code batch} and {@code taken}, waits until the queue holds an event, then until a full batch is
     * queued, {@link #hurry()} is called, or {@code lingerNanos} have passed since this worker began to wait for
     * it; then moves up to {@code maxCount} events, and up to {@code maxBatchWeight} of weight (at least one event),
     * into {@code taken} with their records into {@code batch}. Both change only under the queue's lock, so that
     * {@link #snapshot} sees every event either queued or in a worker's hands.
     *
     * @return false when {@code stop} was set and the queue is empty, so the worker should end
     */
    boolean takeBatch(EventBatch batch, List<Pending> taken, int maxCount, long maxBatchWeight, long lingerNanos,
            BooleanSupplier stop) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            batch.clear();
            taken.clear();
            do {
                while (pendings.isEmpty()) {
                    if (stop.getAsBoolean()) {
                        return false;
                    }
                    notEmpty.await();
                }
                long remaining = lingerNanos;
                while (remaining > 0 && !hurry && !stop.getAsBoolean() && pendings.size() < batchCount
                        && weight < batchWeight) {
                    remaining = batchReady.awaitNanos(remaining);
                }
                // Another worker may have taken everything while this one lingered: wait again.
            } while (pendings.isEmpty());
            long takenWeight = 0;
            while (taken.size() < maxCount && !pendings.isEmpty()) {
                long w = pendings.peekFirst().weight();
                if (!taken.isEmpty() && takenWeight + w > maxBatchWeight) {
                    break;
                }
                taken.add(removeFirst(batch));
                takenWeight += w;
            }
            if (pendings.isEmpty()) {
                hurry = false;
            } else {
                notEmpty.signal();
                if (pendings.size() >= batchCount || weight >= batchWeight) {
                    batchReady.signal();
                }
            }
            notFull.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes workers take what is queued now instead of waiting out the linger time. */
    void hurry() {
        lock.lock();
        try {
            if (!pendings.isEmpty()) {
                hurry = true;
            }
            notEmpty.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds to {@code out} every event queued and every event in the given workers' hands, atomically with respect
     * to {@link #takeBatch}.
     */
    void snapshot(List<? extends List<Pending>> inHands, List<Pending> out) {
        lock.lock();
        try {
            out.addAll(pendings);
            for (List<Pending> held : inHands) {
                out.addAll(held);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every event queued. */
    List<Pending> drainAll() {
        lock.lock();
        try {
            List<Pending> all = List.copyOf(pendings);
            pendings.clear();
            chunks.clear();
            readAt = 0;
            weight = 0;
            notFull.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Events queued. */
    int size() {
        lock.lock();
        try {
            return pendings.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(long w) {
        return pendings.size() < capacity && weight + w <= maxWeight;
    }

    private void add(Pending pending, byte[] record, int length) {
        Chunk tail = chunks.peekLast();
        if (tail == null || tail.used + length > tail.bytes.length) {
            tail = new Chunk(length > CHUNK_BYTES ? new byte[length] : newChunk());
            chunks.addLast(tail);
        }
        System.arraycopy(record, 0, tail.bytes, tail.used, length);
        tail.used += length;
        pendings.addLast(pending);
        long w = pending.weight();
        weight += w;
        int size = pendings.size();
        if (size == 1) {
            notEmpty.signal();
        }
        if (size == batchCount || (weight >= batchWeight && weight - w < batchWeight)) {
            batchReady.signal();
        }
    }

    /** Removes the oldest event, copying its record into {@code into} unless that is null. */
    private Pending removeFirst(EventBatch into) {
        Pending first = pendings.pollFirst();
        Chunk head = chunks.peekFirst();
        if (into != null) {
            into.add(head.bytes, readAt, first.length);
        }
        readAt += first.length;
        weight -= first.weight();
        if (readAt == head.used) {
            readAt = 0;
            if (chunks.size() == 1 && head.bytes.length == CHUNK_BYTES) {
                head.used = 0; // the only chunk: reuse it in place
            } else {
                chunks.pollFirst();
                if (head.bytes.length == CHUNK_BYTES && free.size() < MAX_FREE_CHUNKS) {
                    free.addLast(head.bytes);
                }
            }
        }
        return first;
    }

    private byte[] newChunk() {
        byte[] recycled = free.pollLast();
        return recycled != null ? recycled : new byte[CHUNK_BYTES];
    }
}
