package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventTracker;
import dev.eventsink.FlushResult;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.mock.MockSink;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink demo}: a small simulation whose events go through the real sinks. With no sink configured
 * it starts the OpenObserve-compatible server on a loopback port and points both channels at it,
 * then shows how OpenObserve stored a few records.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a small simulation (agents moving and colliding on a grid, a user clicking, navigating and "
                    + "setting parameters) and sends its events through the real pipeline.",
            "With no sink configured (UX_EVENT_SINK_TYPE and SIM_EVENT_SINK_TYPE unset) it starts an "
                    + "OpenObserve-compatible server on 127.0.0.1 and sends the events there through the "
                    + "openobserve sink; otherwise it uses the configured sinks.",
            "Prints per channel the events delivered, failed and dropped and the throughput, and a preview of "
                    + "how OpenObserve stored a few records."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every event was delivered", "  1  some event was not delivered",
            "  2  usage or configuration error"})
final class DemoCommand implements Callable<Integer> {

    static final int DEFAULT_TICKS = 60;
    private static final int PREVIEW_WIDTH = 24;
    /** The sink's own fields first, in the order it writes them; then the payload's. */
    private static final List<String> FIRST_COLUMNS =
            List.of("_timestamp", "event_id", "event_type", "event_time", "user_id", "session_id");

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--ticks", paramLabel = "N",
            description = "Simulation steps to run (default " + DEFAULT_TICKS + "; not with --duration).")
    Integer ticks;

    @Option(names = "--duration", paramLabel = "TIME", converter = Durations.class,
            description = "Run for this long instead of a number of ticks, e.g. 10s.")
    Duration duration;

    @Option(names = "--rate", paramLabel = "TICKS_PER_SECOND", defaultValue = "20",
            description = "Ticks per second; 0 runs as fast as possible (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "16",
            description = "Agents on the grid (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the simulation's randomness (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preview", paramLabel = "N", defaultValue = "3",
            description = "Stored records to show per stream; 0 for none (default ${DEFAULT-VALUE}).")
    int preview;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s", converter = Durations.class,
            description = "How long to wait at the end for delivery (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The path the events take. */
    enum Via { DIRECT, KAFKA }

    @Option(names = "--via", paramLabel = "PATH", defaultValue = "direct",
            description = "direct: the configured sinks (or the built-in server); kafka: the whole scaled-out path "
                    + "with no configuration, a local Kafka broker, the kafka sink, one relay and the built-in "
                    + "OpenObserve-compatible server (default ${DEFAULT-VALUE}).")
    Via via;

    DemoCommand(EventsinkCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        validate();
        if (via == Via.KAFKA) {
            return viaKafka(root.env.out());
        }
        PrintStream out = root.env.out();
        ConfigSource configured = root.config(spec);
        Map<Channel, String> configuredTypes = configuredTypes(configured);
        OpenObserveServer server = null;
        ConfigSource source;
        Map<Channel, String> sinkTypes = new EnumMap<>(Channel.class);
        try {
            if (configuredTypes.isEmpty()) {
                server = OpenObserveServer.builder().maxRetainedRecordsPerStream(50_000).start();
                source = ConfigSource.fromMap(builtInServerConfig(server));
                for (Channel channel : Channel.values()) {
                    sinkTypes.put(channel, "openobserve");
                }
                out.println("No event sink is configured (UX_EVENT_SINK_TYPE and SIM_EVENT_SINK_TYPE are unset), so the demo");
                out.println("started an OpenObserve-compatible server on " + server.url() + " (user " + server.email()
                        + ")");
                out.println("and points both channels at it through the openobserve sink.");
            } else {
                source = configured;
                out.println("Using the configured event sinks:");
                for (Channel channel : Channel.values()) {
                    SinkConfig config = SinkConfig.of(channel, configured);
                    String type = Printable.value(config.type().orElse("(unset)"));
                    sinkTypes.put(channel, type);
                    out.println("  " + channel + ": " + channel.key("TYPE") + "=" + type + (config.type().isPresent()
                            ? "  (from " + Printable.message(config.origin("TYPE")) + ")" : ""));
                }
            }
            out.println();
            try (EventTracker tracker = EventTracker.create(source)) {
                int result = simulate(tracker, sinkTypes, out);
                if (preview > 0) {
                    out.println();
                    if (server != null) {
                        previewStored(server, out);
                    } else {
                        previewConfigured(tracker, configured, out);
                    }
                }
                tracker.close(Duration.ofSeconds(5));
                return result;
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * Applications → Kafka → relay → OpenObserve, all local: a broker in this JVM, both channels through the kafka
     * sink, one relay delivering through the openobserve sink to the built-in server.
     */
    private int viaKafka(PrintStream out) {
        Map<Channel, String> configuredTypes = configuredTypes(root.config(spec));
        if (!configuredTypes.isEmpty()) {
            out.println("--via kafka uses its own broker, sinks and server; the configured sinks "
                    + Printable.value(configuredTypes.toString()) + " are not used.");
        }
        out.println("Starting a local Kafka broker and an OpenObserve-compatible server…");
        out.flush();
        try (KafkaBroker broker = KafkaBroker.builder().start();
                OpenObserveServer server = OpenObserveServer.builder().maxRetainedRecordsPerStream(50_000).start()) {
            for (Channel channel : Channel.values()) {
                broker.createTopic(KafkaTopics.of(channel), KafkaBroker.DEFAULT_PARTITIONS);
            }
            Map<String, String> producerSide = new LinkedHashMap<>();
            Map<Channel, String> sinkTypes = new EnumMap<>(Channel.class);
            for (Channel channel : Channel.values()) {
                producerSide.put(channel.key("TYPE"), "kafka");
                producerSide.put(channel.key("BOOTSTRAP_SERVERS"), broker.bootstrapServers());
                producerSide.put(channel.key("LINGER"), "50ms");
                sinkTypes.put(channel, "kafka");
            }
            out.println("  Kafka broker (KRaft, single node): " + broker.bootstrapServers() + ", topics "
                    + KafkaTopics.of(Channel.UX) + " and " + KafkaTopics.of(Channel.SIM));
            out.println("  OpenObserve-compatible server:     " + server.url() + " (user " + server.email() + ")");
            out.println("  Path: simulation → kafka sink → Kafka → relay (group eventsink-demo) → openobserve sink "
                    + "→ server");
            out.println();
            Relay.Settings settings = new Relay.Settings(broker.bootstrapServers(),
                    List.of(KafkaTopics.of(Channel.UX), KafkaTopics.of(Channel.SIM)), "eventsink-demo",
                    RelayCommand.DEFAULT_DEAD_LETTER_TOPIC, Map.of(), null, 10_000, null);
            int result;
            long relayed;
            try (EventTracker relayTracker = EventTracker.create(ConfigSource.fromMap(builtInServerConfig(server)));
                    Relay relay = new Relay(settings, relayTracker, line -> { })) {
                CompletableFuture<Boolean> relaying = CompletableFuture.supplyAsync(() -> relay.run(timeout));
                try (EventTracker tracker = EventTracker.create(ConfigSource.fromMap(producerSide))) {
                    result = simulate(tracker, sinkTypes, out);
                    long inKafka = tracker.stats(Channel.UX).delivered() + tracker.stats(Channel.SIM).delivered();
                    long deadline = System.nanoTime() + timeout.toNanos();
                    while (storedRecords(server) < inKafka && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                    relayed = storedRecords(server);
                    out.println();
                    out.printf("Relay: %s of the %s events in Kafka were delivered to the server.%n",
                            Text.count(relayed), Text.count(inKafka));
                    if (relayed < inKafka) {
                        result = Main.FAILED;
                    }
                } finally {
                    relay.stop();
                    relaying.join();
                }
            }
            if (preview > 0) {
                out.println();
                previewStored(server, out);
            }
            return result;
        }
    }

    private static long storedRecords(OpenObserveServer server) {
        return server.recordCount("ux_events") + server.recordCount("simulation_events");
    }

    private void validate() {
        if (ticks != null && duration != null) {
            throw new ParameterException(spec.commandLine(), "Give --ticks or --duration, not both");
        }
        if (ticks != null && ticks < 1) {
            throw new ParameterException(spec.commandLine(), "--ticks must be at least 1, was " + ticks);
        }
        if (duration != null && duration.isZero()) {
            throw new ParameterException(spec.commandLine(), "--duration must be more than 0");
        }
        if (rate < 0 || rate > 100_000 || Double.isNaN(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 (as fast as possible) to 100000, was "
                    + rate);
        }
        if (agents < 1 || agents > 10_000) {
            throw new ParameterException(spec.commandLine(), "--agents must be 1 to 10000, was " + agents);
        }
        if (preview < 0) {
            throw new ParameterException(spec.commandLine(), "--preview must not be negative, was " + preview);
        }
    }

    /** The channels whose TYPE is set, with their type. */
    static Map<Channel, String> configuredTypes(ConfigSource source) {
        Map<Channel, String> types = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            SinkConfig.of(channel, source).type().ifPresent(type -> types.put(channel, type));
        }
        return types;
    }

    static Map<String, String> builtInServerConfig(OpenObserveServer server) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            values.put(channel.key("TYPE"), "openobserve");
            values.put(channel.key("URL"), server.url());
            values.put(channel.key("API_KEY"), server.apiKey());
            values.put(channel.key("LINGER"), "250ms");
        }
        return values;
    }

    private int simulate(EventTracker tracker, Map<Channel, String> sinkTypes, PrintStream out) {
        Simulation simulation = new Simulation(agents, seed, root.env.clock());
        String length = "for " + (duration != null ? Durations.compact(duration)
                : (ticks != null ? ticks : DEFAULT_TICKS) + " ticks");
        out.printf(Locale.ROOT, "Simulating %d agents on a %d×%d grid %s %s (run %s, user %s, session %s)…%n",
                agents, Simulation.WIDTH, Simulation.HEIGHT, length,
                rate > 0 ? "at " + (rate == Math.rint(rate) ? String.valueOf((long) rate) : Text.rate(rate))
                        + " ticks/s" : "as fast as possible",
                simulation.runId(), simulation.userId(), simulation.sessionId());
        out.flush();

        OutcomeTally tally = new OutcomeTally();
        int tickLimit = duration != null ? Integer.MAX_VALUE : (ticks != null ? ticks : DEFAULT_TICKS);
        long start = System.nanoTime();
        long end = duration != null ? start + duration.toNanos() : Long.MAX_VALUE;
        long tickNanos = rate > 0 ? (long) (1_000_000_000L / rate) : 0;
        int tick = 0;
        for (; tick < tickLimit; tick++) {
            if (tickNanos > 0) {
                waitUntil(start + tick * tickNanos);
            }
            if (duration != null && System.nanoTime() - end >= 0) {
                break;
            }
            for (Event event : simulation.tick(tick)) {
                tally.track(event.eventType().channel(), tracker.track(event));
            }
        }
        FlushResult flushed = tracker.flush(timeout);
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);

        out.println();
        out.printf(Locale.ROOT, "Delivery (%d ticks, %s collisions, %.1f s):%n", tick, Text.count(simulation.collisions()),
                seconds);
        Text.Table table = new Text.Table("channel", "sink", "events", "delivered", "failed", "dropped", "throughput")
                .alignRight(2, 3, 4, 5, 6);
        boolean allDelivered = true;
        Map<Channel, OutcomeTally.Snapshot> snapshots = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            OutcomeTally.Snapshot s = tally.snapshot(channel);
            snapshots.put(channel, s);
            allDelivered &= s.allDelivered();
            table.row(channel.name(), sinkTypes.get(channel), Text.count(s.sent()), Text.count(s.delivered()),
                    Text.count(s.rejectedTotal() + s.undeliveredTotal()), Text.count(s.droppedTotal()),
                    Text.rate(s.delivered() / seconds) + " events/s");
        }
        table.print(out, "  ");
        snapshots.forEach((channel, s) -> {
            Map<String, Long> reasons = new LinkedHashMap<>(s.rejected());
            s.undelivered().forEach((r, n) -> reasons.merge(r, n, Long::sum));
            s.dropped().forEach((r, n) -> reasons.merge("dropped: " + r, n, Long::sum));
            reasons.forEach((reason, n) -> out.printf("  %s: %s not delivered: %s%n", channel, Text.count(n),
                    Printable.message(reason)));
        });
        if (!flushed.isComplete()) {
            out.printf("  %s events were still undelivered after --timeout %s%n", Text.count(flushed.undelivered()),
                    Durations.compact(timeout));
        }
        out.println(allDelivered ? "  All " + Text.count(tally.sent()) + " events were delivered."
                : "  Some events were not delivered (see above).");
        return allDelivered ? Main.OK : Main.FAILED;
    }

    private static void waitUntil(long dueNanos) {
        long remaining;
        while ((remaining = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    // ------------------------------------------------------------------------------------------------ preview

    private void previewStored(OpenObserveServer server, PrintStream out) {
        out.println("How OpenObserve stored them: keys lowercased and flattened (payload.position.x → "
                + "payload_position_x),");
        out.println("_timestamp in microseconds. A few records per stream, one column each:");
        printStream(server, "ux_events", "payload_action", out);
        printStream(server, "simulation_events", "payload_event", out);
    }

    private void printStream(OpenObserveServer server, String stream, String kindKey, PrintStream out) {
        List<Map<String, Object>> records = server.records(stream);
        out.println();
        out.println("  stream " + stream + " (" + Text.count(server.recordCount(stream)) + " records)");
        if (records.isEmpty()) {
            out.println("    (no records)");
            return;
        }
        List<Map<String, Object>> chosen = pickVaried(records, kindKey, preview);
        Map<String, String> schema = server.schema(stream);
        Set<String> columns = new LinkedHashSet<>();
        for (String first : FIRST_COLUMNS) {
            if (chosen.stream().anyMatch(r -> r.containsKey(first))) {
                columns.add(first);
            }
        }
        chosen.forEach(r -> columns.addAll(r.keySet()));
        List<String> header = new ArrayList<>(List.of("column", "type"));
        chosen.forEach(r -> header.add(String.valueOf(r.getOrDefault(kindKey, "record"))));
        Text.Table table = new Text.Table(header.toArray(String[]::new));
        for (String column : columns) {
            List<Object> row = new ArrayList<>(List.of(column, schema.getOrDefault(column, "")));
            for (Map<String, Object> record : chosen) {
                Object value = record.get(column);
                row.add(value == null ? "" : Printable.fit(String.valueOf(value), PREVIEW_WIDTH));
            }
            table.row(row.toArray());
        }
        table.print(out, "    ");
    }

    /** Up to {@code n} records, one of each kind first (so a collision shows when there was one). */
    static List<Map<String, Object>> pickVaried(List<Map<String, Object>> records, String kindKey, int n) {
        List<Map<String, Object>> chosen = new ArrayList<>();
        Set<Object> kinds = new LinkedHashSet<>();
        for (Map<String, Object> record : records) {
            if (chosen.size() >= n) {
                break;
            }
            if (kinds.add(record.get(kindKey))) {
                chosen.add(record);
            }
        }
        for (Map<String, Object> record : records) {
            if (chosen.size() >= n) {
                break;
            }
            if (!chosen.contains(record)) {
                chosen.add(record);
            }
        }
        return chosen;
    }

    private void previewConfigured(EventTracker tracker, ConfigSource configured, PrintStream out) {
        for (Channel channel : Channel.values()) {
            if (tracker.sink(channel) instanceof MockSink mock) {
                out.println(channel + " (mock sink) keeps the events as they are; the first " + preview + ":");
                mock.events().stream().limit(preview)
                        .forEach(e -> out.println("  " + Printable.fit(EventJson.toJson(e), 200)));
            } else {
                SinkConfig config = SinkConfig.of(channel, configured);
                String type = config.type().orElse("?");
                if (type.equals("openobserve")) {
                    out.println(channel + ": the records are in OpenObserve at "
                            + Printable.value(config.display("URL"))
                            + ", organization " + Printable.value(config.get("ORG").orElse("default")) + ", stream "
                            + Printable.value(config.get("STREAM")
                                    .orElse(channel == Channel.UX ? "ux_events" : "simulation_events"))
                            + " (columns event_id, event_type, event_time, user_id, session_id, payload_*).");
                } else {
                    out.println(channel + ": no preview for sink type " + Printable.quote(type) + ".");
                }
            }
        }
    }
}
