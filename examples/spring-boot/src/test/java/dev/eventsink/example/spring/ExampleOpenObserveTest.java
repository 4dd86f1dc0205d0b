package dev.eventsink.example.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.testkit.OpenObserveConnection;
import dev.eventsink.testkit.OpenObserveServerExtension;
import dev.eventsink.testkit.StoredRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The example application against the OpenObserve-compatible server, as its README runs it. */
@ExtendWith(OpenObserveServerExtension.class)
class ExampleOpenObserveTest {

    @Test
    void actionsAndMovesArriveAtTheServer(OpenObserveConnection connection, StoredRecords records) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--example.simulation.interval=50ms"));
        connection.configuration().forEach((key, value) -> args.add("--" + property(key) + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ExampleApplication.class)
                .run(args.toArray(String[]::new));
        try {
            Http http = new Http(port(context));
            for (String user : List.of("u1", "u2", "u3")) {
                assertThat(http.post("/actions/click?user=" + user + "&target=buy").status()).isEqualTo(202);
            }
            records.awaitRecords("simulation_events", 3, Duration.ofSeconds(10));
        } finally {
            context.close();   // delivers what is still queued
        }

        List<Map<String, Object>> actions = records.records("ux_events");
        assertThat(actions).extracting(r -> r.get("user_id")).containsExactlyInAnyOrder("u1", "u2", "u3");
        assertThat(actions).allSatisfy(r -> assertThat(r).containsEntry("event_type", "ux_action")
                .containsEntry("payload_action", "click").containsEntry("payload_target", "buy"));
        assertThat(records.records("simulation_events")).allSatisfy(r -> assertThat(r)
                .containsEntry("event_type", "simulation_event").containsEntry("payload_event", "agent_moved"));
    }

    @Test
    void withOnlyMockSinksTheMetersShowOnActuatorMetrics() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ExampleApplication.class)
                .run("--server.port=0", "--eventsink.ux.type=mock", "--eventsink.sim.type=mock",
                        "--example.simulation.interval=1h")) {
            Http http = new Http(port(context));
            http.post("/actions/click?user=u1");

            Http.Answer answer = http.get("/actuator/metrics/eventsink.events?tag=channel:ux&tag=sink:mock"
                    + "&tag=outcome:delivered");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("measurements").get(0).get("value").asDouble()).isEqualTo(1.0);
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** {@code UX_EVENT_SINK_API_KEY} as its property, {@code eventsink.ux.api-key}. */
    private static String property(String key) {
        String[] parts = key.split("_EVENT_SINK_", 2);
        return "eventsink." + parts[0].toLowerCase() + "." + parts[1].toLowerCase().replace('_', '-');
    }
}
