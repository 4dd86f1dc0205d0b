package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SendCommandTest {

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

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

    @Nested
    class ValuesShownSafely {

        @Test
        void configurationErrorMasksAPasswordWithASlash() {
            Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "openobserve",
                    "UX_EVENT_SINK_URL", "http://admin:pa/ss@localhost:5080", "UX_EVENT_SINK_API_KEY", "a@b.c:x"))
                    .run("send", "--verbose", "action=click");

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "Configuration error: UX_EVENT_SINK_URL='http://****@localhost:5080' is not an http(s) URL with a "
                            + "host; allowed: http:// or https:// base URL such as http://localhost:5080",
                    "Run 'eventsink doctor' to check the configuration."));
            assertThat(result.everything()).doesNotContain("pa/ss");
        }

        @Test
        void everyConfigurationProblemIsOneLineWithControlCharactersEscaped() {
            Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "openobserve",
                    "UX_EVENT_SINK_URL", "http://local\nhost:5080", "UX_EVENT_SINK_API_KEY", "Bearer abc",
                    "UX_EVENT_SINK_ORG", "default\r\n  - UX_EVENT_SINK_FAKE is fine"))
                    .run("send", "action=click");

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "Configuration error: 3 configuration problems:",
                    "  - UX_EVENT_SINK_URL='http://local\\nhost:5080' contains a control character (such as CR or LF);"
                            + " allowed: printable characters only",
                    "  - UX_EVENT_SINK_API_KEY='****' is a Bearer token, which OpenObserve does not accept (it takes "
                            + "Basic auth only); allowed: 'email:passcode' (as for curl -u), or the base64 Basic "
                            + "credential OpenObserve shows (its BASIC_PASSCODE)",
                    "  - UX_EVENT_SINK_ORG='default\\r\\n  - UX_EVENT_SINK_FAKE is fine' contains a control character"
                            + " (such as CR or LF); allowed: printable characters only",
                    "Run 'eventsink doctor' to check the configuration."));
        }

        @Test
        void deliveryFailureReasonFromConfigurationIsEscaped() {
            Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "mock",
                    "UX_EVENT_SINK_FAIL_WITH", "backend says no\nDelivered ux_action\u001b[1A"))
                    .run("send", "--id", "0b6c3a52-3c47-4a8e-9a53-3e1f7f0e8d11", "--timestamp", "2026-11-28T12:00:00Z",
                            "action=click");

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            assertThat(result.out()).isEqualTo(lines(
                    "Not delivered: rejected: backend says no\\nDelivered ux_action\\u001B[1A",
                    "  event {\"id\":\"0b6c3a52-3c47-4a8e-9a53-3e1f7f0e8d11\",\"timestamp\":\"2026-11-28T12:00:00.000Z\","
                            + "\"eventType\":\"ux_action\",\"payload\":{\"action\":\"click\"}}"));
        }

        @Test
        void longPayloadEntryIsQuotedCutWithItsLength() {
            Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "x".repeat(1_000_000));

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "Payload entries are KEY=VALUE, was: '" + "x".repeat(200) + "…' (1,000,000 characters)",
                    "Try 'eventsink send --help' for more information."));
        }

        @Test
        void payloadThatIsNotAnObjectIsQuotedEscaped() {
            Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "--payload", "[1,\n2]");

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "--payload must be a JSON object such as '{\"button\":\"buy\"}', was: '[1,\\n2]'",
                    "Try 'eventsink send --help' for more information."));
        }

        @Test
        void badTimestampIsQuotedEscaped() {
            Cli.Result result = Cli.withConfig(Cli.mock()).run("send", "--timestamp", "soon\rnow", "a=1");

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "--timestamp 'soon\\rnow' is not an ISO-8601 instant such as 2026-11-28T12:00:00Z",
                    "Try 'eventsink send --help' for more information."));
        }
    }

    @Nested
    class Limits {

        private Cli.Result send(String... args) {
            String[] all = new String[args.length + 1];
            all[0] = "send";
            System.arraycopy(args, 0, all, 1, args.length);
            return Cli.withConfig(Cli.mock()).run(all);
        }

        @Test
        void aValueNestedPastTheReadingLimitIsAnErrorNotAString() {
            Cli.Result result = send("deep=" + "[".repeat(100) + "]".repeat(100));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
            assertThat(result.err()).startsWith(lines("Invalid event: payload.deep nests deeper than 32 levels"));
        }

        @Test
        void aValueNestedPastThePayloadsDepthNamesItsPath() {
            Cli.Result result = send("deep=" + "[".repeat(40) + "]".repeat(40));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
            assertThat(result.err()).startsWith(lines("Invalid event: payload.deep" + "[0]".repeat(31)
                    + " nests deeper than 32 levels"));
        }

        @Test
        void aNumberOfTooManyDigitsIsAnError() {
            Cli.Result result = send("n=" + "9".repeat(1001));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
            assertThat(result.err()).startsWith(lines("Invalid event: payload.n is a number of more than 1000 digits"));
        }

        @Test
        void aPayloadNestedPastTheReadingLimitIsAnError() {
            Cli.Result result = send("--payload", "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
            assertThat(result.err()).startsWith(lines("Invalid event: payload nests deeper than 32 levels"));
        }

        @Test
        void aPayloadWithTooManyKeysIsAnError() {
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i <= 1000; i++) {
                json.append(i > 0 ? "," : "").append("\"k").append(i).append("\":").append(i);
            }
            Cli.Result result = send("--payload", json.append('}').toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
            assertThat(result.err()).startsWith(lines("Invalid event: payload has more than 1000 keys, counted at"
                    + " every level; the first key over the limit is payload.k1000"));
        }
    }

    @Test
    void valuesParseAsJsonWhenTheyAreJson() {
        assertThat(SendCommand.value("42", "payload.v")).isEqualTo(42);
        assertThat(SendCommand.value("2.5", "payload.v")).isEqualTo(2.5);
        assertThat(SendCommand.value("true", "payload.v")).isEqualTo(true);
        assertThat(SendCommand.value("null", "payload.v")).isNull();
        assertThat(SendCommand.value("\"42\"", "payload.v")).isEqualTo("42");
        assertThat(SendCommand.value("{\"a\":[1]}", "payload.v")).isEqualTo(Map.of("a", List.of(1)));
        assertThat(SendCommand.value("hello world", "payload.v")).isEqualTo("hello world");
        assertThat(SendCommand.value("1 2", "payload.v")).isEqualTo("1 2");
        assertThat(SendCommand.value("", "payload.v")).isEqualTo("");
    }
}
