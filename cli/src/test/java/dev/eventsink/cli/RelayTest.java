package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventTracker;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventsink relay} from a real broker into the OpenObserve-compatible server, in this JVM. */
class RelayTest {

    private static KafkaBroker broker;
    private static OpenObserveServer server;
    @TempDir
    Path workDir;

    @BeforeAll
    static void start() {
        // Relays whose member dies are replaced after their session timeout: short ones here, for a fast kill test.
        broker = KafkaBroker.builder().setting("group.min.session.timeout.ms", "1000").start();
        server = OpenObserveServer.builder().maxRetainedRecordsPerStream(100_000).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        broker.close();
    }

    /** Both channels to the server's organisation {@code org}. */
    static Map<String, String> openObserve(OpenObserveServer server, String org) {
        Map<String, String> values = new LinkedHashMap<>(Cli.openObserve(server.url(), server.apiKey()));
        values.put("UX_EVENT_SINK_ORG", org);
        values.put("SIM_EVENT_SINK_ORG", org);
        return values;
    }

    /** Both channels to the broker's topics {@code ux_events} and {@code simulation_events} (or with a prefix). */
    static Map<String, String> kafka(KafkaBroker broker, String topicPrefix) {
        Map<String, String> values = new HashMap<>();
        for (String channel : new String[] {"UX", "SIM"}) {
            values.put(channel + "_EVENT_SINK_TYPE", "kafka");
            values.put(channel + "_EVENT_SINK_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            values.put(channel + "_EVENT_SINK_LINGER", "10ms");
        }
        values.put("UX_EVENT_SINK_TOPIC", topicPrefix + "ux_events");
        values.put("SIM_EVENT_SINK_TOPIC", topicPrefix + "simulation_events");
        return values;
    }

    static List<Event> events(int ux, int sim) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < ux; i++) {
            events.add(Event.uxAction().userId("u" + i % 7).sessionId("s" + i % 13).put("action", "click")
                    .put("n", i).put("target", Map.of("id", "b" + i % 5, "tags", List.of("a", "b"))).build());
        }
        for (int i = 0; i < sim; i++) {
            events.add(Event.simulationEvent().put("event", "agent_moved").put("tick", i)
                    .put("position", Map.of("x", i * 0.5, "y", 3)).build());
        }
        return events;
    }

    static void send(Map<String, String> config, List<Event> events) throws Exception {
        try (EventTracker tracker = EventTracker.create(ConfigSource.fromMap(config))) {
            for (Event event : events) {
                tracker.track(event);
            }
            assertThat(tracker.flush(Duration.ofSeconds(60)).isComplete()).isTrue();
            assertThat(tracker.stats(dev.eventsink.Channel.UX).failedTotal()
                    + tracker.stats(dev.eventsink.Channel.SIM).failedTotal()).isZero();
        }
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> records) {
        List<Map<String, Object>> copy = new ArrayList<>(records);
        copy.sort(Comparator.comparing(r -> String.valueOf(r.get("event_id"))));
        return copy;
    }

    @Test
    void everyEventArrivesInOpenObserveExactlyAsADirectSendStoresIt() throws Exception {
        List<Event> events = events(600, 400);
        broker.createTopic("exact-ux_events", 4);
        broker.createTopic("exact-simulation_events", 4);
        send(kafka(broker, "exact-"), events);
        send(openObserve(server, "direct"), events);

        Cli.Result result = Cli.withConfig(openObserve(server, "relayed")).run("relay", "--bootstrap-servers",
                broker.bootstrapServers(), "--topics", "exact-ux_events,exact-simulation_events", "--group",
                "exact", "--until-idle", "2s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(server.recordCount("relayed", "ux_events")).isEqualTo(600);
        assertThat(server.recordCount("relayed", "simulation_events")).isEqualTo(400);
        assertThat(sorted(server.records("relayed", "ux_events")))
                .isEqualTo(sorted(server.records("direct", "ux_events")));
        assertThat(sorted(server.records("relayed", "simulation_events")))
                .isEqualTo(sorted(server.records("direct", "simulation_events")));
        assertThat(result.out()).contains("Relayed 1,000 records from exact-ux_events, exact-simulation_events",
                "Result: every record consumed was delivered.");
        assertThat(result.out().lines().filter(l -> l.startsWith("  UX ")).findFirst().orElseThrow())
                .matches("  UX +openobserve +600 +600 +0 +0 +0");
        assertThat(result.out().lines().filter(l -> l.startsWith("  SIM ")).findFirst().orElseThrow())
                .matches("  SIM +openobserve +400 +400 +0 +0 +0");
        assertThat(result.err()).contains("relay: assigned exact-simulation_events-0");
    }

    @Test
    void recordsThatAreNoEventAndRejectedEventsAreDeadLetteredWithWhereAndWhyAndCommitted() throws Exception {
        String topic = "dead-letter-source";
        broker.createTopic(topic, 1);
        Event good = Event.uxAction().userId("u1").put("ok", true).build();
        Event tooOld = Event.uxAction().timestamp(Instant.now().minus(2, ChronoUnit.DAYS)).put("old", true).build();
        Properties p = broker.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k0".getBytes(StandardCharsets.UTF_8),
                    EventJson.toJsonBytes(good))).get();
            producer.send(new ProducerRecord<>(topic, "k1".getBytes(StandardCharsets.UTF_8),
                    "not json".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, null, new byte[] {'{', '"', (byte) 0xC3, '"', '}'})).get();
            producer.send(new ProducerRecord<>(topic, null, EventJson.toJsonBytes(tooOld))).get();
            ProducerRecord<byte[], byte[]> future = new ProducerRecord<>(topic, null, EventJson.toJsonBytes(good));
            future.headers().add("schema_version", "2".getBytes(StandardCharsets.US_ASCII));
            producer.send(future).get();
        }

        Cli.Result result = Cli.withConfig(openObserve(server, "dead-letters")).run("relay", "--bootstrap-servers",
                broker.bootstrapServers(), "--topics", topic, "--group", "dead-letters", "--dead-letter-topic",
                "dead-letters-out", "--until-idle", "2s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(server.recordCount("dead-letters", "ux_events")).isEqualTo(1);
        Map<Long, Map<String, String>> dead = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("dead-letters-out")) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            dead.put(Long.parseLong(headers.get("eventsink.source.offset")), headers);
            assertThat(headers).containsEntry("eventsink.source.topic", topic)
                    .containsEntry("eventsink.source.partition", "0");
        }
        assertThat(dead).containsOnlyKeys(1L, 2L, 3L, 4L);
        assertThat(dead.get(1L).get("eventsink.dead_letter.reason")).startsWith("Invalid event JSON");
        assertThat(dead.get(2L).get("eventsink.dead_letter.reason")).isEqualTo("not valid UTF-8 at byte 3");
        assertThat(dead.get(3L).get("eventsink.dead_letter.reason"))
                .startsWith("rejected: Too old data, only last 5 hours data can be ingested");
        assertThat(dead.get(4L).get("eventsink.dead_letter.reason"))
                .isEqualTo("unsupported schema_version '2'; this relay reads 1");
        assertThat(result.err()).contains("relay: " + topic + "/0@2 dead-lettered to dead-letters-out: "
                + "not valid UTF-8 at byte 3");
        assertThat(result.out().lines().filter(l -> l.startsWith("  UX ")).findFirst().orElseThrow())
                .matches("  UX +openobserve +2 +1 +1 +1 +0");
        assertThat(result.out().lines().filter(l -> l.startsWith("  (no event) ")).findFirst().orElseThrow())
                .matches("  \\(no event\\) +3 +- +- +3 +-");
        assertThat(result.out()).contains("Result: 4 records were dead-lettered to 'dead-letters-out'.");

        Cli.Result again = Cli.withConfig(openObserve(server, "dead-letters")).run("relay", "--bootstrap-servers",
                broker.bootstrapServers(), "--topics", topic, "--group", "dead-letters", "--dead-letter-topic",
                "dead-letters-out", "--until-idle", "1s");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).as("the offsets were committed past every record").contains("Relayed 0 records");
    }

    @Test
    void aRelayThatWouldReadItsOwnOutputIsRefused() {
        Cli.Result result = Cli.withConfig(kafka(broker, "")).run("relay", "--bootstrap-servers",
                broker.bootstrapServers());
        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("UX_EVENT_SINK_TYPE=kafka writes to topic 'ux_events', which this relay "
                + "reads: it would relay its own output for ever.");
    }

    @Test
    void twoRelaysOfOneGroupShareThePartitionsAndKillingOneLosesNothing() throws Exception {
        String prefix = "group-";
        broker.createTopic(prefix + "ux_events", 4);
        broker.createTopic(prefix + "simulation_events", 4);
        String[] relayArgs = {"relay", "--bootstrap-servers", broker.bootstrapServers(), "--topics",
            prefix + "ux_events," + prefix + "simulation_events", "--group", "pair", "--progress-interval", "1s",
            "--kafka-property", "session.timeout.ms=2000", "--kafka-property", "heartbeat.interval.ms=300"};
        Map<String, String> config = openObserve(server, "pair");
        config.put("UX_EVENT_SINK_BATCH_SIZE", "100");
        config.put("SIM_EVENT_SINK_BATCH_SIZE", "100");

        // Relay A runs in a JVM of its own, which the test kills as kill -9 would.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(relayArgs));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(key -> key.contains("_EVENT_SINK_"));
        builder.environment().putAll(config);
        Process relayA = builder.start();
        List<String> aLines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(relayA.getErrorStream(),
                StandardCharsets.UTF_8)).lines().forEach(aLines::add), "relay-a-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(aLines, line -> line.contains("8 partitions in all"), "relay A holding all 8 partitions");

            // Relay B joins in this JVM: the group shares the partitions between A and B.
            Cli.TestStopSignal stopB = new Cli.TestStopSignal();
            CompletableFuture<Cli.Result> relayB = CompletableFuture.supplyAsync(() ->
                    Cli.withConfig(config).stopSignal(stopB).run(relayArgs));
            awaitLine(aLines, line -> line.startsWith("relay: assigned") && !line.contains("8 partitions in all"),
                    "relay A holding part of the partitions after B joined");

            // OpenObserve answers slowly, so that A dies with events in flight and records not yet read.
            server.faults().always(Fault.delay(Duration.ofMillis(200)));
            List<Event> events = events(5_000, 3_000);
            long storedAtKill;
            try {
                send(kafka(broker, prefix), events);
                awaitTrue(() -> storedIn("pair") >= 1_500, "1,500 records stored");
                relayA.destroyForcibly();
                assertThat(relayA.waitFor(10, TimeUnit.SECONDS)).isTrue();
                storedAtKill = storedIn("pair");
            } finally {
                server.faults().clear();
            }
            System.out.printf("kill test: A killed with %d records stored%n", storedAtKill);
            assertThat(storedAtKill).as("records stored when A was killed").isLessThan(events.size());

            // B takes A's partitions once A's session (2 s) expired, from A's last committed offsets.
            Set<Object> sentIds = new HashSet<>();
            events.forEach(e -> sentIds.add(e.id().toString()));
            awaitTrue(() -> storedIds("pair").containsAll(sentIds), "every event stored");
            stopB.request();
            Cli.Result b = relayB.get(30, TimeUnit.SECONDS);
            assertThat(b.exitCode()).as(b.toString()).isZero();
            assertThat(b.err()).as("B's partitions: a share first, all 8 once A's session expired")
                    .containsPattern("relay: assigned [^\\n]*; [1-7] partitions in all")
                    .contains("8 partitions in all");
            assertThat(storedIds("pair")).as("every event sent is stored at least once").isEqualTo(sentIds);
            long total = server.recordCount("pair", "ux_events") + server.recordCount("pair", "simulation_events");
            System.out.printf("kill test: %d events sent, %d records stored (%d stored twice)%n",
                    sentIds.size(), total, total - sentIds.size());
        } finally {
            relayA.destroyForcibly();
        }
    }

    private static Set<Object> storedIds(String org) {
        Set<Object> ids = new HashSet<>();
        server.records(org, "ux_events").forEach(r -> ids.add(r.get("event_id")));
        server.records(org, "simulation_events").forEach(r -> ids.add(r.get("event_id")));
        return ids;
    }

    private static long storedIn(String org) {
        return server.recordCount(org, "ux_events") + server.recordCount(org, "simulation_events");
    }

    private static void awaitLine(List<String> lines, Predicate<String> wanted, String what) {
        awaitTrue(() -> lines.stream().anyMatch(wanted), what + "; lines: " + lines);
    }

    /** Polls {@code condition} every 20 ms for up to 60 s. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = broker.clientProperties();
        p.put("group.id", "reader-" + UUID.randomUUID());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
