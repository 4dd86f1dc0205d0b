package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: a measurement to run by hand (see sink-kafka's README, "Measured"). Puts events of about 220 bytes in
 * a topic of 4 partitions of a broker in this JVM, then times relays of a new group (one, then two, in this JVM,
 * each with its own tracker) moving all of them into the OpenObserve-compatible server in this JVM through the
 * openobserve sink, round after round.
 *
 * <p>Arguments: events (default 500,000), rounds (default 3).
 */
final class RelayThroughputMeasurement {

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (KafkaBroker broker = KafkaBroker.builder().start();
                OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).start()) {
            broker.createTopic("simulation_events", 4);
            Map<String, String> producer = new HashMap<>();
            producer.put("SIM_EVENT_SINK_TYPE", "kafka");
            producer.put("SIM_EVENT_SINK_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            producer.put("SIM_EVENT_SINK_OVERFLOW", "block");
            producer.put("SIM_EVENT_SINK_BLOCK_TIMEOUT", "10m");
            producer.put("UX_EVENT_SINK_TYPE", "mock");
            try (EventTracker tracker = EventTracker.create(ConfigSource.fromMap(producer))) {
                for (int i = 0; i < events; i++) {
                    tracker.track(Event.simulationEvent().userId("user-" + i % 1000).sessionId("s-" + i % 64)
                            .put("agent", i % 64).put("x", (i % 1000) * 0.5).put("y", (i % 777) * 0.25)
                            .put("kind", "agent_moved").build());
                }
                tracker.flush(Duration.ofMinutes(5));
                if (tracker.stats(Channel.SIM).delivered() != events) {
                    throw new IllegalStateException("not every event reached Kafka: " + tracker.stats(Channel.SIM));
                }
                System.out.printf("%,d events in simulation_events (4 partitions): %s%n", events,
                        tracker.stats(Channel.SIM));
            }
            Map<String, String> relayConfig = new HashMap<>(Cli.openObserve(server.url(), server.apiKey()));
            relayConfig.replaceAll((k, v) -> k.endsWith("LINGER") ? "200ms" : k.endsWith("RETRY_DEADLINE") ? "5m" : v);
            List<String> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (int relays : new int[] {1, 2}) {
                    server.clear();
                    String group = "measure-" + relays + "-" + round;
                    long start = System.nanoTime();
                    List<CompletableFuture<Cli.Result>> running = new ArrayList<>();
                    for (int r = 0; r < relays; r++) {
                        running.add(CompletableFuture.supplyAsync(() -> Cli.withConfig(relayConfig).run("relay",
                                "--bootstrap-servers", broker.bootstrapServers(), "--topics", "simulation_events",
                                "--group", group, "--until-idle", "1s", "--no-progress")));
                    }
                    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                    while (server.recordCount("simulation_events") < events && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    long elapsed = System.nanoTime() - start;
                    running.forEach(CompletableFuture::join);
                    String line = String.format("round %d, %d relay%s: %,.0f events/s (%,d stored in %.1f s, group "
                            + "join included)", round, relays, relays == 1 ? "" : "s", events / (elapsed / 1e9),
                            server.recordCount("simulation_events"), elapsed / 1e9);
                    System.out.println(line);
                    results.add(line);
                }
            }
        }
    }
}
