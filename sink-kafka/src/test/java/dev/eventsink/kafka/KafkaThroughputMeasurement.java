package dev.eventsink.kafka;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.SinkStats;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.openobserve.OpenObserveSinkProvider;
import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.openobserve.server.OpenObserveServer;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Not a test: a measurement to run by hand (see this module's README, "Measured"). Sends events of about 220 bytes
 * of JSON from 2 producer threads through the kafka sink, with each compression codec, into a broker in this JVM,
 * and through the openobserve sink into the compatible server in this JVM, round after round so that every
 * configuration sees the same machine; prints each run's rate and, for Kafka, the bytes the broker stored.
 *
 * <p>Arguments: events per run (default 500,000), rounds (default 3), then the configurations, among
 * {@code none gzip snappy lz4 zstd openobserve} (default {@code gzip zstd lz4 openobserve}).
 */
final class KafkaThroughputMeasurement {

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> configurations = args.length > 2 ? List.of(args).subList(2, args.length)
                : List.of("gzip", "zstd", "lz4", "openobserve");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Long> stored = new LinkedHashMap<>();
        try (KafkaBroker broker = KafkaBroker.builder().start();
                OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).start()) {
            for (int round = 1; round <= rounds; round++) {
                for (String configuration : configurations) {
                    Map<String, String> keys = new HashMap<>();
                    String topic = "measure-" + configuration + "-" + round;
                    if (configuration.equals("openobserve")) {
                        keys.put("UX_EVENT_SINK_URL", server.url());
                        keys.put("UX_EVENT_SINK_API_KEY", server.email() + ":" + server.password());
                    } else {
                        broker.createTopic(topic, 4);
                        keys.put("UX_EVENT_SINK_BOOTSTRAP_SERVERS", broker.bootstrapServers());
                        keys.put("UX_EVENT_SINK_TOPIC", topic);
                        keys.put("UX_EVENT_SINK_COMPRESSION", configuration);
                    }
                    keys.put("UX_EVENT_SINK_OVERFLOW", "block");
                    keys.put("UX_EVENT_SINK_BLOCK_TIMEOUT", "1m");
                    EventSink sink = configuration.equals("openobserve")
                            ? new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, keys))
                            : new KafkaSinkProvider().create(SinkConfig.of(Channel.UX, keys));
                    double rate = run(sink, events);
                    rates.computeIfAbsent(configuration, c -> new ArrayList<>()).add(rate);
                    String bytes = "";
                    if (!configuration.equals("openobserve")) {
                        long size = logBytes(broker.dir(), topic);
                        stored.put(configuration, size);
                        bytes = String.format(", broker stored %.1f MB (%.0f bytes/event)", size / 1e6,
                                (double) size / events);
                    }
                    System.out.printf("round %d %-12s %,10.0f events/s%s%n", round, configuration, rate, bytes);
                }
            }
        }
        System.out.println();
        System.out.println("median of " + rounds + " rounds, " + events + " events each:");
        rates.forEach((configuration, list) -> {
            List<Double> sorted = list.stream().sorted().toList();
            System.out.printf("  %-12s %,10.0f events/s  (runs %s)%s%n", configuration, sorted.get(sorted.size() / 2),
                    list.stream().map(r -> String.format("%,.0f", r)).toList(),
                    stored.containsKey(configuration) ? String.format("  %.0f bytes/event on the broker",
                            (double) stored.get(configuration) / events) : "");
        });
    }

    private static double run(EventSink sink, int events) throws InterruptedException {
        int producers = 2;
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
        sink.flush(Duration.ofMinutes(5));
        long elapsed = System.nanoTime() - start;
        SinkStats stats = sink.stats();
        sink.close();
        if (stats.delivered() != events) {
            throw new IllegalStateException("delivered " + stats.delivered() + " of " + events + ": " + stats);
        }
        return events / (elapsed / 1e9);
    }

    /** The size of the topic's log segments: what the broker keeps on disk, after the producer's compression. */
    private static long logBytes(Path brokerDir, String topic) throws IOException {
        try (Stream<Path> files = Files.walk(brokerDir.resolve("data"))) {
            return files.filter(f -> f.getParent().getFileName().toString().startsWith(topic + "-")
                    && f.getFileName().toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static Event event(int producer, int i) {
        return Event.simulationEvent()
                .userId("user-" + (i % 1000))
                .sessionId("session-" + producer + "-" + (i % 64))
                .put("agent", i % 64)
                .put("x", (i % 1000) * 0.5)
                .put("y", (i % 777) * 0.25)
                .put("kind", "agent_moved")
                .build();
    }
}
