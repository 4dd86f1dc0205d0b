package dev.eventsink.example.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.testkit.RecordingSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example as its own tests would run it: the testkit's {@code recording} sink on both channels, set by two
 * properties, so that a test asserts exactly what the application emitted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "eventsink.ux.type=recording", "eventsink.sim.type=recording", "example.simulation.interval=50ms"})
class ExampleApplicationTest {

    @Autowired
    EventTracker tracker;

    @Value("${local.server.port}")
    int port;

    @Test
    void theEndpointRecordsOneUxActionPerRequest() {
        RecordingSink ux = tracker.sink(Channel.UX, RecordingSink.class);
        ux.reset();

        Http.Answer answer = new Http(port).post("/actions/click?user=u1&session=s1&target=buy");

        assertThat(answer.status()).isEqualTo(202);
        Event event = ux.awaitEvents(1, Duration.ofSeconds(5)).get(0);
        assertThat(event.id()).hasToString(answer.body().get("id").asText());
        assertThat(event.userId()).isEqualTo("u1");
        assertThat(event.sessionId()).isEqualTo("s1");
        assertThat(event.payload()).isEqualTo(Map.of("action", "click", "target", "buy"));
    }

    @Test
    void anInvalidUserIsABadRequestAndRecordsNothing() {
        RecordingSink ux = tracker.sink(Channel.UX, RecordingSink.class);
        ux.reset();

        Http.Answer answer = new Http(port).post("/actions/click?user=%20");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("error").asText()).contains("userId");
        assertThat(ux.events()).isEmpty();
    }

    @Test
    void theScheduledJobRecordsTheAgentsMoves() {
        RecordingSink sim = tracker.sink(Channel.SIM, RecordingSink.class);

        List<Event> moves = sim.awaitEvents(3, Duration.ofSeconds(10));

        for (int i = 0; i < 3; i++) {
            Map<String, Object> payload = moves.get(i).payload();
            long tick = (Long) payload.get("tick");
            assertThat(payload).containsEntry("event", "agent_moved").containsEntry("agent", 1L);
            if (tick <= 15) {   // before the first bounce the agent moves diagonally
                assertThat(payload).containsEntry("x", tick).containsEntry("y", tick);
            }
        }
        assertThat(moves.stream().map(e -> (Long) e.payload().get("tick")).toList())
                .isSorted().doesNotHaveDuplicates();
    }

    @Test
    void actuatorShowsTheEventsinkMetersAndHealth() {
        Http http = new Http(port);
        long before = tracker.stats(Channel.UX).delivered();
        http.post("/actions/open?user=u2");

        Http.Answer names = http.get("/actuator/metrics");
        assertThat(names.body().get("names")).extracting(n -> n.asText()).contains("eventsink.events",
                "eventsink.queue.events", "eventsink.inflight.events", "eventsink.batches", "eventsink.bytes.sent",
                "eventsink.retries");

        Http.Answer delivered = http.get("/actuator/metrics/eventsink.events?tag=channel:ux&tag=outcome:delivered");
        assertThat(delivered.status()).isEqualTo(200);
        assertThat(delivered.body().get("baseUnit").asText()).isEqualTo("events");
        assertThat(delivered.body().get("measurements").get(0).get("value").asDouble()).isEqualTo(before + 1);

        Http.Answer health = http.get("/actuator/health/eventsink");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("UP");
        assertThat(health.body().at("/details/ux/sink").asText()).isEqualTo("recording");
    }
}
