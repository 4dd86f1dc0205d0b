package dev.eventsink.testkit;

import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small, correct, in-memory sink that can be given one {@link Defect}, to prove that the compatibility kit
 * catches it. Without a defect it passes every check of the kit.
 */
final class ReferenceSink implements EventSink {

    /** Released after the self-test, so the thread a {@link Defect#LEAKS_THREAD} sink leaks ends then. */
    static final CountDownLatch LEAKED_THREADS_MAY_END = new CountDownLatch(1);
    /** How late a {@link Defect#FLUSH_DOES_NOT_WAIT} sink delivers. */
    static final Duration LATE = Duration.ofMillis(500);

    private final Defect defect;
    private final String apiKey;
    private final String failWith;
    private final int limit;
    private final List<Event> delivered = new ArrayList<>();
    private final Map<String, Long> failed = new TreeMap<>();
    private long accepted;
    private boolean closed;
    private final AtomicBoolean closedOnce = new AtomicBoolean();
    private final AtomicReference<Thread> firstSender = new AtomicReference<>();
    private final ScheduledExecutorService late;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    ReferenceSink(Defect defect, String apiKey, String failWith, int limit) {
        this.defect = defect;
        this.apiKey = apiKey;
        this.failWith = failWith;
        this.limit = limit;
        this.late = defect == Defect.FLUSH_DOES_NOT_WAIT ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "reference-sink-late");
            thread.setDaemon(true);
            return thread;
        }) : null;
        if (defect == Defect.LEAKS_THREAD) {
            Thread leak = new Thread(() -> {
                try {
                    LEAKED_THREADS_MAY_END.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "reference-sink-leak");
            leak.setDaemon(true);
            leak.start();
        }
    }

    @Override
    public CompletableFuture<Void> sendEvent(Event event) {
        if (event == null) {
            if (defect == Defect.THROWS_ON_NULL_EVENT) {
                throw new NullPointerException("event");
            }
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        synchronized (this) {
            accepted++;
            if (closed && defect != Defect.ACCEPTS_AFTER_CLOSE) {
                return fail(DeliveryException.Outcome.UNDELIVERED, "sink is closed");
            }
            if (failWith != null) {
                if (defect == Defect.THROWS_ON_DELIVERY_PROBLEM) {
                    throw new IllegalStateException(failWith);
                }
                return fail(DeliveryException.Outcome.REJECTED, failWith);
            }
            if (defect == Defect.REJECTS_EVERY_EVENT) {
                return fail(DeliveryException.Outcome.REJECTED, "the reference sink rejects everything");
            }
            if (delivered.size() >= limit) {
                return fail(DeliveryException.Outcome.DROPPED, "limit reached");
            }
        }
        if (defect == Defect.FLUSH_DOES_NOT_WAIT) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            pending.add(future);
            late.schedule(() -> {
                deliver(event);
                pending.remove(future);
                future.complete(null);
            }, LATE.toMillis(), TimeUnit.MILLISECONDS);
            return future;
        }
        firstSender.compareAndSet(null, Thread.currentThread());
        if (defect != Defect.LOSES_CONCURRENT_EVENTS || firstSender.get() == Thread.currentThread()) {
            deliver(event);
        }
        return CompletableFuture.completedFuture(null);
    }

    private synchronized void deliver(Event event) {
        delivered.add(event);
    }

    private CompletableFuture<Void> fail(DeliveryException.Outcome outcome, String reason) {
        failed.merge(reason, 1L, Long::sum);
        return CompletableFuture.failedFuture(new DeliveryException(outcome, reason));
    }

    synchronized List<Event> delivered() {
        return List.copyOf(delivered);
    }

    @Override
    public synchronized SinkStats stats() {
        long lost = accepted - delivered.size() - failed.values().stream().mapToLong(Long::longValue).sum();
        return SinkStats.builder()
                .accepted(accepted)
                .delivered(delivered.size() + Math.max(0, lost))
                .failed(failed)
                .build();
    }

    @Override
    public FlushResult close(Duration timeout) {
        if (defect == Defect.CLOSE_IGNORES_TIMEOUT) {
            try {
                new CountDownLatch(1).await(timeout.toMillis() * 6, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
        return FlushResult.COMPLETE;
    }

    @Override
    public void close() {
        if (!closedOnce.compareAndSet(false, true)) {
            if (defect == Defect.CLOSE_NOT_IDEMPOTENT) {
                throw new IllegalStateException("already closed");
            }
            return;
        }
        synchronized (this) {
            closed = true;
        }
        if (late != null) {
            late.shutdownNow();
            try {
                late.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pending.forEach(f -> f.completeExceptionally(
                    new DeliveryException(DeliveryException.Outcome.UNDELIVERED, "sink closed before delivery")));
        }
    }

    @Override
    public synchronized String toString() {
        return "ReferenceSink{" + (defect == Defect.KEY_IN_TO_STRING ? "key=" + apiKey + ", " : "")
                + "events=" + delivered.size() + (closed ? ", closed" : "") + "}";
    }
}
