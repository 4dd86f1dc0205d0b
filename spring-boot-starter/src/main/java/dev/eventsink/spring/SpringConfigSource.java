package dev.eventsink.spring;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * The SDK's keys as Spring's {@link Environment} has them under {@code eventsink.ux.*} and {@code eventsink.sim.*},
 * read with relaxed binding ({@code batch-size}, {@code batchSize}, {@code EVENTSINK_UX_BATCHSIZE}) and placeholders
 * resolved: a snapshot taken when the tracker is built.
 *
 * <pre>{@code
 * EventTracker tracker = EventTracker.create(SpringConfigSource.of(environment));
 * }</pre>
 *
 * <p>{@link #origin} names the property and where Spring found it, for the SDK's messages:
 * {@code eventsink.ux.batch-size from class path resource [application.properties] - 3:24}.
 */
final class SpringConfigSource implements ConfigSource {

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private SpringConfigSource(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
    }

    /** Every {@code eventsink.ux.*} and {@code eventsink.sim.*} property of {@code environment}, as SDK keys. */
    static SpringConfigSource of(Environment environment) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        Binder binder = Binder.get(environment);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            for (String suffix : suffixes(sources, channel)) {
                String property = SinkProperties.propertyName(channel, suffix);
                OriginCapture capture = new OriginCapture();
                BindResult<String> bound = binder.bind(property, Bindable.of(String.class), capture);
                if (bound.isBound()) {
                    values.put(channel.key(suffix), bound.get());
                    origins.put(channel.key(suffix), property
                            + (capture.origin != null ? " from " + capture.origin : " (Spring property)"));
                }
            }
        }
        return new SpringConfigSource(values, origins);
    }

    /** The known suffixes, and those of every {@code eventsink.<channel>.<key>} property a source lists. */
    private static Set<String> suffixes(Iterable<ConfigurationPropertySource> sources, Channel channel) {
        ConfigurationPropertyName parent = ConfigurationPropertyName.of(SinkProperties.channelPrefix(channel));
        Set<String> suffixes = new TreeSet<>(SinkProperties.KNOWN_SUFFIXES);
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream()
                        .filter(parent::isParentOf)
                        .map(name -> name.getLastElement(ConfigurationPropertyName.Form.ORIGINAL))
                        .map(SinkProperties::suffix)
                        .forEach(suffixes::add);
            }
        }
        return suffixes;
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
        String origin = origins.get(key);
        if (origin != null) {
            return origin;
        }
        String property = SinkProperties.propertyName(key);
        return property != null ? property + " (unset)" : "unset";
    }

    @Override
    public String toString() {
        return "SpringConfigSource(" + values.size() + " keys)";
    }

    /** Remembers where the bound value came from. */
    private static final class OriginCapture extends AbstractBindHandler {
        private Origin origin;

        @Override
        public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                Object result) {
            ConfigurationProperty property = context.getConfigurationProperty();
            if (property != null) {
                origin = property.getOrigin();
            }
            return super.onSuccess(name, target, context, result);
        }
    }
}
