package dev.eventsink.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.mock.MockSink;
import dev.eventsink.spring.testapp.StarterTestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;

/** An application with only the starter and {@code type=mock} on both channels starts and gets a tracker injected. */
@SpringBootTest(classes = StarterTestApplication.class,
        properties = {"eventsink.ux.type=mock", "eventsink.sim.type=mock"})
class StarterSpringBootTest {

    @Autowired
    EventTracker tracker;

    @Autowired
    MeterRegistry registry;

    @Autowired
    HealthIndicator eventsinkHealthIndicator;

    @Test
    void theInjectedTrackerDeliversAndItsMetersAndHealthShowIt() {
        tracker.track(Event.uxAction().userId("u1").put("button", "buy").build());
        tracker.track(Event.simulationEvent().put("tick", 1).build());

        assertThat(tracker.sink(Channel.UX, MockSink.class).events()).hasSize(1);
        assertThat(registry.get("eventsink.events")
                .tags("channel", "ux", "sink", "mock", "outcome", "delivered", "reason", "none")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("eventsink.events")
                .tags("channel", "sim", "sink", "mock", "outcome", "delivered", "reason", "none")
                .functionCounter().count()).isEqualTo(1);
        Health health = eventsinkHealthIndicator.health();
        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails()).containsKeys("ux", "sim", "window", "retryThreshold");
    }
}
