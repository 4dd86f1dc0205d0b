package dev.eventsink.spool;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Not a test: a measurement to run by hand (see this module's README, "Costs"). Sends events of about 250 bytes
 * from producer threads through the openobserve sink to a receiver in another JVM (OpenObserveServerMain), with
 * the spool off and with each {@code SPOOL_FSYNC} setting, interleaved, and prints the end-to-end rate of each
 * run, the median per setting and its ratio to the spool off. Runs with {@code always} send a fiftieth of the
 * events, since each {@code sendEvent} waits for a device flush.
 *
 * <p>Arguments: the receiver's URL (e.g. http://127.0.0.1:5080), events per run (default 1,000,000), producer
 * threads (default 2), rounds (default 3), the spool's parent directory (default a temporary one).
 */
final class SpoolThroughput {

    private static final List<String> SETTINGS = List.of("off", "interval", "always", "never");

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int producers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path parent = args.length > 4 ? Files.createDirectories(Path.of(args[4]))
                : Files.createTempDirectory("spool-throughput");
        System.out.printf("%d events per run, %d producers, %d rounds, spool under %s, receiver %s%n", events,
                producers, rounds, parent, url);
        run(url, "off", Math.max(1, events / 5), producers, parent); // warm-up
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String setting : SETTINGS) {
                // A device flush per sendEvent call (shared by the callers waiting at once) is orders of magnitude
                // slower: fewer events keep that run as long as the others.
                double rate = run(url, setting, setting.equals("always") ? Math.max(1000, events / 50) : events,
                        producers, parent);
                rates.computeIfAbsent(setting, s -> new double[rounds])[round] = rate;
            }
        }
        double off = median(rates.get("off"));
        for (Map.Entry<String, double[]> e : rates.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("SPOOL %-8s median %,9.0f events/s  (%3.0f%% of off)  runs %s%n", e.getKey(), m,
                    100 * m / off, Arrays.toString(Arrays.stream(e.getValue()).mapToLong(Math::round).toArray()));
        }
    }

    private static double run(String url, String setting, int events, int producers, Path parent)
            throws Exception {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_TYPE", "openobserve");
        keys.put("UX_EVENT_SINK_URL", url);
        keys.put("UX_EVENT_SINK_API_KEY", "root@example.com:Complexpass#123");
        keys.put("UX_EVENT_SINK_OVERFLOW", "block");
        keys.put("UX_EVENT_SINK_BLOCK_TIMEOUT", "1m");
        keys.put("UX_EVENT_SINK_SHUTDOWN_HOOK", "false");
        Path dir = null;
        if (!setting.equals("off")) {
            dir = Files.createTempDirectory(parent, setting);
            keys.put("UX_EVENT_SINK_SPOOL_DIR", dir.toString());
            keys.put("UX_EVENT_SINK_SPOOL_FSYNC", setting);
            keys.put("UX_EVENT_SINK_SPOOL_MAX_BYTES", "4096MiB");
        }
        EventSink sink = EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(keys));
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(new Thread(() -> {
                for (int i = producer; i < events; i += producers) {
                    sink.sendEvent(event(producer, i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        FlushResult flush = sink.flush(Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        SinkStats stats = sink.stats();
        sink.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(f);
                }
            }
        }
        double rate = events / seconds;
        System.out.printf("  %-8s %,9.0f events/s  delivered %d, failed %d, dropped %d, undelivered %d%n", setting,
                rate, stats.delivered(), stats.failedTotal(), stats.droppedTotal(), flush.undelivered());
        return rate;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static Event event(int producer, int i) {
        return Event.simulationEvent()
                .userId("user-" + (i % 1000))
                .sessionId("session-" + producer)
                .put("agent", i % 64)
                .put("x", (i % 1000) * 0.5)
                .put("y", (i % 777) * 0.25)
                .put("kind", "agent_moved")
                .build();
    }
}
