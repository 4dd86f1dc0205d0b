package dev.eventsink.export;

import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.SinkConfig;
import static dev.eventsink.DeliveryException.Outcome.DROPPED;
import static dev.eventsink.DeliveryException.Outcome.REJECTED;
import static dev.eventsink.DeliveryException.Outcome.UNDELIVERED;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.DeliveryException.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline against a fake in-test {@link BatchExporter}: no HTTP. Waits are conditions (latches in
 * the fake exporter, future timeouts, {@link #await}); durations are a few milliseconds, configured through keys.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeliveryPipelineTest {

    /** The pipeline's weight of an event beside its payload: the record's header plus its JSON overhead. */
    static final int EVENT_OVERHEAD = EventRecords.HEADER_BYTES + EventRecords.JSON_OVERHEAD;
    static final String DROP_NEWEST = "queue full (drop_newest)";
    static final String DROP_OLDEST = "queue full (drop_oldest)";
    static final String CLOSED = "sink is closed";
    static final String CLOSED_BEFORE_DELIVERY = "sink closed before delivery";
    static final DoubleSupplier NO_JITTER_WAIT = () -> 0.0;
    static final DoubleSupplier FULL_CEILING = () -> 1.0;

    /** Keys every test starts from; each test overrides what it is about. */
    static final Map<String, String> BASE_KEYS = Map.of(
            "EXPORT_THREADS", "1",
            "LINGER", "0ms",
            "RETRY_INITIAL_BACKOFF", "1ms",
            "RETRY_MAX_BACKOFF", "1s",
            "CLOSE_TIMEOUT", "2s");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Logger PIPELINE_LOG = (Logger) LoggerFactory.getLogger(DeliveryPipeline.class);
    private static final ListAppender<ILoggingEvent> PIPELINE_LINES = new ListAppender<>();

    private final List<DeliveryPipeline> started = new ArrayList<>();
    /** The name of the last pipeline started: its workers are eventsink-<name>-<n>. */
    private String name;

    @BeforeAll
    static void capturePipelineLog() {
        // Retries, drops and failures log warnings by design: keep them off the console and let tests read them.
        PIPELINE_LINES.start();
        PIPELINE_LOG.addAppender(PIPELINE_LINES);
        PIPELINE_LOG.setAdditive(false);
    }

    @AfterAll
    static void releasePipelineLog() {
        PIPELINE_LOG.detachAppender(PIPELINE_LINES);
        PIPELINE_LOG.setAdditive(true);
        PIPELINE_LINES.stop();
    }

    @AfterEach
    void closeEveryPipeline() {
        for (DeliveryPipeline pipeline : started) {
            pipeline.close(Duration.ofMillis(500)); // a test that left its exporter blocked is interrupted
        }
        awaitNoWorkers(name);
    }

    // ====================================================================================== hand-off

    @Nested
    class Handoff {

        @Test
        void sendEventReturnsAtOnceAndOnlyTheNamedDaemonWorkersCallTheExporter() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                gate.await();
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "EXPORT_THREADS", "2", "BATCH_SIZE", "1");
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            AtomicReference<String> caller = new AtomicReference<>();

            // The exporter blocks: had sendEvent exported on the caller's thread, this would time out.
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                caller.set(Thread.currentThread().getName());
                for (int i = 0; i < 4; i++) {
                    futures.add(sink.sendEvent(ev("e" + i)));
                }
            });
            exporter.awaitEntered(2); // both workers are inside export() at once
            assertThat(futures).noneMatch(CompletableFuture::isDone);

            gate.countDown();
            for (CompletableFuture<Void> future : futures) {
                assertDelivered(future);
            }
            assertThat(exporter.calls).hasSize(4);
            assertThat(exporter.calls).allSatisfy(call -> assertThat(call.daemon()).as(call.thread()).isTrue());
            assertThat(exporter.calls.stream().map(Call::thread).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("eventsink-" + name + "-1", "eventsink-" + name + "-2")
                    .doesNotContain(caller.get(), Thread.currentThread().getName());
        }

        @Test
        void aNullEventFailsItsFutureAndIsNotCounted() {
            DeliveryPipeline sink = start(FakeExporter.delivering());

            CompletableFuture<Void> future = sink.sendEvent(null);

            assertThat(future).isCompletedExceptionally();
            assertThat(future.handle((v, e) -> e).join()).isInstanceOf(NullPointerException.class)
                    .hasMessage("event must not be null");
            assertThat(sink.stats().accepted()).isZero();
        }
    }

    // ====================================================================================== batching

    @Nested
    class Batching {

        @Test
        void aBatchClosesOnBatchSize() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "3", "LINGER", "5m");
            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2", "e3", "e4", "e5", "e6", "e7");

            await("two full batches", () -> exporter.calls.size() == 2);
            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2", "e3"), List.of("e4", "e5", "e6"));
            assertThat(futures.get(6)).isNotDone(); // the 7th lingers: 5 minutes
            assertThat(sink.stats().queued()).isEqualTo(1);

            long start = System.nanoTime();
            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(new FlushResult(0));
            assertThat(millisSince(start)).isLessThan(2_000);
            assertThat(exporter.batches()).containsExactly(
                    List.of("e1", "e2", "e3"), List.of("e4", "e5", "e6"), List.of("e7"));
            assertAllDelivered(futures);
        }

        @Test
        void aBatchClosesOnBatchBytes() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "100", "BATCH_BYTES", "1KiB", "LINGER", "5m");
            // 4 × 250 = 1000 bytes fit in 1024; the 5th does not.
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                futures.add(sink.sendEvent(sized("e" + i, 250)));
            }

            await("a batch closed by bytes", () -> exporter.calls.size() == 1);
            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2", "e3", "e4"));
            assertThat(futures.get(4)).isNotDone();

            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(new FlushResult(0));
            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2", "e3", "e4"), List.of("e5"));
            assertAllDelivered(futures);
        }

        @Test
        void aBigEventFormsItsOwnBatch() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "100", "BATCH_BYTES", "1KiB", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = List.of(
                    sink.sendEvent(sized("s1", 250)), sink.sendEvent(sized("s2", 250)),
                    sink.sendEvent(sized("big", 900)), sink.sendEvent(sized("s3", 250)));

            await("two batches closed by bytes", () -> exporter.calls.size() == 2);
            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(new FlushResult(0));
            assertThat(exporter.batches()).containsExactly(List.of("s1", "s2"), List.of("big"), List.of("s3"));
            assertAllDelivered(futures);
        }

        @Test
        void anEventLargerThanBatchBytesStillGoesAlone() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "100", "BATCH_BYTES", "1KiB", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = List.of(
                    sink.sendEvent(sized("s1", 250)), sink.sendEvent(sized("huge", 3000)),
                    sink.sendEvent(sized("s2", 250)));

            await("two batches closed by bytes", () -> exporter.calls.size() == 2);
            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(new FlushResult(0));
            assertThat(exporter.batches()).containsExactly(List.of("s1"), List.of("huge"), List.of("s2"));
            assertAllDelivered(futures);
        }

        @Test
        void aBatchClosesOnLinger() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "100", "LINGER", "100ms");

            long sent = System.nanoTime();
            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2");
            assertAllDelivered(futures);

            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2"));
            assertThat(NANOSECONDS.toMillis(exporter.calls.get(0).startNanos() - sent))
                    .as("ms from sendEvent to export").isGreaterThanOrEqualTo(100);
        }

        @Test
        void flushSendsALingeringBatchNow() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "100", "LINGER", "5m");
            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2");

            long start = System.nanoTime();
            FlushResult result = sink.flush(Duration.ofSeconds(5));

            assertThat(result).isEqualTo(new FlushResult(0));
            assertThat(millisSince(start)).isLessThan(2_000);
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2"));
        }
    }

    // ====================================================================================== overflow

    enum Bound { COUNT, BYTES }

    /**
     * A queue bounded to 3 events of 300 bytes, by count (QUEUE_CAPACITY 3) or by bytes (QUEUE_BYTES 1KiB),
     * filled deterministically: e0 is taken by the single worker and blocks in the exporter, e1..e3 wait.
     */
    @Nested
    class Overflow {

        final CountDownLatch gate = new CountDownLatch(1);
        final FakeExporter exporter = new FakeExporter((n, batch) -> {
            gate.await();
            return ExportResult.delivered(bytes(batch));
        });
        final Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        final Map<String, Event> events = new HashMap<>();
        DeliveryPipeline sink;

        @AfterEach
        void openTheGate() {
            gate.countDown();
        }

        void fill(Bound bound, String... keys) {
            List<String> all = new ArrayList<>(List.of("BATCH_SIZE", "1"));
            all.addAll(bound == Bound.COUNT ? List.of("QUEUE_CAPACITY", "3") : List.of("QUEUE_BYTES", "1KiB"));
            all.addAll(List.of(keys));
            sink = start(exporter, all.toArray(String[]::new));
            send("e0");
            exporter.awaitEntered(1);
            send("e1");
            send("e2");
            send("e3");
            assertThat(sink.stats().queued()).isEqualTo(3);
            assertThat(futures.values()).noneMatch(CompletableFuture::isDone);
        }

        CompletableFuture<Void> send(String label) {
            return send(label, 300);
        }

        CompletableFuture<Void> send(String label, int size) {
            Event event = sized(label, size);
            events.put(label, event);
            CompletableFuture<Void> future = sink.sendEvent(event);
            futures.put(label, future);
            return future;
        }

        @ParameterizedTest
        @EnumSource(Bound.class)
        void dropNewestFailsTheNewEvent(Bound bound) throws Exception {
            fill(bound, "OVERFLOW", "drop_newest");

            CompletableFuture<Void> e4 = send("e4");

            assertFailedNow(e4, DROPPED, DROP_NEWEST);
            assertThat(sink.stats().queued()).isEqualTo(3);
            assertThat(sink.stats().dropped()).isEqualTo(Map.of(DROP_NEWEST, 1L));
            gate.countDown();
            for (String label : List.of("e0", "e1", "e2", "e3")) {
                assertDelivered(futures.get(label));
            }
            assertThat(exporter.batches()).containsExactly(List.of("e0"), List.of("e1"), List.of("e2"), List.of("e3"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.accepted()).isEqualTo(5);
            assertThat(stats.delivered()).isEqualTo(4);
            assertThat(stats.failed()).isEmpty();
            assertThat(stats.dropped()).isEqualTo(Map.of(DROP_NEWEST, 1L));
        }

        @ParameterizedTest
        @EnumSource(Bound.class)
        void dropOldestFailsTheOldestAndKeepsTheNewEvent(Bound bound) throws Exception {
            fill(bound, "OVERFLOW", "drop_oldest");

            CompletableFuture<Void> e4 = send("e4");
            assertFailedNow(futures.get("e1"), DROPPED, DROP_OLDEST);
            assertThat(e4).isNotDone();
            CompletableFuture<Void> e5 = send("e5");
            assertFailedNow(futures.get("e2"), DROPPED, DROP_OLDEST);
            assertThat(e5).isNotDone();
            assertThat(sink.stats().queued()).isEqualTo(3);
            assertThat(sink.stats().dropped()).isEqualTo(Map.of(DROP_OLDEST, 2L));

            gate.countDown();
            for (String label : List.of("e0", "e3", "e4", "e5")) {
                assertDelivered(futures.get(label));
            }
            assertThat(exporter.batches()).containsExactly(List.of("e0"), List.of("e3"), List.of("e4"), List.of("e5"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.accepted()).isEqualTo(6);
            assertThat(stats.delivered()).isEqualTo(4);
            assertThat(stats.dropped()).isEqualTo(Map.of(DROP_OLDEST, 2L));
        }

        @Test
        void dropOldestEvictsAsManyEventsAsTheNewOneNeedsBytes() throws Exception {
            fill(Bound.BYTES, "OVERFLOW", "drop_oldest");

            CompletableFuture<Void> big = send("big", 700); // 900 + 700 > 1024: e1 and e2 must go, 300 + 700 fits

            assertFailedNow(futures.get("e1"), DROPPED, DROP_OLDEST);
            assertFailedNow(futures.get("e2"), DROPPED, DROP_OLDEST);
            assertThat(futures.get("e3")).isNotDone();
            assertThat(big).isNotDone();
            assertThat(sink.stats().queued()).isEqualTo(2);
            gate.countDown();
            assertDelivered(big);
            assertThat(exporter.batches()).containsExactly(List.of("e0"), List.of("e3"), List.of("big"));
            assertThat(idleStats(sink).dropped()).isEqualTo(Map.of(DROP_OLDEST, 2L));
        }

        @ParameterizedTest
        @ValueSource(strings = {"drop_newest", "drop_oldest", "block"})
        void anEventLargerThanQueueBytesIsDroppedAtOnceWhateverThePolicyAndTheQueueIsKept(String policy)
                throws Exception {
            fill(Bound.BYTES, "OVERFLOW", policy, "BLOCK_TIMEOUT", "1m");
            String tooLarge = "event larger than QUEUE_BYTES";

            CompletableFuture<Void> huge = send("huge", 2000);

            assertFailedNow(huge, DROPPED, tooLarge);
            assertThat(List.of(futures.get("e1"), futures.get("e2"), futures.get("e3"))).noneMatch(CompletableFuture::isDone);
            assertThat(sink.stats().queued()).isEqualTo(3);
            assertThat(sink.stats().dropped()).isEqualTo(Map.of(tooLarge, 1L));
        }

        @ParameterizedTest
        @EnumSource(Bound.class)
        void blockWaitsUpToBlockTimeoutThenDropsTheNewEvent(Bound bound) throws Exception {
            fill(bound, "OVERFLOW", "block", "BLOCK_TIMEOUT", "100ms");

            long start = System.nanoTime();
            CompletableFuture<Void> e4 = send("e4");

            assertThat(millisSince(start)).as("ms the caller waited").isBetween(100L, 2_000L);
            assertFailedNow(e4, DROPPED, "queue full (block timeout 100ms)");
            assertThat(sink.stats().queued()).isEqualTo(3);
            assertThat(sink.stats().dropped()).isEqualTo(Map.of("queue full (block timeout 100ms)", 1L));
        }

        @ParameterizedTest
        @EnumSource(Bound.class)
        void blockSucceedsWhenRoomAppearsInTime(Bound bound) throws Exception {
            fill(bound, "OVERFLOW", "block", "BLOCK_TIMEOUT", "5s");
            AtomicReference<CompletableFuture<Void>> e4 = new AtomicReference<>();
            Thread caller = new Thread(() -> e4.set(sink.sendEvent(sized("e4", 300))), "blocked-caller");

            long start = System.nanoTime();
            caller.start();
            awaitState(caller, Thread.State.TIMED_WAITING);
            assertThat(e4.get()).as("sendEvent still waiting for room").isNull();
            gate.countDown(); // the worker takes e1: room for e4
            caller.join(5_000);

            assertThat(caller.isAlive()).isFalse();
            assertThat(millisSince(start)).isLessThan(5_000);
            assertDelivered(e4.get());
            for (String label : List.of("e0", "e1", "e2", "e3")) {
                assertDelivered(futures.get(label));
            }
            assertThat(exporter.batches()).containsExactly(
                    List.of("e0"), List.of("e1"), List.of("e2"), List.of("e3"), List.of("e4"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.dropped()).isEmpty();
            assertThat(stats.delivered()).isEqualTo(5);
        }

        @Test
        void dropsAreLoggedAtMostOncePerIntervalWithTheReason() throws Exception {
            fill(Bound.COUNT, "OVERFLOW", "drop_newest");
            int before = PIPELINE_LINES.list.size();

            List<CompletableFuture<Void>> dropped = new ArrayList<>();
            for (int i = 4; i < 9; i++) {
                dropped.add(send("e" + i));
            }

            for (CompletableFuture<Void> future : dropped) {
                assertFailedNow(future, DROPPED, DROP_NEWEST);
            }
            List<String> lines = linesOf(name, before);
            assertThat(lines).containsExactly(name + ": dropped event " + events.get("e4").id() + ": " + DROP_NEWEST
                    + " (QUEUE_CAPACITY 3, QUEUE_BYTES " + 64L * 1024 * 1024 + ")");
            assertThat(sink.stats().dropped()).isEqualTo(Map.of(DROP_NEWEST, 5L));
        }
    }

    // ====================================================================================== retries

    @Nested
    class Retries {

        @Test
        void aRetriedBatchIsSentAgainUntilDeliveredWithExponentialBackoff() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n < 3
                    ? ExportResult.retry("503 Service Unavailable", null, 7)
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, FULL_CEILING,
                    "BATCH_SIZE", "3", "LINGER", "5m", "RETRY_INITIAL_BACKOFF", "10ms");

            List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b", "c");

            assertAllDelivered(futures);
            assertThat(exporter.batches()).hasSize(4).containsOnly(List.of("a", "b", "c"));
            List<UUID> firstIds = exporter.calls.get(0).ids();
            assertThat(exporter.calls).allSatisfy(call -> assertThat(call.ids()).isEqualTo(firstIds));
            List<Long> gaps = exporter.gapsMillis();
            assertThat(gaps.get(0)).as("1st backoff").isGreaterThanOrEqualTo(10);
            assertThat(gaps.get(1)).as("2nd backoff").isGreaterThanOrEqualTo(20);
            assertThat(gaps.get(2)).as("3rd backoff").isGreaterThanOrEqualTo(40);
            SinkStats stats = idleStats(sink);
            assertThat(stats.retried()).isEqualTo(3);
            assertThat(stats.batches()).isEqualTo(4);
            assertThat(stats.delivered()).isEqualTo(3);
            assertThat(stats.failed()).isEmpty();
            assertThat(stats.bytesSent()).isEqualTo(3 * 7 + 30);
        }

        @Test
        void retryAfterIsRespected() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0
                    ? ExportResult.retry("429 Too Many Requests", Duration.ofMillis(150), 0)
                    : ExportResult.delivered(bytes(batch)));
            // No jitter wait at all: only Retry-After can make the pipeline wait.
            DeliveryPipeline sink = start(exporter, NO_JITTER_WAIT, "BATCH_SIZE", "1");

            assertDelivered(sink.sendEvent(ev("a")));

            assertThat(exporter.gapsMillis()).hasSize(1);
            assertThat(exporter.gapsMillis().get(0)).as("ms between attempts").isGreaterThanOrEqualTo(150);
            assertThat(idleStats(sink).retried()).isEqualTo(1);
        }

        @Test
        void retryAfterIsCappedAtRetryMaxBackoff() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0
                    ? ExportResult.retry("503 Service Unavailable", Duration.ofHours(1), 0)
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, NO_JITTER_WAIT, "BATCH_SIZE", "1", "RETRY_MAX_BACKOFF", "100ms");

            assertDelivered(sink.sendEvent(ev("a"))); // within 5 s, not an hour

            assertThat(exporter.gapsMillis().get(0)).as("ms between attempts").isBetween(100L, 3_000L);
        }

        @Test
        void exponentialBackoffIsCappedAtRetryMaxBackoff() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n < 2
                    ? ExportResult.retry("503 Service Unavailable", null, 0)
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, FULL_CEILING, "BATCH_SIZE", "1",
                    "RETRY_INITIAL_BACKOFF", "1m", "RETRY_MAX_BACKOFF", "50ms");

            assertDelivered(sink.sendEvent(ev("a"))); // within 5 s, not minutes

            assertThat(exporter.gapsMillis()).hasSize(2).allSatisfy(gap -> assertThat(gap).isBetween(50L, 3_000L));
            assertThat(idleStats(sink).retried()).isEqualTo(2);
        }

        @Test
        void whileOneBatchBacksOffTheWholeSinkPauses() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0
                    ? ExportResult.retry("503 Service Unavailable", Duration.ofMillis(200), 0)
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, NO_JITTER_WAIT, "EXPORT_THREADS", "2", "BATCH_SIZE", "1");

            CompletableFuture<Void> a = sink.sendEvent(ev("a"));
            await("the first retry", () -> sink.stats().retried() == 1);
            Call failed = exporter.calls.get(0);
            awaitState(thread(failed.thread()), Thread.State.TIMED_WAITING); // backing off
            CompletableFuture<Void> b = sink.sendEvent(ev("b"));
            assertDelivered(a);
            assertDelivered(b);

            Call bCall = exporter.callsWith("b").get(0);
            Call aRetry = exporter.callsWith("a").get(1);
            assertThat(bCall.thread()).as("b went to the other worker").isNotEqualTo(failed.thread());
            assertThat(NANOSECONDS.toMillis(bCall.startNanos() - failed.endNanos()))
                    .as("ms from the retry answer to the other worker's export").isGreaterThanOrEqualTo(200);
            assertThat(NANOSECONDS.toMillis(aRetry.startNanos() - failed.endNanos())).isGreaterThanOrEqualTo(200);
        }

        @Test
        void eventsFailUndeliveredWhenTheNextAttemptWouldComeAfterTheRetryDeadline() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> ExportResult.retry("503 attempt " + n, null, 0));
            // Full-ceiling waits of 5, 10, 20, 40, 80, 160 ms fit in 600 ms (the 6th attempt starts at 315 ms,
            // leaving 285 ms of slack); the 7th wait, 320 ms, would end at 635 ms: past the deadline.
            DeliveryPipeline sink = start(exporter, FULL_CEILING, "BATCH_SIZE", "2", "LINGER", "5m",
                    "RETRY_INITIAL_BACKOFF", "5ms", "RETRY_DEADLINE", "600ms");

            List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b");

            String reason = "not delivered within RETRY_DEADLINE 600ms; last error: 503 attempt 6";
            for (CompletableFuture<Void> future : futures) {
                assertFailed(future, UNDELIVERED, reason);
            }
            SinkStats stats = idleStats(sink);
            assertThat(stats.retried()).isEqualTo(6);
            assertThat(stats.batches()).isEqualTo(7);
            assertThat(stats.failed()).isEqualTo(Map.of(reason, 2L));
            assertThat(stats.rejected()).isZero();
            assertThat(stats.undelivered()).isEqualTo(2);
            assertThat(stats.delivered()).isZero();
        }

        @Test
        void anExporterThatThrowsOnOneEventIsolatesItAndDeliversTheRest() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                if (batch.stream().anyMatch(e -> label(e).equals("bad"))) {
                    throw new IllegalArgumentException("cannot encode bad");
                }
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "4", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "a", "bad", "c", "d");

            assertDelivered(futures.get(0));
            assertFailed(futures.get(1), REJECTED, "exporter failed: java.lang.IllegalArgumentException: cannot encode bad");
            assertDelivered(futures.get(2));
            assertDelivered(futures.get(3));
            SinkStats stats = idleStats(sink);
            assertThat(stats.retried()).as("nothing is retried: a throwing exporter is not a transient failure").isZero();
            assertThat(stats.delivered()).isEqualTo(3);
            assertThat(stats.failed()).isEqualTo(
                    Map.of("exporter failed: java.lang.IllegalArgumentException: cannot encode bad", 1L));
        }

        @Test
        void rejectAllFailsEveryEventWithTheReasonAndNoRetry() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> ExportResult.rejectAll("401 Unauthorized: bad token", 33));
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "3", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b", "c");

            for (CompletableFuture<Void> future : futures) {
                assertFailed(future, REJECTED, "401 Unauthorized: bad token");
            }
            assertThat(exporter.batches()).containsExactly(List.of("a", "b", "c"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.retried()).isZero();
            assertThat(stats.batches()).isEqualTo(1);
            assertThat(stats.bytesSent()).isEqualTo(33);
            assertThat(stats.failed()).isEqualTo(Map.of("401 Unauthorized: bad token", 3L));
            assertThat(stats.rejected()).isEqualTo(3);
            assertThat(stats.undelivered()).isZero();
        }
    }

    // ====================================================================================== isolation

    @Nested
    class Isolation {

        /** Refuses any batch holding a "bad*" event as a whole, as a 400 does, naming the first bad one. */
        final FakeExporter exporter = new FakeExporter((n, batch) -> batch.stream()
                .map(DeliveryPipelineTest::label)
                .filter(label -> label.startsWith("bad"))
                .findFirst()
                .map(bad -> ExportResult.isolateAll("400 Bad Request: invalid field in " + bad, 0))
                .orElseGet(() -> ExportResult.delivered(bytes(batch))));

        @Test
        void isolateAllDeliversTheGoodEventsAndRejectsTheBadOneWithItsReason() throws Exception {
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "8", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "g0", "g1", "g2", "g3", "g4", "bad5", "g6", "g7");

            for (int i = 0; i < 8; i++) {
                if (i == 5) {
                    assertFailed(futures.get(i), REJECTED, "400 Bad Request: invalid field in bad5");
                } else {
                    assertDelivered(futures.get(i));
                }
            }
            assertThat(exporter.batches()).containsExactly(
                    List.of("g0", "g1", "g2", "g3", "g4", "bad5", "g6", "g7"),
                    List.of("g0", "g1", "g2", "g3"),
                    List.of("g4", "bad5", "g6", "g7"),
                    List.of("g4", "bad5"),
                    List.of("g4"),
                    List.of("bad5"),
                    List.of("g6", "g7"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.delivered()).isEqualTo(7);
            assertThat(stats.failed()).isEqualTo(Map.of("400 Bad Request: invalid field in bad5", 1L));
            assertThat(stats.retried()).isZero();
            assertThat(stats.batches()).isEqualTo(7);
        }

        @Test
        void isolateAllIsolatesTwoBadEvents() throws Exception {
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "8", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "g0", "bad1", "g2", "g3", "g4", "g5", "bad6", "g7");

            assertFailed(futures.get(1), REJECTED, "400 Bad Request: invalid field in bad1");
            assertFailed(futures.get(6), REJECTED, "400 Bad Request: invalid field in bad6");
            for (int i : new int[] {0, 2, 3, 4, 5, 7}) {
                assertDelivered(futures.get(i));
            }
            assertThat(exporter.batches()).containsExactly(
                    List.of("g0", "bad1", "g2", "g3", "g4", "g5", "bad6", "g7"),
                    List.of("g0", "bad1", "g2", "g3"),
                    List.of("g0", "bad1"),
                    List.of("g0"),
                    List.of("bad1"),
                    List.of("g2", "g3"),
                    List.of("g4", "g5", "bad6", "g7"),
                    List.of("g4", "g5"),
                    List.of("bad6", "g7"),
                    List.of("bad6"),
                    List.of("g7"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.delivered()).isEqualTo(6);
            assertThat(stats.failed()).isEqualTo(Map.of(
                    "400 Bad Request: invalid field in bad1", 1L, "400 Bad Request: invalid field in bad6", 1L));
        }

        @Test
        void perRecordRejectedFailWithTheirReasonsAndAnIsolatedRecordIsResentAlone() throws Exception {
            FakeExporter perRecord = new FakeExporter((n, batch) -> batch.size() == 6
                    ? ExportResult.perRecord(60).rejected(1, "Too old data").rejected(3, "schema mismatch")
                            .isolate(4, "unattributed failure").build()
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(perRecord, "BATCH_SIZE", "6", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "e0", "e1", "e2", "e3", "e4", "e5");

            assertFailed(futures.get(1), REJECTED, "Too old data");
            assertFailed(futures.get(3), REJECTED, "schema mismatch");
            for (int i : new int[] {0, 2, 4, 5}) {
                assertDelivered(futures.get(i));
            }
            assertThat(perRecord.batches()).containsExactly(List.of("e0", "e1", "e2", "e3", "e4", "e5"), List.of("e4"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.delivered()).isEqualTo(4);
            assertThat(stats.failed()).isEqualTo(Map.of("Too old data", 1L, "schema mismatch", 1L));
            assertThat(stats.bytesSent()).isEqualTo(60 + 10);
        }

        @Test
        void perRecordIsolatedRecordsAreResentInSmallerBatchesUntilTheBadOneStandsAlone() throws Exception {
            // "bad2" is always refused; in the first, full batch the backend also blames e1 and e4 without cause.
            FakeExporter perRecord = new FakeExporter((n, batch) -> {
                ExportResult.Builder result = ExportResult.perRecord(0);
                for (int i = 0; i < batch.size(); i++) {
                    String label = label(batch.get(i));
                    if (label.equals("bad2")) {
                        result.isolate(i, "invalid field in bad2");
                    } else if (batch.size() == 6 && (label.equals("e1") || label.equals("e4"))) {
                        result.isolate(i, "unattributed failure");
                    }
                }
                return result.build();
            });
            DeliveryPipeline sink = start(perRecord, "BATCH_SIZE", "6", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "e0", "e1", "bad2", "e3", "e4", "e5");

            assertFailed(futures.get(2), REJECTED, "invalid field in bad2");
            for (int i : new int[] {0, 1, 3, 4, 5}) {
                assertDelivered(futures.get(i));
            }
            assertThat(perRecord.batches()).containsExactly(
                    List.of("e0", "e1", "bad2", "e3", "e4", "e5"),
                    List.of("e1"),
                    List.of("bad2", "e4"),
                    List.of("bad2"));
            SinkStats stats = idleStats(sink);
            assertThat(stats.delivered()).isEqualTo(5);
            assertThat(stats.failed()).isEqualTo(Map.of("invalid field in bad2", 1L));
        }

        @Test
        void aSingleRecordBatchRefusedAsAWholeFailsAtOnce() throws Exception {
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "1");

            assertFailed(sink.sendEvent(ev("bad")), REJECTED, "400 Bad Request: invalid field in bad");

            assertThat(exporter.batches()).containsExactly(List.of("bad"));
        }
    }

    // ====================================================================================== flush and close

    @Nested
    class FlushAndClose {

        @Test
        void flushWaitsUntilEverythingIsDelivered() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                LockSupport.parkNanos(MILLISECONDS.toNanos(20)); // a slow backend
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "EXPORT_THREADS", "2", "BATCH_SIZE", "2", "LINGER", "5m");
            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2", "e3", "e4", "e5");

            FlushResult result = sink.flush(Duration.ofSeconds(5));

            assertThat(result).isEqualTo(new FlushResult(0));
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(exporter.calls.stream().mapToInt(c -> c.batch().size()).sum()).isEqualTo(5);
        }

        @Test
        void flushReturnsAfterTheTimeoutWithTheExactUndeliveredCount() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                if (label(batch.get(0)).equals("slow")) {
                    gate.await();
                }
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "1");
            assertDelivered(sink.sendEvent(ev("e0")));
            CompletableFuture<Void> slow = sink.sendEvent(ev("slow"));
            exporter.awaitEntered(2);
            List<CompletableFuture<Void>> queued = sendAll(sink, "e2", "e3");

            long start = System.nanoTime();
            FlushResult result = sink.flush(Duration.ofMillis(200));

            assertThat(millisSince(start)).isBetween(200L, 200L + 1_000L);
            assertThat(result).isEqualTo(new FlushResult(3));
            assertThat(slow).isNotDone();
            gate.countDown();
            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(new FlushResult(0));
            assertDelivered(slow);
            assertAllDelivered(queued);
        }

        @Test
        void closeDuringAnOutageReturnsWithinItsTimeoutAndFailsWhatIsUndelivered() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> ExportResult.retry("503 Service Unavailable", null, 0));
            DeliveryPipeline sink = start(exporter, FULL_CEILING, "EXPORT_THREADS", "2", "BATCH_SIZE", "2",
                    "RETRY_INITIAL_BACKOFF", "20ms");
            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2", "e3", "e4", "e5");
            await("a retry", () -> sink.stats().retried() >= 1);

            long start = System.nanoTime();
            FlushResult result = sink.close(Duration.ofMillis(300));
            long elapsed = millisSince(start);

            assertThat(elapsed).as("ms close took").isLessThan(300 + 500);
            assertThat(result).isEqualTo(new FlushResult(5));
            // Eventually, not necessarily at return: see closeLeavesNoFuturePendingAndNoWorkerAlive.
            for (CompletableFuture<Void> future : futures) {
                assertFailed(future, UNDELIVERED, CLOSED_BEFORE_DELIVERY);
            }
            awaitNoWorkers(name);
            assertThat(exporter.closes.get()).isEqualTo(1);
            SinkStats stats = idleStats(sink);
            assertThat(stats.failed()).isEqualTo(Map.of(CLOSED_BEFORE_DELIVERY, 5L));
            assertThat(stats.delivered()).isZero();
            assertThat(stats.queued()).isZero();
            assertThat(stats.inFlight()).isZero();

            // Idempotent: the same result, at once, and the exporter is not closed again.
            long again = System.nanoTime();
            assertThat(sink.close(Duration.ofSeconds(10))).isEqualTo(result);
            sink.close();
            assertThat(millisSince(again)).as("ms the second and third close took").isLessThan(500);
            assertThat(exporter.closes.get()).isEqualTo(1);

            CompletableFuture<Void> late = sink.sendEvent(ev("late"));
            assertFailedNow(late, UNDELIVERED, CLOSED);
            assertThat(sink.stats().accepted()).isEqualTo(6);
            assertThat(sink.stats().failed()).isEqualTo(Map.of(CLOSED_BEFORE_DELIVERY, 5L, CLOSED, 1L));
            assertThat(exporter.calls.stream().flatMap(c -> c.labels().stream())).doesNotContain("late");
        }

        @Test
        void closeWithoutArgumentWaitsCloseTimeout() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> ExportResult.retry("503 Service Unavailable", null, 0));
            DeliveryPipeline sink = start(exporter, FULL_CEILING, "BATCH_SIZE", "1", "RETRY_INITIAL_BACKOFF", "20ms",
                    "CLOSE_TIMEOUT", "200ms");
            CompletableFuture<Void> future = sink.sendEvent(ev("a"));
            await("a retry", () -> sink.stats().retried() >= 1);

            long start = System.nanoTime();
            sink.close();

            // It kept trying until 90% of CLOSE_TIMEOUT (180 ms), then gave up within the timeout and a margin.
            assertThat(millisSince(start)).isBetween(150L, 200L + 1_000L);
            assertFailed(future, UNDELIVERED, CLOSED_BEFORE_DELIVERY);
            awaitNoWorkers(name);
        }

        @Test
        void closeInterruptsAnExportThatDoesNotReturn() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                new CountDownLatch(1).await(); // a request that never answers
                return ExportResult.delivered(0);
            });
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "2", "LINGER", "5m");
            List<CompletableFuture<Void>> inFlight = sendAll(sink, "e1", "e2");
            exporter.awaitEntered(1);
            CompletableFuture<Void> queued = sink.sendEvent(ev("e3"));

            long start = System.nanoTime();
            FlushResult result = sink.close(Duration.ofMillis(200));

            assertThat(millisSince(start)).isLessThan(200 + 500);
            assertThat(result).isEqualTo(new FlushResult(3));
            for (CompletableFuture<Void> future : List.of(inFlight.get(0), inFlight.get(1), queued)) {
                assertFailed(future, UNDELIVERED, CLOSED_BEFORE_DELIVERY);
            }
            awaitNoWorkers(name);
            assertThat(exporter.closes.get()).isEqualTo(1);
        }

        @Test
        void closeDeliversWhatIsPendingWhenTheBackendIsUp() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "100", "LINGER", "5m");
            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2", "e3");

            long start = System.nanoTime();
            FlushResult result = sink.close(Duration.ofSeconds(5));

            assertThat(millisSince(start)).isLessThan(2_000);
            assertThat(result).isEqualTo(new FlushResult(0));
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2", "e3"));
            assertThat(exporter.closes.get()).isEqualTo(1);
            awaitNoWorkers(name);
        }

        @Test
        void anExporterThatFailsToCloseDoesNotBreakClose() {
            FakeExporter exporter = new FakeExporter((n, batch) -> ExportResult.delivered(bytes(batch))) {
                @Override
                public void close() {
                    super.close();
                    throw new IllegalStateException("pool already shut down");
                }
            };
            DeliveryPipeline sink = start(exporter);
            sink.sendEvent(ev("e1"));

            assertThat(sink.close(Duration.ofSeconds(2))).isEqualTo(new FlushResult(0));
            assertThat(sink.close(Duration.ofSeconds(2))).isEqualTo(new FlushResult(0));
            assertThat(exporter.closes.get()).isEqualTo(1);
            awaitNoWorkers(name);
        }
    }

    // ====================================================================================== accounting

    @Nested
    class Accounting {

        @Test
        void statsCountEveryField() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> switch (n) {
                case 0 -> {
                    gate.await();
                    yield ExportResult.delivered(100);
                }
                case 1 -> ExportResult.retry("503 Service Unavailable", null, 10);
                case 2 -> ExportResult.perRecord(50).rejected(1, "Too old data").build();
                default -> ExportResult.delivered(30);
            });
            DeliveryPipeline sink = start(exporter, FULL_CEILING,
                    "BATCH_SIZE", "2", "LINGER", "5m", "QUEUE_CAPACITY", "3");
            assertThat(sink.stats()).isEqualTo(SinkStats.builder().build());

            List<CompletableFuture<Void>> futures = new ArrayList<>(sendAll(sink, "e1", "e2"));
            exporter.awaitEntered(1);
            assertThat(sink.stats()).isEqualTo(SinkStats.builder().accepted(2).inFlight(2).build());
            futures.addAll(sendAll(sink, "e3", "e4", "e5", "e6"));
            assertThat(sink.stats()).isEqualTo(
                    SinkStats.builder().accepted(6).dropped(Map.of(DROP_NEWEST, 1L)).queued(3).inFlight(2).build());

            gate.countDown();
            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(new FlushResult(0));

            assertDelivered(futures.get(0));
            assertDelivered(futures.get(1));
            assertDelivered(futures.get(2));
            assertFailed(futures.get(3), REJECTED, "Too old data");
            assertDelivered(futures.get(4));
            assertFailed(futures.get(5), DROPPED, DROP_NEWEST);
            assertThat(exporter.batches()).containsExactly(
                    List.of("e1", "e2"), List.of("e3", "e4"), List.of("e3", "e4"), List.of("e5"));
            assertThat(idleStats(sink)).isEqualTo(SinkStats.builder()
                    .accepted(6)
                    .delivered(4)
                    .failed(Map.of("Too old data", 1L))
                    .rejected(1)
                    .dropped(Map.of(DROP_NEWEST, 1L))
                    .retried(1)
                    .batches(4)
                    .bytesSent(100 + 10 + 50 + 30)
                    .build());
        }

        @Test
        void underLoadEveryEventIsAccountedForExactlyOnce() throws Exception {
            TallyingExporter exporter = new TallyingExporter();
            DeliveryPipeline sink = start(exporter, FULL_CEILING, "EXPORT_THREADS", "4", "BATCH_SIZE", "50",
                    "LINGER", "1ms", "QUEUE_CAPACITY", "500", "OVERFLOW", "drop_newest",
                    "RETRY_INITIAL_BACKOFF", "1ms", "RETRY_MAX_BACKOFF", "2ms");
            int producers = 10;
            int perProducer = 10_000;
            List<List<CompletableFuture<Void>>> futures = new ArrayList<>();
            List<List<Event>> events = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                List<CompletableFuture<Void>> mine = new ArrayList<>(perProducer);
                List<Event> sent = new ArrayList<>(perProducer);
                futures.add(mine);
                events.add(sent);
                int producer = p;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perProducer; i++) {
                        Event event = Event.uxAction().put("label", producer + "-" + i).put("i", i).build();
                        sent.add(event);
                        mine.add(sink.sendEvent(event));
                    }
                }, "producer-" + p);
                threads.add(thread);
                thread.start();
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(10_000);
                assertThat(thread.isAlive()).as(thread.getName()).isFalse();
            }

            assertThat(sink.flush(Duration.ofSeconds(10))).isEqualTo(new FlushResult(0));

            SinkStats stats = idleStats(sink);
            long total = (long) producers * perProducer;
            assertThat(stats.accepted()).isEqualTo(total);
            assertThat(stats.delivered() + stats.failedTotal() + stats.droppedTotal()).isEqualTo(total);
            assertThat(stats.queued()).isZero();
            assertThat(stats.inFlight()).isZero();

            Map<String, Long> outcomes = new HashMap<>();
            Set<UUID> deliveredIds = new HashSet<>();
            for (int p = 0; p < producers; p++) {
                for (int i = 0; i < perProducer; i++) {
                    CompletableFuture<Void> future = futures.get(p).get(i);
                    assertThat(future).isDone();
                    String outcome;
                    if (!future.isCompletedExceptionally()) {
                        outcome = "DELIVERED";
                        deliveredIds.add(events.get(p).get(i).id());
                    } else {
                        DeliveryException e = failure(future);
                        outcome = e.outcome() + ": " + e.reason();
                    }
                    outcomes.merge(outcome, 1L, Long::sum);
                }
            }
            Map<String, Long> expected = new HashMap<>();
            expected.put("DELIVERED", exporter.delivered.sum());
            exporter.rejected.forEach((reason, count) -> expected.put(REJECTED + ": " + reason, count.sum()));
            if (stats.droppedTotal() > 0) {
                expected.put(DROPPED + ": " + DROP_NEWEST, stats.droppedTotal());
            }
            assertThat(outcomes).isEqualTo(expected);
            assertThat(exporter.duplicates.sum()).as("events delivered twice").isZero();
            assertThat(deliveredIds).isEqualTo(exporter.deliveredIds);
            assertThat(stats.delivered()).isEqualTo(exporter.delivered.sum());
            assertThat(stats.failed()).isEqualTo(snapshot(exporter.rejected));
            assertThat(stats.dropped().keySet()).isSubsetOf(Set.of(DROP_NEWEST));
            assertThat(stats.retried()).isEqualTo(exporter.retries.sum());
            assertThat(stats.batches()).isEqualTo(exporter.calls.sum());
            assertThat(stats.bytesSent()).isEqualTo(exporter.bytes.sum());
            // The fake really exercised every path.
            assertThat(exporter.retries.sum()).isPositive();
            assertThat(exporter.isolations.sum()).isPositive();
            assertThat(exporter.rejected).isNotEmpty();
        }
    }

    /**
     * Randomly slow, retried or refused as a whole; events whose {@code i} is a multiple of 97 are rejected with
     * one of three reasons. Tallies what it reported, so the test can compare with the pipeline's stats.
     */
    static final class TallyingExporter implements BatchExporter {
        final LongAdder calls = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder isolations = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
        final Set<UUID> deliveredIds = ConcurrentHashMap.newKeySet();

        @Override
        public ExportResult export(EventBatch records) {
            List<Event> batch = records.events();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            calls.increment();
            long sent = 3L * batch.size();
            bytes.add(sent);
            double roll = random.nextDouble();
            if (roll < 0.05) {
                LockSupport.parkNanos(MILLISECONDS.toNanos(1)); // slow, then answers as usual
            }
            if (roll > 0.90) {
                retries.increment();
                return ExportResult.retry("503 Service Unavailable", null, sent);
            }
            if (roll > 0.87) {
                isolations.increment();
                if (batch.size() == 1) {
                    reject("413 Payload Too Large");
                }
                return ExportResult.isolateAll("413 Payload Too Large", sent);
            }
            ExportResult.Builder result = ExportResult.perRecord(sent);
            for (int index = 0; index < batch.size(); index++) {
                Event event = batch.get(index);
                int i = ((Number) event.payload().get("i")).intValue();
                if (i % 97 == 0) {
                    String reason = "invalid record, kind " + (i % 3);
                    reject(reason);
                    result.rejected(index, reason);
                } else {
                    delivered.increment();
                    if (!deliveredIds.add(event.id())) {
                        duplicates.increment(); // counted, not thrown: an Error would kill the worker
                    }
                }
            }
            return result.build();
        }

        private void reject(String reason) {
            rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }
    }

    // ====================================================================================== bugs found

    /**
     * Defects found while writing this suite. Each test states the correct behaviour and is left enabled so it
     * shows red until the main code is fixed (none of them hangs); see each test's comment.
     */
    @Nested
    class Defects {

        /** A worker that lingered while another took everything waits again instead of exporting nothing. */
        @Test
        void noEmptyBatchIsExportedWhenTwoWorkersLingerOnTheSameEvents() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                if (n == 0) {
                    gate.await();
                }
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "EXPORT_THREADS", "2", "BATCH_SIZE", "2", "LINGER", "5m");
            List<CompletableFuture<Void>> first = sendAll(sink, "e1", "e2"); // worker X takes them and blocks
            exporter.awaitEntered(1);
            CompletableFuture<Void> e3 = sink.sendEvent(ev("e3")); // worker Y lingers on e3
            gate.countDown();
            assertAllDelivered(first);
            Thread x = thread(exporter.calls.get(0).thread());
            awaitState(x, Thread.State.TIMED_WAITING); // X lingers on e3 as well
            CompletableFuture<Void> e4 = sink.sendEvent(ev("e4")); // a full batch: one of them takes e3, e4
            assertDelivered(e3);
            assertDelivered(e4);

            sink.close(Duration.ofSeconds(2)); // wakes the other one, still lingering on nothing

            assertThat(exporter.batches()).as("batches the exporter received")
                    .containsExactly(List.of("e1", "e2"), List.of("e3", "e4"));
            assertThat(sink.stats().batches()).isEqualTo(2);
        }

        /**
         * BUG: flush compares a count ({@code resolved >= accepted-at-call}), so events resolved after the call
         * (here dropped at once) stand in for earlier ones still undelivered: flush returns 0 at once.
         */
        @Test
        void flushCountsOnlyTheEventsHandedOverBeforeIt() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                gate.await();
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "1", "QUEUE_CAPACITY", "2");
            List<CompletableFuture<Void>> pending = new ArrayList<>(sendAll(sink, "e1"));
            exporter.awaitEntered(1);
            pending.addAll(sendAll(sink, "e2", "e3")); // e1 in flight, e2 and e3 queued: 3 undelivered
            AtomicReference<FlushResult> flushed = new AtomicReference<>();
            Thread flusher = new Thread(() -> flushed.set(sink.flush(Duration.ofMillis(500))), "flusher");
            flusher.start();
            awaitState(flusher, Thread.State.TIMED_WAITING); // flush has counted its 3 events and waits

            try {
                List<CompletableFuture<Void>> later = sendAll(sink, "e4", "e5", "e6"); // dropped: the queue is full
                flusher.join(5_000);

                for (CompletableFuture<Void> future : later) {
                    assertFailedNow(future, DROPPED, DROP_NEWEST);
                }
                assertThat(pending).as("e1..e3 are still undelivered").noneMatch(CompletableFuture::isDone);
                assertThat(flushed.get()).as("flush result while e1..e3 are undelivered")
                        .isEqualTo(new FlushResult(3));
            } finally {
                gate.countDown();
            }
        }

        /**
         * BUG: close counts its undelivered events by the reason "sink closed before delivery" in the failed map,
         * which keeps at most 100 reasons; past that they are counted as "other reasons" and close reports 0.
         */
        @Test
        void closeReportsItsUndeliveredEventsAfterAHundredDistinctFailureReasons() throws Exception {
            AtomicReference<String> mode = new AtomicReference<>("reject");
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                if (mode.get().equals("outage")) {
                    return ExportResult.retry("503 Service Unavailable", null, 0);
                }
                ExportResult.Builder result = ExportResult.perRecord(0);
                for (int i = 0; i < batch.size(); i++) {
                    result.rejected(i, "invalid record " + label(batch.get(i)));
                }
                return result.build();
            });
            DeliveryPipeline sink = start(exporter, FULL_CEILING, "BATCH_SIZE", "100", "LINGER", "5m",
                    "RETRY_INITIAL_BACKOFF", "20ms");
            List<CompletableFuture<Void>> rejected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                rejected.add(sink.sendEvent(ev("r" + i)));
            }
            for (CompletableFuture<Void> future : rejected) {
                failure(future);
            }
            assertThat(sink.stats().failed()).hasSize(100);
            mode.set("outage");
            List<CompletableFuture<Void>> undelivered = sendAll(sink, "u1", "u2", "u3");
            sink.flush(Duration.ZERO); // send them now, without waiting
            await("a retry", () -> sink.stats().retried() >= 1);

            FlushResult result = sink.close(Duration.ofMillis(300));

            for (CompletableFuture<Void> future : undelivered) {
                assertFailed(future, UNDELIVERED, CLOSED_BEFORE_DELIVERY);
            }
            assertThat(result).as("close result with 3 events failed at close").isEqualTo(new FlushResult(3));
        }

        /**
         * BUG: a null ExportResult throws a NullPointerException outside the exporter's try block; the worker's
         * catch (Throwable) rethrows and the thread dies, so with one export thread nothing is delivered again.
         */
        @Test
        void aWorkerSurvivesAnExporterThatReturnsNull() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0 ? null : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "1");
            Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
            Thread.setDefaultUncaughtExceptionHandler((t, e) -> { }); // keep the dying worker's trace off stderr
            try {
                CompletableFuture<Void> first = sink.sendEvent(ev("e1"));
                first.handle((v, e) -> null).get(5, SECONDS); // its outcome is the pipeline's choice: settled

                CompletableFuture<Void> second = sink.sendEvent(ev("e2"));

                assertThat(sink.flush(Duration.ofMillis(300))).as("e2 after a null result").isEqualTo(new FlushResult(0));
                assertDelivered(second);
            } finally {
                Thread.setDefaultUncaughtExceptionHandler(previous);
            }
        }

        /**
         * Regression: with BATCH_SIZE above QUEUE_CAPACITY a batch never filled by count, so a full queue waited
         * out LINGER while new events were dropped.
         */
        @Test
        void aFullQueueIsSentWithoutWaitingOutTheLinger() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            // The default BATCH_SIZE (500) above a small QUEUE_CAPACITY: a batch can never fill by count.
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "500", "QUEUE_CAPACITY", "2", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2");

            for (CompletableFuture<Void> future : futures) {
                assertThat(future).as("a full queue still waits out LINGER (5m)")
                        .succeedsWithin(Duration.ofMillis(500));
            }
        }

        @Test
        void cancellingTheCallersFutureNeitherSettlesTheEventNorShortensAFlush() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                gate.await();
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "EXPORT_THREADS", "1", "BATCH_SIZE", "1");
            CompletableFuture<Void> e1 = sink.sendEvent(ev("e1"));
            exporter.awaitEntered(1);
            e1.cancel(true);

            assertThat(sink.flush(Duration.ofMillis(50))).isEqualTo(new FlushResult(1));
            gate.countDown();
            assertThat(sink.flush(Duration.ofSeconds(5))).isEqualTo(FlushResult.COMPLETE);
            assertThat(sink.stats().delivered()).isEqualTo(1);
        }

        @Test
        void flushAndCloseFromACallbackOnAWorkerReturnWithoutWaitingForThatWorker() throws Exception {
            CountDownLatch callbackAttached = new CountDownLatch(1);
            FakeExporter exporter = new FakeExporter((n, batch) -> {
                callbackAttached.await();
                return ExportResult.delivered(bytes(batch));
            });
            DeliveryPipeline sink = start(exporter, "EXPORT_THREADS", "1", "BATCH_SIZE", "1");
            CompletableFuture<FlushResult> fromCallback = new CompletableFuture<>();
            long start = System.nanoTime();

            sink.sendEvent(ev("e1")).whenComplete((ok, error) -> {
                sink.sendEvent(ev("e2"));
                fromCallback.complete(sink.flush(Duration.ofSeconds(30)));
                sink.close(Duration.ofSeconds(30));
            });
            callbackAttached.countDown(); // so the callback runs on the worker that delivers e1

            assertThat(fromCallback.get(5, TimeUnit.SECONDS)).isEqualTo(new FlushResult(1));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }

        @Test
        void anOutcomeForARecordOutsideTheBatchIsolatesTheBatchInsteadOfMisattributing() throws Exception {
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0
                    ? ExportResult.perRecord(0).rejected(2, "one-based index").build()
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "2", "LINGER", "5m");

            List<CompletableFuture<Void>> futures = sendAll(sink, "e1", "e2");

            assertAllDelivered(futures);
            assertThat(exporter.batches()).containsExactly(List.of("e1", "e2"), List.of("e1"), List.of("e2"));
        }

    }

    // ====================================================================================== resilience

    /** No step of a worker's loop, and nothing a backend answers, may end delivery. */
    @Nested
    class WorkerResilience {

        @Test
        void aRetryAfterTooLargeForNanosecondsIsCappedAndTheWorkerGoesOn() throws Exception {
            // 99999999999 seconds, or an HTTP date in the year 9999: Duration.toNanos() overflows on both.
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0
                    ? ExportResult.retry("429 Too Many Requests", Duration.ofSeconds(99_999_999_999L), 0)
                    : n == 1
                            ? ExportResult.retry("503", Duration.between(java.time.Instant.now(),
                                    java.time.Instant.parse("9999-12-31T23:59:59Z")), 0)
                            : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "1", "RETRY_MAX_BACKOFF", "20ms");

            assertDelivered(sink.sendEvent(ev("a")));
            assertDelivered(sink.sendEvent(ev("b")));

            assertThat(exporter.gapsMillis().subList(0, 2)).allSatisfy(gap -> assertThat(gap).isBetween(20L, 3_000L));
            SinkStats stats = idleStats(sink);
            assertThat(stats.retried()).isEqualTo(2);
            assertThat(stats.delivered()).isEqualTo(2);
        }

        @Test
        void aFailureInAStepOfTheLoopFailsThatBatchWithTheReasonAndTheWorkerGoesOn() throws Exception {
            AtomicInteger draws = new AtomicInteger();
            DoubleSupplier brokenOnce = () -> {
                if (draws.getAndIncrement() == 0) {
                    throw new IllegalStateException("jitter source broken");
                }
                return 0.0;
            };
            FakeExporter exporter = new FakeExporter((n, batch) -> n == 0
                    ? ExportResult.retry("503", null, 0)
                    : ExportResult.delivered(bytes(batch)));
            DeliveryPipeline sink = start(exporter, brokenOnce, "BATCH_SIZE", "1");

            assertFailed(sink.sendEvent(ev("a")), UNDELIVERED,
                    "delivery failed: java.lang.IllegalStateException: jitter source broken");
            assertDelivered(sink.sendEvent(ev("b")));

            assertThat(liveWorkers(name)).containsExactly("eventsink-" + name + "-1");
            SinkStats stats = idleStats(sink);
            assertThat(stats.accepted()).isEqualTo(stats.delivered() + stats.failedTotal()).isEqualTo(2);
        }

        @Test
        void aWorkerThatDiesAnywayIsReplacedAndItsDeathIsLogged() throws Exception {
            AtomicInteger loops = new AtomicInteger();
            Runnable killSecondLoop = () -> {
                if (loops.incrementAndGet() == 2) {
                    throw new Error("simulated death outside the worker's error handling");
                }
            };
            Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
            int from = PIPELINE_LINES.list.size();
            FakeExporter exporter = FakeExporter.delivering();
            name = "p" + SEQUENCE.incrementAndGet();
            DeliveryPipeline sink = DeliveryPipeline.start(name, exporter, config("BATCH_SIZE", "1"), System::nanoTime,
                    NO_JITTER_WAIT, killSecondLoop);
            started.add(sink);

            assertDelivered(sink.sendEvent(ev("a"))); // the worker then dies as it loops for the next batch
            assertDelivered(sink.sendEvent(ev("b"))); // delivered by the replacement

            assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(previous);
            List<String> errors = new ArrayList<>(PIPELINE_LINES.list).subList(from, PIPELINE_LINES.list.size()).stream()
                    .filter(e -> e.getLevel() == Level.ERROR)
                    .map(ILoggingEvent::getFormattedMessage)
                    .collect(Collectors.toList());
            assertThat(errors).containsExactly(name + ": worker eventsink-" + name + "-1 died; starting a replacement");
            await("the dead worker's end", () -> liveWorkers(name).size() == 1);
        }
    }

    /** What the backend accepted is delivered, whatever close is doing. */
    @Nested
    class CloseDuringCallbacks {

        @Test
        void aCallbackThatClosesTheSinkLeavesTheRestOfItsBatchDelivered() throws Exception {
            DeliveryPipeline sink = start(FakeExporter.delivering(), "BATCH_SIZE", "10", "LINGER", "5m");
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                CompletableFuture<Void> future = sink.sendEvent(ev("e" + i));
                if (i == 0) {
                    future.whenComplete((ok, error) -> sink.close(Duration.ofSeconds(1)));
                }
                futures.add(future);
            }

            assertAllDelivered(futures);
            SinkStats stats = sink.stats();
            assertThat(stats.delivered()).isEqualTo(10);
            assertThat(stats.failed()).isEmpty();
        }

        @Test
        void closeWhileASlowCallbackRunsReportsTheDeliveredBatchAsDelivered() throws Exception {
            DeliveryPipeline sink = start(FakeExporter.delivering(), "BATCH_SIZE", "10", "LINGER", "5m");
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                CompletableFuture<Void> future = sink.sendEvent(ev("e" + i));
                if (i == 0) {
                    future.whenComplete((ok, error) -> {
                        inCallback.countDown();
                        awaitUninterruptibly(release); // outlasts close's timeout, ignoring its interrupt
                    });
                }
                futures.add(future);
            }
            assertThat(inCallback.await(5, SECONDS)).isTrue();

            try {
                FlushResult closed = sink.close(Duration.ofMillis(200));

                assertThat(closed).isEqualTo(FlushResult.COMPLETE);
                assertThat(futures).as("every future is complete when close returns").allMatch(f -> f.isDone()
                        && !f.isCompletedExceptionally());
                assertThat(sink.stats().delivered()).isEqualTo(10);
                assertThat(sink.stats().failed()).isEmpty();
            } finally {
                release.countDown();
            }
        }

        private void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            while (true) {
                try {
                    if (latch.await(5, SECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ====================================================================================== limits, dead letters

    @Nested
    class LimitsAndDeadLetters {

        @TempDir
        Path dir;

        @Test
        void anEventLargerThanMaxEventBytesFailsAtOnceNamingTheLimit() throws Exception {
            FakeExporter exporter = FakeExporter.delivering();
            DeliveryPipeline sink = start(exporter, "MAX_EVENT_BYTES", "1KiB");
            Event big = Event.uxAction().put("text", "x".repeat(2000)).build();
            int recordBytes = EventBatch.of(List.of(big)).recordBytes(0).length;

            CompletableFuture<Void> future = sink.sendEvent(big);
            assertFailedNow(future, Outcome.REJECTED,
                    "event of " + recordBytes + " bytes is larger than MAX_EVENT_BYTES 1024");
            assertDelivered(sink.sendEvent(ev("small")));
            SinkStats stats = idleStats(sink);
            assertThat(stats.rejected()).isEqualTo(1);
            assertThat(stats.delivered()).isEqualTo(1);
            assertThat(exporter.batches()).containsExactly(List.of("small"));
        }

        @Test
        void eventsTheBackendRejectsAreAppendedToTheDeadLetterFileWithReasonAndTime() throws Exception {
            Path file = dir.resolve("letters/dead.ndjson");
            FakeExporter exporter = new FakeExporter((n, batch) -> label(batch.get(0)).equals("bad")
                    ? ExportResult.rejectAll("HTTP 400: invalid \"payload\"", 0)
                    : ExportResult.delivered(0));
            DeliveryPipeline sink = start(exporter, "DEAD_LETTER_FILE", file.toString(), "BATCH_SIZE", "1");
            Event bad = Event.uxAction().userId("u1").put("label", "bad").build();
            Instant before = Instant.now();

            CompletableFuture<Void> rejected = sink.sendEvent(bad);
            assertFailed(rejected, Outcome.REJECTED, "HTTP 400: invalid \"payload\"");
            assertDelivered(sink.sendEvent(ev("good")));
            sink.close();

            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(lines.get(0));
            assertThat(line.fieldNames()).toIterable().containsExactly("deadLetteredAt", "reason", "sink", "event");
            assertThat(Instant.parse(line.get("deadLetteredAt").asText())).isBetween(before, Instant.now());
            assertThat(line.get("reason").asText()).isEqualTo("HTTP 400: invalid \"payload\"");
            assertThat(line.get("sink").asText()).isEqualTo(name);
            assertThat(EventJson.fromJson(line.get("event").toString())).isEqualTo(bad);
        }

        @Test
        void withoutADeadLetterFileEachRejectedEventIsLoggedWithItsJson() throws Exception {
            Logger deadLetterLog = (Logger) LoggerFactory.getLogger(DeadLetters.class);
            ListAppender<ILoggingEvent> lines = new ListAppender<>();
            lines.start();
            deadLetterLog.addAppender(lines);
            deadLetterLog.setAdditive(false);
            try {
                DeliveryPipeline sink = start(new FakeExporter((n, batch) -> ExportResult.rejectAll("HTTP 400", 0)));
                Event bad = ev("bad");
                assertFailed(sink.sendEvent(bad), Outcome.REJECTED, "HTTP 400");
                assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                        .containsExactly(name + ": dead letter, rejected: HTTP 400: " + EventJson.toJson(bad));
            } finally {
                deadLetterLog.detachAppender(lines);
                deadLetterLog.setAdditive(true);
            }
        }
    }

    // ====================================================================================== helpers

    DeliveryPipeline start(BatchExporter exporter, String... keys) {
        return start(exporter, NO_JITTER_WAIT, keys);
    }

    DeliveryPipeline start(BatchExporter exporter, DoubleSupplier random, String... keys) {
        name = "p" + SEQUENCE.incrementAndGet();
        DeliveryPipeline pipeline = DeliveryPipeline.start(name, exporter, config(keys), System::nanoTime, random);
        started.add(pipeline);
        return pipeline;
    }

    /** A config read through the keys, as a sink reads it: the test's keys over {@link #BASE_KEYS}. */
    static PipelineConfig config(String... keys) {
        assertThat(keys.length % 2).as("keys come in pairs").isZero();
        Map<String, String> suffixes = new LinkedHashMap<>(BASE_KEYS);
        for (int i = 0; i < keys.length; i += 2) {
            suffixes.put(keys[i], keys[i + 1]);
        }
        Map<String, String> full = new HashMap<>();
        suffixes.forEach((suffix, value) -> full.put(Channel.UX.key(suffix), value));
        ConfigReader reader = SinkConfig.of(Channel.UX, full).reader();
        PipelineConfig config = PipelineConfig.read(reader);
        reader.validate();
        return config;
    }

    static Event ev(String label) {
        return Event.uxAction().put("label", label).build();
    }

    /** An event whose estimated size in the pipeline is exactly {@code bytes}. */
    static Event sized(String label, int bytes) {
        // {"label":"<label>","pad":"<k>"} is 2 + 1 + (7 + 1 + len + 2) + (5 + 1 + k + 2) bytes.
        int pad = bytes - EVENT_OVERHEAD - 21 - label.length();
        assertThat(pad).as("padding for a %d-byte event", bytes).isNotNegative();
        Event event = Event.uxAction().put("label", label).put("pad", "x".repeat(pad)).build();
        assertThat(EventBatch.of(List.of(event)).jsonSizeBound(0)).isEqualTo(bytes);
        return event;
    }

    static String label(Event event) {
        return (String) event.payload().get("label");
    }

    static long bytes(List<Event> batch) {
        return 10L * batch.size();
    }

    static List<CompletableFuture<Void>> sendAll(DeliveryPipeline sink, String... labels) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (String label : labels) {
            futures.add(sink.sendEvent(ev(label)));
        }
        return futures;
    }

    static void assertDelivered(CompletableFuture<Void> future) throws Exception {
        try {
            assertThat(future.get(5, SECONDS)).isNull();
        } catch (ExecutionException e) {
            throw new AssertionError("expected delivery, got " + e.getCause(), e.getCause());
        }
    }

    static void assertAllDelivered(List<CompletableFuture<Void>> futures) throws Exception {
        for (CompletableFuture<Void> future : futures) {
            assertDelivered(future);
        }
    }

    static DeliveryException failure(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(5, SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DeliveryException.class);
            return (DeliveryException) e.getCause();
        }
        throw new AssertionError("expected the future to fail, but it completed normally");
    }

    static void assertFailed(CompletableFuture<Void> future, Outcome outcome, String reason) throws Exception {
        DeliveryException e = failure(future);
        assertThat(e.outcome()).as("outcome of " + e).isEqualTo(outcome);
        assertThat(e.reason()).as("reason").isEqualTo(reason);
    }

    /** Failed already, not eventually. */
    static void assertFailedNow(CompletableFuture<Void> future, Outcome outcome, String reason) throws Exception {
        assertThat(future).as("future done").isDone();
        assertFailed(future, outcome, reason);
    }

    /** Stats once the workers have settled everything (inFlight drops just after the futures complete). */
    static SinkStats idleStats(DeliveryPipeline sink) {
        await("an idle sink", () -> {
            SinkStats stats = sink.stats();
            return stats.inFlight() == 0 && stats.queued() == 0;
        });
        return sink.stats();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after 5 s waiting for " + what);
            }
            LockSupport.parkNanos(MILLISECONDS.toNanos(1));
        }
    }

    static void awaitState(Thread thread, Thread.State state) {
        await(thread.getName() + " " + state, () -> thread.getState() == state);
    }

    static Thread thread(String threadName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(threadName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no live thread " + threadName));
    }

    static List<String> liveWorkers(String pipelineName) {
        String prefix = "eventsink-" + pipelineName + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .collect(Collectors.toList());
    }

    static void awaitNoWorkers(String pipelineName) {
        await("no eventsink-" + pipelineName + "-* thread alive", () -> liveWorkers(pipelineName).isEmpty());
    }

    static long millisSince(long startNanos) {
        return NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new HashMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** WARN lines of the pipeline's log that name {@code pipelineName}, from index {@code from}. */
    static List<String> linesOf(String pipelineName, int from) {
        List<ILoggingEvent> lines = new ArrayList<>(PIPELINE_LINES.list);
        return lines.subList(from, lines.size()).stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith(pipelineName + ": "))
                .collect(Collectors.toList());
    }

    /** One completed export call as the fake saw it. */
    record Call(int index, List<Event> batch, String thread, boolean daemon, long startNanos, long endNanos,
            ExportResult result) {
        List<String> labels() {
            return batch.stream().map(DeliveryPipelineTest::label).collect(Collectors.toList());
        }

        List<UUID> ids() {
            return batch.stream().map(Event::id).collect(Collectors.toList());
        }
    }

    /** A scripted exporter: answers with {@link Behaviour}, records every call, counts entries and closes. */
    static class FakeExporter implements BatchExporter {

        @FunctionalInterface
        interface Behaviour {
            ExportResult respond(int call, List<Event> batch) throws InterruptedException;
        }

        private final Behaviour behaviour;
        private final AtomicInteger callCount = new AtomicInteger();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Semaphore entered = new Semaphore(0);
        final AtomicInteger closes = new AtomicInteger();

        FakeExporter(Behaviour behaviour) {
            this.behaviour = behaviour;
        }

        static FakeExporter delivering() {
            return new FakeExporter((n, batch) -> ExportResult.delivered(bytes(batch)));
        }

        @Override
        public ExportResult export(EventBatch batch) throws InterruptedException {
            long start = System.nanoTime();
            int index = callCount.getAndIncrement();
            List<Event> copy = List.copyOf(batch.events());
            entered.release();
            ExportResult result = null;
            try {
                result = behaviour.respond(index, copy);
                return result;
            } finally {
                Thread self = Thread.currentThread();
                calls.add(new Call(index, copy, self.getName(), self.isDaemon(), start, System.nanoTime(), result));
            }
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        void awaitEntered(int permits) {
            try {
                assertThat(entered.tryAcquire(permits, 5, SECONDS)).as("%d export calls entered", permits).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        List<Call> inOrder() {
            List<Call> sorted = new ArrayList<>(calls);
            sorted.sort(Comparator.comparingInt(Call::index));
            return sorted;
        }

        /** The labels of each batch, in the order the calls began. */
        List<List<String>> batches() {
            return inOrder().stream().map(Call::labels).collect(Collectors.toList());
        }

        List<Call> callsWith(String label) {
            return inOrder().stream().filter(c -> c.labels().contains(label)).collect(Collectors.toList());
        }

        /** Milliseconds from the end of each call to the start of the next (one batch at a time). */
        List<Long> gapsMillis() {
            List<Call> sorted = inOrder();
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < sorted.size(); i++) {
                gaps.add(NANOSECONDS.toMillis(sorted.get(i).startNanos() - sorted.get(i - 1).endNanos()));
            }
            return gaps;
        }
    }
}
