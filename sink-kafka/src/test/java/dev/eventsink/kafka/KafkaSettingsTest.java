package dev.eventsink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import dev.eventsink.Channel;
import dev.eventsink.export.PipelineConfig;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka keys, their defaults, the producer properties they make, and the problems bad values report. */
class KafkaSettingsTest {

    private static KafkaSettings read(Channel channel, String... keysAndValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put(channel.key("BOOTSTRAP_SERVERS"), "localhost:9092");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            keys.put(channel.key(keysAndValues[i]), keysAndValues[i + 1]);
        }
        keys.values().removeIf(v -> v == null);
        ConfigReader reader = SinkConfig.of(channel, keys).reader();
        PipelineConfig pipeline = KafkaSinkProvider.pipelineConfig(reader);
        KafkaSettings settings = KafkaSettings.read(reader, pipeline);
        reader.validate();
        return settings;
    }

    private static KafkaSettings read(String... keysAndValues) {
        return read(Channel.UX, keysAndValues);
    }

    private static String problem(String... keysAndValues) {
        Throwable thrown = catchThrowable(() -> read(keysAndValues));
        assertThat(thrown).isInstanceOf(ConfigurationException.class);
        return thrown.getMessage();
    }

    @Test
    void defaultsKeepDataAndNameTheChannelsTopic() {
        KafkaSettings ux = read();
        Map<String, Object> p = ux.producerProperties("client-1");
        assertThat(ux.topic()).isEqualTo("ux_events");
        assertThat(read(Channel.SIM).topic()).isEqualTo("simulation_events");
        assertThat(p).contains(
                entry("bootstrap.servers", "localhost:9092"),
                entry("client.id", "client-1"),
                entry("acks", "all"),
                entry("enable.idempotence", "true"),
                entry("max.in.flight.requests.per.connection", "1"),
                entry("compression.type", "lz4"),
                entry("security.protocol", "PLAINTEXT"),
                // RETRY_DEADLINE 5m: one attempt of Kafka's own retries lasts at most its default of 2 minutes
                entry("delivery.timeout.ms", "120000"),
                entry("request.timeout.ms", "30000"),
                entry("max.block.ms", "60000"));
        assertThat(p).doesNotContainKeys("sasl.jaas.config", "sasl.mechanism");
    }

    @Test
    void oneExportThreadKeepsASessionsEventsInOrderUnlessConfigured() {
        ConfigReader reader = SinkConfig.of(Channel.UX, Map.of("UX_EVENT_SINK_BOOTSTRAP_SERVERS", "h:1")).reader();
        assertThat(KafkaSinkProvider.pipelineConfig(reader).exportThreads()).isEqualTo(1);
        ConfigReader four = SinkConfig.of(Channel.UX, Map.of("UX_EVENT_SINK_EXPORT_THREADS", "4")).reader();
        assertThat(KafkaSinkProvider.pipelineConfig(four).exportThreads()).isEqualTo(4);
    }

    @Test
    void aShortDeliveryDeadlineShortensKafkasOwnTimeouts() {
        Map<String, Object> p = read("RETRY_DEADLINE", "10s").producerProperties("c");
        assertThat(p).contains(entry("delivery.timeout.ms", "10000"), entry("request.timeout.ms", "9995"),
                entry("max.block.ms", "10000"));
        assertThat(KafkaSettings.attemptTimeout(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theApiKeyIsSaslPlainOverSslByDefault() {
        KafkaSettings settings = read("API_KEY", "alice:pa\"ss\\word");
        assertThat(settings.producerProperties("c")).contains(
                entry("security.protocol", "SASL_SSL"),
                entry("sasl.mechanism", "PLAIN"),
                entry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"alice\" password=\"pa\\\"ss\\\\word\";"));
        assertThat(settings.toString()).doesNotContain("pa\"ss").doesNotContain("alice")
                .contains("apiKey=****", "securityProtocol=sasl_ssl");
        assertThat(read("API_KEY", "alice:secret", "SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .producerProperties("c")).containsEntry("security.protocol", "SASL_PLAINTEXT");
    }

    @Test
    void producerSettingsPassThroughInEitherSpelling() {
        KafkaSettings settings = read("KAFKA_linger.ms", "20", "KAFKA_BATCH_SIZE", "65536", "KAFKA_acks", "1");
        assertThat(settings.producerProperties("c")).contains(entry("linger.ms", "20"), entry("batch.size", "65536"),
                entry("acks", "1"));
        assertThat(settings.weakenedGuarantees()).containsExactly("UX_EVENT_SINK_KAFKA_acks=1");
        assertThat(settings.toString()).contains("linger.ms=20", "batch.size=65536");
    }

    @Test
    void aDotenvFileCarriesProducerSettingsWithDots(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "UX_EVENT_SINK_BOOTSTRAP_SERVERS=b1:9092\nUX_EVENT_SINK_KAFKA_linger.ms=25\n");
        ConfigReader reader = SinkConfig.of(Channel.UX, ConfigSource.dotenv(env)).reader();
        KafkaSettings settings = KafkaSettings.read(reader, KafkaSinkProvider.pipelineConfig(reader));
        reader.validate();
        assertThat(settings.producerProperties("c")).containsEntry("linger.ms", "25");
    }

    @Test
    void secretProducerSettingsAreMaskedInToString() {
        KafkaSettings settings = read("SECURITY_PROTOCOL", "sasl_ssl", "KAFKA_sasl.mechanism", "SCRAM-SHA-512",
                "KAFKA_sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter22\";",
                "KAFKA_ssl.truststore.password", "changeit");
        assertThat(settings.toString()).contains("sasl.jaas.config=****", "ssl.truststore.password=****",
                "sasl.mechanism=SCRAM-SHA-512").doesNotContain("hunter22").doesNotContain("changeit");
    }

    @Test
    void bootstrapServersAreRequired() {
        assertThat(problem("BOOTSTRAP_SERVERS", null)).isEqualTo("UX_EVENT_SINK_BOOTSTRAP_SERVERS is required: the "
                + "Kafka brokers to connect to, as host:port pairs separated by commas, such as localhost:9092");
    }

    @Test
    void bootstrapServersMustBeHostPortPairs() {
        assertThat(problem("BOOTSTRAP_SERVERS", "b1:9092,b2")).isEqualTo("UX_EVENT_SINK_BOOTSTRAP_SERVERS='b1:9092,b2' "
                + "is not a list of host:port; allowed: host:port pairs separated by commas, such as "
                + "broker1:9092,broker2:9092");
        assertThat(problem("BOOTSTRAP_SERVERS", "b1:70000")).startsWith("UX_EVENT_SINK_BOOTSTRAP_SERVERS='b1:70000' "
                + "is not a list of host:port");
        assertThat(read("BOOTSTRAP_SERVERS", " b1:9092 , [::1]:9093").bootstrapServers()).isEqualTo("b1:9092,[::1]:9093");
    }

    @Test
    void topicMustBeAKafkaTopicName() {
        assertThat(problem("TOPIC", "ux events")).isEqualTo("UX_EVENT_SINK_TOPIC='ux events' is not a Kafka topic "
                + "name; allowed: 1 to 249 letters, digits, '.', '_' and '-', other than '.' and '..'");
    }

    @Test
    void theApiKeyMustBeUserColonPasswordAndIsNeverShown() {
        assertThat(problem("API_KEY", "no-colon-here")).isEqualTo("UX_EVENT_SINK_API_KEY='****' is not "
                + "'user:password'; allowed: the SASL/PLAIN user and password joined by ':', such as 'alice:secret' "
                + "(on Confluent Cloud, 'API_KEY:API_SECRET')");
    }

    @Test
    void anApiKeyNeedsASaslProtocol() {
        assertThat(problem("API_KEY", "alice:secret", "SECURITY_PROTOCOL", "plaintext")).isEqualTo(
                "UX_EVENT_SINK_SECURITY_PROTOCOL='plaintext' cannot carry UX_EVENT_SINK_API_KEY (SASL/PLAIN); "
                        + "allowed with an API key: sasl_ssl (the default) or sasl_plaintext");
    }

    @Test
    void aSaslProtocolNeedsCredentials() {
        assertThat(problem("SECURITY_PROTOCOL", "sasl_ssl")).isEqualTo("UX_EVENT_SINK_SECURITY_PROTOCOL='sasl_ssl' "
                + "needs credentials: set UX_EVENT_SINK_API_KEY='user:password' (SASL/PLAIN), or "
                + "UX_EVENT_SINK_KAFKA_sasl.jaas.config for another mechanism");
    }

    @Test
    void securityProtocolAndCompressionAreChoices() {
        assertThat(problem("SECURITY_PROTOCOL", "tls")).isEqualTo("UX_EVENT_SINK_SECURITY_PROTOCOL='tls' is not a "
                + "valid choice; allowed: plaintext, ssl, sasl_plaintext, sasl_ssl");
        assertThat(problem("COMPRESSION", "brotli")).isEqualTo("UX_EVENT_SINK_COMPRESSION='brotli' is not a valid "
                + "choice; allowed: none, gzip, snappy, lz4, zstd");
        assertThat(read("COMPRESSION", "zstd").producerProperties("c")).containsEntry("compression.type", "zstd");
    }

    @Test
    void anUnknownProducerSettingIsNamed() {
        assertThat(problem("KAFKA_linger.msec", "5")).isEqualTo("UX_EVENT_SINK_KAFKA_linger.msec names 'linger.msec', "
                + "which is not a setting of Kafka's producer; allowed: the producer settings of Kafka's documentation "
                + "after UX_EVENT_SINK_KAFKA_, such as UX_EVENT_SINK_KAFKA_linger.ms");
    }

    @Test
    void aBadProducerValueIsNamedWithKafkasReason() {
        assertThat(problem("KAFKA_linger.ms", "soon")).isEqualTo("UX_EVENT_SINK_KAFKA_linger.ms='soon' is not a "
                + "valid value: Invalid value soon for configuration linger.ms: Not a number of type LONG; allowed: "
                + "what Kafka's producer takes for linger.ms");
        assertThat(problem("KAFKA_acks", "some")).startsWith("UX_EVENT_SINK_KAFKA_acks='some' is not a valid value: "
                + "Invalid value some for configuration acks");
    }

    @Test
    void settingsWithKeysOfTheirOwnCannotBePassedThrough() {
        assertThat(problem("KAFKA_bootstrap.servers", "h:1")).isEqualTo("UX_EVENT_SINK_KAFKA_bootstrap.servers sets "
                + "bootstrap.servers, which has a key of its own: use UX_EVENT_SINK_BOOTSTRAP_SERVERS");
        assertThat(problem("KAFKA_value.serializer", "x")).isEqualTo("UX_EVENT_SINK_KAFKA_value.serializer sets "
                + "value.serializer, which the kafka sink sets itself (events are written as bytes of their canonical "
                + "JSON); remove it");
    }

    @Test
    void anApiKeyAndSaslSettingsOfOnesOwnConflict() {
        assertThat(problem("API_KEY", "a:b", "KAFKA_sasl.mechanism", "SCRAM-SHA-256")).isEqualTo(
                "UX_EVENT_SINK_API_KEY sets SASL/PLAIN, and UX_EVENT_SINK_KAFKA_sasl.* sets SASL too; set one: "
                        + "UX_EVENT_SINK_API_KEY for SASL/PLAIN, or UX_EVENT_SINK_KAFKA_sasl.mechanism and "
                        + "UX_EVENT_SINK_KAFKA_sasl.jaas.config for another mechanism");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigurationException e = (ConfigurationException) catchThrowable(() -> read(
                "BOOTSTRAP_SERVERS", "nope", "TOPIC", "..", "KAFKA_linger.ms", "x"));
        assertThat(e.keys()).containsExactlyInAnyOrder("UX_EVENT_SINK_BOOTSTRAP_SERVERS", "UX_EVENT_SINK_TOPIC",
                "UX_EVENT_SINK_KAFKA_linger.ms");
    }
}
