package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServeOpenObserveCommandTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void servesUntilStoppedPrintingTheUrlAndEnvLines() throws Exception {
        Cli.TestStopSignal stop = new Cli.TestStopSignal();
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Cli cli = Cli.unconfigured().stopSignal(stop);
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> cli.run("serve-openobserve",
                "--port", String.valueOf(port), "--user", "dev@example.com", "--password", "pw#1"));
        assertThat(stop.awaitWaiting(Duration.ofSeconds(10))).isTrue();
        HttpResponse<String> health = get(url + "/healthz");

        stop.request();
        Cli.Result result = run.get(10, TimeUnit.SECONDS);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains(
                "OpenObserve-compatible server listening on " + url + " (user dev@example.com)",
                "UX_EVENT_SINK_TYPE=openobserve", "UX_EVENT_SINK_URL=" + url,
                "UX_EVENT_SINK_API_KEY=\"dev@example.com:pw#1\"",
                "SIM_EVENT_SINK_TYPE=openobserve", "SIM_EVENT_SINK_URL=" + url,
                "SIM_EVENT_SINK_API_KEY=\"dev@example.com:pw#1\"",
                "Press Ctrl-C to stop.", "Stopped. Accepted 0 records.");
        assertThat(stop.stopped.getCount()).as("the command said it had stopped").isZero();
        assertThatThrownBy(() -> get(url + "/healthz")).as("the server is closed").isInstanceOf(IOException.class);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A loopback port that was free a moment ago. */
    private static int freePort() {
        try (OpenObserveServer probe = OpenObserveServer.start()) {
            return probe.port();
        }
    }

    @Test
    void acceptsEventsWhileRunning() throws Exception {
        Cli.TestStopSignal stop = new Cli.TestStopSignal();
        int port = freePort();
        Cli cli = Cli.unconfigured().stopSignal(stop);
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(
                () -> cli.run("serve-openobserve", "--port", String.valueOf(port)));
        assertThat(stop.awaitWaiting(Duration.ofSeconds(10))).isTrue();
        String url = "http://127.0.0.1:" + port;

        HttpResponse<String> health = get(url + "/healthz");
        Cli.Result sent = Cli.withConfig(Cli.openObserve(url, OpenObserveServer.DEFAULT_EMAIL + ":"
                + OpenObserveServer.DEFAULT_PASSWORD)).run("send", "action=click");
        stop.request();
        Cli.Result result = run.get(10, TimeUnit.SECONDS);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("listening on " + url + " (user root@example.com)",
                "Stopped. Accepted 1 records (default/ux_events 1).");
    }

    @Test
    void organizationNamesFromClientsAreEscapedInTheStopSummary() throws Exception {
        Cli.TestStopSignal stop = new Cli.TestStopSignal();
        int port = freePort();
        Cli cli = Cli.unconfigured().stopSignal(stop);
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(
                () -> cli.run("serve-openobserve", "--port", String.valueOf(port)));
        assertThat(stop.awaitWaiting(Duration.ofSeconds(10))).isTrue();
        String credential = java.util.Base64.getEncoder().encodeToString((OpenObserveServer.DEFAULT_EMAIL + ":"
                + OpenObserveServer.DEFAULT_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        HttpResponse<String> ingest = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/x%0AStopped.%20Accepted%20999%1B%5B2K/ux_events/_json"))
                .header("Authorization", "Basic " + credential).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]")).build(),
                HttpResponse.BodyHandlers.ofString());
        stop.request();
        Cli.Result result = run.get(10, TimeUnit.SECONDS);

        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
        assertThat(result.out()).endsWith("Stopped. Accepted 1 records "
                + "(x\\nStopped. Accepted 999\\u001B[2K/ux_events 1)." + System.lineSeparator());
    }

    @Test
    void userWithControlCharactersExitsTwo() {
        Cli.TestStopSignal stopAtOnce = new Cli.TestStopSignal(); // were the option accepted, the server stops
        stopAtOnce.request();
        Cli.Result result = Cli.unconfigured().stopSignal(stopAtOnce)
                .run("serve-openobserve", "--port", "0", "--user", "me@example.com\nX=1");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).startsWith("--user must be an email without ':' or control characters, was "
                + "'me@example.com\\nX=1'" + System.lineSeparator());
    }

    @Test
    void passwordWithControlCharactersExitsTwo() {
        Cli.TestStopSignal stopAtOnce = new Cli.TestStopSignal(); // were the option accepted, the server stops
        stopAtOnce.request();
        Cli.Result result = Cli.unconfigured().stopSignal(stopAtOnce)
                .run("serve-openobserve", "--port", "0", "--password", "pw\r\nX=1");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).startsWith("--password must not contain control characters" + System.lineSeparator())
                .doesNotContain("pw");
    }

    @Test
    void portInUseExitsOne() {
        try (OpenObserveServer busy = OpenObserveServer.start()) {
            Cli.Result result = Cli.unconfigured().run("serve-openobserve", "--port", String.valueOf(busy.port()));

            assertThat(result.exitCode()).isEqualTo(Main.FAILED);
            assertThat(result.err()).contains("Cannot listen on 127.0.0.1:" + busy.port(),
                    "Choose another port with --port");
        }
    }

    @Test
    void portOutOfRangeExitsTwo() {
        Cli.Result result = Cli.unconfigured().run("serve-openobserve", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("--port must be 0 to 65535, was 70000");
    }
}
