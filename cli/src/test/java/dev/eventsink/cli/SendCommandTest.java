package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendCommandTest {

    @Test
    void deliveredEventExitsZeroAndPrintsIt() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "--type", "ux_action", "--user", "u1",
                "--session", "s1", "action=click", "count=3", "ok=true", "tags=[\"a\",\"b\"]", "label=buy now");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Delivered ux_action", "to the UX sink (mock)",
                "\"userId\":\"u1\"", "\"sessionId\":\"s1\"",
                "\"payload\":{\"action\":\"click\",\"count\":3,\"ok\":true,\"tags\":[\"a\",\"b\"],\"label\":\"buy now\"}");
    }

    @Test
    void payloadJsonAndPairsMergeWithPairsWinning() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "--type", "simulation_event",
                "--payload", "{\"event\":\"collision\",\"tick\":7,\"position\":{\"x\":1,\"y\":2}}", "tick=8");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("to the SIM sink (mock)",
                "\"payload\":{\"event\":\"collision\",\"tick\":8,\"position\":{\"x\":1,\"y\":2}}");
    }

    @Test
    void sendsOnlyThroughTheEventsChannelSoTheOtherNeedsNoConfiguration() {
        Cli.Result result = Cli.withConfig(Map.of("SIM_EVENT_SINK_TYPE", "mock"))
                .run("send", "--type", "simulation_event", "event=tick");

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void failedDeliveryExitsOneWithTheReason() {
        Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "mock",
                "UX_EVENT_SINK_FAIL_WITH", "backend says no")).run("send", "action=click");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("Not delivered: rejected: backend says no");
    }

    @Test
    void deliversToOpenObserveAndThatStoresIt() {
        try (OpenObserveServer server = OpenObserveServer.start()) {
            Cli.Result result = Cli.withConfig(Cli.openObserve(server.url(), server.apiKey()))
                    .run("send", "--user", "u1", "action=click", "target=buy");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            List<Map<String, Object>> records = server.records("ux_events");
            assertThat(records).hasSize(1);
            assertThat(records.get(0)).containsEntry("user_id", "u1").containsEntry("payload_action", "click")
                    .containsEntry("payload_target", "buy");
        }
    }

    @Test
    void openObserveRejectionIsReportedWithItsReason() {
        try (OpenObserveServer server = OpenObserveServer.start()) {
            String sixHoursAgo = Instant.now().minus(Duration.ofHours(6)).toString();
            Cli.Result result = Cli.withConfig(Cli.openObserve(server.url(), server.apiKey()))
                    .run("send", "--timestamp", sixHoursAgo, "action=click");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).contains("Not delivered: rejected: Too old data, only last 5 hours data can be"
                    + " ingested.");
        }
    }

    @Test
    void wrongCredentialsAreReportedAsNotDelivered() {
        try (OpenObserveServer server = OpenObserveServer.start()) {
            Cli.Result result = Cli.withConfig(Cli.openObserve(server.url(), server.email() + ":wrong"))
                    .run("send", "action=click");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).contains("Not delivered: rejected: OpenObserve answered 401");
        }
    }

    @Test
    void eventNotDeliveredWithinTheTimeoutExitsOne() {
        try (OpenObserveServer server = OpenObserveServer.start()) {
            server.faults().always(Fault.delay(Duration.ofSeconds(3)));

            Cli.Result result = Cli.withConfig(Cli.openObserve(server.url(), server.apiKey()))
                    .run("send", "--timeout", "300ms", "action=click");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).contains("Not delivered within 300ms: event ", "is still pending in the UX sink "
                    + "(openobserve).");
        }
    }

    @Test
    void unsetTypeIsAConfigurationErrorExitingTwo() {
        Cli.Result result = Cli.unconfigured().run("send", "action=click");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Configuration error: UX_EVENT_SINK_TYPE is not set");
    }

    @Test
    void invalidSinkConfigurationExitsTwo() {
        Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "openobserve",
                "UX_EVENT_SINK_URL", "http://localhost:5080/api/default", "UX_EVENT_SINK_API_KEY", "Bearer abc"))
                .run("send", "action=click");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("UX_EVENT_SINK_URL", "UX_EVENT_SINK_API_KEY", "Bearer");
    }

    @Test
    void payloadThatIsNotAnObjectExitsTwo() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "--payload", "[1,2]");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("--payload must be a JSON object");
    }

    @Test
    void pairWithoutEqualsExitsTwo() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "click");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Payload entries are KEY=VALUE, was: 'click'");
    }

    @Test
    void unknownTypeExitsTwo() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "--type", "page_view", "a=1");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("'page_view' is not an event type; use ux_action or simulation_event");
    }

    @Test
    void valuesParseAsJsonWhenTheyAreJson() {
        assertThat(SendCommand.value("42")).isEqualTo(42);
        assertThat(SendCommand.value("2.5")).isEqualTo(2.5);
        assertThat(SendCommand.value("true")).isEqualTo(true);
        assertThat(SendCommand.value("null")).isNull();
        assertThat(SendCommand.value("\"42\"")).isEqualTo("42");
        assertThat(SendCommand.value("{\"a\":[1]}")).isEqualTo(Map.of("a", List.of(1)));
        assertThat(SendCommand.value("hello world")).isEqualTo("hello world");
        assertThat(SendCommand.value("1 2")).isEqualTo("1 2");
        assertThat(SendCommand.value("")).isEqualTo("");
    }
}
