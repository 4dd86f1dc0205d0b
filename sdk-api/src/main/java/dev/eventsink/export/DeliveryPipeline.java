package dev.eventsink.export;

import dev.eventsink.DeliveryException;
import dev.eventsink.DeliveryException.Outcome;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import dev.eventsink.internal.ByteBuf;
import dev.eventsink.internal.RateLimitedLog;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline every batching sink reuses: an {@link EventSink} that queues events, sends them in
 * batches through the sink's {@link BatchExporter}, retries, splits, and accounts for every event. The package
 * documentation describes its keys and guarantees.
 *
 * <pre>{@code
 * public EventSink create(SinkConfig config) {
 *     ConfigReader reader = config.reader();
 *     PipelineConfig pipeline = PipelineConfig.read(reader);
 *     reader.validate();
 *     return DeliveryPipeline.start("ux-mysink", new MyExporter(...), pipeline);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Futures complete on the pipeline's worker threads.
 */
public final class DeliveryPipeline implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPipeline.class);
    static final String CLOSED = DeliveryException.SINK_CLOSED;
    static final String CLOSED_BEFORE_DELIVERY = "sink closed before delivery";
    static final String CLOSED_BEFORE_DELIVERY_SPOOLED =
            "sink closed before delivery; the event stays in the spool and is sent at the next start";
    /** Each caller thread encodes its events here before they are copied into the queue. */
    private static final ThreadLocal<ByteBuf> RECORD = ThreadLocal.withInitial(() -> new ByteBuf(512));
    private static final int MAX_KEPT_RECORD_BUFFER = 64 * 1024;

    private final String name;
    private final BatchExporter exporter;
    private final PipelineConfig config;
    private final LongSupplier nanoTime;
    private final Backoff backoff;
    private final RecordQueue queue;
    /** Holds the queued records when {@code SPOOL_DIR} is set; else {@code null}. */
    private final Spool spool;
    private final DeadLetters deadLetters;
    /** The reason of the events that close fails because they were not delivered in time. */
    private final String closedBeforeDelivery;
    private final PipelineCounters counters = new PipelineCounters();
    /** The worker threads by index; a worker that dies is replaced under {@link #workersLock}. */
    private final Thread[] workers;
    private final Object workersLock = new Object();
    /** Each worker's batch and the events it holds; the latter changed only under the queue's lock. */
    private final EventBatch[] workerBatches;
    private final List<List<Pending>> workerEvents = new ArrayList<>();
    /** Runs at the top of every worker loop, outside its error handling: lets tests kill a worker. */
    private final Runnable workerLoopHook;
    private final Thread shutdownHook;

    private volatile boolean closed;
    private volatile boolean terminated;
    /** No worker sends before this {@code nanoTime}; in the past while the backend is well. */
    private volatile long pausedUntilNanos;
    private final Object closeLock = new Object();
    private FlushResult closeResult;

    /** Flushes wait here for events to be settled; workers signal only while one waits. */
    private final ReentrantLock settledLock = new ReentrantLock();
    private final Condition settled = settledLock.newCondition();
    private final AtomicInteger flushWaiters = new AtomicInteger();

    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
    private final RateLimitedLog retryLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
    private final RateLimitedLog failLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
    private final RateLimitedLog spoolLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);

    private DeliveryPipeline(String name, BatchExporter exporter, PipelineConfig config, Spool spool,
            LongSupplier nanoTime, DoubleSupplier random, Runnable workerLoopHook) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.exporter = Objects.requireNonNull(exporter, "exporter must not be null");
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.nanoTime = nanoTime;
        this.backoff = new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff(), random);
        this.workerLoopHook = workerLoopHook;
        this.pausedUntilNanos = nanoTime.getAsLong();
        this.spool = spool;
        if (spool != null) {
            this.queue = RecordQueue.spooled(spool, config.batchSize(), config.batchBytes());
            counters.recovered = spool.recoveredRecords();
            this.closedBeforeDelivery = CLOSED_BEFORE_DELIVERY_SPOOLED;
        } else {
            // A batch larger than the queue could never fill by count: wake the worker when the queue is full.
            this.queue = new RecordQueue(config.queueCapacity(), config.queueBytes(),
                    Math.min(config.batchSize(), config.queueCapacity()),
                    Math.min(config.batchBytes(), config.queueBytes()));
            this.closedBeforeDelivery = CLOSED_BEFORE_DELIVERY;
        }
        this.deadLetters = new DeadLetters(name, config.deadLetterFile(), Clock.systemUTC());
        this.workers = new Thread[config.exportThreads()];
        this.workerBatches = new EventBatch[config.exportThreads()];
        this.shutdownHook = config.shutdownHook()
                ? new Thread(() -> close(config.closeTimeout()), "eventsink-" + name + "-shutdown")
                : null;
    }

    /**
     * Starts a pipeline: opens its spool when {@code SPOOL_DIR} is set, then starts its worker threads (daemon,
     * named {@code eventsink-<name>-<n>}) and, when configured, its shutdown hook.
     *
     * @param name     names the sink in logs and thread names, for example {@code ux-openobserve}
     * @param exporter sends the batches; closed by {@link #close(Duration)}
     * @throws ConfigurationException when the spool cannot be opened: no spool implementation on the class path,
     *     a directory that cannot be used, or one that another process holds
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
        Spool spool = openSpool(name, config);
        DeliveryPipeline pipeline = new DeliveryPipeline(name, exporter, config, spool, nanoTime, random,
                workerLoopHook);
        synchronized (pipeline.workersLock) {
            for (int i = 0; i < config.exportThreads(); i++) {
                pipeline.workerBatches[i] = new EventBatch(config.batchSize());
                pipeline.workerEvents.add(new ArrayList<>(config.batchSize()));
                pipeline.startWorker(i);
            }
        }
        if (pipeline.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(pipeline.shutdownHook);
        }
        return pipeline;
    }

    /** Opens the spool that {@code SPOOL_DIR} asks for with the first {@link SpoolProvider} found, or none. */
    private static Spool openSpool(String name, PipelineConfig config) {
        Path directory = config.spoolDirectory();
        if (directory == null) {
            return null;
        }
        SpoolProvider provider = firstSpoolProvider(Thread.currentThread().getContextClassLoader());
        if (provider == null) {
            provider = firstSpoolProvider(DeliveryPipeline.class.getClassLoader());
        }
        if (provider == null) {
            throw new ConfigurationException(name + ": SPOOL_DIR is set (" + directory + ") but no spool"
                    + " implementation is on the class path: add the jar of one (it registers a "
                    + SpoolProvider.class.getName() + "), or unset SPOOL_DIR");
        }
        SpoolSettings settings = new SpoolSettings(directory, config.spoolMaxBytes(), config.spoolFsync(),
                config.spoolFsyncInterval(), name);
        Spool spool;
        try {
            spool = provider.open(settings);
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(name + ": cannot open the spool in SPOOL_DIR " + directory + ": "
                    + e.getMessage(), e);
        }
        LOG.info("{}: spool in {} by {} (SPOOL_MAX_BYTES {}, SPOOL_FSYNC {}); {} events left by an earlier run are"
                + " sent first", name, directory, provider.getClass().getName(), config.spoolMaxBytes(),
                config.spoolFsync().name().toLowerCase(Locale.ROOT), spool.recoveredRecords());
        return spool;
    }

    private static SpoolProvider firstSpoolProvider(ClassLoader loader) {
        Iterator<SpoolProvider> providers = ServiceLoader.load(SpoolProvider.class, loader).iterator();
        return providers.hasNext() ? providers.next() : null;
    }

    // ---------------------------------------------------------------- the caller's side

    /**
     * Encodes the event into its compact record and queues it; no I/O. The returned future is the event's own:
     * completing or cancelling it does not change what the pipeline does with the event or counts.
     */
    @Override
    public CompletableFuture<Void> sendEvent(Event event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        counters.accepted.increment();
        ByteBuf record = RECORD.get();
        record.reset();
        try {
            EventRecords.encode(event, record);
        } catch (RuntimeException e) {
            Pending unreadable = new Pending(0);
            fail(unreadable, Outcome.REJECTED, "cannot encode the event: " + e);
            return unreadable;
        }
        Pending pending = new Pending(record.size());
        if (record.size() > config.maxEventBytes()) {
            record.reset(MAX_KEPT_RECORD_BUFFER);
            String reason = "event of " + pending.length + " bytes is larger than MAX_EVENT_BYTES "
                    + config.maxEventBytes();
            failLog.warn("{}: event {} rejected: {}", name, event.id(), reason);
            fail(pending, Outcome.REJECTED, reason);
            return pending;
        }
        try {
            enqueue(event, pending, record);
        } finally {
            record.reset(MAX_KEPT_RECORD_BUFFER);
        }
        return pending;
    }

    private void enqueue(Event event, Pending pending, ByteBuf record) {
        if (closed) {
            fail(pending, Outcome.UNDELIVERED, CLOSED);
            return;
        }
        if (spool == null && pending.weight() > config.queueBytes()) {
            drop(event, pending, "event larger than QUEUE_BYTES");
            return;
        }
        long end = 0;
        try {
            switch (config.overflow()) {
                case DROP_NEWEST -> {
                    end = queue.offer(pending, record.array(), record.size());
                    if (end < 0) {
                        drop(event, pending, full("drop_newest"));
                    }
                }
                case DROP_OLDEST -> {
                    List<Pending> evicted = queue.offerEvictingOldest(pending, record.array(), record.size());
                    for (Pending oldest : evicted) {
                        drop(oldest == pending ? event : null, oldest, "queue full (drop_oldest)");
                    }
                    if (!evicted.isEmpty()) {
                        signalSettled();
                    }
                }
                case BLOCK -> end = offerBlocking(event, pending, record);
            }
        } catch (IOException e) {
            spoolLog.warn("{}: cannot write to the spool: {}", name, e.toString());
            fail(pending, Outcome.UNDELIVERED, "cannot write to the spool: " + e.getMessage());
            return;
        }
        if (terminated) {
            // close() drained the queue before this event was added: fail whatever is left.
            failAll(queue.drainAll(), Outcome.UNDELIVERED, spool == null ? CLOSED : closedBeforeDelivery);
        } else if (end > 0) {
            awaitDurable(end);
        }
    }

    /** With {@code SPOOL_FSYNC=always}, waits until the record is on the device, outside the queue's lock. */
    private void awaitDurable(long end) {
        try {
            queue.awaitDurable(end);
        } catch (IOException e) {
            // The event is in the spool's file and will be delivered; only its durability is in doubt.
            spoolLog.warn("{}: cannot force the spool to the device: {}", name, e.toString());
        }
    }

    private String full(String policy) {
        return spool == null ? "queue full (" + policy + ")" : "spool full (SPOOL_MAX_BYTES, " + policy + ")";
    }

    /** Offers the event waiting up to {@code BLOCK_TIMEOUT} for room; as {@link RecordQueue#offer}. */
    private long offerBlocking(Event event, Pending pending, ByteBuf record) throws IOException {
        long end = queue.offer(pending, record.array(), record.size());
        if (end >= 0) {
            return end;
        }
        counters.waitingForRoom.incrementAndGet();
        try {
            end = queue.offer(pending, record.array(), record.size(), config.blockTimeout().toNanos());
            if (end < 0) {
                drop(event, pending, full("block timeout " + ConfigReader.formatDuration(config.blockTimeout())));
            }
            return end;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(event, pending, "interrupted while waiting for queue room (block)");
            return -1;
        } finally {
            counters.waitingForRoom.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- workers

    /** Starts worker {@code index}, or its replacement; called under {@link #workersLock}. */
    private void startWorker(int index) {
        Thread worker = new Thread(() -> runWorker(index), "eventsink-" + name + "-" + (index + 1));
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
            // Only the dead worker changed its list: what it holds can be read now.
            failUndecided(new ArrayList<>(workerEvents.get(index)), Outcome.UNDELIVERED,
                    "delivery failed: worker died: " + error);
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

    private void runWorker(int index) {
        EventBatch batch = workerBatches[index];
        List<Pending> events = workerEvents.get(index);
        while (true) {
            workerLoopHook.run();
            try {
                if (!queue.takeBatch(batch, events, config.batchSize(), config.batchBytes(),
                        config.linger().toNanos(), () -> closed)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // The events stay queued in the spool: try again after a pause.
                spoolLog.warn("{}: cannot read from the spool, trying again in 1 s: {}", name, e.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException stop) {
                    return;
                }
                continue;
            }
            int n = events.size();
            counters.inFlight.addAndGet(n);
            boolean settledAll = true;
            try {
                deliver(batch, events, nanoTime.getAsLong() + config.retryDeadline().toNanos());
            } catch (InterruptedException e) {
                settledAll = false; // with a spool, the batch stays there for the next start
                failAtClose(events);
                return;
            } catch (Throwable e) {
                // A failure in a step of the loop itself (backoff, stats, accounting) fails this batch, never
                // the worker: the next batch is delivered as usual.
                LOG.error("{}: delivering a batch of {} events failed; they fail and the worker goes on", name, n, e);
                failUndecided(events, Outcome.UNDELIVERED, "delivery failed: " + e);
            } finally {
                counters.inFlight.addAndGet(-n);
                // Outcomes decided here are completed even if a callback closed the sink meanwhile.
                events.forEach(Pending::completeFuture);
                if (settledAll) {
                    release(batch);
                }
                signalSettled();
            }
        }
    }

    /** With a spool, lets it forget the batch's records now that each of its events is settled. */
    private void release(EventBatch batch) {
        try {
            queue.settled(batch);
        } catch (IOException | RuntimeException e) {
            // The records are sent again after a restart: at least once, never lost.
            spoolLog.warn("{}: cannot release delivered events from the spool: {}", name, e.toString());
        }
    }

    /**
     * Exports {@code batch} until every event is delivered or failed, or the deadline passes; with a spool, there
     * is no deadline: events wait on disk until the backend takes them or the sink closes.
     */
    private void deliver(EventBatch batch, List<Pending> events, long deadline) throws InterruptedException {
        int attempt = 0;
        while (true) {
            awaitPause();
            long start = nanoTime.getAsLong();
            ExportResult result;
            try {
                result = exporter.export(batch);
                if (result == null) {
                    result = ExportResult.retry("exporter returned no result", null, 0);
                }
            } catch (InterruptedException | VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // Most often one event the exporter cannot encode: isolate it rather than retry them all.
                LOG.warn("{}: exporter threw on a batch of {} events; isolating the event that makes it throw", name,
                        batch.size(), e);
                result = ExportResult.isolateAll("exporter failed: " + e, 0);
            }
            counters.batches.increment();
            counters.bytesSent.add(result.bytesSent());
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: exported {} events in {} ms: {}", name, batch.size(),
                        (nanoTime.getAsLong() - start) / 1_000_000, result);
            }
            if (result.kind() != ExportResult.Kind.RETRY) {
                settle(batch, events, result, deadline);
                return;
            }
            long now = nanoTime.getAsLong();
            long wait = backoff.nanos(attempt, result.retryAfter());
            if (spool == null && now + wait - deadline > 0) {
                String reason = "not delivered within RETRY_DEADLINE " + ConfigReader.formatDuration(config.retryDeadline())
                        + "; last error: " + result.reason();
                failLog.warn("{}: {} events failed: {}", name, batch.size(), reason);
                failAll(events, Outcome.UNDELIVERED, reason);
                return;
            }
            attempt++;
            counters.retried.increment();
            pauseUntil(now + wait);
            retryLog.warn("{}: export of {} events failed, retry {} in {} ms: {}", name, batch.size(), attempt,
                    wait / 1_000_000, result.reason());
        }
    }

    private void settle(EventBatch batch, List<Pending> events, ExportResult result, long deadline)
            throws InterruptedException {
        switch (result.kind()) {
            case DELIVERED -> {
                for (Pending p : events) {
                    decideDelivered(p);
                }
                events.forEach(Pending::completeFuture);
            }
            case REJECT_ALL -> {
                failLog.warn("{}: {} events rejected: {}", name, batch.size(), result.reason());
                rejectAll(batch, events, result.reason());
            }
            case ISOLATE_ALL -> isolate(batch, events, result.reason(), deadline);
            case PER_RECORD -> {
                int last = Math.max(lastIndex(result.rejected()), lastIndex(result.isolate()));
                if (last >= batch.size()) {
                    LOG.error("{}: the exporter named record {} of a batch of {}; isolating the batch instead", name,
                            last, batch.size());
                    isolate(batch, events, "exporter reported an outcome for a record it was not given", deadline);
                    return;
                }
                List<Integer> suspects = new ArrayList<>();
                String suspectReason = null;
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = events.get(i);
                    String rejected = result.rejected().get(i);
                    String isolate = result.isolate().get(i);
                    if (rejected != null) {
                        failLog.warn("{}: event {} rejected: {}", name, batch.id(i), rejected);
                        reject(batch, p, i, rejected);
                    } else if (isolate != null) {
                        suspects.add(i);
                        suspectReason = isolate;
                    } else {
                        decideDelivered(p);
                    }
                }
                events.forEach(Pending::completeFuture);
                if (!suspects.isEmpty()) {
                    List<Pending> suspectEvents = new ArrayList<>(suspects.size());
                    suspects.forEach(i -> suspectEvents.add(events.get(i)));
                    EventBatch suspectBatch = batch.select(suspects);
                    if (suspects.size() == 1 && batch.size() > 1) {
                        deliver(suspectBatch, suspectEvents, deadline);
                    } else {
                        isolate(suspectBatch, suspectEvents, suspectReason, deadline);
                    }
                }
            }
            default -> throw new IllegalStateException("unexpected " + result);
        }
    }

    private static int lastIndex(Map<Integer, String> byIndex) {
        return byIndex.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /** Splits the batch in halves and delivers each, until a bad event stands alone and fails. */
    private void isolate(EventBatch batch, List<Pending> events, String reason, long deadline)
            throws InterruptedException {
        if (batch.size() == 1) {
            failLog.warn("{}: event {} rejected: {}", name, batch.id(0), reason);
            rejectAll(batch, events, reason);
            return;
        }
        int half = batch.size() / 2;
        deliver(batch.slice(0, half), new ArrayList<>(events.subList(0, half)), deadline);
        deliver(batch.slice(half, batch.size()), new ArrayList<>(events.subList(half, events.size())), deadline);
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

    // ---------------------------------------------------------------- outcomes

    // Each outcome is decided and counted first, and the future completed after, so that stats are up to date
    // once a future completes, and so that a callback that closes the sink cannot change a decided outcome.

    private void decideDelivered(Pending p) {
        if (p.decide(Pending.DELIVERED)) {
            counters.delivered.increment();
        }
    }

    private boolean decideFailed(Pending p, Outcome outcome, String reason) {
        if (p.decide(new DeliveryException(outcome, reason))) {
            counters.fail(reason);
            if (outcome == Outcome.REJECTED) {
                counters.rejected.increment();
            }
            return true;
        }
        return false;
    }

    /** The backend rejected event {@code i} of the batch for good: it fails and becomes a dead letter. */
    private void reject(EventBatch batch, Pending p, int i, String reason) {
        if (decideFailed(p, Outcome.REJECTED, reason)) {
            deadLetters.add(batch, i, reason);
        }
    }

    /** As {@link #reject} for every event of the batch, then completes their futures. */
    private void rejectAll(EventBatch batch, List<Pending> events, String reason) {
        for (int i = 0; i < events.size(); i++) {
            reject(batch, events.get(i), i, reason);
        }
        events.forEach(Pending::completeFuture);
    }

    /** Fails every event of {@code events} that is still undecided, then completes their futures. */
    private void failAll(List<Pending> events, Outcome outcome, String reason) {
        for (Pending p : events) {
            decideFailed(p, outcome, reason);
        }
        events.forEach(Pending::completeFuture);
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
            if (p.decide(new DeliveryException(Outcome.UNDELIVERED, closedBeforeDelivery))) {
                counters.failedAtClose.incrementAndGet();
                counters.fail(closedBeforeDelivery);
            }
        }
        events.forEach(Pending::completeFuture);
    }

    /** Drops an event by the overflow policy; {@code event} is null when the dropped one is an older, queued one. */
    private void drop(Event event, Pending p, String reason) {
        if (p.decide(new DeliveryException(Outcome.DROPPED, reason))) {
            counters.drop(reason);
            if (event != null) {
                dropLog.warn("{}: dropped event {}: {} (QUEUE_CAPACITY {}, QUEUE_BYTES {})", name, event.id(), reason,
                        config.queueCapacity(), config.queueBytes());
            } else {
                dropLog.warn("{}: dropped the oldest queued event: {} (QUEUE_CAPACITY {}, QUEUE_BYTES {})", name,
                        reason, config.queueCapacity(), config.queueBytes());
            }
            p.completeFuture();
        }
    }

    /** Wakes the flushes waiting for events to be settled, if any. */
    private void signalSettled() {
        if (flushWaiters.get() > 0) {
            settledLock.lock();
            try {
                settled.signalAll();
            } finally {
                settledLock.unlock();
            }
        }
    }

    // ---------------------------------------------------------------- flush, close, stats

    /**
     * Waits for exactly the events accepted before this call: those queued or in a worker's hands now. Events
     * still lingering in the queue are sent at once.
     */
    @Override
    public FlushResult flush(Duration timeout) {
        List<Pending> pending = new ArrayList<>();
        queue.snapshot(workerEvents, pending);
        queue.hurry();
        if (isWorker(Thread.currentThread())) {
            // Called from a callback on a worker: waiting here would wait for this very thread.
            return new FlushResult(unsettled(pending, 0));
        }
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        int next = 0;
        settledLock.lock();
        flushWaiters.incrementAndGet();
        try {
            while ((next = firstUnsettled(pending, next)) < pending.size()) {
                long remaining = deadline - nanoTime.getAsLong();
                if (remaining <= 0) {
                    break;
                }
                settled.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            flushWaiters.decrementAndGet();
            settledLock.unlock();
        }
        return new FlushResult(unsettled(pending, next));
    }

    private static int firstUnsettled(List<Pending> events, int from) {
        int i = from;
        while (i < events.size() && events.get(i).isSettled()) {
            i++;
        }
        return i;
    }

    private static long unsettled(List<Pending> events, int from) {
        long count = 0;
        for (int i = from; i < events.size(); i++) {
            if (!events.get(i).isSettled()) {
                count++;
            }
        }
        return count;
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
            queue.snapshot(workerEvents, unsettled);
            failAtClose(unsettled);
            signalSettled();
            try {
                exporter.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the exporter failed", name, e);
            }
            deadLetters.close();
            closeSpool();
            removeShutdownHook();
            closeResult = new FlushResult(counters.failedAtClose.get());
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

    private void closeSpool() {
        if (spool == null) {
            return;
        }
        try {
            spool.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: closing the spool failed; what it holds is read again at the next start: {}", name,
                    e.toString());
        }
    }

    private boolean isWorker(Thread thread) {
        synchronized (workersLock) {
            return Arrays.asList(workers).contains(thread);
        }
    }

    /** Joins the workers until the deadline; returns whether the calling thread was interrupted. */
    private boolean joinWorkers(Thread[] threads, long deadlineNanos) {
        boolean interrupted = false;
        for (Thread worker : threads) {
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
        return counters.snapshot(queue.size());
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
