package dev.eventsink;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where configuration keys such as {@code UX_EVENT_SINK_TYPE} are read from.
 *
 * <p>{@link #environment()} is what {@link EventSinkFactory#create(Channel)} and
 * {@link EventTracker#fromEnvironment()} use: the process environment first, then a {@code .env} file in
 * the working directory. Tests and embedding applications pass {@link #fromMap(Map)} instead, so they never
 * touch the process environment. Implementations are immutable snapshots and thread-safe.
 */
public interface ConfigSource {

    /** The value of {@code key}, if this source has it. Values are returned as written, untrimmed. */
    Optional<String> get(String key);

    /** Every key this source has, for diagnostics such as spotting a misspelt key. */
    Set<String> keys();

    /** A short description of where {@code key}'s value comes from, such as {@code environment} or {@code .env}. */
    String origin(String key);

    /** This source first, then {@code fallback} for keys this source lacks. */
    default ConfigSource orElse(ConfigSource fallback) {
        Objects.requireNonNull(fallback, "fallback must not be null");
        ConfigSource first = this;
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                Optional<String> value = first.get(key);
                return value.isPresent() ? value : fallback.get(key);
            }

            @Override
            public Set<String> keys() {
                Set<String> all = new LinkedHashSet<>(first.keys());
                all.addAll(fallback.keys());
                return all;
            }

            @Override
            public String origin(String key) {
                return first.get(key).isPresent() ? first.origin(key) : fallback.origin(key);
            }
        };
    }

    /**
     * The process environment, then {@code .env} in the working directory (a missing file is fine).
     *
     * @throws ConfigurationException when {@code .env} exists but is malformed, naming the line
     */
    static ConfigSource environment() {
        return environment(Path.of(".env"));
    }

    /**
     * The process environment, then the given dotenv file (a missing file is fine).
     *
     * @throws ConfigurationException when the file exists but is malformed, naming the line
     */
    static ConfigSource environment(Path dotenvFile) {
        return systemEnvironment().orElse(dotenv(dotenvFile));
    }

    /** The process environment only, as it is when this method is called. */
    static ConfigSource systemEnvironment() {
        return new MapSource(System.getenv(), "environment");
    }

    /**
     * A dotenv file alone, read through dotenv-java. A missing file gives an empty source.
     *
     * @throws ConfigurationException when the file exists but is malformed, naming the line
     */
    static ConfigSource dotenv(Path file) {
        return DotenvSource.load(file);
    }

    /** An explicit map of keys to values; the map is copied. */
    static ConfigSource fromMap(Map<String, String> values) {
        return new MapSource(values, "explicit configuration");
    }
}
