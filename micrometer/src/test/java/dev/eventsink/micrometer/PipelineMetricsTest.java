package dev.eventsink.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.SinkStats;
import dev.eventsink.export.BatchExporter;
import dev.eventsink.export.DeliveryPipeline;
import dev.eventsink.export.EventBatch;
import dev.eventsink.export.ExportResult;
import dev.eventsink.export.OverflowPolicy;
import dev.eventsink.export.PipelineConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The meters of a real delivery pipeline, driven through queue-full and oversized drops, a retry and a rejection. */
class PipelineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Tags tags = Tags.of("channel", "ux", "sink", "scripted");

    @Test
    void queueInFlightDropsRetriesBatchesAndBytesAreThePipelines() throws Exception {
        ScriptedExporter exporter = new ScriptedExporter();
        PipelineConfig config = PipelineConfig.builder()
                .batchSize(1).linger(Duration.ZERO).exportThreads(1)
                .queueCapacity(2).queueBytes(1024).overflow(OverflowPolicy.DROP_NEWEST)
                .retryInitialBackoff(Duration.ofMillis(1)).retryMaxBackoff(Duration.ofMillis(1))
                .build();
        DeliveryPipeline sink = DeliveryPipeline.start("metrics-test", exporter, config);
        try {
            EventSinkMetrics.of(Channel.UX, sink).bindTo(registry);

            sink.sendEvent(event(1));
            exporter.firstEntered.await();
            sink.sendEvent(event(2));
            sink.sendEvent(event(3));
            sink.sendEvent(event(4));                                             // queue full
            sink.sendEvent(Event.uxAction().put("blob", "x".repeat(2000)).build()); // larger than QUEUE_BYTES

            assertThat(gauge("eventsink.queue.events")).isEqualTo(2);
            assertThat(gauge("eventsink.inflight.events")).isEqualTo(1);
            assertThat(events("dropped", "queue_full")).isEqualTo(1);
            assertThat(events("dropped", "event_too_large")).isEqualTo(1);

            exporter.releaseFirst.countDown();
            Await.until("every event settled", () -> {
                SinkStats s = sink.stats();
                return s.pending() == 0 && s.delivered() + s.failedTotal() + s.droppedTotal() == 5;
            });

            assertThat(events("delivered", "none")).isEqualTo(2);
            assertThat(events("failed", "rejected")).isEqualTo(1);
            assertThat(events("failed", "undelivered")).isZero();
            assertThat(events("dropped", "queue_full")).isEqualTo(1);
            assertThat(events("dropped", "event_too_large")).isEqualTo(1);
            assertThat(events("dropped", "interrupted")).isZero();
            assertThat(events("dropped", "other")).isZero();
            assertThat(gauge("eventsink.queue.events")).isZero();
            assertThat(gauge("eventsink.inflight.events")).isZero();
            assertThat(counter("eventsink.batches")).isEqualTo(4);        // 1 retried + its retry + 2
            assertThat(counter("eventsink.bytes.sent")).isEqualTo(100 + 100 + 50 + 100);
            assertThat(counter("eventsink.retries")).isEqualTo(1);
        } finally {
            sink.close(Duration.ofSeconds(5));
        }
    }

    private static Event event(int n) {
        return Event.uxAction().userId("u1").put("n", n).build();
    }

    private double events(String outcome, String reason) {
        return registry.get("eventsink.events").tags(tags.and("outcome", outcome, "reason", reason))
                .functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    /**
     * Holds its first batch until released and asks for a retry; the retry is delivered, the next batch rejected,
     * every later one delivered. Named so that its sink is tagged {@code scripted}.
     */
    static final class ScriptedExporter implements BatchExporter {
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public ExportResult export(EventBatch batch) throws InterruptedException {
            switch (calls.incrementAndGet()) {
                case 1:
                    firstEntered.countDown();
                    releaseFirst.await();
                    return ExportResult.retry("OpenObserve answered 503", Duration.ZERO, 100);
                case 3:
                    return ExportResult.rejectAll("OpenObserve answered 400", 50);
                default:
                    return ExportResult.delivered(100);
            }
        }
    }
}
