package dev.eventsink.spool;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Run in a child JVM by the crash tests: opens the UX sink the environment configures (openobserve, with
 * {@code UX_EVENT_SINK_SPOOL_DIR}), prints {@code started} with the events the spool recovered, then sends
 * {@code count} events at {@code rate} per second, printing each event's id once {@code sendEvent} returned for
 * it. Then it flushes, prints {@code drained <recovered> <delivered> <failed> <dropped>} and closes the sink.
 *
 * <pre>{@code
 * java -cp ... dev.eventsink.spool.SpoolingSender 5000 4000   # 5,000 events at 4,000/s
 * }</pre>
 */
final class SpoolingSender {

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        int rate = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        EventSink sink = EventSinkFactory.create(Channel.UX, ConfigSource.systemEnvironment());
        out.println("started " + sink.stats().recovered());
        out.flush();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * (1e9 / rate));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                out.flush(); // every id sent so far is out before the pause
                LockSupport.parkNanos(wait);
            }
            UUID id = UUID.randomUUID();
            sink.sendEvent(Event.uxAction().id(id).userId("crash-test").put("seq", i).build());
            out.println(id);
        }
        out.flush();
        FlushResult flush = sink.flush(Duration.ofSeconds(60));
        SinkStats stats = sink.stats();
        out.println("drained " + stats.recovered() + " " + stats.delivered() + " " + stats.failedTotal() + " "
                + stats.droppedTotal() + " " + flush.undelivered());
        out.flush();
        sink.close();
    }
}
