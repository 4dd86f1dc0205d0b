package dev.eventsink.kafka;

import dev.eventsink.kafka.broker.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads every record a topic holds now, from the beginning of each partition: what a test checks a sink wrote. */
final class TopicRecords {

    private TopicRecords() {}

    /** Every record of {@code topic}, partition by partition in offset order; empty when the topic does not exist. */
    static List<ConsumerRecord<byte[], byte[]>> read(KafkaBroker broker, String topic) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(10));
            if (!topics.containsKey(topic)) {
                return List.of();
            }
            List<TopicPartition> partitions = topics.get(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end + " in 20 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }
}
