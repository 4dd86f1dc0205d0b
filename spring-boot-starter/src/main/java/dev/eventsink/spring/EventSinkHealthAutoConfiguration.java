package dev.eventsink.spring;

import dev.eventsink.EventTracker;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers {@link EventSinkHealthIndicator} as the {@code eventsink} health contributor when Actuator's health
 * support is on the class path; {@code management.health.eventsink.enabled=false} turns it off.
 *
 * <pre>{@code
 * GET /actuator/health/eventsink   ->  {"status":"UP","details":{"ux":{...},"sim":{...}}}
 * }</pre>
 */
@AutoConfiguration(after = EventSinkAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EventTracker.class)
@ConditionalOnEnabledHealthIndicator("eventsink")
@EnableConfigurationProperties(EventSinkHealthProperties.class)
public class EventSinkHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "eventsinkHealthIndicator")
    EventSinkHealthIndicator eventsinkHealthIndicator(EventTracker eventTracker, EventSinkHealthProperties properties,
            Environment environment) {
        return new EventSinkHealthIndicator(eventTracker, SinkProperties.sinkNames(eventTracker, environment),
                properties.getWindow(),
                properties.getRetryThreshold(), Clock.systemUTC());
    }
}
