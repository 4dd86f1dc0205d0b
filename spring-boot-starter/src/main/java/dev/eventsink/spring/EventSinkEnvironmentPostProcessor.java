package dev.eventsink.spring;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Keeps the SDK's own configuration working in a Spring Boot application: the process environment's
 * {@code UX_EVENT_SINK_*} and {@code SIM_EVENT_SINK_*} variables become {@code eventsink.ux.*} and
 * {@code eventsink.sim.*} properties with the precedence Spring gives environment variables (right after them:
 * above {@code application.properties}, below system properties, command-line arguments and test properties),
 * and the same keys in {@code .env} in the working directory become properties below everything but Spring's
 * default properties.
 *
 * <pre>{@code
 * UX_EVENT_SINK_BATCH_SIZE=1000   # the environment: read as eventsink.ux.batch-size=1000
 * }</pre>
 *
 * <p>A malformed {@code .env} fails start-up with the SDK's message, naming the line.
 */
public final class EventSinkEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The property source of the environment's {@code *_EVENT_SINK_*} variables. */
    public static final String ENVIRONMENT_SOURCE = "eventsinkEnvironmentVariables";
    /** The property source of {@code .env}'s {@code *_EVENT_SINK_*} keys. */
    public static final String DOTENV_SOURCE = "eventsinkDotenv";

    private final Path dotenv;

    public EventSinkEnvironmentPostProcessor() {
        this(Path.of(".env"));
    }

    EventSinkEnvironmentPostProcessor(Path dotenv) {
        this.dotenv = dotenv;
    }

    /** Runs after {@code application.properties} is loaded, so that {@code .env} can be put below it. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        String systemName = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        PropertySource<?> system = sources.get(systemName);
        if (system instanceof EnumerablePropertySource<?> variables) {
            SdkKeysPropertySource mapped = SdkKeysPropertySource.of(ENVIRONMENT_SOURCE, variables.getPropertyNames(),
                    key -> String.valueOf(variables.getProperty(key)), key -> "environment variable " + key);
            if (mapped != null) {
                sources.addAfter(systemName, mapped);
            }
        }
        ConfigSource file = ConfigSource.dotenv(dotenv);
        SdkKeysPropertySource fromFile = SdkKeysPropertySource.of(DOTENV_SOURCE, file.keys().toArray(String[]::new),
                key -> file.get(key).orElse(""), key -> key + " in " + file.origin(key));
        if (fromFile != null) {
            sources.addLast(fromFile);
            DefaultPropertiesPropertySource.moveToEnd(environment);
        }
    }

    /** SDK keys as properties, each with an origin that names the key and where it was set. */
    static final class SdkKeysPropertySource extends MapPropertySource implements OriginLookup<String> {
        private final Map<String, Origin> origins;

        private SdkKeysPropertySource(String name, Map<String, Object> values, Map<String, Origin> origins) {
            super(name, values);
            this.origins = origins;
        }

        /** The channel keys among {@code keys} as properties; null when there is none. */
        static SdkKeysPropertySource of(String name, String[] keys, java.util.function.Function<String, String> value,
                java.util.function.Function<String, String> origin) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Origin> origins = new LinkedHashMap<>();
            for (String key : keys) {
                for (Channel channel : Channel.values()) {
                    if (key.startsWith(channel.prefix()) && key.length() > channel.prefix().length()) {
                        String property = SinkProperties.propertyName(key);
                        values.put(property, value.apply(key));
                        String description = origin.apply(key);
                        origins.put(property, new Origin() {
                            @Override
                            public String toString() {
                                return description;
                            }
                        });
                    }
                }
            }
            return values.isEmpty() ? null : new SdkKeysPropertySource(name, values, origins);
        }

        @Override
        public Origin getOrigin(String key) {
            return origins.get(key);
        }
    }
}
