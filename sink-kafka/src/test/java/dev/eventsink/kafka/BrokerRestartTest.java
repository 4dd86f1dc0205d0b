package dev.eventsink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.spi.SinkConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker stops and starts again while the sink sends: Kafka's producer and the pipeline retry, and every event
 * is delivered within the delivery deadline. The broker is this class's own, since it is stopped.
 */
class BrokerRestartTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.builder().start();
        broker.createTopic("restart", 4);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void nothingIsLostWhenTheBrokerRestartsWhileEventsAreSent() throws Exception {
        EventSink sink = new KafkaSinkProvider().create(SinkConfig.of(Channel.UX, Map.of(
                "UX_EVENT_SINK_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "UX_EVENT_SINK_TOPIC", "restart",
                "UX_EVENT_SINK_LINGER", "10ms",
                "UX_EVENT_SINK_RETRY_INITIAL_BACKOFF", "100ms",
                "UX_EVENT_SINK_RETRY_MAX_BACKOFF", "500ms",
                "UX_EVENT_SINK_RETRY_DEADLINE", "60s")));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        Set<UUID> sent = new HashSet<>();
        try {
            for (int i = 0; i < 1500; i++) {
                if (i == 500) {
                    futures.get(499).get(20, TimeUnit.SECONDS); // the first third is in Kafka: stop it mid-stream
                    broker.stop();
                }
                if (i == 1000) {
                    broker.start();
                }
                Event event = Event.uxAction().sessionId("s" + i % 10).put("i", i).build();
                sent.add(event.id());
                futures.add(sink.sendEvent(event));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            sink.close(Duration.ofSeconds(5));
        }

        Set<UUID> stored = new HashSet<>();
        TopicRecords.read(broker, "restart").forEach(r ->
                stored.add(EventJson.fromJson(new String(r.value(), StandardCharsets.UTF_8)).id()));
        assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(sink.stats().delivered()).isEqualTo(1500);
        assertThat(sink.stats().failedTotal()).isZero();
    }
}
