package dev.eventsink.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker is Kafka: clients write and read through it, also after a restart, and over SASL/PLAIN. */
class KafkaBrokerTest {

    @Test
    void keepsItsRecordsAndPortAcrossARestartAndDeletesItsTemporaryDirectoryAtClose() throws Exception {
        Path dir;
        try (KafkaBroker broker = KafkaBroker.builder().saslPlainUser("alice", "alice-secret").start()) {
            dir = broker.dir();
            String bootstrap = broker.bootstrapServers();
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + broker.port());
            broker.createTopic("t", 2);
            send(broker.clientProperties(), "before");
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(broker::isBrokerThread)
                    .map(Thread::getName)).contains("kafka-1-raft-io-thread");
            assertThat(broker.isBrokerThread(Thread.currentThread())).isFalse();

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);

            Properties sasl = new Properties();
            sasl.put("bootstrap.servers", broker.saslBootstrapServers());
            sasl.put("security.protocol", "SASL_PLAINTEXT");
            sasl.put("sasl.mechanism", "PLAIN");
            sasl.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"alice\" password=\"alice-secret\";");
            send(sasl, "after, over SASL");
            assertThat(readAll(broker, "t")).containsExactlyInAnyOrder("before", "after, over SASL");

            sasl.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"alice\" password=\"wrong\";");
            assertThatThrownBy(() -> send(sasl, "refused")).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(Files.exists(dir)).as("the temporary directory after close").isFalse();
    }

    @Test
    void aPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> KafkaBroker.builder().port(port).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageEndingWith(". Is another broker running there? Choose another port.");
        }
    }

    private static void send(Properties properties, String value) throws Exception {
        Properties p = new Properties();
        p.putAll(properties);
        p.put("max.block.ms", "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("t", "k", value)).get(20, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(KafkaBroker broker, String topic) {
        Properties c = broker.clientProperties();
        c.put("group.id", "reader");
        c.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 2 && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
