package dev.eventsink.export;

import dev.eventsink.internal.ByteBuf;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The pipeline's queue: accepted events in arrival order, from which workers take batches. Each event is its
 * {@link Pending} plus its record. In memory, records lie back to back in large arrays ("chunks") rather than in
 * objects of their own: the queue holds few objects for the garbage collector to trace, a queued event costs little
 * more than its record, and the queue is bounded by count and by bytes. With a {@link Spool}, records are in the
 * spool's files instead, bounded by the spool's size; only the events' futures stay in memory, and a batch's
 * records are released from the spool once every event of it is settled.
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
    /** Callers waiting on {@link #notFull}: signalled only when there is one. */
    private int waitingForRoom;

    private final ArrayDeque<Pending> pendings = new ArrayDeque<>();
    /** Chunks in order; records are read from the first and written to the last. */
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private int readAt;
    private long weight;
    private boolean hurry;

    /** The spool that holds the records, or {@code null} when they are kept in memory. */
    private final Spool spool;
    /** A record read from the spool that did not fit in the last batch, and where it starts; or none. */
    private final ByteBuf carry = new ByteBuf(512);
    private boolean carried;
    private long carriedFrom;
    /** The spool positions at which the batches in workers' hands start: the oldest is what cannot be released. */
    private final TreeSet<Long> unsettledBatches = new TreeSet<>();
    private long released;
    /**
     * Records the spool recovered at open that are not yet read: they come before every queued event, and get a
     * {@link Pending} only when read, since no caller waits for them.
     */
    private long recoveredLeft;

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
        this(capacity, maxWeight, batchCount, batchWeight, null);
    }

    private RecordQueue(int capacity, long maxWeight, int batchCount, long batchWeight, Spool spool) {
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.batchCount = batchCount;
        this.batchWeight = batchWeight;
        this.spool = spool;
    }

    /**
     * A queue whose records are in {@code spool}, bounded by the spool's size only. The records the spool recovered
     * come first.
     */
    static RecordQueue spooled(Spool spool, int batchCount, long batchWeight) {
        RecordQueue queue = new RecordQueue(Integer.MAX_VALUE, Long.MAX_VALUE, batchCount, batchWeight, spool);
        queue.recoveredLeft = spool.recoveredRecords();
        queue.released = spool.readPosition();
        return queue;
    }

    /** Whether the records are in a spool. */
    boolean spooled() {
        return spool != null;
    }

    /**
     * Adds the event if it fits; never waits.
     *
     * @return -1 when it did not fit (by count and weight, or the spool is full), else where it ends in the spool
     *     (0 in memory), for {@link #awaitDurable}
     */
    long offer(Pending pending, byte[] record, int length) throws IOException {
        lock.lock();
        try {
            return fits(pending.weight()) ? add(pending, record, length) : -1;
        } finally {
            lock.unlock();
        }
    }

    /** Adds the event, waiting up to {@code timeoutNanos} for room; as {@link #offer(Pending, byte[], int)}. */
    long offer(Pending pending, byte[] record, int length, long timeoutNanos) throws InterruptedException, IOException {
        lock.lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            while (true) {
                if (fits(pending.weight())) {
                    long end = add(pending, record, length);
                    if (end >= 0) {
                        return end;
                    }
                }
                if (remaining <= 0) {
                    return -1;
                }
                waitingForRoom++;
                try {
                    remaining = notFull.awaitNanos(remaining);
                } finally {
                    waitingForRoom--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** With a spool whose fsync policy is {@code always}, waits until the record ending at {@code end} is on the device. */
    void awaitDurable(long end) throws IOException {
        if (spool != null) {
            spool.awaitDurable(end);
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
            addToMemory(pending, record, length);
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
            BooleanSupplier stop) throws InterruptedException, IOException {
        lock.lockInterruptibly();
        try {
            batch.clear();
            taken.clear();
            do {
                do {
                    while (available() == 0) {
                        if (stop.getAsBoolean()) {
                            return false;
                        }
                        notEmpty.await();
                    }
                    long remaining = lingerNanos;
                    while (remaining > 0 && !hurry && !stop.getAsBoolean() && available() < batchCount
                            && weight < batchWeight) {
                        remaining = batchReady.awaitNanos(remaining);
                    }
                    // Another worker may have taken everything while this one lingered: wait again.
                } while (available() == 0);
                if (spool != null) {
                    takeFromSpool(batch, taken, maxCount, maxBatchWeight);
                } else {
                    takeFromMemory(batch, taken, maxCount, maxBatchWeight);
                }
                // Empty only when the recovered records left in the spool turned out unreadable.
            } while (taken.isEmpty());
            if (available() == 0) {
                hurry = false;
            } else {
                notEmpty.signal();
                if (available() >= batchCount || weight >= batchWeight) {
                    batchReady.signal();
                }
            }
            if (waitingForRoom > 0) {
                notFull.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes workers take what is queued now instead of waiting out the linger time. */
    void hurry() {
        lock.lock();
        try {
            if (available() > 0) {
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

    /**
     * Removes and returns every event queued. Records in a spool stay there, unreleased: the next start delivers
     * them.
     */
    List<Pending> drainAll() {
        lock.lock();
        try {
            List<Pending> all = List.copyOf(pendings);
            pendings.clear();
            chunks.clear();
            readAt = 0;
            weight = 0;
            carried = false;
            notFull.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every event of {@code batch} is settled: with a spool, releases what no batch still in workers' hands
     * needs, and wakes callers that wait for room.
     */
    void settled(EventBatch batch) throws IOException {
        if (spool == null) {
            return;
        }
        lock.lock();
        try {
            unsettledBatches.remove(batch.spoolFrom);
            long upTo = !unsettledBatches.isEmpty() ? unsettledBatches.first()
                    : carried ? carriedFrom : spool.readPosition();
            if (upTo > released) {
                spool.release(upTo);
                released = upTo;
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Events queued, counting those recovered from a spool and not yet read. */
    long size() {
        lock.lock();
        try {
            return available();
        } finally {
            lock.unlock();
        }
    }

    private long available() {
        return pendings.size() + recoveredLeft;
    }

    private boolean fits(long w) {
        return spool != null || pendings.size() < capacity && weight + w <= maxWeight;
    }

    /** Adds the event; -1 when the spool is full. */
    private long add(Pending pending, byte[] record, int length) throws IOException {
        if (spool == null) {
            addToMemory(pending, record, length);
            return 0;
        }
        long end = spool.append(record, 0, length);
        if (end >= 0) {
            queued(pending);
        }
        return end;
    }

    private void addToMemory(Pending pending, byte[] record, int length) {
        Chunk tail = chunks.peekLast();
        if (tail == null || tail.used + length > tail.bytes.length) {
            tail = new Chunk(length > CHUNK_BYTES ? new byte[length] : newChunk());
            chunks.addLast(tail);
        }
        System.arraycopy(record, 0, tail.bytes, tail.used, length);
        tail.used += length;
        queued(pending);
    }

    private void queued(Pending pending) {
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

    private void takeFromMemory(EventBatch batch, List<Pending> taken, int maxCount, long maxBatchWeight) {
        long takenWeight = 0;
        while (taken.size() < maxCount && !pendings.isEmpty()) {
            long w = pendings.peekFirst().weight();
            if (!taken.isEmpty() && takenWeight + w > maxBatchWeight) {
                break;
            }
            taken.add(removeFirst(batch));
            takenWeight += w;
        }
    }

    /**
     * Moves events into the batch with their records read from the spool, oldest first, up to the count and
     * weight; a record read that does not fit is carried to the next batch. A failure to read ends the batch
     * early; with nothing taken, it is thrown and every event stays queued.
     */
    private void takeFromSpool(EventBatch batch, List<Pending> taken, int maxCount, long maxBatchWeight)
            throws IOException {
        long from = carried ? carriedFrom : spool.readPosition();
        long takenWeight = 0;
        try {
            while (taken.size() < maxCount && available() > 0) {
                if (!carried && !readOne()) {
                    if (recoveredLeft == 0) {
                        throw new IOException("the spool holds no record for the " + pendings.size()
                                + " events queued");
                    }
                    // Fewer recovered records were readable than the spool counted at open: it skipped and
                    // counted the others as corrupt.
                    recoveredLeft = 0;
                    continue;
                }
                long w = EventRecords.jsonBound(carry.size());
                if (!taken.isEmpty() && takenWeight + w > maxBatchWeight) {
                    break;
                }
                Pending pending;
                if (recoveredLeft > 0) {
                    recoveredLeft--;
                    pending = new Pending(carry.size());
                } else {
                    pending = pendings.pollFirst();
                    weight -= pending.weight();
                }
                batch.add(carry.array(), 0, carry.size());
                taken.add(pending);
                takenWeight += w;
                carried = false;
            }
        } catch (IOException e) {
            if (taken.isEmpty()) {
                throw e;
            }
        }
        if (!taken.isEmpty()) {
            batch.spoolFrom = from;
            unsettledBatches.add(from);
        }
    }

    /** Reads the next record of the spool into {@link #carry}; false when there is none. */
    private boolean readOne() throws IOException {
        carriedFrom = spool.readPosition();
        carry.reset(1 << 20);
        if (spool.read((bytes, offset, length) -> carry.write(bytes, offset, length), 1) == 0) {
            return false;
        }
        carried = true;
        return true;
    }

    private byte[] newChunk() {
        byte[] recycled = free.pollLast();
        return recycled != null ? recycled : new byte[CHUNK_BYTES];
    }
}
