package dev.eventsink;

import dev.eventsink.spi.EventSinkProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event sink providers on a class path, as {@link EventSinkFactory} finds them: what a tool shows when it
 * tells which sink types are installed and from which jar, as the CLI's {@code doctor} does.
 *
 * <pre>{@code
 * for (SinkProviders.Provider p : EventSinkFactory.providers().all()) {
 *     System.out.println(p.type() + " = " + p.className() + " from " + p.location());
 * }
 * }</pre>
 *
 * <p>An immutable snapshot, taken when {@link EventSinkFactory#providers()} is called.
 */
public final class SinkProviders {

    /**
     * One provider found.
     *
     * @param type      the sink type it serves, as {@code *_EVENT_SINK_TYPE} names it
     * @param className the provider's class
     * @param location  the jar or class folder it was loaded from, or {@code unknown}
     */
    public record Provider(String type, String className, String location) {
        public Provider {
            Objects.requireNonNull(type, "type must not be null");
            Objects.requireNonNull(className, "className must not be null");
            Objects.requireNonNull(location, "location must not be null");
        }
    }

    private final ProviderRegistry registry;
    private final List<Provider> all;

    SinkProviders(ProviderRegistry registry) {
        this.registry = registry;
        List<Provider> found = new ArrayList<>();
        registry.providers().forEach((type, providers) -> providers.forEach(p -> found.add(describe(type, p))));
        this.all = List.copyOf(found);
    }

    /** Every provider found, by type; a type that two providers claim appears twice. */
    public List<Provider> all() {
        return all;
    }

    /** The types found, sorted. */
    public List<String> types() {
        return registry.types();
    }

    /** What failed to load, one description each; such providers are skipped. */
    public List<String> loadFailures() {
        return registry.loadFailures();
    }

    /**
     * The provider that {@link EventSinkFactory} would use for {@code type}, matched trimmed and ignoring case.
     *
     * @param type the configured value, or {@code null} when unset
     * @param key  the key it was read from, such as {@code UX_EVENT_SINK_TYPE}, for the message
     * @throws dev.eventsink.spi.ConfigurationException when the type is unset, unknown or claimed by two providers,
     *         with the message {@link EventSinkFactory} would give
     */
    public Provider find(String type, String key) {
        EventSinkProvider provider = registry.find(type, key);
        return describe(provider.type(), provider);
    }

    private static Provider describe(String type, EventSinkProvider provider) {
        return new Provider(type, provider.getClass().getName(), ProviderRegistry.location(provider));
    }

    @Override
    public String toString() {
        return "SinkProviders" + all;
    }
}
