package dev.eventsink.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.export.DeliveryPipeline;
import dev.eventsink.export.OverflowPolicy;
import dev.eventsink.export.PipelineConfig;
import dev.eventsink.micrometer.EventSinkMetrics;
import dev.eventsink.mock.MockSink;
import dev.eventsink.testkit.Recorders;
import dev.eventsink.testkit.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class EventSinkAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventSinkAutoConfiguration.class,
                    EventSinkMetricsAutoConfiguration.class, EventSinkHealthAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues("eventsink.ux.type=mock", "eventsink.sim.type=mock");

    @Test
    void mockTypesGiveATrackerOverMockSinksWithItsLifecycleMetricsAndHealth() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(EventTracker.class)
                    .hasSingleBean(EventTrackerLifecycle.class)
                    .hasSingleBean(EventSinkMetrics.class)
                    .hasBean("eventsinkHealthIndicator");
            EventTracker tracker = context.getBean(EventTracker.class);
            assertThat(tracker.sink(Channel.UX)).isInstanceOf(MockSink.class);
            assertThat(tracker.sink(Channel.SIM)).isInstanceOf(MockSink.class);

            tracker.track(Event.uxAction().userId("u1").put("button", "buy").build()).get(5, TimeUnit.SECONDS);

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("eventsink.events")
                    .tags("channel", "ux", "sink", "mock", "outcome", "delivered", "reason", "none")
                    .functionCounter().count()).isEqualTo(1);
            assertThat(registry.find("eventsink.events").meters()).hasSize(14);
        });
    }

    @Test
    void propertiesReachTheSdkKeysInEveryRelaxedForm() {
        runner.withPropertyValues("eventsink.ux.type=openobserve", "eventsink.ux.url=http://127.0.0.1:5080",
                        "eventsink.ux.api-key=root@example.com:Complexpass#123",
                        "eventsink.ux.batch-size=1000",          // kebab case
                        "eventsink.ux.lingerTime=ignored",       // not a key: the SDK warns about it
                        "eventsink.ux.queueCapacity=2000",       // camel case
                        "eventsink.ux.close_timeout=3s",         // underscore
                        "eventsink.UX.OVERFLOW=block")           // any case
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment",
                                Map.of("EVENTSINK_UX_RETRYDEADLINE", "2m"))))  // Spring's environment form
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DeliveryPipeline ux = context.getBean(EventTracker.class).sink(Channel.UX, DeliveryPipeline.class);
                    PipelineConfig config = ux.config();
                    assertThat(config.batchSize()).isEqualTo(1000);
                    assertThat(config.queueCapacity()).isEqualTo(2000);
                    assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.overflow()).isEqualTo(OverflowPolicy.BLOCK);
                    assertThat(config.retryDeadline()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(config.linger()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(ux.toString()).contains("stream=ux_events").doesNotContain("Complexpass");
                });
    }

    @Test
    void anyKeyReachesAPluginAsItsSdkKeyWithWhereSpringFoundIt() {
        runner.withPropertyValues("eventsink.ux.type=capturing", "eventsink.ux.greeting-text=hello",
                        "eventsink.ux.retryCount=3", "eventsink.ux.api-key=${TEST_SECRET:s3cret}")
                .run(context -> {
                    CapturingSinkProvider.CapturingSink sink = context.getBean(EventTracker.class)
                            .sink(Channel.UX, CapturingSinkProvider.CapturingSink.class);
                    assertThat(sink.config().suffixes()).containsExactly("API_KEY", "GREETING_TEXT", "RETRY_COUNT", "TYPE");
                    assertThat(sink.config().get("GREETING_TEXT")).contains("hello");
                    assertThat(sink.config().get("RETRY_COUNT")).contains("3");
                    assertThat(sink.config().get("API_KEY")).contains("s3cret");
                    assertThat(sink.config().origin("GREETING_TEXT"))
                            .isEqualTo("eventsink.ux.greeting-text from \"eventsink.ux.greeting-text\" from property"
                                    + " source \"test\"");
                    assertThat(sink.config()).hasToString("SinkConfig{UX_EVENT_SINK_API_KEY=****,"
                            + " UX_EVENT_SINK_GREETING_TEXT=hello, UX_EVENT_SINK_RETRY_COUNT=3,"
                            + " UX_EVENT_SINK_TYPE=capturing}");
                });
    }

    @Test
    void theRecordingTypeLetsATestAssertWhatTheApplicationEmitted() {
        runner.withPropertyValues("eventsink.ux.type=recording", "eventsink.sim.type=recording")
                .run(context -> {
                    EventTracker tracker = context.getBean(EventTracker.class);
                    tracker.track(Event.uxAction().userId("u1").put("button", "buy").build());
                    tracker.track(Event.simulationEvent().put("tick", 7).build());

                    RecordingSink ux = tracker.sink(Channel.UX, RecordingSink.class);
                    RecordingSink sim = tracker.sink(Channel.SIM, RecordingSink.class);
                    assertThat(ux.events()).singleElement()
                            .satisfies(e -> assertThat(e.payload()).containsEntry("button", "buy"));
                    assertThat(sim.events()).singleElement()
                            .satisfies(e -> assertThat(e.payload()).containsEntry("tick", 7L));
                });
    }

    @Test
    void recordersReachSinksBuiltFromProperties() {
        try (Recorders recorders = Recorders.open()) {
            runner.withPropertyValues("eventsink.ux.type=recording", "eventsink.ux.recorder-id=" + recorders.id())
                    .run(context -> context.getBean(EventTracker.class)
                            .track(Event.uxAction().userId("u9").build()));
            assertThat(recorders.ux().events()).singleElement()
                    .satisfies(e -> assertThat(e.userId()).isEqualTo("u9"));
        }
    }

    @Test
    void anApplicationsOwnTrackerWins() {
        runner.withUserConfiguration(OwnTracker.class).run(context -> {
            assertThat(context).hasSingleBean(EventTracker.class).doesNotHaveBean(EventTrackerLifecycle.class);
            assertThat(context.getBean(EventTracker.class)).isSameAs(context.getBean(OwnTracker.class).tracker);
            assertThat(context.getBean(EventSinkMetrics.class).sinkNameOf(Channel.UX)).isEqualTo("mock");
        });
    }

    @Test
    void closingTheContextClosesTheTracker() {
        CompletableFuture<EventTracker> tracker = new CompletableFuture<>();
        runner.run(context -> {
            tracker.complete(context.getBean(EventTracker.class));
            assertThat(context.getBean(EventTrackerLifecycle.class).isRunning()).isTrue();
        });

        CompletableFuture<Void> afterClose = tracker.join().track(Event.uxAction().build());
        assertThat(afterClose).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(DeliveryException.class).withMessageContaining(EventTracker.TRACKER_CLOSED);
    }

    @Test
    void withoutAMeterRegistryThereIsNoBinder() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventSinkAutoConfiguration.class,
                        EventSinkMetricsAutoConfiguration.class))
                .withPropertyValues("eventsink.ux.type=mock", "eventsink.sim.type=mock")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(EventTracker.class)
                        .doesNotHaveBean(EventSinkMetrics.class));
    }

    @Test
    void withoutMicrometerOrActuatorTheTrackerStillStarts() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventSinkAutoConfiguration.class,
                        EventSinkMetricsAutoConfiguration.class, EventSinkHealthAutoConfiguration.class))
                .withPropertyValues("eventsink.ux.type=mock", "eventsink.sim.type=mock")
                .withBean(SimpleMeterRegistry.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(EventTracker.class)
                        .doesNotHaveBean(EventSinkMetrics.class).doesNotHaveBean("eventsinkHealthIndicator"));
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.eventsink.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("eventsinkHealthIndicator"));
    }

    @Test
    void invalidValuesFailStartUpNamingEachPropertyWhereItWasSetAndWhatIsAllowed() {
        runner.withPropertyValues("eventsink.ux.type=openobserve", "eventsink.ux.url=http://127.0.0.1:5080",
                        "eventsink.ux.api-key=root@example.com:Complexpass#123", "eventsink.ux.batch-size=abc",
                        "eventsink.ux.overflow=sometimes")
                .run(context -> {
                    assertThat(context).hasFailed();
                    String nl = System.lineSeparator();
                    assertThat(new EventSinkFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                            .isEqualTo("The eventsink configuration is invalid:" + nl
                                    + nl
                                    + "    Property: eventsink.ux.batch-size" + nl
                                    + "    Origin: eventsink.ux.batch-size from \"eventsink.ux.batch-size\" from property"
                                    + " source \"test\"" + nl
                                    + "    Reason: eventsink.ux.batch-size='abc' is not a whole number; allowed: 1 to"
                                    + " 100000" + nl
                                    + nl
                                    + "    Property: eventsink.ux.overflow" + nl
                                    + "    Origin: eventsink.ux.overflow from \"eventsink.ux.overflow\" from property"
                                    + " source \"test\"" + nl
                                    + "    Reason: eventsink.ux.overflow='sometimes' is not a valid choice; allowed:"
                                    + " drop_newest, drop_oldest, block" + nl);
                });
    }

    @Test
    void anUnsetTypeFailsStartUpNamingThePropertyAndTheAvailableTypes() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventSinkAutoConfiguration.class))
                .withPropertyValues("eventsink.sim.type=mock")
                .run(context -> {
                    assertThat(context).hasFailed();
                    var analysis = new EventSinkFailureAnalyzer().analyze(context.getStartupFailure());
                    String nl = System.lineSeparator();
                    assertThat(analysis.getDescription()).isEqualTo("The eventsink configuration is invalid:" + nl
                            + nl
                            + "    Property: eventsink.ux.type" + nl
                            + "    Reason: eventsink.ux.type is not set. Set it to the sink type to use. Available:"
                            + " capturing, mock, openobserve, recording" + nl);
                    assertThat(analysis.getAction()).isEqualTo("Update your application's configuration: set each"
                            + " property above to an allowed value (in application.properties or application.yaml, or as"
                            + " its environment variable: eventsink.ux.url is also read from UX_EVENT_SINK_URL). Sink"
                            + " types on the class path: capturing, mock, openobserve, recording.");
                });
    }

    @Test
    void secretsNeverReachTheFailureReport() {
        runner.withPropertyValues("eventsink.ux.type=openobserve", "eventsink.ux.url=http://127.0.0.1:5080",
                        "eventsink.ux.api-key=Bearer top-secret-token")
                .run(context -> {
                    var analysis = new EventSinkFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: eventsink.ux.api-key",
                            "eventsink.ux.api-key='****' is a Bearer token").doesNotContain("top-secret");
                    assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("top-secret");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTracker {
        final EventTracker tracker = EventTracker.of(new MockSink(), new MockSink());

        @Bean
        EventTracker myTracker() {
            return tracker;
        }
    }
}
