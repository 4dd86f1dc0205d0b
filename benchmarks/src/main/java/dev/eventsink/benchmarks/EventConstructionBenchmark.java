package dev.eventsink.benchmarks;

import dev.eventsink.Event;
import dev.eventsink.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building an {@link Event} from a map payload (the workload's five fields), with the id and time already made:
 * the validation and compact encoding of the payload that construction does, by the record's constructor and by
 * the builder.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EventConstructionBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class EventConstructionBenchmark {

    private final UUID id = UUID.randomUUID();
    private final Instant timestamp = Instant.now();
    private Map<String, Object> payload;

    @Setup
    public void prepare() {
        payload = new LinkedHashMap<>(new Workload(0).next().payload());
    }

    @Benchmark
    public Event constructor() {
        return new Event(id, timestamp, EventType.UX_ACTION, "user-42", "session-7", payload);
    }

    @Benchmark
    public Event builder() {
        return Event.uxAction().id(id).timestamp(timestamp).userId("user-42").sessionId("session-7")
                .payload(payload).build();
    }
}
