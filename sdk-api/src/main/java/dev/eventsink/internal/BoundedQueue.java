package dev.eventsink.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A FIFO queue bounded both by element count and by a weight such as estimated bytes, from which consumers
 * take batches. One lock; producers never wait unless they call {@link #offer(Object, long, long)} with a
 * timeout. Not public API.
 *
 * @param <E> the element type
 */
public final class BoundedQueue<E> {

    private final int capacity;
    private final long maxWeight;
    private final ToLongFunction<E> weigher;
    private final ArrayDeque<E> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition batchReady = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final int batchCount;
    private final long batchWeight;
    private long weight;
    private boolean hurry;

    /**
     * @param batchCount  the count at which a waiting consumer is woken to take a full batch
     * @param batchWeight the weight at which a waiting consumer is woken to take a full batch
     */
    public BoundedQueue(int capacity, long maxWeight, int batchCount, long batchWeight, ToLongFunction<E> weigher) {
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.batchCount = batchCount;
        this.batchWeight = batchWeight;
        this.weigher = weigher;
    }

    /** Adds {@code item} if it fits by count and weight; returns whether it was added. Never waits. */
    public boolean offer(E item) {
        long w = weigher.applyAsLong(item);
        lock.lock();
        try {
            if (!fits(w)) {
                return false;
            }
            add(item, w);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code item}, waiting up to {@code timeoutNanos} for room; returns whether it was added. */
    public boolean offer(E item, long itemWeight, long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            while (!fits(itemWeight)) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = notFull.awaitNanos(remaining);
            }
            add(item, itemWeight);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code item}, removing the oldest elements until it fits, and returns the removed elements (an
     * empty list, allocated once, when nothing was removed). An item that cannot fit even in an empty queue is
     * not added and is returned itself.
     */
    public List<E> offerEvictingOldest(E item) {
        long w = weigher.applyAsLong(item);
        lock.lock();
        try {
            if (w > maxWeight) {
                return List.of(item);
            }
            List<E> evicted = List.of();
            while (!fits(w)) {
                if (evicted.isEmpty()) {
                    evicted = new ArrayList<>(2);
                }
                E oldest = items.pollFirst();
                weight -= weigher.applyAsLong(oldest);
                evicted.add(oldest);
            }
            add(item, w);
            return evicted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Clears {@code batch}, waits until the queue holds an element, then until a full batch is queued,
     * {@link #hurry()} is called, or {@code lingerNanos} have passed since this consumer began to wait for it;
     * then moves up to {@code maxCount} elements, and up to {@code maxWeight} of weight (at least one
     * element), into {@code batch}. {@code batch} is only changed under the queue's lock, so that
     * {@link #snapshot} sees every element either queued or in a consumer's batch.
     *
     * @return false when {@code stop} was set and the queue is empty, so the consumer should end
     */
    public boolean takeBatch(List<E> batch, int maxCount, long maxBatchWeight, long lingerNanos,
            java.util.function.BooleanSupplier stop) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            batch.clear();
            do {
                while (items.isEmpty()) {
                    if (stop.getAsBoolean()) {
                        return false;
                    }
                    notEmpty.await();
                }
                long remaining = lingerNanos;
                while (remaining > 0 && !hurry && !stop.getAsBoolean() && items.size() < batchCount
                        && weight < batchWeight) {
                    remaining = batchReady.awaitNanos(remaining);
                }
                // Another consumer may have taken everything while this one lingered: wait again.
            } while (items.isEmpty());
            long taken = 0;
            while (batch.size() < maxCount && !items.isEmpty()) {
                long w = weigher.applyAsLong(items.peekFirst());
                if (!batch.isEmpty() && taken + w > maxBatchWeight) {
                    break;
                }
                batch.add(items.pollFirst());
                taken += w;
            }
            weight -= taken;
            if (items.isEmpty()) {
                hurry = false;
            } else {
                notEmpty.signal();
                if (items.size() >= batchCount || weight >= batchWeight) {
                    batchReady.signal();
                }
            }
            notFull.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes consumers take what is queued now instead of waiting out the linger time. */
    public void hurry() {
        lock.lock();
        try {
            if (!items.isEmpty()) {
                hurry = true;
            }
            notEmpty.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds to {@code out} every element queued and every element of the given consumers' batches, atomically
     * with respect to {@link #takeBatch}.
     */
    public void snapshot(List<? extends List<E>> batches, List<E> out) {
        lock.lock();
        try {
            out.addAll(items);
            for (List<E> batch : batches) {
                out.addAll(batch);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns everything queued. */
    public List<E> drainAll() {
        lock.lock();
        try {
            List<E> all = List.copyOf(items);
            items.clear();
            weight = 0;
            notFull.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(long w) {
        return items.size() < capacity && weight + w <= maxWeight;
    }

    private void add(E item, long w) {
        items.addLast(item);
        weight += w;
        int size = items.size();
        if (size == 1) {
            notEmpty.signal();
        }
        if (size == batchCount || (weight >= batchWeight && weight - w < batchWeight)) {
            batchReady.signal();
        }
    }
}
