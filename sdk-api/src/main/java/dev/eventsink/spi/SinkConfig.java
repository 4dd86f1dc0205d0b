package dev.eventsink.spi;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The configuration of one channel's sink: the keys that start with the channel's prefix
 * ({@code UX_EVENT_SINK_} or {@code SIM_EVENT_SINK_}), read from a {@link ConfigSource}.
 *
 * <p>Sinks name keys by their suffix ({@code "URL"}), and every message shows the full key
 * ({@code UX_EVENT_SINK_URL}). Read typed values with {@link #reader()}, which collects every problem and
 * reports them together. Immutable and thread-safe; {@link #toString()} masks secrets.
 *
 * <pre>{@code
 * SinkConfig config = SinkConfig.of(Channel.UX, Map.of("UX_EVENT_SINK_URL", "http://localhost:5080"));
 * String url = config.reader().required("URL", "OpenObserve's base URL");
 * }</pre>
 */
public final class SinkConfig {

    private final Channel channel;
    private final ConfigSource source;

    private SinkConfig(Channel channel, ConfigSource source) {
        this.channel = Objects.requireNonNull(channel, "channel must not be null");
        this.source = Objects.requireNonNull(source, "source must not be null");
    }

    /** The configuration of {@code channel} as {@code source} has it. */
    public static SinkConfig of(Channel channel, ConfigSource source) {
        return new SinkConfig(channel, source);
    }

    /** The configuration of {@code channel} from full keys, such as {@code UX_EVENT_SINK_URL}. */
    public static SinkConfig of(Channel channel, Map<String, String> values) {
        return new SinkConfig(channel, ConfigSource.fromMap(values));
    }

    /** The channel this configuration is for. */
    public Channel channel() {
        return channel;
    }

    /** The full key for a suffix: {@code key("URL")} is {@code UX_EVENT_SINK_URL} on the UX channel. */
    public String key(String suffix) {
        return channel.key(suffix);
    }

    /** The sink type, trimmed and lowercased, or empty when {@code *_EVENT_SINK_TYPE} is unset or blank. */
    public Optional<String> type() {
        return get("TYPE").map(value -> value.toLowerCase(Locale.ROOT));
    }

    /** The trimmed value of the key with this suffix; empty when unset or blank. */
    public Optional<String> get(String suffix) {
        return source.get(key(suffix)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** Where the key's value comes from, such as {@code environment} or {@code .env (/app/.env)}. */
    public String origin(String suffix) {
        return source.origin(key(suffix));
    }

    /** The suffixes of every key this channel has in the source, sorted. */
    public Set<String> suffixes() {
        return source.keys().stream()
                .filter(key -> key.startsWith(channel.prefix()) && key.length() > channel.prefix().length())
                .map(key -> key.substring(channel.prefix().length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The value of a key as it may be shown in messages and logs: masked when the key holds a secret. */
    public String display(String suffix) {
        return get(suffix).map(value -> Secrets.display(suffix, value)).orElse("<unset>");
    }

    /** A new reader that parses typed values and collects every problem; see {@link ConfigReader}. */
    public ConfigReader reader() {
        return new ConfigReader(this);
    }

    @Override
    public String toString() {
        return suffixes().stream()
                .map(suffix -> key(suffix) + "=" + display(suffix))
                .collect(Collectors.joining(", ", "SinkConfig{", "}"));
    }
}
