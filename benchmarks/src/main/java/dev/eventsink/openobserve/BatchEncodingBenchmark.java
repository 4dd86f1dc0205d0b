package dev.eventsink.openobserve;

import dev.eventsink.Event;
import dev.eventsink.benchmarks.Workload;
import dev.eventsink.export.EventBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code openobserve} sink's work on one batch (500 events of the workload by default, as
 * {@code BATCH_SIZE}): encoding it as OpenObserve JSON records, encoding and gzip-compressing it as a request
 * body, and compressing the encoded JSON alone the way the sink does (raw deflate at the fastest level plus the
 * gzip trailer's CRC-32). In the sink's package, to reach its per-worker encoder. Scores are per batch; divide by
 * {@code batchSize} for a figure per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BatchEncodingBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class BatchEncodingBenchmark {

    @Param("500")
    public int batchSize;

    private final OpenObserveRecords encoder = new OpenObserveRecords();
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();
    private EventBatch batch;
    private byte[] json;
    private byte[] compressed;

    @Setup
    public void prepare() {
        Workload workload = new Workload(0);
        List<Event> events = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            events.add(workload.next().toEvent());
        }
        batch = EventBatch.of(events);
        OpenObserveRecords.Body body = encoder.encode(batch, TimestampMode.EVENT, false);
        json = java.util.Arrays.copyOf(body.bytes(), body.length());
        compressed = new byte[json.length + 1024];
    }

    @TearDown
    public void end() {
        encoder.close();
        deflater.end();
    }

    @Benchmark
    public int encodeJson() {
        return encoder.encode(batch, TimestampMode.EVENT, false).length();
    }

    @Benchmark
    public int encodeGzip() {
        return encoder.encode(batch, TimestampMode.EVENT, true).length();
    }

    @Benchmark
    public long compressOnly() {
        deflater.reset();
        deflater.setInput(json);
        deflater.finish();
        int length = 0;
        while (!deflater.finished()) {
            length += deflater.deflate(compressed, length, compressed.length - length);
        }
        crc.reset();
        crc.update(json);
        return length + crc.getValue();
    }
}
