package dev.eventsink.spring;

import dev.eventsink.EventTracker;
import dev.eventsink.micrometer.EventSinkMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Publishes the tracker's delivery statistics as {@code eventsink.*} meters ({@link EventSinkMetrics}) when the
 * application has a Micrometer {@link MeterRegistry}: Spring Boot binds every {@code MeterBinder} bean to its
 * registries, so they show on {@code /actuator/metrics} and in every exporter. Each channel's {@code sink} tag is its
 * configured {@code eventsink.<channel>.type}. Define an {@link EventSinkMetrics} bean to choose names and tags.
 *
 * <pre>{@code
 * GET /actuator/metrics/eventsink.events?tag=channel:ux&tag=outcome:delivered
 * }</pre>
 */
@AutoConfiguration(after = EventSinkAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, EventSinkMetrics.class})
@ConditionalOnBean({MeterRegistry.class, EventTracker.class})
public class EventSinkMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventSinkMetrics eventSinkMetrics(EventTracker eventTracker, Environment environment) {
        EventSinkMetrics.Builder builder = EventSinkMetrics.builder(eventTracker);
        SinkProperties.sinkNames(eventTracker, environment).forEach(builder::sinkName);
        return builder.build();
    }
}
