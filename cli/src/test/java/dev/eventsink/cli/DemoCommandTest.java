package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Event;
import dev.eventsink.EventType;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    @Test
    void runsWithNoConfigurationThroughTheBuiltInServerAndPreviewsStoredRecords() {
        Cli.Result result = Cli.unconfigured().run("demo", "--ticks", "30", "--rate", "0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("No event sink is configured", "started an OpenObserve-compatible server on http://127.0.0.1:")
                .contains("Simulating 16 agents", "for 30 ticks", "as fast as possible")
                .containsPattern("UX +openobserve +\\d+ +\\d+ +0 +0 +[\\d.,]+ events/s")
                .containsPattern("SIM +openobserve +\\d+ +\\d+ +0 +0 +[\\d.,]+ events/s")
                .contains("All ", "events were delivered.")
                // the preview: OpenObserve's normalised, flattened column names and their types
                .contains("stream ux_events", "stream simulation_events")
                .contains("_timestamp", "event_id", "event_type", "user_id", "session_id", "payload_action",
                        "payload_position_x", "payload_velocity_y", "Int64", "Utf8")
                .contains("agent_moved", "collision", "navigate", "set_parameter");
    }

    @Test
    void usesTheConfiguredSinksAndSaysSo() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("demo", "--ticks", "5", "--rate", "0", "--agents", "3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Using the configured event sinks:",
                "UX: UX_EVENT_SINK_TYPE=mock  (from explicit configuration)",
                "SIM: SIM_EVENT_SINK_TYPE=mock  (from explicit configuration)",
                "UX (mock sink) keeps the events as they are", "\"eventType\":\"simulation_event\"")
                .doesNotContain("started an OpenObserve-compatible server");
    }

    @Test
    void durationAtFullSpeedRunsUntilTheTimeIsUp() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("demo", "--duration", "200ms", "--rate", "0",
                "--agents", "2", "--preview", "0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("for 200ms", "All ");
    }

    @Test
    void undeliveredEventsExitOne() {
        Map<String, String> config = new HashMap<>(Cli.mock());
        config.put("SIM_EVENT_SINK_FAIL_WITH", "disk full");

        Cli.Result result = Cli.withConfig(config).run("demo", "--ticks", "3", "--rate", "0", "--agents", "2");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(result.out()).containsPattern("SIM +mock +\\d+ +0 +\\d+ +0")
                .contains("SIM: ", "not delivered: disk full", "Some events were not delivered");
    }

    @Test
    void badConfigurationExitsTwo() {
        Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "openobserv", "SIM_EVENT_SINK_TYPE", "mock"))
                .run("demo", "--ticks", "1");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Configuration error: Unknown event sink type 'openobserv' in "
                + "UX_EVENT_SINK_TYPE");
    }

    @Nested
    class ValuesShownSafely {

        @Test
        void configurationErrorMasksAPasswordWithASlash() {
            Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "openobserve",
                    "UX_EVENT_SINK_URL", "http://admin:pa/ss@localhost:5080", "UX_EVENT_SINK_API_KEY", "a@b.c:x",
                    "SIM_EVENT_SINK_TYPE", "mock")).run("demo", "--ticks", "1", "--verbose");

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "Configuration error: UX_EVENT_SINK_URL='http://****@localhost:5080' is not an http(s) URL with a "
                            + "host; allowed: http:// or https:// base URL such as http://localhost:5080",
                    "Run 'eventsink doctor' to check the configuration."));
            assertThat(result.everything()).doesNotContain("pa/ss");
        }

        @Test
        void configuredTypeWithControlCharactersIsEscaped() {
            Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "mock\nSIM: SIM_EVENT_SINK_TYPE=fine",
                    "SIM_EVENT_SINK_TYPE", "mock")).run("demo", "--ticks", "1");

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.out()).isEqualTo(lines(
                    "Using the configured event sinks:",
                    "  UX: UX_EVENT_SINK_TYPE=mock\\nsim: sim_event_sink_type=fine  (from explicit configuration)",
                    "  SIM: SIM_EVENT_SINK_TYPE=mock  (from explicit configuration)",
                    ""));
            assertThat(result.err()).isEqualTo(lines(
                    "Configuration error: Unknown event sink type 'mock\\nSIM: SIM_EVENT_SINK_TYPE=fine' in "
                            + "UX_EVENT_SINK_TYPE. Available: kafka, mock, openobserve. Check the spelling, or add the jar that provides the type to the class path",
                    "Run 'eventsink doctor' to check the configuration."));
        }

        @Test
        void failureReasonFromConfigurationIsEscaped() {
            Map<String, String> config = new HashMap<>(Cli.mock());
            config.put("SIM_EVENT_SINK_FAIL_WITH", "disk full\n  All 3 events were delivered.");

            Cli.Result result = Cli.withConfig(config).run("demo", "--ticks", "1", "--rate", "0", "--agents", "2",
                    "--preview", "0");

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            assertThat(result.out()).containsPattern("\\n  SIM: \\d+ not delivered: disk full\\\\n  All 3 events were "
                            + "delivered\\.\\R")
                    .doesNotContain(System.lineSeparator() + "  All 3 events");
        }
    }

    @Test
    void ticksAndDurationTogetherExitTwo() {
        Cli.Result result = Cli.unconfigured().run("demo", "--ticks", "3", "--duration", "1s");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Give --ticks or --duration, not both");
    }

    @Test
    void nonNumericTicksExitTwo() {
        assertThat(Cli.unconfigured().run("demo", "--ticks", "many").exitCode()).isEqualTo(Main.USAGE);
        assertThat(Cli.unconfigured().run("demo", "--ticks", "0").exitCode()).isEqualTo(Main.USAGE);
        assertThat(Cli.unconfigured().run("demo", "--duration", "soon").exitCode()).isEqualTo(Main.USAGE);
        assertThat(Cli.unconfigured().run("demo", "--rate", "-1").exitCode()).isEqualTo(Main.USAGE);
    }

    @Test
    void simulationEmitsAMoveForEveryAgentEachTickAndCollisionsWhereAgentsMeet() {
        Simulation simulation = new Simulation(40, 7, Clock.systemUTC());
        int moves = 0;
        int collisions = 0;
        int uxActions = 0;
        for (int tick = 0; tick < 50; tick++) {
            List<Event> events = simulation.tick(tick);
            for (Event event : events) {
                if (event.eventType() == EventType.UX_ACTION) {
                    uxActions++;
                    assertThat(event.payload().get("action")).isIn("click", "navigate", "set_parameter");
                } else if ("agent_moved".equals(event.payload().get("event"))) {
                    moves++;
                    assertThat(event.payload()).containsKeys("agent_id", "position", "velocity", "tick");
                } else {
                    collisions++;
                    assertThat(event.payload()).containsEntry("event", "collision")
                            .containsKeys("agent_id", "other_agent_id", "position", "velocity", "other_velocity");
                }
            }
        }
        assertThat(moves).isEqualTo(40 * 50);
        assertThat(collisions).isPositive().isEqualTo((int) simulation.collisions());
        assertThat(uxActions).isGreaterThanOrEqualTo(5);
    }

    @Test
    void simulationIsDeterministicForASeed() {
        List<Object> first = new Simulation(5, 3, Clock.systemUTC()).tick(0).stream().map(Event::payload)
                .map(Object.class::cast).toList();
        List<Object> second = new Simulation(5, 3, Clock.systemUTC()).tick(0).stream().map(Event::payload)
                .map(Object.class::cast).toList();

        assertThat(first).isEqualTo(second);
    }
}
