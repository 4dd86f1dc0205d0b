package dev.eventsink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.SinkStats;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kafka sink against a real broker: what it writes, in which order, and how Kafka's errors end events. */
@ExtendWith(SharedBroker.class)
class KafkaSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static KafkaBroker broker;
    private final List<EventSink> sinks = new ArrayList<>();

    @BeforeAll
    static void keep(KafkaBroker shared) {
        broker = shared;
    }

    @AfterEach
    void closeSinks() {
        sinks.forEach(sink -> sink.close(Duration.ofSeconds(2)));
    }

    private EventSink sink(String... keysAndValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        keys.put("UX_EVENT_SINK_LINGER", "10ms");
        keys.put("UX_EVENT_SINK_RETRY_INITIAL_BACKOFF", "50ms");
        keys.put("UX_EVENT_SINK_RETRY_MAX_BACKOFF", "200ms");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            keys.put("UX_EVENT_SINK_" + keysAndValues[i], keysAndValues[i + 1]);
        }
        EventSink sink = new KafkaSinkProvider().create(SinkConfig.of(Channel.UX, keys));
        sinks.add(sink);
        return sink;
    }

    private static String newTopic() {
        return "sink-test-" + TOPICS.incrementAndGet();
    }

    private static DeliveryException failure(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DeliveryException.class);
            return (DeliveryException) e.getCause();
        }
        throw new AssertionError("the future completed normally; it should have failed");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void eachEventIsARecordOfItsCanonicalJsonKeyedBySessionThenUserThenIdWithTypeAndSchemaHeaders()
            throws Exception {
        String topic = newTopic();
        EventSink sink = sink("TOPIC", topic);
        Event withSession = Event.uxAction().userId("u1").sessionId("s1").put("button", "buy")
                .put("cart", Map.of("items", 3)).build();
        Event withUser = Event.uxAction().userId("u2").put("n", 1.5).build();
        Event anonymous = Event.uxAction().build();
        for (Event event : List.of(withSession, withUser, anonymous)) {
            sink.sendEvent(event).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        Map<String, ConsumerRecord<byte[], byte[]>> byValue = TopicRecords.read(broker, topic).stream()
                .collect(Collectors.toMap(r -> new String(r.value(), StandardCharsets.UTF_8), r -> r));
        assertThat(byValue).containsOnlyKeys(EventJson.toJson(withSession), EventJson.toJson(withUser),
                EventJson.toJson(anonymous));
        assertThat(new String(byValue.get(EventJson.toJson(withSession)).key(), StandardCharsets.UTF_8)).isEqualTo("s1");
        assertThat(new String(byValue.get(EventJson.toJson(withUser)).key(), StandardCharsets.UTF_8)).isEqualTo("u2");
        assertThat(new String(byValue.get(EventJson.toJson(anonymous)).key(), StandardCharsets.UTF_8))
                .isEqualTo(anonymous.id().toString());
        for (ConsumerRecord<byte[], byte[]> record : byValue.values()) {
            assertThat(header(record, "event_type")).isEqualTo("ux_action");
            assertThat(header(record, "schema_version")).isEqualTo("1");
        }
        SinkStats stats = sink.stats();
        assertThat(stats.accepted()).isEqualTo(3);
        assertThat(stats.delivered()).isEqualTo(3);
        assertThat(stats.failedTotal()).isZero();
    }

    @Test
    void aSessionsEventsStayInOrderOnOnePartition() throws Exception {
        String topic = newTopic();
        broker.createTopic(topic, 4);
        EventSink sink = sink("TOPIC", topic, "BATCH_SIZE", "25");
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int seq = 0; seq < 400; seq++) {
            String session = "session-" + (seq % 4);
            futures.add(sink.sendEvent(Event.uxAction().sessionId(session).put("seq", seq).build()));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        Map<String, List<ConsumerRecord<byte[], byte[]>>> bySession = TopicRecords.read(broker, topic).stream()
                .collect(Collectors.groupingBy(r -> new String(r.key(), StandardCharsets.UTF_8)));
        assertThat(bySession).hasSize(4);
        bySession.forEach((session, records) -> {
            assertThat(records).as("records of %s", session).hasSize(100);
            assertThat(records.stream().map(ConsumerRecord::partition).distinct()).as("partitions of %s", session)
                    .hasSize(1);
            List<Long> seqs = records.stream()
                    .map(r -> (Long) EventJson.fromJson(new String(r.value(), StandardCharsets.UTF_8)).payload().get("seq"))
                    .toList();
            assertThat(seqs).as("payload seq of %s in offset order", session).isSorted();
        });
    }

    @Test
    void aRecordTooLargeForKafkaIsRejectedWithKafkasReasonAndTheOthersAreDelivered() throws Exception {
        String topic = newTopic();
        EventSink sink = sink("TOPIC", topic, "KAFKA_max.request.size", "2000");
        Event small = Event.uxAction().put("ok", true).build();
        Event large = Event.uxAction().put("blob", "x".repeat(5000)).build();
        CompletableFuture<Void> smallFuture = sink.sendEvent(small);
        CompletableFuture<Void> largeFuture = sink.sendEvent(large);

        smallFuture.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        DeliveryException e = failure(largeFuture);
        assertThat(e.outcome()).isEqualTo(DeliveryException.Outcome.REJECTED);
        assertThat(e.reason()).startsWith("RecordTooLargeException: The message is ")
                .endsWith("bytes when serialized which is larger than 2000, which is the value of the "
                        + "max.request.size configuration.");
        assertThat(TopicRecords.read(broker, topic)).hasSize(1);
        SinkStats stats = sink.stats();
        assertThat(stats.delivered()).isEqualTo(1);
        assertThat(stats.rejected()).isEqualTo(1);
    }

    @Test
    void anUnreachableBrokerFailsEventsAsUndeliveredAtTheDeadline() throws Exception {
        EventSink sink = sink("BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort(), "RETRY_DEADLINE", "2s");
        long start = System.nanoTime();
        DeliveryException e = failure(sink.sendEvent(Event.uxAction().build()));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
        assertThat(e.reason()).startsWith("not delivered within RETRY_DEADLINE 2s; last error: TimeoutException: ");
        assertThat(tookMs).as("ms until the event failed").isBetween(1_500L, 8_000L);
        assertThat(sink.stats().undelivered()).isEqualTo(1);
    }

    @Test
    void whileKafkaTakesNothingAFullQueueFollowsTheOverflowPolicy() throws Exception {
        EventSink sink = sink("BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort(), "RETRY_DEADLINE", "2s",
                "QUEUE_CAPACITY", "5", "OVERFLOW", "drop_newest");
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            futures.add(sink.sendEvent(Event.uxAction().put("i", i).build()));
        }
        Map<DeliveryException.Outcome, List<String>> reasons = new HashMap<>();
        for (CompletableFuture<Void> future : futures) {
            DeliveryException e = failure(future);
            reasons.computeIfAbsent(e.outcome(), o -> new ArrayList<>()).add(e.reason());
        }
        // At most 5 queued and 5 taken by the worker before the queue filled: the rest were dropped at once.
        assertThat(reasons.get(DeliveryException.Outcome.DROPPED)).hasSizeGreaterThanOrEqualTo(20)
                .containsOnly("queue full (drop_newest)");
        assertThat(reasons.get(DeliveryException.Outcome.UNDELIVERED))
                .allSatisfy(reason -> assertThat(reason).startsWith("not delivered within RETRY_DEADLINE 2s"));
        SinkStats stats = sink.stats();
        assertThat(stats.accepted()).isEqualTo(30);
        assertThat(stats.dropped()).containsOnlyKeys("queue full (drop_newest)");
        assertThat(stats.droppedTotal() + stats.undelivered()).isEqualTo(30);
    }

    /** A port on 127.0.0.1 that nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
