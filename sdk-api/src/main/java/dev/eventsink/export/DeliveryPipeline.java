package dev.eventsink.export;

import dev.eventsink.DeliveryException;
import dev.eventsink.DeliveryException.Outcome;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import dev.eventsink.internal.BoundedQueue;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.internal.JsonValues;
import dev.eventsink.internal.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
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
    /**
     * JSON bytes of an event beside its payload and ids, at most: field names, id, timestamp (in microseconds and
     * ISO-8601 with nanoseconds), type and the separator, in the canonical form or a backend's record form.
     */
    static final int EVENT_OVERHEAD_BYTES = 200;

    private final String name;
    private final BatchExporter exporter;
    private final PipelineConfig config;
    private final LongSupplier nanoTime;
    private final DoubleSupplier random;
    private final BoundedQueue<Pending> queue;
    /** The worker threads by index; a worker that dies is replaced under {@link #workersLock}. */
    private final Thread[] workers;
    private final Object workersLock = new Object();
    /** Each worker's current batch, changed only under the queue's lock (see {@link BoundedQueue#snapshot}). */
    private final List<List<Pending>> workerBatches = new ArrayList<>();
    /** Runs at the top of every worker loop, outside its error handling: lets tests kill a worker. */
    private final Runnable workerLoopHook;
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

    /**
     * One accepted event until it is settled: delivered, failed or dropped, exactly once. The outcome is decided
     * (and counted) before the future completes, so that a callback that closes the sink, or a close that runs
     * while callbacks run, never turns a decided outcome into another.
     */
    private static final class Pending {
        private static final Object DELIVERED = new Object();
        private static final AtomicReferenceFieldUpdater<Pending, Object> OUTCOME =
                AtomicReferenceFieldUpdater.newUpdater(Pending.class, Object.class, "outcome");

        final Event event;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        final long size;
        /** {@code null} while pending, then {@link #DELIVERED} or the {@link DeliveryException}. */
        private volatile Object outcome;

        Pending(Event event, long size) {
            this.event = event;
            this.size = size;
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
                future.complete(null);
            } else if (decided != null) {
                future.completeExceptionally((Throwable) decided);
            }
        }
    }

    private DeliveryPipeline(String name, BatchExporter exporter, PipelineConfig config, LongSupplier nanoTime,
            DoubleSupplier random, Runnable workerLoopHook) {
        this.workers = new Thread[config.exportThreads()];
        this.workerLoopHook = workerLoopHook;
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
        return start(name, exporter, config, nanoTime, random, () -> { });
    }

    static DeliveryPipeline start(String name, BatchExporter exporter, PipelineConfig config, LongSupplier nanoTime,
            DoubleSupplier random, Runnable workerLoopHook) {
        DeliveryPipeline pipeline = new DeliveryPipeline(name, exporter, config, nanoTime, random, workerLoopHook);
        synchronized (pipeline.workersLock) {
            for (int i = 0; i < config.exportThreads(); i++) {
                pipeline.workerBatches.add(new ArrayList<>(config.batchSize()));
                pipeline.startWorker(i);
            }
        }
        if (pipeline.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(pipeline.shutdownHook);
        }
        return pipeline;
    }

    /** Starts worker {@code index}, or its replacement; called under {@link #workersLock}. */
    private void startWorker(int index) {
        List<Pending> batch = workerBatches.get(index);
        Thread worker = new Thread(() -> runWorker(batch), "eventsink-" + name + "-" + (index + 1));
        worker.setDaemon(true);
        worker.setUncaughtExceptionHandler((thread, error) -> replaceDeadWorker(index, thread, error));
        workers[index] = worker;
        worker.start();
    }

    /**
     * A worker ended with an exception that its own error handling could not catch: fail what it held and, unless
     * the sink is closing, start another in its place.
     */
    private void replaceDeadWorker(int index, Thread dead, Throwable error) {
        try {
            // Only the dead worker changed its batch: what it holds can be read now.
            List<Pending> held = new ArrayList<>(workerBatches.get(index));
            failUndecided(held, Outcome.UNDELIVERED, "delivery failed: worker died: " + error);
            synchronized (workersLock) {
                if (closed) {
                    LOG.error("{}: worker {} died while the sink was closing", name, dead.getName(), error);
                    return;
                }
                LOG.error("{}: worker {} died; starting a replacement", name, dead.getName(), error);
                startWorker(index);
            }
        } catch (Throwable e) {
            error.addSuppressed(e);
            LOG.error("{}: worker {} died and could not be replaced", name, dead.getName(), error);
        }
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
            size += JsonValues.stringSize(event.userId());
        }
        if (event.sessionId() != null) {
            size += JsonValues.stringSize(event.sessionId());
        }
        return size;
    }

    // ---------------------------------------------------------------- worker

    private void runWorker(List<Pending> batch) {
        while (true) {
            workerLoopHook.run();
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
                failAtClose(batch);
                return;
            } catch (Throwable e) {
                // A failure in a step of the loop itself (backoff, stats, accounting) fails this batch, never
                // the worker: the next batch is delivered as usual.
                LOG.error("{}: delivering a batch of {} events failed; they fail and the worker goes on", name,
                        batch.size(), e);
                failUndecided(batch, Outcome.UNDELIVERED, "delivery failed: " + e);
            } finally {
                inFlight.addAndGet(-batch.size());
                // Outcomes decided here are completed even if a callback closed the sink meanwhile.
                batch.forEach(Pending::completeFuture);
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
                // Most often one record the exporter cannot encode: isolate it rather than retry them all.
                LOG.warn("{}: exporter threw on a batch of {} events; isolating the event that makes it throw", name,
                        batch.size(), e);
                result = ExportResult.isolateAll("exporter failed: " + e, 0);
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
                failAll(batch, Outcome.UNDELIVERED, reason);
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
            case DELIVERED -> {
                for (Pending p : batch) {
                    decideDelivered(p);
                }
                batch.forEach(Pending::completeFuture);
            }
            case REJECT_ALL -> {
                failLog.warn("{}: {} events rejected: {}", name, batch.size(), result.reason());
                failAll(batch, Outcome.REJECTED, result.reason());
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
                        decideFailed(p, Outcome.REJECTED, rejected);
                    } else if (isolate != null) {
                        suspects.add(p);
                        suspectReason = isolate;
                    } else {
                        decideDelivered(p);
                    }
                }
                batch.forEach(Pending::completeFuture);
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
            failAll(records, Outcome.REJECTED, reason);
            return;
        }
        int half = records.size() / 2;
        deliver(new ArrayList<>(records.subList(0, half)), deadline);
        deliver(new ArrayList<>(records.subList(half, records.size())), deadline);
    }

    /**
     * The wait before the next attempt: exponential backoff with full jitter, at least the backend's
     * {@code Retry-After}; both capped at {@code RETRY_MAX_BACKOFF} before any arithmetic, so that no value a
     * backend sends can overflow.
     */
    private long backoffNanos(int attempt, Duration retryAfter) {
        long max = config.retryMaxBackoff().toNanos();
        long initial = config.retryInitialBackoff().toNanos();
        long ceiling = attempt >= 62 || initial > (max >> Math.min(attempt, 62)) ? max : Math.min(max, initial << attempt);
        long wait = (long) (random.getAsDouble() * ceiling);
        if (retryAfter != null) {
            long asked = retryAfter.compareTo(config.retryMaxBackoff()) >= 0 ? max : retryAfter.toNanos();
            wait = Math.max(wait, asked);
        }
        return Math.min(Math.max(wait, 0), max);
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

    // Each outcome is decided and counted first, and the future completed after, so that stats are up to date
    // once a future completes, and so that a callback that closes the sink cannot change a decided outcome.

    private void decideDelivered(Pending p) {
        if (p.decide(Pending.DELIVERED)) {
            delivered.increment();
        }
    }

    private boolean decideFailed(Pending p, Outcome outcome, String reason) {
        if (p.decide(new DeliveryException(outcome, reason))) {
            count(failed, reason);
            return true;
        }
        return false;
    }

    /** Fails every event of {@code batch} that is still undecided, then completes their futures. */
    private void failAll(List<Pending> batch, Outcome outcome, String reason) {
        for (Pending p : batch) {
            decideFailed(p, outcome, reason);
        }
        batch.forEach(Pending::completeFuture);
    }

    private void fail(Pending p, Outcome outcome, String reason) {
        decideFailed(p, outcome, reason);
        p.completeFuture();
    }

    /** As {@link #failAll}, logging how many were still undecided. */
    private void failUndecided(List<Pending> events, Outcome outcome, String reason) {
        int count = 0;
        for (Pending p : events) {
            if (decideFailed(p, outcome, reason)) {
                count++;
            }
        }
        events.forEach(Pending::completeFuture);
        if (count > 0) {
            failLog.warn("{}: {} events failed: {}", name, count, reason);
        }
    }

    /** Fails what is undecided as undelivered at close, and completes every decided future. */
    private void failAtClose(List<Pending> events) {
        for (Pending p : events) {
            if (p.decide(new DeliveryException(Outcome.UNDELIVERED, CLOSED_BEFORE_DELIVERY))) {
                failedAtClose.incrementAndGet();
                count(failed, CLOSED_BEFORE_DELIVERY);
            }
        }
        events.forEach(Pending::completeFuture);
    }

    private void drop(Pending p, String reason) {
        if (p.decide(new DeliveryException(Outcome.DROPPED, reason))) {
            count(dropped, reason);
            dropLog.warn("{}: dropped event {}: {} (QUEUE_CAPACITY {}, QUEUE_BYTES {})", name, p.event.id(), reason,
                    config.queueCapacity(), config.queueBytes());
            p.completeFuture();
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
        if (isWorker(Thread.currentThread())) {
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
            Thread[] current;
            synchronized (workersLock) {
                closed = true; // from now on no worker is replaced
                current = workers.clone();
            }
            queue.hurry();
            boolean interrupted = joinWorkers(current, drainDeadline);
            Thread self = Thread.currentThread();
            if (Arrays.stream(current).anyMatch(w -> w.isAlive() && w != self)) {
                Arrays.stream(current).filter(w -> w != self).forEach(Thread::interrupt);
                interrupted |= joinWorkers(current, deadline);
            }
            terminated = true;
            // What is still queued, or held by a worker that did not stop in time, fails now, and every outcome
            // already decided is completed: no future is pending when close returns.
            List<Pending> unsettled = new ArrayList<>(queue.drainAll());
            queue.snapshot(workerBatches, unsettled);
            failAtClose(unsettled);
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

    private boolean isWorker(Thread thread) {
        synchronized (workersLock) {
            return Arrays.asList(workers).contains(thread);
        }
    }

    /** Joins the workers until the deadline; returns whether the calling thread was interrupted. */
    private boolean joinWorkers(Thread[] workers, long deadlineNanos) {
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
        return SinkStats.builder()
                .accepted(accepted.sum())
                .delivered(delivered.sum())
                .failed(snapshot(failed))
                .dropped(snapshot(dropped))
                .retried(retried.sum())
                .queued(queue.size() + waitingForRoom.get())
                .inFlight(inFlight.get())
                .batches(batches.sum())
                .bytesSent(bytesSent.sum())
                .build();
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
