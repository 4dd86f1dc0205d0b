package dev.eventsink.spring;

import dev.eventsink.EventTracker;
import dev.eventsink.spi.ConfigurationException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configures an {@link EventTracker} from the {@code eventsink.ux.*} and {@code eventsink.sim.*} properties
 * (each the SDK key of the same name: {@code eventsink.ux.batch-size} is {@code UX_EVENT_SINK_BATCH_SIZE}), unless
 * the application defines its own, and closes it when the context stops ({@link EventTrackerLifecycle}).
 *
 * <pre>{@code
 * eventsink.ux.type=openobserve
 * eventsink.ux.url=http://localhost:5080
 * eventsink.ux.api-key=root@example.com:${OPENOBSERVE_PASSWORD}
 * eventsink.sim.type=mock
 * }</pre>
 *
 * <p>Invalid configuration fails start-up: {@link EventSinkFailureAnalyzer} names each property and what it allows.
 */
@AutoConfiguration
public class EventSinkAutoConfiguration {

    /** The tracker and its lifecycle, both only when the application has no {@link EventTracker} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(EventTracker.class)
    static class TrackerConfiguration {

        @Bean
        EventTracker eventTracker(Environment environment, ApplicationContext context) {
            SpringConfigSource source = SpringConfigSource.of(environment);
            try {
                ClassLoader classLoader = context.getClassLoader();
                return EventTracker.create(source,
                        classLoader != null ? classLoader : EventSinkAutoConfiguration.class.getClassLoader());
            } catch (ConfigurationException e) {
                throw EventSinkConfigurationException.of(e, source);
            }
        }

        @Bean
        EventTrackerLifecycle eventTrackerLifecycle(EventTracker eventTracker) {
            return new EventTrackerLifecycle(eventTracker);
        }
    }
}
