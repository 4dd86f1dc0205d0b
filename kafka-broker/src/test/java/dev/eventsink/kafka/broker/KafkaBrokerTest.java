package dev.eventsink.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void startsProducesConsumesRestarts() throws Exception {
        long t0 = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            System.err.println("started in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + broker);
            t0 = System.nanoTime();
            broker.createTopic("t", 2);
            System.err.println("topic in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            send(broker, "a");
            t0 = System.nanoTime();
            broker.stop();
            System.err.println("stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            t0 = System.nanoTime();
            broker.start();
            System.err.println("restarted in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            send(broker, "b");
            t0 = System.nanoTime();
            Properties c = broker.clientProperties();
            c.put("group.id", "g");
            c.put("auto.offset.reset", "earliest");
            List<String> got = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (got.size() < 2 && System.nanoTime() < end) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        got.add(r.value());
                    }
                }
            }
            System.err.println("consumed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(got).containsExactlyInAnyOrder("a", "b");
            Thread.getAllStackTraces().keySet().forEach(t -> System.err.println("T " + t.getName() + " " + broker.isBrokerThread(t) + " " + t.getThreadGroup()));
        }
    }

    private static void send(KafkaBroker broker, String value) throws Exception {
        Properties p = broker.clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("t", "k", value)).get();
        }
    }
}
