package dev.eventsink.spi;

import dev.eventsink.DeliveryException;
import dev.eventsink.DeliveryException.Outcome;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import dev.eventsink.internal.BoundedQueue;
import dev.eventsink.internal.JsonValues;
import dev.eventsink.internal.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline every batching sink reuses: an {@link EventSink} that queues events, sends them in
 * batches through a {@link BatchExporter}, retries, splits, and accounts for every event.
 *
 * <pre>
 * caller: sendEvent(e) ──► bounded queue (events + bytes) ──► worker: batch (count | bytes | linger)
 *         returns at once                                         → exporter.export(batch)
 *                                                                 → per-record outcome → futures, stats
 *                                                                 → retry with backoff / split / fail
 * </pre>
 *
 * <ul>
 *   <li><b>The caller's thread</b> only estimates the event's size and enqueues it: no I/O, no encoding. It
 *       waits only under {@link OverflowPolicy#BLOCK}, and at most the block timeout.</li>
 *   <li><b>Overflow</b> follows {@link PipelineConfig#overflow()}; each drop fails the event's future with
 *       {@link Outcome#DROPPED}, is counted by reason in {@link #stats()}, and logged at most every 5 seconds.</li>
 *   <li><b>Retries</b>: an {@link ExportResult#retry} pauses every worker of the sink for an exponential
 *       backoff with full jitter (at least the backend's {@code Retry-After}, capped at
 *       {@code RETRY_MAX_BACKOFF}), then sends the same batch again. When the next attempt would come after
 *       the batch's {@code RETRY_DEADLINE}, its events fail with {@link Outcome#UNDELIVERED} and the last
 *       reason.</li>
 *   <li><b>Isolation</b>: records reported as {@code isolate} are split into halves and sent again until each
 *       bad record stands alone and fails with {@link Outcome#REJECTED} and the backend's reason.</li>
 *   <li><b>{@link #flush} and {@link #close(Duration)}</b> wait within their timeout and report what stayed
 *       undelivered; at close, that is failed with {@link Outcome#UNDELIVERED} and no worker thread
 *       survives.</li>
 * </ul>
 *
 * <p>Every event ends delivered, failed or dropped: {@code accepted == delivered + failed + dropped} once
 * the sink is idle. Futures complete on the worker threads. Thread-safe.
 */
public final class DeliveryPipeline implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPipeline.class);
    private static final int MAX_REASONS = 100;
    private static final String OTHER_REASONS = "other reasons";
    static final String CLOSED = DeliveryException.SINK_CLOSED;
    static final String CLOSED_BEFORE_DELIVERY = "sink closed before delivery";
    /** Estimated JSON bytes of an event beside its payload: id, timestamp, type, field names. */
    private static final int EVENT_OVERHEAD_BYTES = 160;

    private final String name;
    private final BatchExporter exporter;
    private final PipelineConfig config;
    private final LongSupplier nanoTime;
    private final DoubleSupplier random;
    private final BoundedQueue<Pending> queue;
    private final List<Thread> workers = new ArrayList<>();
    /** Each worker's current batch, changed only under the queue's lock (see {@link BoundedQueue#snapshot}). */
    private final List<List<Pending>> workerBatches = new ArrayList<>();
    private final Thread shutdownHook;

    private volatile boolean closed;
    private volatile boolean terminated;
    /** No worker sends before this {@code nanoTime}; in the past while the backend is well. */
    private volatile long pausedUntilNanos;
    private final Object closeLock = new Object();
    private FlushResult closeResult;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong failedAtClose = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    /** Events whose callers wait for queue room under {@code block}: counted as queued. */
    private final AtomicLong waitingForRoom = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> dropped = new ConcurrentHashMap<>();

    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
    private final RateLimitedLog retryLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
    private final RateLimitedLog failLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);

    /** One accepted event until it is settled: delivered, failed or dropped, exactly once. */
    private static final class Pending {
        private static final AtomicIntegerFieldUpdater<Pending> SETTLED =
                AtomicIntegerFieldUpdater.newUpdater(Pending.class, "settled");

        final Event event;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        final long size;
        private volatile int settled;

        Pending(Event event, long size) {
            this.event = event;
            this.size = size;
        }

        /** True for the one caller that settles this event; false once it is settled. */
        boolean settle() {
            return SETTLED.compareAndSet(this, 0, 1);
        }

        boolean isSettled() {
            return settled != 0;
        }
    }

    private DeliveryPipeline(String name, BatchExporter exporter, PipelineConfig config, LongSupplier nanoTime,
            DoubleSupplier random) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.exporter = Objects.requireNonNull(exporter, "exporter must not be null");
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.nanoTime = nanoTime;
        this.random = random;
        this.pausedUntilNanos = nanoTime.getAsLong();
        // A batch larger than the queue could never fill by count: wake the worker when the queue is full.
        this.queue = new BoundedQueue<>(config.queueCapacity(), config.queueBytes(),
                Math.min(config.batchSize(), config.queueCapacity()), Math.min(config.batchBytes(), config.queueBytes()),
                p -> p.size);
        this.shutdownHook = config.shutdownHook()
                ? new Thread(() -> close(config.closeTimeout()), "eventsink-" + name + "-shutdown")
                : null;
    }

    /**
     * Starts a pipeline: its worker threads (daemon, named {@code eventsink-<name>-<n>}) and, when configured,
     * its shutdown hook.
     *
     * @param name     names the sink in logs and thread names, for example {@code ux-openobserve}
     * @param exporter sends the batches; closed by {@link #close(Duration)}
     */
    public static DeliveryPipeline start(String name, BatchExporter exporter, PipelineConfig config) {
        return start(name, exporter, config, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
    }

    static DeliveryPipeline start(String name, BatchExporter exporter, PipelineConfig config, LongSupplier nanoTime,
            DoubleSupplier random) {
        DeliveryPipeline pipeline = new DeliveryPipeline(name, exporter, config, nanoTime, random);
        for (int i = 1; i <= config.exportThreads(); i++) {
            List<Pending> batch = new ArrayList<>(config.batchSize());
            pipeline.workerBatches.add(batch);
            Thread worker = new Thread(() -> pipeline.runWorker(batch), "eventsink-" + name + "-" + i);
            worker.setDaemon(true);
            pipeline.workers.add(worker);
        }
        pipeline.workers.forEach(Thread::start);
        if (pipeline.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(pipeline.shutdownHook);
        }
        return pipeline;
    }

    @Override
    public CompletableFuture<Void> sendEvent(Event event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        accepted.increment();
        Pending pending = new Pending(event, estimateSize(event));
        // The caller gets a copy: completing or cancelling it cannot settle the event in the pipeline's books.
        CompletableFuture<Void> future = pending.future.copy();
        if (closed) {
            fail(pending, Outcome.UNDELIVERED, CLOSED);
            return future;
        }
        if (pending.size > config.queueBytes()) {
            drop(pending, "event larger than QUEUE_BYTES");
            return future;
        }
        switch (config.overflow()) {
            case DROP_NEWEST -> {
                if (!queue.offer(pending)) {
                    drop(pending, "queue full (drop_newest)");
                }
            }
            case DROP_OLDEST -> {
                queue.offerEvictingOldest(pending).forEach(p -> drop(p, "queue full (drop_oldest)"));
            }
            case BLOCK -> offerBlocking(pending);
        }
        if (terminated) {
            // close() drained the queue before this event was added: fail whatever is left.
            queue.drainAll().forEach(p -> fail(p, Outcome.UNDELIVERED, CLOSED));
        }
        return future;
    }

    private void offerBlocking(Pending pending) {
        if (queue.offer(pending)) {
            return;
        }
        waitingForRoom.incrementAndGet();
        try {
            if (!queue.offer(pending, pending.size, config.blockTimeout().toNanos())) {
                drop(pending, "queue full (block timeout " + ConfigReader.formatDuration(config.blockTimeout()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(pending, "interrupted while waiting for queue room (block)");
        } finally {
            waitingForRoom.decrementAndGet();
        }
    }

    private static long estimateSize(Event event) {
        long size = EVENT_OVERHEAD_BYTES + JsonValues.estimateSize(event.payload());
        if (event.userId() != null) {
            size += event.userId().length();
        }
        if (event.sessionId() != null) {
            size += event.sessionId().length();
        }
        return size;
    }

    // ---------------------------------------------------------------- worker

    private void runWorker(List<Pending> batch) {
        while (true) {
            try {
                if (!queue.takeBatch(batch, config.batchSize(), config.batchBytes(), config.linger().toNanos(),
                        () -> closed)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            inFlight.addAndGet(batch.size());
            try {
                deliver(batch, nanoTime.getAsLong() + config.retryDeadline().toNanos());
            } catch (InterruptedException e) {
                failUnsettled(batch);
                return;
            } finally {
                inFlight.addAndGet(-batch.size());
            }
        }
    }

    private void failUnsettled(List<Pending> events) {
        for (Pending p : events) {
            if (!p.isSettled()) {
                failAtClose(p);
            }
        }
    }

    /** Exports {@code batch} until every record is delivered or failed, or the deadline passes. */
    private void deliver(List<Pending> batch, long deadline) throws InterruptedException {
        int attempt = 0;
        while (true) {
            awaitPause();
            long start = nanoTime.getAsLong();
            ExportResult result;
            try {
                result = exporter.export(events(batch));
                if (result == null) {
                    result = ExportResult.retry("exporter returned no result", null, 0);
                }
            } catch (InterruptedException | VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("{}: exporter threw; treating it as a retryable failure", name, e);
                result = ExportResult.retry("exporter failed: " + e, null, 0);
            }
            batches.increment();
            bytesSent.add(result.bytesSent());
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: exported {} events in {} ms: {}", name, batch.size(),
                        (nanoTime.getAsLong() - start) / 1_000_000, result);
            }
            if (result.kind() != ExportResult.Kind.RETRY) {
                settle(batch, result, deadline);
                return;
            }
            long now = nanoTime.getAsLong();
            long wait = backoffNanos(attempt, result.retryAfter());
            if (now + wait - deadline > 0) {
                String reason = "not delivered within RETRY_DEADLINE " + ConfigReader.formatDuration(config.retryDeadline())
                        + "; last error: " + result.reason();
                failLog.warn("{}: {} events failed: {}", name, batch.size(), reason);
                batch.forEach(p -> fail(p, Outcome.UNDELIVERED, reason));
                return;
            }
            attempt++;
            retried.increment();
            pauseUntil(now + wait);
            retryLog.warn("{}: export of {} events failed, retry {} in {} ms: {}", name, batch.size(), attempt,
                    wait / 1_000_000, result.reason());
        }
    }

    private void settle(List<Pending> batch, ExportResult result, long deadline) throws InterruptedException {
        switch (result.kind()) {
            case DELIVERED -> batch.forEach(this::complete);
            case REJECT_ALL -> {
                failLog.warn("{}: {} events rejected: {}", name, batch.size(), result.reason());
                batch.forEach(p -> fail(p, Outcome.REJECTED, result.reason()));
            }
            case ISOLATE_ALL -> isolate(batch, result.reason(), deadline);
            case PER_RECORD -> {
                int last = Math.max(lastIndex(result.rejected()), lastIndex(result.isolate()));
                if (last >= batch.size()) {
                    LOG.error("{}: the exporter named record {} of a batch of {}; isolating the batch instead", name,
                            last, batch.size());
                    isolate(batch, "exporter reported an outcome for a record it was not given", deadline);
                    return;
                }
                List<Pending> suspects = new ArrayList<>();
                String suspectReason = null;
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    String rejected = result.rejected().get(i);
                    String isolate = result.isolate().get(i);
                    if (rejected != null) {
                        failLog.warn("{}: event {} rejected: {}", name, p.event.id(), rejected);
                        fail(p, Outcome.REJECTED, rejected);
                    } else if (isolate != null) {
                        suspects.add(p);
                        suspectReason = isolate;
                    } else {
                        complete(p);
                    }
                }
                if (!suspects.isEmpty()) {
                    if (suspects.size() == 1 && batch.size() > 1) {
                        deliver(suspects, deadline);
                    } else {
                        isolate(suspects, suspectReason, deadline);
                    }
                }
            }
            default -> throw new IllegalStateException("unexpected " + result);
        }
    }

    private static int lastIndex(Map<Integer, String> byIndex) {
        return byIndex.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /** Splits {@code records} in halves and delivers each, until a bad record stands alone and fails. */
    private void isolate(List<Pending> records, String reason, long deadline) throws InterruptedException {
        if (records.size() == 1) {
            failLog.warn("{}: event {} rejected: {}", name, records.get(0).event.id(), reason);
            fail(records.get(0), Outcome.REJECTED, reason);
            return;
        }
        int half = records.size() / 2;
        deliver(new ArrayList<>(records.subList(0, half)), deadline);
        deliver(new ArrayList<>(records.subList(half, records.size())), deadline);
    }

    private long backoffNanos(int attempt, Duration retryAfter) {
        long max = config.retryMaxBackoff().toNanos();
        long initial = config.retryInitialBackoff().toNanos();
        long ceiling = attempt >= 62 || initial > (max >> Math.min(attempt, 62)) ? max : Math.min(max, initial << attempt);
        long wait = (long) (random.getAsDouble() * ceiling);
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(retryAfter.toNanos(), max));
        }
        return wait;
    }

    private synchronized void pauseUntil(long untilNanos) {
        if (untilNanos - pausedUntilNanos > 0) {
            pausedUntilNanos = untilNanos;
        }
    }

    /** While the backend is failing, every worker waits out the pause before it sends anything. */
    private void awaitPause() throws InterruptedException {
        long remaining;
        while ((remaining = pausedUntilNanos - nanoTime.getAsLong()) > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private static List<Event> events(List<Pending> batch) {
        List<Event> events = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            events.add(p.event);
        }
        return events;
    }

    // ---------------------------------------------------------------- outcomes

    // Each outcome counts the event first, so that stats are up to date once its future completes.

    private void complete(Pending p) {
        if (p.settle()) {
            delivered.increment();
            p.future.complete(null);
        }
    }

    private void fail(Pending p, Outcome outcome, String reason) {
        if (p.settle()) {
            count(failed, reason);
            p.future.completeExceptionally(new DeliveryException(outcome, reason));
        }
    }

    private void failAtClose(Pending p) {
        if (p.settle()) {
            failedAtClose.incrementAndGet();
            count(failed, CLOSED_BEFORE_DELIVERY);
            p.future.completeExceptionally(new DeliveryException(Outcome.UNDELIVERED, CLOSED_BEFORE_DELIVERY));
        }
    }

    private void drop(Pending p, String reason) {
        if (p.settle()) {
            count(dropped, reason);
            dropLog.warn("{}: dropped event {}: {} (QUEUE_CAPACITY {}, QUEUE_BYTES {})", name, p.event.id(), reason,
                    config.queueCapacity(), config.queueBytes());
            p.future.completeExceptionally(new DeliveryException(Outcome.DROPPED, reason));
        }
    }

    private static void count(ConcurrentHashMap<String, LongAdder> byReason, String reason) {
        LongAdder adder = byReason.get(reason);
        if (adder == null) {
            String key = byReason.size() >= MAX_REASONS ? OTHER_REASONS : reason;
            adder = byReason.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }

    // ---------------------------------------------------------------- flush, close, stats

    /**
     * Waits for exactly the events accepted before this call: those queued or in a worker's batch now.
     * Events still lingering in the queue are sent at once.
     */
    @Override
    public FlushResult flush(Duration timeout) {
        List<Pending> pending = new ArrayList<>();
        queue.snapshot(workerBatches, pending);
        queue.hurry();
        if (workers.contains(Thread.currentThread())) {
            // Called from a callback on a worker: waiting here would wait for this very thread.
            return new FlushResult(pending.stream().filter(p -> !p.isSettled()).count());
        }
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        try {
            for (Pending p : pending) {
                long remaining = deadline - nanoTime.getAsLong();
                if (remaining <= 0) {
                    break;
                }
                try {
                    p.future.get(remaining, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException settled) {
                    // a failed event is settled too
                } catch (TimeoutException timedOut) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new FlushResult(pending.stream().filter(p -> !p.isSettled()).count());
    }

    /** Closes within {@code CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        close(config.closeTimeout());
    }

    @Override
    public FlushResult close(Duration timeout) {
        synchronized (closeLock) {
            if (closeResult != null) {
                return closeResult;
            }
            long start = nanoTime.getAsLong();
            long deadline = start + timeout.toNanos();
            // Keep a little of the timeout to stop the workers and fail what they hold.
            long drainDeadline = deadline - Math.min(timeout.toNanos() / 10, TimeUnit.MILLISECONDS.toNanos(200));
            closed = true;
            queue.hurry();
            boolean interrupted = joinWorkers(drainDeadline);
            if (workers.stream().anyMatch(w -> w.isAlive() && w != Thread.currentThread())) {
                workers.stream().filter(w -> w != Thread.currentThread()).forEach(Thread::interrupt);
                interrupted |= joinWorkers(deadline);
            }
            terminated = true;
            // What is still queued, or held by a worker that did not stop in time, fails now: every future is
            // settled when close returns.
            List<Pending> unsettled = new ArrayList<>(queue.drainAll());
            queue.snapshot(workerBatches, unsettled);
            failUnsettled(unsettled);
            try {
                exporter.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the exporter failed", name, e);
            }
            removeShutdownHook();
            closeResult = new FlushResult(failedAtClose.get());
            SinkStats stats = stats();
            LOG.info("{}: closed in {} ms; delivered {}, failed {}, dropped {}, undelivered at close {}", name,
                    (nanoTime.getAsLong() - start) / 1_000_000, stats.delivered(), stats.failedTotal(),
                    stats.droppedTotal(), closeResult.undelivered());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return closeResult;
        }
    }

    /** Joins the workers until the deadline; returns whether the calling thread was interrupted. */
    private boolean joinWorkers(long deadlineNanos) {
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive() && worker != Thread.currentThread()) {
                long remaining = deadlineNanos - nanoTime.getAsLong();
                if (remaining <= 0) {
                    return interrupted;
                }
                try {
                    TimeUnit.NANOSECONDS.timedJoin(worker, remaining);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        return interrupted;
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down and runs the hook itself; it will find the sink closed.
        }
    }

    @Override
    public SinkStats stats() {
        return new SinkStats(accepted.sum(), delivered.sum(), snapshot(failed), snapshot(dropped), retried.sum(),
                queue.size() + waitingForRoom.get(), inFlight.get(), batches.sum(), bytesSent.sum());
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> byReason) {
        Map<String, Long> copy = new TreeMap<>();
        byReason.forEach((reason, adder) -> copy.put(reason, adder.sum()));
        return copy;
    }

    /** The pipeline's configuration. */
    public PipelineConfig config() {
        return config;
    }

    /** The exporter, for a sink to reach its own settings. */
    public BatchExporter exporter() {
        return exporter;
    }

    @Override
    public String toString() {
        return "DeliveryPipeline{" + name + ", " + exporter + ", batchSize=" + config.batchSize() + ", linger="
                + ConfigReader.formatDuration(config.linger()) + ", queueCapacity=" + config.queueCapacity()
                + ", overflow=" + config.overflow().name().toLowerCase() + (closed ? ", closed" : "") + "}";
    }
}
