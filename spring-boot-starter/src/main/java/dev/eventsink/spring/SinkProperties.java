package dev.eventsink.spring;

import dev.eventsink.Channel;
import dev.eventsink.EventTracker;
import dev.eventsink.micrometer.SinkNames;
import dev.eventsink.spi.SinkConfig;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;

/**
 * How Spring properties name the SDK's keys: {@code eventsink.ux.batch-size} is {@code UX_EVENT_SINK_BATCH_SIZE},
 * {@code eventsink.sim.api-key} is {@code SIM_EVENT_SINK_API_KEY}; any other key maps the same way, so a plugin's
 * {@code FOO_BAR} is {@code eventsink.ux.foo-bar}.
 *
 * <pre>{@code
 * SinkProperties.propertyName(Channel.UX, "BATCH_SIZE")   // "eventsink.ux.batch-size"
 * SinkProperties.sdkKey("eventsink.sim.api-key")         // "SIM_EVENT_SINK_API_KEY"
 * }</pre>
 */
final class SinkProperties {

    /** The prefix of every property of the starter. */
    static final String PREFIX = "eventsink";

    /**
     * The key suffixes of the SDK's own sinks ({@code openobserve}, {@code mock}, the testkit's {@code recording})
     * and delivery pipeline, each listed in the configuration metadata for both channels.
     */
    static final List<String> KNOWN_SUFFIXES = List.of(
            "TYPE", "URL", "API_KEY", "ORG", "STREAM", "TIMESTAMP_MODE", "COMPRESSION", "CONNECT_TIMEOUT",
            "REQUEST_TIMEOUT", "BATCH_SIZE", "BATCH_BYTES", "LINGER", "QUEUE_CAPACITY", "QUEUE_BYTES", "OVERFLOW",
            "BLOCK_TIMEOUT", "EXPORT_THREADS", "RETRY_INITIAL_BACKOFF", "RETRY_MAX_BACKOFF", "RETRY_DEADLINE",
            "CLOSE_TIMEOUT", "SHUTDOWN_HOOK", "MAX_EVENT_BYTES", "DEAD_LETTER_FILE", "SPOOL_DIR", "SPOOL_MAX_BYTES",
            "SPOOL_FSYNC", "SPOOL_FSYNC_INTERVAL", "CAPACITY", "FAIL_WITH", "RECORDER_ID");

    /**
     * The name each channel's sink is tagged and shown with: its configured {@code eventsink.<channel>.type}, or,
     * when the application built the tracker itself, the name {@link SinkNames} derives from the sink.
     */
    static Map<Channel, String> sinkNames(EventTracker tracker, Environment environment) {
        Map<Channel, String> names = new EnumMap<>(Channel.class);
        SpringConfigSource source = SpringConfigSource.of(environment);
        for (Channel channel : Channel.values()) {
            names.put(channel, SinkConfig.of(channel, source).type().orElseGet(() -> SinkNames.of(tracker.sink(channel))));
        }
        return names;
    }

    /** Known suffixes by their uniform form (lowercase letters and digits only), to read {@code batchsize}. */
    private static final Map<String, String> KNOWN_BY_UNIFORM = KNOWN_SUFFIXES.stream()
            .collect(Collectors.toUnmodifiableMap(SinkProperties::uniform, Function.identity()));

    private SinkProperties() {}

    /** The property prefix of a channel: {@code eventsink.ux} or {@code eventsink.sim}. */
    static String channelPrefix(Channel channel) {
        return PREFIX + "." + channel.name().toLowerCase(Locale.ROOT);
    }

    /** The property of a key suffix: {@code (UX, "BATCH_SIZE")} is {@code eventsink.ux.batch-size}. */
    static String propertyName(Channel channel, String suffix) {
        return channelPrefix(channel) + "." + suffix.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The property of a full SDK key: {@code UX_EVENT_SINK_BATCH_SIZE} is {@code eventsink.ux.batch-size}; null
     * for a key of neither channel.
     */
    static String propertyName(String sdkKey) {
        for (Channel channel : Channel.values()) {
            if (sdkKey.startsWith(channel.prefix()) && sdkKey.length() > channel.prefix().length()) {
                return propertyName(channel, sdkKey.substring(channel.prefix().length()));
            }
        }
        return null;
    }

    /**
     * The SDK key of a property: {@code eventsink.sim.api-key} is {@code SIM_EVENT_SINK_API_KEY}; null for a property
     * that is not {@code eventsink.ux.<key>} or {@code eventsink.sim.<key>}.
     */
    static String sdkKeyOf(String property) {
        for (Channel channel : Channel.values()) {
            String prefix = channelPrefix(channel) + ".";
            if (property.startsWith(prefix) && property.length() > prefix.length()
                    && property.indexOf('.', prefix.length()) < 0) {
                return channel.key(suffix(property.substring(prefix.length())));
            }
        }
        return null;
    }

    /**
     * The key suffix a property's last element names, in any relaxed form: {@code batch-size}, {@code batchSize},
     * {@code batch_size}, and (as Spring maps {@code EVENTSINK_UX_BATCHSIZE}) {@code batchsize} for a known key,
     * all give {@code BATCH_SIZE}.
     */
    static String suffix(String element) {
        String known = KNOWN_BY_UNIFORM.get(uniform(element));
        if (known != null) {
            return known;
        }
        return element.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String uniform(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
