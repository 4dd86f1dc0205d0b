package dev.eventsink.benchmarks;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.EventJson;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Retained heap per queued event while the backend is down: both channels' {@code openobserve} sinks point at a
 * port of 127.0.0.1 where nothing listens, one producer sends enough of the workload's events to fill both queues
 * ({@code QUEUE_CAPACITY} each, default settings otherwise), and the heap in use after full collections is
 * compared before and after. Each run prints the bytes retained per event held (queued or in a worker's retrying
 * batch) beside the events' mean canonical JSON size; the last line is the median of the runs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.eventsink.benchmarks.OutageMemory --runs 3
 * </pre>
 *
 * <p>Options: {@code --capacity N} ({@code QUEUE_CAPACITY} of each sink, 100,000), {@code --runs N} (3). The
 * producer drops its futures, as a caller that does not wait for outcomes does.
 */
public final class OutageMemory {

    private OutageMemory() {}

    public static void main(String[] args) throws Exception {
        int capacity = 100_000;
        int runs = 3;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--capacity" -> capacity = EndToEnd.positive(args[i], value);
                case "--runs" -> runs = EndToEnd.positive(args[i], value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --capacity N, --runs N");
            }
        }
        double json = meanJsonBytes();
        String url = "http://127.0.0.1:" + unusedPort();
        System.out.printf(Locale.ROOT, "backend down (nothing listens at %s); QUEUE_CAPACITY %,d per sink; events of"
                + " %.0f bytes of canonical JSON on average%n", url, capacity, json);
        double[] perEvent = new double[runs];
        for (int run = 0; run < runs; run++) {
            perEvent[run] = run(url, capacity, json);
        }
        double median = EndToEnd.median(perEvent);
        System.out.printf(Locale.ROOT, "median of %d runs: %.0f bytes retained per queued event, %.2fx its JSON size"
                + " (target: at most 1.5x)%n", runs, median, median / json);
    }

    private static double run(String url, int capacity, double json) throws InterruptedException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            keys.put(channel.key("TYPE"), "openobserve");
            keys.put(channel.key("URL"), url);
            keys.put(channel.key("API_KEY"), "root@example.com:unused");
            keys.put(channel.key("QUEUE_CAPACITY"), Integer.toString(capacity));
        }
        EventTracker tracker = EventTracker.create(ConfigSource.fromMap(keys));
        Workload workload = new Workload(0);
        for (int i = 0; i < 1_000; i++) {
            tracker.track(workload.next().toEvent()); // the workers start, fail and begin to retry
        }
        long before = Meter.usedHeapAfterFullGc();
        // Enough for both queues and the batches the workers hold, and some to spare: those are dropped.
        int events = 2 * (capacity + 4 * 500) + 10_000;
        for (int i = 0; i < events; i++) {
            tracker.track(workload.next().toEvent());
        }
        long during = Meter.usedHeapAfterFullGc();
        long held = 0;
        long dropped = 0;
        for (Channel channel : Channel.values()) {
            SinkStats stats = tracker.stats(channel);
            held += stats.queued() + stats.inFlight();
            dropped += stats.droppedTotal();
        }
        double perEvent = (double) (during - before) / held;
        System.out.printf(Locale.ROOT, "  sent %,d: %,d held (queued or in flight), %,d dropped; heap after GC %.1f"
                        + " MiB before, %.1f MiB with the queues full: %.0f bytes per held event, %.2fx its JSON%n",
                events + 1_000, held, dropped, before / 1048576.0, during / 1048576.0, perEvent, perEvent / json);
        tracker.close(Duration.ofSeconds(2));
        return perEvent;
    }

    private static double meanJsonBytes() {
        Workload workload = new Workload(0);
        long total = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            total += EventJson.toJsonBytes(workload.next().toEvent()).length;
        }
        return (double) total / n;
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
