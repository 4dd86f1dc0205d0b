package dev.eventsink.kafka;

import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.kafka.broker.KafkaBroker;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.testkit.EventSinkCompatibilityKit;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kafka sink keeps the contract every sink keeps, against a real broker, over SASL/PLAIN so that the API key's
 * absence from output is checked too. Each check writes to a topic of its own.
 */
@ExtendWith(SharedBroker.class)
class KafkaSinkCompatibilityTest extends EventSinkCompatibilityKit {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static KafkaBroker broker;
    private String topic;

    @BeforeAll
    static void keep(KafkaBroker shared) {
        broker = shared;
    }

    @BeforeEach
    void topicOfItsOwn() {
        topic = "compatibility-" + TOPICS.incrementAndGet();
    }

    @Override
    protected EventSinkProvider provider() {
        return new KafkaSinkProvider();
    }

    @Override
    protected Map<String, String> validConfiguration() {
        return Map.of(
                "UX_EVENT_SINK_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(),
                "UX_EVENT_SINK_API_KEY", SharedBroker.API_KEY,
                "UX_EVENT_SINK_SECURITY_PROTOCOL", "sasl_plaintext",
                "UX_EVENT_SINK_TOPIC", topic,
                "UX_EVENT_SINK_LINGER", "20ms");
    }

    @Override
    protected Map<String, String> invalidConfiguration() {
        return Map.of("UX_EVENT_SINK_BOOTSTRAP_SERVERS", "localhost");
    }

    @Override
    protected String invalidKey() {
        return "UX_EVENT_SINK_BOOTSTRAP_SERVERS";
    }

    @Override
    protected String apiKey() {
        return SharedBroker.API_KEY;
    }

    /** Records larger than the producer's max.request.size: Kafka refuses each one, and the sink rejects it. */
    @Override
    protected Map<String, String> failingConfiguration() {
        return Map.of(
                "UX_EVENT_SINK_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(),
                "UX_EVENT_SINK_API_KEY", SharedBroker.API_KEY,
                "UX_EVENT_SINK_SECURITY_PROTOCOL", "sasl_plaintext",
                "UX_EVENT_SINK_TOPIC", topic,
                "UX_EVENT_SINK_LINGER", "20ms",
                "UX_EVENT_SINK_KAFKA_max.request.size", "100");
    }

    @Override
    protected Collection<UUID> deliveredEventIds(EventSink sink) {
        return TopicRecords.read(broker, topic).stream()
                .map(r -> EventJson.fromJson(new String(r.value(), StandardCharsets.UTF_8)).id())
                .toList();
    }

    /** The broker runs in this JVM, and starts threads of its own as clients come and go. */
    @Override
    protected boolean isIgnoredThread(Thread thread) {
        return super.isIgnoredThread(thread) || broker.isBrokerThread(thread);
    }
}
