package dev.eventsink.export;

import static dev.eventsink.export.DeliveryPipelineTest.NO_JITTER_WAIT;
import static dev.eventsink.export.DeliveryPipelineTest.assertAllDelivered;
import static dev.eventsink.export.DeliveryPipelineTest.assertFailed;
import static dev.eventsink.export.DeliveryPipelineTest.await;
import static dev.eventsink.export.DeliveryPipelineTest.awaitNoWorkers;
import static dev.eventsink.export.DeliveryPipelineTest.config;
import static dev.eventsink.export.DeliveryPipelineTest.ev;
import static dev.eventsink.export.DeliveryPipelineTest.idleStats;
import static dev.eventsink.export.DeliveryPipelineTest.sendAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.DeliveryException.Outcome;
import dev.eventsink.Event;
import dev.eventsink.SinkStats;
import dev.eventsink.export.DeliveryPipelineTest.FakeExporter;
import dev.eventsink.internal.ByteBuf;
import dev.eventsink.spi.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline with a spool ({@code SPOOL_DIR} set), against {@link MemorySpool}: records go to the spool before
 * {@code sendEvent} returns, are released once settled, survive close for the next start, and bound what is held.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeliveryPipelineSpoolTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private final List<DeliveryPipeline> started = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    /** A directory of its own for each test; nothing is written there, {@link MemorySpool} keeps it in memory. */
    private final Path spoolDir = Path.of("spool-test-" + SEQUENCE.incrementAndGet());

    @AfterEach
    void closeEveryPipeline() {
        for (DeliveryPipeline pipeline : started) {
            pipeline.close(Duration.ofMillis(500));
        }
        names.forEach(DeliveryPipelineTest::awaitNoWorkers);
        MemorySpool.DISK.keySet().removeIf(dir -> dir.startsWith(spoolDir));
    }

    private DeliveryPipeline start(BatchExporter exporter, String... keys) {
        return start(exporter, config(withSpool(keys)));
    }

    private DeliveryPipeline start(BatchExporter exporter, PipelineConfig config) {
        String name = "spooled" + SEQUENCE.incrementAndGet();
        names.add(name);
        DeliveryPipeline pipeline = DeliveryPipeline.start(name, exporter, config, System::nanoTime, NO_JITTER_WAIT);
        started.add(pipeline);
        return pipeline;
    }

    private String[] withSpool(String... keys) {
        String[] all = new String[keys.length + 2];
        all[0] = "SPOOL_DIR";
        all[1] = spoolDir.toString();
        System.arraycopy(keys, 0, all, 2, keys.length);
        return all;
    }

    /** The channel's spool: {@code SPOOL_DIR/ux}. */
    private MemorySpool spool() {
        MemorySpool spool = MemorySpool.DISK.get(spoolDir.resolve("ux"));
        assertThat(spool).as("a spool opened in %s/ux", spoolDir).isNotNull();
        return spool;
    }

    private static List<String> labelsSent(FakeExporter exporter) {
        return exporter.batches().stream().flatMap(List::stream).collect(Collectors.toList());
    }

    @Test
    void anEventIsInTheSpoolWhenSendEventReturnsAndIsReleasedOnceDelivered() throws Exception {
        CountDownLatch backendUp = new CountDownLatch(1);
        FakeExporter exporter = new FakeExporter((n, batch) -> {
            backendUp.await();
            return ExportResult.delivered(0);
        });
        DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "10");

        List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b", "c");
        assertThat(spool().unreleased()).isEqualTo(3);
        assertThat(spool().settings.name()).isEqualTo(names.get(0));

        backendUp.countDown();
        assertAllDelivered(futures);
        await("the delivered events released", () -> spool().unreleased() == 0);
        assertThat(spool().bytes()).isZero();
        assertThat(labelsSent(exporter)).containsExactly("a", "b", "c");
    }

    @Test
    void anOutageLongerThanRetryDeadlineLosesNothing() throws Exception {
        FakeExporter exporter = new FakeExporter((n, batch) -> n < 30
                ? ExportResult.retry("503 Service Unavailable", null, 0)
                : ExportResult.delivered(0));
        DeliveryPipeline sink = start(exporter, "RETRY_DEADLINE", "0ms", "RETRY_MAX_BACKOFF", "2ms");

        List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b");
        assertAllDelivered(futures);
        SinkStats stats = idleStats(sink);
        assertThat(stats.delivered()).isEqualTo(2);
        assertThat(stats.failed()).isEmpty();
        assertThat(stats.retried()).isEqualTo(30);
    }

    @Test
    void eventsLeftAtCloseAreSentFirstAtTheNextStartAndCountedAsRecovered() throws Exception {
        FakeExporter down = new FakeExporter((n, batch) -> ExportResult.retry("503 Service Unavailable", null, 0));
        DeliveryPipeline first = start(down, "BATCH_SIZE", "2");
        List<CompletableFuture<Void>> futures = sendAll(first, "a", "b", "c");
        down.awaitEntered(1);
        first.close(Duration.ofMillis(100));
        for (CompletableFuture<Void> future : futures) {
            assertFailed(future, Outcome.UNDELIVERED, DeliveryPipeline.CLOSED_BEFORE_DELIVERY_SPOOLED);
        }
        assertThat(first.stats().failed()).isEqualTo(Map.of(DeliveryPipeline.CLOSED_BEFORE_DELIVERY_SPOOLED, 3L));
        assertThat(spool().unreleased()).isEqualTo(3);
        assertThat(spool().isOpen()).isFalse();

        FakeExporter up = FakeExporter.delivering();
        DeliveryPipeline second = start(up, "BATCH_SIZE", "2");
        CompletableFuture<Void> d = second.sendEvent(ev("d"));
        assertAllDelivered(List.of(d));
        SinkStats stats = idleStats(second);
        assertThat(labelsSent(up)).containsExactly("a", "b", "c", "d");
        assertThat(stats.recovered()).isEqualTo(3);
        assertThat(stats.accepted()).isEqualTo(1);
        assertThat(stats.delivered()).isEqualTo(4);
        await("everything released", () -> spool().unreleased() == 0);
    }

    @Test
    void recoveredRecordsFoundCorruptAreSkippedAndTheRestSentInOrder() throws Exception {
        MemorySpool left = new MemorySpool();
        MemorySpool.DISK.put(spoolDir.resolve("ux"), left);
        for (String label : List.of("old-1", "old-2", "old-3")) {
            left.leave(record(ev(label)));
        }
        left.corrupt.add(1);
        FakeExporter exporter = FakeExporter.delivering();
        DeliveryPipeline sink = start(exporter, "BATCH_SIZE", "10", "LINGER", "50ms");

        CompletableFuture<Void> fresh = sink.sendEvent(ev("new"));
        assertAllDelivered(List.of(fresh));
        SinkStats stats = idleStats(sink);
        assertThat(labelsSent(exporter)).containsExactly("old-1", "old-3", "new");
        assertThat(stats.recovered()).isEqualTo(2);
        assertThat(stats.delivered()).isEqualTo(3);
        assertThat(left.corruptRecords()).isEqualTo(1);
        await("everything released", () -> left.unreleased() == 0);
    }

    @Test
    void aFullSpoolDropsTheNewestWithTheReasonCounted() throws Exception {
        CountDownLatch backendUp = new CountDownLatch(1);
        FakeExporter exporter = new FakeExporter((n, batch) -> {
            backendUp.await();
            return ExportResult.delivered(0);
        });
        int recordBytes = record(ev("a")).length;
        PipelineConfig config = config(withSpool("BATCH_SIZE", "1")).toBuilder()
                .spoolMaxBytes(3L * recordBytes)
                .build();
        DeliveryPipeline sink = start(exporter, config);

        List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b", "c", "d");
        assertFailed(futures.get(3), Outcome.DROPPED, "spool full (SPOOL_MAX_BYTES, drop_newest)");
        backendUp.countDown();
        assertAllDelivered(futures.subList(0, 3));
        SinkStats stats = idleStats(sink);
        assertThat(stats.dropped()).isEqualTo(Map.of("spool full (SPOOL_MAX_BYTES, drop_newest)", 1L));
        assertThat(stats.delivered()).isEqualTo(3);
    }

    @Test
    void blockWaitsForTheSpoolToReleaseRoom() throws Exception {
        CountDownLatch backendUp = new CountDownLatch(1);
        FakeExporter exporter = new FakeExporter((n, batch) -> {
            backendUp.await();
            return ExportResult.delivered(0);
        });
        int recordBytes = record(ev("a")).length;
        PipelineConfig config = config(withSpool("BATCH_SIZE", "1", "OVERFLOW", "block", "BLOCK_TIMEOUT", "5s"))
                .toBuilder().spoolMaxBytes(2L * recordBytes).build();
        DeliveryPipeline sink = start(exporter, config);
        List<CompletableFuture<Void>> futures = sendAll(sink, "a", "b");

        CompletableFuture<CompletableFuture<Void>> third = CompletableFuture.supplyAsync(() -> sink.sendEvent(ev("c")));
        await("the third caller waiting for room", () -> sink.stats().queued() == 2 && sink.stats().inFlight() == 1);
        assertThat(third).isNotDone();
        backendUp.countDown();
        futures.add(third.get(5, TimeUnit.SECONDS));
        assertAllDelivered(futures);
        assertThat(labelsSent(exporter)).containsExactly("a", "b", "c");
    }

    @Test
    void withFsyncAlwaysSendEventWaitsUntilItsRecordIsDurable() throws Exception {
        DeliveryPipeline sink = start(FakeExporter.delivering(), "SPOOL_FSYNC", "always");
        assertAllDelivered(sendAll(sink, "a", "b"));
        assertThat(spool().durableWaits).containsExactly(1L, 2L);
        assertThat(spool().settings.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
    }

    @Test
    void aSpoolThatCannotBeOpenedFailsTheStartNamingTheKeyAndTheCause() {
        Path locked = Path.of("locked");
        PipelineConfig config = config("SPOOL_DIR", locked.toString());
        assertThatThrownBy(() -> start(FakeExporter.delivering(), config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(names.get(0) + ": cannot open the spool in SPOOL_DIR " + locked.resolve("ux")
                        + ": the directory is locked by process 4242@build-host");
        started.clear();
        awaitNoWorkers(names.get(0));
    }

    @Test
    void eachChannelHasADirectoryOfItsOwnUnderSpoolDir() {
        assertThat(config("SPOOL_DIR", "/var/spool/app").spoolDirectory()).isEqualTo(Path.of("/var/spool/app/ux"));
        assertThat(config().spoolDirectory()).isNull();
    }

    private static byte[] record(Event event) {
        ByteBuf buf = new ByteBuf(256);
        EventRecords.encode(event, buf);
        return buf.toByteArray();
    }
}
