package dev.eventsink.kafka;

import dev.eventsink.Channel;
import dev.eventsink.export.PipelineConfig;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.Secrets;
import dev.eventsink.spi.SinkConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The validated {@code kafka} keys of one channel, and the producer properties they make. {@link #toString()} masks
 * the API key and every secret producer setting.
 *
 * <pre>{@code
 * KafkaSettings settings = KafkaSettings.read(reader, pipelineConfig);
 * reader.validate();
 * Map<String, Object> producerProperties = settings.producerProperties("eventsink-ux-kafka-1");
 * }</pre>
 */
record KafkaSettings(
        String bootstrapServers,
        String topic,
        String saslUser,
        String saslPassword,
        SecurityProtocol securityProtocol,
        Compression compression,
        Duration attemptTimeout,
        Map<String, String> passThrough,
        Map<String, String> passThroughKeys) {

    /** Producer properties set by keys of their own, which the pass-through may not set. */
    static final Map<String, String> OWN_KEYS = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "BOOTSTRAP_SERVERS",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "COMPRESSION",
            "security.protocol", "SECURITY_PROTOCOL");
    /** Producer properties the sink needs as they are. */
    static final Set<String> FIXED = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    /** The prefix of pass-through keys, after the channel's: {@code UX_EVENT_SINK_KAFKA_linger.ms}. */
    static final String PASS_THROUGH = "KAFKA_";
    /** The longest one attempt of Kafka's own retries may take: Kafka's default {@code delivery.timeout.ms}. */
    static final Duration MAX_ATTEMPT = Duration.ofMinutes(2);
    static final Duration MIN_ATTEMPT = Duration.ofSeconds(1);

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[a-zA-Z0-9._-]+):(\\d{1,5})");
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();

    /** {@code security.protocol}, as Kafka names it. */
    enum SecurityProtocol { PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL }

    /** {@code compression.type}: the codecs Kafka's producer offers. */
    enum Compression { NONE, GZIP, SNAPPY, LZ4, ZSTD }

    /** The codec used when {@code COMPRESSION} is unset; the module's README gives the measurements behind it. */
    static final Compression DEFAULT_COMPRESSION = Compression.LZ4;

    static String defaultTopic(Channel channel) {
        return channel == Channel.UX ? "ux_events" : "simulation_events";
    }

    /** Reads the keys, recording every problem on {@code reader}. */
    static KafkaSettings read(ConfigReader reader, PipelineConfig pipeline) {
        SinkConfig config = reader.config();
        String bootstrap = reader.required("BOOTSTRAP_SERVERS",
                "the Kafka brokers to connect to, as host:port pairs separated by commas, such as localhost:9092");
        if (bootstrap != null) {
            bootstrap = bootstrapServers(reader, bootstrap);
        }
        String topic = reader.string("TOPIC", defaultTopic(config.channel()));
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            reader.invalid("TOPIC", "is not a Kafka topic name",
                    "allowed: 1 to 249 letters, digits, '.', '_' and '-', other than '.' and '..'");
        }
        String apiKey = reader.string("API_KEY", null);
        String user = null;
        String password = null;
        if (apiKey != null) {
            int colon = apiKey.indexOf(':');
            if (colon <= 0 || colon == apiKey.length() - 1 || hasControlCharacter(apiKey)) {
                reader.invalid("API_KEY", "is not 'user:password'",
                        "allowed: the SASL/PLAIN user and password joined by ':', such as 'alice:secret' "
                                + "(on Confluent Cloud, 'API_KEY:API_SECRET')");
            } else {
                user = apiKey.substring(0, colon);
                password = apiKey.substring(colon + 1);
            }
        }
        SecurityProtocol protocol = reader.choice("SECURITY_PROTOCOL",
                apiKey != null ? SecurityProtocol.SASL_SSL : SecurityProtocol.PLAINTEXT);
        Compression compression = reader.choice("COMPRESSION", DEFAULT_COMPRESSION);

        Map<String, String> passThrough = new LinkedHashMap<>();
        Map<String, String> passThroughKeys = new LinkedHashMap<>();
        for (String suffix : config.suffixes()) {
            if (suffix.regionMatches(true, 0, PASS_THROUGH, 0, PASS_THROUGH.length())) {
                String property = propertyName(suffix.substring(PASS_THROUGH.length()));
                String value = reader.string(suffix, null);
                if (value != null && passThroughProperty(reader, suffix, property, value)) {
                    passThrough.put(property, value);
                    passThroughKeys.put(property, config.key(suffix));
                }
            }
        }
        boolean ownSasl = passThrough.containsKey("sasl.jaas.config") || passThrough.containsKey("sasl.mechanism");
        if (apiKey != null && ownSasl) {
            reader.problem("API_KEY", config.key("API_KEY") + " sets SASL/PLAIN, and " + config.key(PASS_THROUGH
                    + "sasl.*") + " sets SASL too; set one: " + config.key("API_KEY") + " for SASL/PLAIN, or "
                    + config.key(PASS_THROUGH + "sasl.mechanism") + " and " + config.key(PASS_THROUGH
                    + "sasl.jaas.config") + " for another mechanism");
        }
        boolean sasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        if (apiKey != null && !sasl) {
            reader.invalid("SECURITY_PROTOCOL", "cannot carry " + config.key("API_KEY") + " (SASL/PLAIN)",
                    "allowed with an API key: sasl_ssl (the default) or sasl_plaintext");
        }
        if (sasl && apiKey == null && !passThrough.containsKey("sasl.jaas.config")) {
            reader.problem("API_KEY", config.key("SECURITY_PROTOCOL") + "='" + protocol.name().toLowerCase(Locale.ROOT)
                    + "' needs credentials: set " + config.key("API_KEY") + "='user:password' (SASL/PLAIN), or "
                    + config.key(PASS_THROUGH + "sasl.jaas.config") + " for another mechanism");
        }
        Duration attempt = attemptTimeout(pipeline.retryDeadline());
        return new KafkaSettings(bootstrap, topic, user, password, protocol, compression, attempt,
                Map.copyOf(passThrough), Map.copyOf(passThroughKeys));
    }

    /**
     * How long one attempt may take, Kafka's own retries included: the delivery deadline, at least 1 s and at most
     * Kafka's default of 2 minutes, so that the pipeline's retries and deadline bound every event.
     */
    static Duration attemptTimeout(Duration retryDeadline) {
        if (retryDeadline.compareTo(MIN_ATTEMPT) < 0) {
            return MIN_ATTEMPT;
        }
        return retryDeadline.compareTo(MAX_ATTEMPT) > 0 ? MAX_ATTEMPT : retryDeadline;
    }

    /** {@code linger.ms} as written, or {@code LINGER_MS} and {@code linger_ms} as environments allow. */
    static String propertyName(String name) {
        return name.contains(".") ? name : name.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static boolean passThroughProperty(ConfigReader reader, String suffix, String property, String value) {
        String key = reader.config().key(suffix);
        if (OWN_KEYS.containsKey(property)) {
            reader.problem(suffix, key + " sets " + property + ", which has a key of its own: use "
                    + reader.config().key(OWN_KEYS.get(property)));
            return false;
        }
        if (FIXED.contains(property)) {
            reader.problem(suffix, key + " sets " + property + ", which the kafka sink sets itself (events are "
                    + "written as bytes of their canonical JSON); remove it");
            return false;
        }
        if (!PRODUCER.names().contains(property)) {
            reader.problem(suffix, key + " names '" + property + "', which is not a setting of Kafka's producer; "
                    + "allowed: the producer settings of Kafka's documentation after " + reader.config().key(PASS_THROUGH)
                    + ", such as " + reader.config().key(PASS_THROUGH + "linger.ms"));
            return false;
        }
        try {
            ConfigDef.ConfigKey definition = PRODUCER.configKeys().get(property);
            Object parsed = ConfigDef.parseType(property, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(property, parsed);
            }
            return true;
        } catch (ConfigException e) {
            String reason = isSecret(property, key) ? "is not a valid value" : "is not a valid value: "
                    + e.getMessage();
            reader.invalid(suffix, reason, "allowed: what Kafka's producer takes for " + property);
            return false;
        }
    }

    /** Whether a producer setting holds a secret: Kafka's password settings, and any key that looks secret. */
    static boolean isSecret(String property, String key) {
        ConfigDef.ConfigKey definition = PRODUCER.configKeys().get(property);
        return definition != null && definition.type == ConfigDef.Type.PASSWORD || Secrets.isSecretKey(key)
                || property.equals("sasl.jaas.config");
    }

    private static String bootstrapServers(ConfigReader reader, String value) {
        Set<String> servers = new java.util.LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String server = part.trim();
            var m = HOST_PORT.matcher(server);
            int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
            if (port < 1 || port > 65_535) {
                reader.invalid("BOOTSTRAP_SERVERS", "is not a list of host:port",
                        "allowed: host:port pairs separated by commas, such as broker1:9092,broker2:9092");
                return null;
            }
            servers.add(server);
        }
        return String.join(",", servers);
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /**
     * The producer's properties: the data-keeping defaults (idempotence, {@code acks=all}), compression, timeouts
     * from the delivery deadline, security, then the pass-through settings over them.
     */
    Map<String, Object> producerProperties(String clientId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight per broker: a later request can never overtake an earlier one, not even while a new
        // partition gets its leader, when Kafka 4.4 may accept the later and refuse the earlier as out of order
        // until delivery.timeout.ms. Each pipeline batch goes out in one request per broker anyway.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name().toLowerCase(Locale.ROOT));
        long attemptMs = attemptTimeout.toMillis();
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(attemptMs));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(30_000, attemptMs - 5)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(60_000, attemptMs)));
        p.put("security.protocol", securityProtocol.name());
        if (saslUser != null) {
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + jaasEscape(saslUser) + "\" password=\"" + jaasEscape(saslPassword) + "\";");
        }
        p.putAll(passThrough);
        return p;
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The pass-through settings that give up a guarantee of the defaults, for a warning at start-up. */
    Set<String> weakenedGuarantees() {
        Set<String> weakened = new TreeSet<>();
        String acks = passThrough.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !acks.equals("all") && !acks.equals("-1")) {
            weakened.add(passThroughKeys.get(ProducerConfig.ACKS_CONFIG) + "=" + acks);
        }
        String idempotence = passThrough.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !idempotence.equalsIgnoreCase("true")) {
            weakened.add(passThroughKeys.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG) + "=" + idempotence);
        }
        return weakened;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("bootstrapServers=").append(bootstrapServers)
                .append(", topic=").append(topic)
                .append(", securityProtocol=").append(securityProtocol.name().toLowerCase(Locale.ROOT));
        if (saslUser != null) {
            text.append(", apiKey=").append(Secrets.MASK);
        }
        text.append(", compression=").append(compression.name().toLowerCase(Locale.ROOT));
        passThrough.forEach((property, value) -> text.append(", ").append(property).append('=')
                .append(isSecret(property, passThroughKeys.get(property)) ? Secrets.MASK
                        : Secrets.maskUrlCredentials(value)));
        return text.toString();
    }
}
