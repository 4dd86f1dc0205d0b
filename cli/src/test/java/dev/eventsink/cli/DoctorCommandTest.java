package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

    OpenObserveServer server;

    @BeforeEach
    void startServer() {
        server = OpenObserveServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Map<String, String> healthy() {
        return new HashMap<>(Map.of(
                "UX_EVENT_SINK_TYPE", "openobserve",
                "UX_EVENT_SINK_URL", server.url(),
                "UX_EVENT_SINK_API_KEY", server.apiKey(),
                "SIM_EVENT_SINK_TYPE", "openobserve",
                "SIM_EVENT_SINK_URL", server.url() + "/",
                "SIM_EVENT_SINK_API_KEY", Base64.getEncoder().encodeToString(server.apiKey().getBytes())));
    }

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private Cli.Result doctor(Map<String, String> config, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "doctor";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.withConfig(config).run(all);
    }

    @Test
    void healthyConfigurationPassesWithMaskedSecretsOriginsProviderAndLiveCheck() {
        Cli.Result result = doctor(healthy());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("UX channel (UX_EVENT_SINK_* keys)", "SIM channel (SIM_EVENT_SINK_* keys)")
                .containsPattern("UX_EVENT_SINK_API_KEY +\\*\\*\\*\\* +explicit configuration")
                .containsPattern("UX_EVENT_SINK_URL +http://127\\.0\\.0\\.1:\\d+ +explicit configuration")
                .contains("provider: openobserve = dev.eventsink.openobserve.OpenObserveSinkProvider from file:")
                .contains("validation: the openobserve sink accepts this configuration")
                .contains("live check: GET " + server.url() + "/healthz -> 200 {\"status\":\"ok\"}")
                .contains("live check: POST [] to " + server.url() + "/api/default/ux_events/_json (authenticated) -> 200")
                .contains("/api/default/simulation_events/_json")
                .contains("credentials accepted (0 successful, 0 failed, as expected for [])")
                .contains("verdict: OK", "All checked channels are ready.")
                .doesNotContain(server.password());
        assertThat(server.recordCount("ux_events")).isZero();
    }

    @Test
    void mockSinkNeedsNoLiveCheck() {
        Cli.Result result = doctor(Cli.mock());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("provider: mock = dev.eventsink.mock.MockSinkProvider",
                "live check: none needed");
    }

    @Test
    void unsetTypeNamesTheKeyAndTheAvailableTypes() {
        Map<String, String> config = healthy();
        config.remove("UX_EVENT_SINK_TYPE");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("UX_EVENT_SINK_TYPE is not set",
                "hint: set UX_EVENT_SINK_TYPE to the sink type to use, one of: kafka, mock, openobserve",
                "Problems in: UX.");
    }

    @Test
    void unknownTypeSuggestsTheNearestType() {
        Map<String, String> config = healthy();
        config.put("SIM_EVENT_SINK_TYPE", "openobserver");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("Unknown event sink type 'openobserver' in SIM_EVENT_SINK_TYPE",
                "hint: 'openobserver' is not a sink type on the class path; did you mean 'openobserve'? Available: kafka, mock,",
                "Problems in: SIM.");
    }

    @Test
    void bearerTokenIsExplained() {
        Map<String, String> config = healthy();
        config.put("UX_EVENT_SINK_API_KEY", "Bearer eyJhbGciOiJIUzI1NiJ9.abc");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("validation: the openobserve sink rejects this configuration",
                "UX_EVENT_SINK_API_KEY='****' is a Bearer token",
                "hint: remove 'Bearer ': OpenObserve accepts Basic authentication only. Set UX_EVENT_SINK_API_KEY to "
                        + "email:passcode")
                .doesNotContain("eyJhbGciOiJIUzI1NiJ9");
    }

    @Test
    void apiKeyOfTheWrongFormIsExplained() {
        Map<String, String> config = healthy();
        config.put("UX_EVENT_SINK_API_KEY", "just-a-passcode!");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("UX_EVENT_SINK_API_KEY='****' is neither 'email:passcode' nor a base64",
                "hint: UX_EVENT_SINK_API_KEY must be email:passcode (the user's email and password or ingestion "
                        + "passcode, as for curl -u), or the base64 Basic credential");
    }

    @Test
    void urlWithAnApiPathIsExplained() {
        Map<String, String> config = healthy();
        config.put("UX_EVENT_SINK_URL", server.url() + "/api/default/ux_events/_json");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("UX_EVENT_SINK_URL='" + server.url() + "/api/default/ux_events/_json' "
                        + "points at an API path",
                "hint: set UX_EVENT_SINK_URL to the server's base URL only (" + server.url() + "): the sink adds "
                        + "/api/{ORG}/{STREAM}/_json itself; put the organization in UX_EVENT_SINK_ORG and the "
                        + "stream in UX_EVENT_SINK_STREAM");
    }

    @Test
    void missingUrlAndKeyAreBothReported() {
        Cli.Result result = doctor(Map.of("UX_EVENT_SINK_TYPE", "openobserve", "SIM_EVENT_SINK_TYPE", "mock"));

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("verdict: 2 PROBLEMS", "UX_EVENT_SINK_URL is required",
                "UX_EVENT_SINK_API_KEY is required", "hint: set UX_EVENT_SINK_URL to the OpenObserve server's base URL",
                "hint: set UX_EVENT_SINK_API_KEY to email:passcode");
    }

    @Test
    void unreachableServerIsExplained() {
        String url = server.url();
        server.close();

        Cli.Result result = doctor(healthy(), "--channel", "UX");

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("live check: GET " + url + "/healthz failed: ConnectException",
                "cannot reach OpenObserve at " + url,
                "hint: nothing answers at " + url + ": is OpenObserve running, and are the host and port in "
                        + "UX_EVENT_SINK_URL right? For local development, run: eventsink serve-openobserve")
                .doesNotContain("SIM channel");
    }

    @Test
    void wrongCredentialsGive401AndAHint() {
        Map<String, String> config = healthy();
        config.put("UX_EVENT_SINK_API_KEY", server.email() + ":not-the-password");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("(authenticated) -> 401 Unauthorized Access",
                "OpenObserve answered 401 Unauthorized Access: it rejected the credential in UX_EVENT_SINK_API_KEY",
                "hint: OpenObserve did not accept UX_EVENT_SINK_API_KEY: check the email and the passcode")
                .containsPattern("SIM channel[\\s\\S]*verdict: OK");
    }

    @Test
    void urlThatIsNotOpenObserveIsExplained() {
        Map<String, String> config = healthy();
        config.put("UX_EVENT_SINK_URL", server.url() + "/openobserve");

        Cli.Result result = doctor(config);

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("/openobserve/healthz answered 404, not 200",
                "hint: OpenObserve answers /healthz with 200 and no authentication");
    }

    /** The doctor read bodies whole and without a deadline: a server that stalls mid-body held it forever. */
    @Test
    void aServerThatStallsMidBodyIsReportedAtTheTimeout() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket stalling = new java.net.ServerSocket(0, 5,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread answering = new Thread(() -> {
                try (java.net.Socket connection = stalling.accept()) {
                    connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"
                            + "{\"status\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.io.IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            answering.setDaemon(true);
            answering.start();
            Map<String, String> config = healthy();
            config.put("UX_EVENT_SINK_URL", "http://127.0.0.1:" + stalling.getLocalPort());
            long start = System.nanoTime();

            Cli.Result result = doctor(config, "--channel", "UX", "--timeout", "300ms");

            release.countDown();
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).contains("live check: GET http://127.0.0.1:" + stalling.getLocalPort()
                    + "/healthz failed: HttpTimeoutException (no whole answer within 300ms)");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(java.time.Duration.ofSeconds(20));
        }
    }

    @Test
    void showsWhereEachKeyCameFrom(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("doctor.env");
        Files.writeString(env, "UX_EVENT_SINK_API_KEY=\"" + server.apiKey() + "\"\n");
        Map<String, String> config = healthy();
        config.remove("UX_EVENT_SINK_API_KEY");

        Cli.Result result = doctor(config, "--env-file", env.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("UX_EVENT_SINK_API_KEY +\\*\\*\\*\\* +\\.env \\(" + dir + ".*doctor\\.env\\)")
                .containsPattern("UX_EVENT_SINK_TYPE +openobserve +explicit configuration");
    }

    @Test
    void malformedEnvFileIsAProblem(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "UX_EVENT_SINK_TYPE mock\n");

        Cli.Result result = doctor(healthy(), "--env-file", env.toString());

        assertThat(result.exitCode()).isEqualTo(Main.FAILED);
        assertThat(result.out()).contains("PROBLEM: cannot read the configuration: Malformed .env file");
    }

    @Test
    void unknownChannelIsAUsageError() {
        Cli.Result result = doctor(healthy(), "--channel", "BOTH");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("--channel", "BOTH");
    }

    @Nested
    class ValuesShownSafely {

        @Test
        void urlWithCredentialsAndAnApiPathIsHintedWithoutThem() {
            Map<String, String> config = healthy();
            config.put("UX_EVENT_SINK_URL", "http://admin:s3cr3t@" + server.url().substring(7) + "/api/default");

            Cli.Result result = doctor(config, "--channel", "UX", "--verbose");

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            assertThat(result.out())
                    .containsPattern("\\n    UX_EVENT_SINK_URL +http://\\*\\*\\*\\*@127\\.0\\.0\\.1:\\d+/api/default"
                            + " +explicit configuration\\R")
                    .contains(lines(
                            "  verdict: 1 PROBLEM",
                            "    - UX_EVENT_SINK_URL must not contain credentials; put them in UX_EVENT_SINK_API_KEY",
                            "    hint: take the credentials out of UX_EVENT_SINK_URL and put them in "
                                    + "UX_EVENT_SINK_API_KEY as email:passcode"));
            assertThat(result.everything()).doesNotContain("s3cr3t");
        }

        @Test
        void passwordWithASlashIsMaskedInTheTableTheProblemAndTheHint() {
            Map<String, String> config = healthy();
            String hostAndPort = server.url().substring(7);
            config.put("UX_EVENT_SINK_URL", "http://admin:pa/ss@" + hostAndPort);

            Cli.Result result = doctor(config, "--channel", "UX", "--verbose");

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            assertThat(result.out())
                    .containsPattern("\\n    UX_EVENT_SINK_URL +http://\\*\\*\\*\\*@127\\.0\\.0\\.1:\\d+ +explicit "
                            + "configuration\\R")
                    .contains(lines(
                            "  verdict: 1 PROBLEM",
                            "    - UX_EVENT_SINK_URL='http://****@" + hostAndPort + "' is not an http(s) URL with a host;"
                                    + " allowed: http:// or https:// base URL such as http://localhost:5080",
                            "    hint: take the credentials out of UX_EVENT_SINK_URL and put them in "
                                    + "UX_EVENT_SINK_API_KEY as email:passcode"));
            assertThat(result.everything()).doesNotContain("pa/ss");
        }

        @Test
        void urlCredentialsOnAMalformedEnvLineAreMasked(@TempDir Path dir) throws Exception {
            Path env = dir.resolve("bad.env");
            Files.writeString(env, "UX_EVENT_SINK_URL http://admin:pa/ss@localhost:5080\n");

            Cli.Result result = doctor(healthy(), "--env-file", env.toString());

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            assertThat(result.out()).isEqualTo(lines(
                    "PROBLEM: cannot read the configuration: Malformed .env file " + env.toAbsolutePath() + " line 1: "
                            + "'UX_EVENT_SINK_URL http://****@localhost:5080' is not KEY=VALUE (expected KEY=VALUE, "
                            + "a # comment or a blank line)",
                    "  hint: each line of a .env file is KEY=VALUE, a # comment or blank; quote values that contain # "
                            + "or spaces, e.g. UX_EVENT_SINK_API_KEY=\"root@example.com:Complexpass#123\""));
            assertThat(result.everything()).doesNotContain("pa/ss");
        }

        @Test
        void controlCharactersInAValueAreEscapedInTheTableTheProblemAndTheHint() {
            Map<String, String> config = healthy();
            config.put("UX_EVENT_SINK_TYPE", "nope\r\nResult: fine\u001b[2J\u202e");

            Cli.Result result = doctor(config, "--channel", "UX");

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            String shown = "nope\\r\\nResult: fine\\u001B[2J\\u202E";
            String lowercased = "nope\\r\\nresult: fine\\u001B[2j\\u202E"; // as the SDK matches types
            assertThat(result.out())
                    .containsPattern("\\n    UX_EVENT_SINK_TYPE +" + java.util.regex.Pattern.quote(shown)
                            + " +explicit configuration\\R")
                    .contains(lines(
                            "  verdict: 1 PROBLEM",
                            "    - Unknown event sink type '" + lowercased + "' in UX_EVENT_SINK_TYPE. Available: kafka, mock, "
                                    + "openobserve. Check the spelling, or add the jar that provides the type to the class path",
                            "    hint: '" + shown + "' is not a sink type on the class path. Available: kafka, mock, "
                                    + "openobserve"))
                    .doesNotContain("\u001b", "\r", "\u202e");
            assertThat(result.out().lines()).noneMatch(line -> line.startsWith("Result"));
        }

        @Test
        void longValueIsCutWithItsLength() {
            Map<String, String> config = healthy();
            config.put("UX_EVENT_SINK_TYPE", "x".repeat(100_000));

            Cli.Result result = doctor(config, "--channel", "UX");

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            // The SDK quotes at most 200 characters of a value in its messages.
            String message = "Unknown event sink type '" + "x".repeat(200) + "…(100000 characters)' in"
                    + " UX_EVENT_SINK_TYPE. Available: kafka, mock, openobserve. Check the spelling, or add the jar that provides the type to the class path";
            assertThat(result.out())
                    .containsPattern("\\n    UX_EVENT_SINK_TYPE +x{200}… \\(100,000 characters\\) +explicit "
                            + "configuration\\R")
                    .contains(lines(
                            "  verdict: 1 PROBLEM",
                            "    - " + message,
                            "    hint: '" + "x".repeat(200) + "…' (100,000 characters) is not a sink type on the "
                                    + "class path. Available: kafka, mock, openobserve"));
            assertThat(result.out().length()).isLessThan(3_000);
        }
    }

    @Test
    void closestTypeNeedsToBeNear() {
        assertThat(DoctorCommand.Hints.closest("openobserv", java.util.List.of("mock", "openobserve")))
                .isEqualTo("openobserve");
        assertThat(DoctorCommand.Hints.closest("mokc", java.util.List.of("mock", "openobserve"))).isEqualTo("mock");
        assertThat(DoctorCommand.Hints.closest("kafka", java.util.List.of("mock", "openobserve"))).isNull();
    }
}
