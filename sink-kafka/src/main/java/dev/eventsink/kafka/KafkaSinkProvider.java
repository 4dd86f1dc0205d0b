package dev.eventsink.kafka;

import dev.eventsink.EventSink;
import dev.eventsink.export.DeliveryPipeline;
import dev.eventsink.export.PipelineConfig;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@code kafka} sink: a {@link DeliveryPipeline} whose {@link KafkaExporter} writes each event as a
 * record of a Kafka topic through Apache Kafka's producer, and completes the event's future once Kafka acknowledged
 * it. The keys are listed in the package documentation.
 *
 * <pre>{@code
 * UX_EVENT_SINK_TYPE=kafka
 * UX_EVENT_SINK_BOOTSTRAP_SERVERS=localhost:9092
 * UX_EVENT_SINK_KAFKA_linger.ms=20          # any producer setting, after KAFKA_
 * }</pre>
 */
public final class KafkaSinkProvider implements EventSinkProvider {

    /** The type name: {@value}. */
    public static final String TYPE = "kafka";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProvider.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public EventSink create(SinkConfig config) {
        ConfigReader reader = config.reader();
        PipelineConfig pipeline = pipelineConfig(reader);
        KafkaSettings settings = KafkaSettings.read(reader, pipeline);
        reader.validate();
        String name = config.channel().name().toLowerCase(Locale.ROOT) + "-" + TYPE;
        if (!settings.weakenedGuarantees().isEmpty()) {
            LOG.warn("{}: {} give up the defaults that keep data (acks=all, enable.idempotence=true): an event may be "
                    + "acknowledged and still lost when a broker fails", name, settings.weakenedGuarantees());
        }
        KafkaProducer<byte[], byte[]> producer = producer(config, settings,
                "eventsink-" + name + "-" + CLIENTS.incrementAndGet());
        return DeliveryPipeline.start(name, new KafkaExporter(producer, settings), pipeline);
    }

    /**
     * The pipeline keys, with one export thread unless {@code EXPORT_THREADS} says otherwise: one thread sends the
     * batches in the order they were queued, so that a session's events reach their partition in order.
     */
    static PipelineConfig pipelineConfig(ConfigReader reader) {
        PipelineConfig pipeline = PipelineConfig.read(reader);
        if (reader.config().get("EXPORT_THREADS").isEmpty()) {
            pipeline = pipeline.toBuilder().exportThreads(1).build();
        }
        return pipeline;
    }

    /** Creates the producer; Kafka's refusal of a setting becomes a configuration problem naming its key. */
    private static KafkaProducer<byte[], byte[]> producer(SinkConfig config, KafkaSettings settings, String clientId) {
        Map<String, Object> properties = settings.producerProperties(clientId);
        try {
            return new KafkaProducer<>(properties);
        } catch (KafkaException e) {
            String message = e.getCause() != null && e.getMessage() != null
                    && e.getMessage().startsWith("Failed to construct") ? String.valueOf(e.getCause().getMessage())
                    : String.valueOf(e.getMessage());
            String key = config.key("BOOTSTRAP_SERVERS");
            for (Map.Entry<String, String> passed : settings.passThroughKeys().entrySet()) {
                if (message.contains(passed.getKey())) {
                    key = passed.getValue();
                    if (KafkaSettings.isSecret(passed.getKey(), key)) {
                        message = "Kafka refused the value of " + passed.getKey();
                    }
                    break;
                }
            }
            throw ConfigurationException.of(List.of(new ConfigurationException.Problem(key,
                    "Kafka's producer refused the configuration of " + config.key("TYPE") + "=" + TYPE + " (" + key
                            + "): " + message)));
        }
    }

    @Override
    public String toString() {
        return "KafkaSinkProvider[type=" + TYPE + "]";
    }
}
