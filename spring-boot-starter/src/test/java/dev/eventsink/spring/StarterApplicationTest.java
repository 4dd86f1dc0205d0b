package dev.eventsink.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import dev.eventsink.spring.testapp.StarterTestApplication;
import dev.eventsink.testkit.OpenObserveConnection;
import dev.eventsink.testkit.OpenObserveServerExtension;
import dev.eventsink.testkit.StoredRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The starter in real Spring Boot applications: start-up, the environment's keys, failure reports, shutdown. */
@ExtendWith({OpenObserveServerExtension.class, OutputCaptureExtension.class})
class StarterApplicationTest {

    @Test
    void closingTheContextDeliversWhatWasQueuedToTheServer(OpenObserveConnection connection, StoredRecords records)
            throws Exception {
        ConfigurableApplicationContext context = run(connection, Map.of(),
                "--eventsink.ux.linger=5m", "--eventsink.ux.batch-size=100000",
                "--eventsink.sim.linger=5m", "--eventsink.sim.batch-size=100000");
        EventTracker tracker = context.getBean(EventTracker.class);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(tracker.track(Event.uxAction().userId("u" + i).put("button", "buy").build()));
        }
        for (int i = 0; i < 30; i++) {
            futures.add(tracker.track(Event.simulationEvent().put("tick", i).build()));
        }
        assertThat(tracker.stats(Channel.UX).pending()).isEqualTo(50);
        assertThat(tracker.stats(Channel.SIM).pending()).isEqualTo(30);
        assertThat(records.count("ux_events")).isZero();

        context.close();

        assertThat(records.count("ux_events")).isEqualTo(50);
        assertThat(records.count("simulation_events")).isEqualTo(30);
        for (CompletableFuture<Void> future : futures) {
            assertThat(future).isCompleted().isNotCompletedExceptionally();
        }
    }

    @Test
    void closingHonoursCloseTimeoutWhenTheServerKeepsFailing(OpenObserveConnection connection, OpenObserveServer server) {
        server.faults().always(Fault.memoryTableOverflow());
        ConfigurableApplicationContext context = run(connection, Map.of(),
                "--eventsink.ux.close-timeout=1s", "--eventsink.ux.retry-deadline=10m", "--eventsink.ux.linger=0s");
        CompletableFuture<Void> future = context.getBean(EventTracker.class).track(Event.uxAction().userId("u1").build());

        long start = System.nanoTime();
        context.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - start);

        assertThat(closing).isLessThan(Duration.ofSeconds(8));   // not RETRY_DEADLINE's 10 minutes
        assertThat(future).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(DeliveryException.class)
                .withMessageContaining("sink closed before delivery");
    }

    @Test
    void theEnvironmentsSdkKeysConfigureTheApplication() {
        Map<String, Object> variables = Map.of("UX_EVENT_SINK_TYPE", "capturing", "UX_EVENT_SINK_ORG", "shop");
        try (ConfigurableApplicationContext context = run(null, variables, "--eventsink.sim.type=mock")) {
            var ux = context.getBean(EventTracker.class).sink(Channel.UX, CapturingSinkProvider.CapturingSink.class);
            assertThat(ux.config().get("ORG")).contains("shop");
            assertThat(ux.config().origin("ORG")).isEqualTo("eventsink.ux.org from environment variable UX_EVENT_SINK_ORG");
        }
    }

    @Test
    void invalidConfigurationFailsStartUpWithSpringBootsReport(CapturedOutput output) {
        assertThatThrownBy(() -> run(null, Map.of("SIM_EVENT_SINK_TYPE", "openobserv"), "--eventsink.ux.type=mock"))
                .hasRootCauseInstanceOf(dev.eventsink.spi.ConfigurationException.class);

        assertThat(output.toString()).contains("APPLICATION FAILED TO START", "The eventsink configuration is invalid:",
                "    Property: eventsink.sim.type",
                "    Origin: eventsink.sim.type from environment variable SIM_EVENT_SINK_TYPE",
                "    Reason: Unknown event sink type 'openobserv' in eventsink.sim.type. Available: capturing, mock,"
                        + " openobserve, recording. Check the spelling, or add the jar that provides the type to the"
                        + " class path",
                "Update your application's configuration");
    }

    @Test
    void theReportSaysInWhichFileAndLineAnInvalidValueIs(CapturedOutput output) {
        assertThatThrownBy(() -> run(null, Map.of(), "--spring.profiles.active=invalid", "--eventsink.sim.type=mock"))
                .hasRootCauseInstanceOf(dev.eventsink.spi.ConfigurationException.class);

        assertThat(output.toString()).contains(
                "    Property: eventsink.ux.batch-size",
                "    Origin: eventsink.ux.batch-size from class path resource [application-invalid.properties] - 5:25",
                "    Reason: eventsink.ux.batch-size='abc' is not a whole number; allowed: 1 to 100000");
    }

    /**
     * Runs the test application with these arguments (and, given a connection, both channels pointed at the server),
     * with {@code variables} as the whole process environment.
     */
    private static ConfigurableApplicationContext run(OpenObserveConnection connection, Map<String, Object> variables,
            String... args) {
        List<String> arguments = new ArrayList<>();
        if (connection != null) {
            connection.configuration().forEach((key, value) ->
                    arguments.add("--" + SinkProperties.propertyName(key) + "=" + value));
        }
        arguments.addAll(List.of(args));
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new SpringApplicationBuilder(StarterTestApplication.class)
                .web(WebApplicationType.NONE)
                .environment(environment)
                .run(arguments.toArray(String[]::new));
    }
}
