package dev.eventsink;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ConfigSource} backed by an immutable copy of a map, as
 * {@code ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "mock"))} returns.
 */
final class MapSource implements ConfigSource {

    private final Map<String, String> values;
    private final String origin;

    public MapSource(Map<String, String> values, String origin) {
        Objects.requireNonNull(values, "values must not be null");
        values.forEach((key, value) -> {
            Objects.requireNonNull(key, "configuration keys must not be null");
            Objects.requireNonNull(value, () -> "configuration value of " + key + " must not be null");
        });
        this.values = Map.copyOf(values);
        this.origin = origin;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    @Override
    public String origin(String key) {
        return origin;
    }

    @Override
    public String toString() {
        return "ConfigSource(" + origin + ", " + values.size() + " keys)";
    }
}
