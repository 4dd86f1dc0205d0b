package dev.eventsink;

import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a channel's sink from configuration: reads {@code UX_EVENT_SINK_TYPE} (or {@code SIM_…}), finds the
 * {@link dev.eventsink.spi.EventSinkProvider} of that type with {@link java.util.ServiceLoader}, and lets it
 * create the sink from the channel's other keys:
 * {@code EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "mock")))}.
 *
 * <p>All failures are {@link ConfigurationException}s thrown here, at start-up, with messages that name the key:
 * <ul>
 *   <li>{@code UX_EVENT_SINK_TYPE is not set. Set it to the sink type to use. Available: mock, openobserve}</li>
 *   <li>{@code Unknown event sink type 'foo' in UX_EVENT_SINK_TYPE. Available: mock, openobserve}</li>
 *   <li>two providers of one type name both classes; a provider that fails to load is reported and skipped.</li>
 * </ul>
 */
public final class EventSinkFactory {

    private static final Logger LOG = LoggerFactory.getLogger(EventSinkFactory.class);

    private EventSinkFactory() {}

    /** The channel's sink as configured by the process environment, then {@code .env}. */
    public static EventSink create(Channel channel) {
        return create(channel, ConfigSource.environment());
    }

    /** The channel's sink as configured by {@code source}, with providers from the context class loader. */
    public static EventSink create(Channel channel, ConfigSource source) {
        return create(channel, source, defaultClassLoader());
    }

    /** The channel's sink as configured by {@code source}, with providers visible to {@code classLoader}. */
    public static EventSink create(Channel channel, ConfigSource source, ClassLoader classLoader) {
        Objects.requireNonNull(channel, "channel must not be null");
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(classLoader, "classLoader must not be null");
        SinkConfig config = SinkConfig.of(channel, source);
        String typeKey = channel.key("TYPE");
        ProviderRegistry registry = ProviderRegistry.load(classLoader);
        EventSinkProvider provider = registry.find(config.get("TYPE").orElse(null), typeKey);
        EventSink sink;
        try {
            sink = provider.create(config);
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new ConfigurationException("Event sink provider '" + provider.type() + "' ("
                    + provider.getClass().getName() + ") failed to create the sink for " + typeKey + ": " + e,
                    List.of(new ConfigurationException.Problem(typeKey, typeKey + "=" + provider.type()
                            + ": the provider failed to create the sink: " + e)), e);
        }
        if (sink == null) {
            throw new ConfigurationException("Event sink provider '" + provider.type() + "' ("
                    + provider.getClass().getName() + ") returned no sink for " + typeKey);
        }
        LOG.info("{} channel: event sink '{}' from {} ({}), configured from {}: {}", channel, provider.type(),
                provider.getClass().getName(), ProviderRegistry.location(provider), config.origin("TYPE"), sink);
        return sink;
    }

    /** The sink types found on the class path, sorted. */
    public static List<String> availableTypes() {
        return ProviderRegistry.load(defaultClassLoader()).types();
    }

    /** The sink providers on the class path (the context class loader's), with the jar each comes from. */
    public static SinkProviders providers() {
        return providers(defaultClassLoader());
    }

    /** The sink providers visible to {@code classLoader}, with the jar each comes from. */
    public static SinkProviders providers(ClassLoader classLoader) {
        return new SinkProviders(ProviderRegistry.load(Objects.requireNonNull(classLoader, "classLoader must not be null")));
    }

    static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : EventSinkFactory.class.getClassLoader();
    }
}
