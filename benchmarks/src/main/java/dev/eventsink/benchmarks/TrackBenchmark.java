package dev.eventsink.benchmarks;

import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import dev.eventsink.export.BatchExporter;
import dev.eventsink.export.DeliveryPipeline;
import dev.eventsink.export.ExportResult;
import dev.eventsink.export.OverflowPolicy;
import dev.eventsink.export.PipelineConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The caller's cost of {@code tracker.track} ({@code sendEvent} of the delivery pipeline), with 1 and 2 producer
 * threads, and of building the events it is given, so that the difference is what tracking adds. Both channels are
 * real {@link DeliveryPipeline}s with their default settings except that the exporter accepts every batch at once
 * without I/O, and overflow blocks (so that no drop, with its exception, is measured instead of the queueing).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TrackBenchmark -prof gc
 * </pre>
 *
 * {@code track*} methods send a prepared event (from a pool of 1,024, cycled), so their
 * {@code gc.alloc.rate.norm} is what {@code track} itself allocates; {@code buildAndTrack*} build each event as
 * the end-to-end workload does; {@code build} is building alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TrackBenchmark {

    private EventTracker tracker;

    /** Accepts every batch at once: the pipeline's own work without a backend. */
    static final class AcceptingExporter implements BatchExporter {
        @Override
        public ExportResult export(dev.eventsink.export.EventBatch batch) {
            return ExportResult.delivered(0);
        }
    }

    /** Each producer thread's events. */
    @State(Scope.Thread)
    public static class Producer {
        private static final int POOL = 1024;
        final Event[] prepared = new Event[POOL];
        Workload workload;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            workload = new Workload((int) Thread.currentThread().getId());
            for (int i = 0; i < POOL; i++) {
                prepared[i] = workload.next().toEvent();
            }
        }

        Event nextPrepared() {
            Event event = prepared[next];
            next = (next + 1) & (POOL - 1);
            return event;
        }
    }

    @Setup(Level.Trial)
    public void start() {
        PipelineConfig config = PipelineConfig.builder()
                .overflow(OverflowPolicy.BLOCK)
                .blockTimeout(Duration.ofMinutes(10))
                .build();
        tracker = EventTracker.of(DeliveryPipeline.start("ux-bench", new AcceptingExporter(), config),
                DeliveryPipeline.start("sim-bench", new AcceptingExporter(), config));
    }

    @TearDown(Level.Trial)
    public void stop() {
        tracker.flush(Duration.ofMinutes(1));
        for (dev.eventsink.Channel channel : dev.eventsink.Channel.values()) {
            SinkStats stats = tracker.stats(channel);
            if (stats.droppedTotal() + stats.failedTotal() > 0) {
                throw new IllegalStateException(channel + ": events were lost, the figures are not valid: " + stats);
            }
        }
        tracker.close();
    }

    @Benchmark
    @Threads(1)
    public CompletableFuture<Void> track1Producer(Producer producer) {
        return tracker.track(producer.nextPrepared());
    }

    @Benchmark
    @Threads(2)
    public CompletableFuture<Void> track2Producers(Producer producer) {
        return tracker.track(producer.nextPrepared());
    }

    @Benchmark
    @Threads(1)
    public Workload.Sample build(Producer producer) {
        return producer.workload.next();
    }

    @Benchmark
    @Threads(1)
    public Event buildEvent(Producer producer) {
        return producer.workload.next().toEvent();
    }

    @Benchmark
    @Threads(1)
    public CompletableFuture<Void> buildAndTrack1Producer(Producer producer) {
        return tracker.track(producer.workload.next().toEvent());
    }

    @Benchmark
    @Threads(2)
    public CompletableFuture<Void> buildAndTrack2Producers(Producer producer) {
        return tracker.track(producer.workload.next().toEvent());
    }
}
