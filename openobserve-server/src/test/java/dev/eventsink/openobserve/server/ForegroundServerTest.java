package dev.eventsink.openobserve.server;

import static dev.eventsink.openobserve.server.Http.request;
import static dev.eventsink.openobserve.server.Http.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The server run in the foreground: {@link ForegroundServer} and its command line, {@link OpenObserveServerMain}. */
class ForegroundServerTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheEnvLinesCountsWithoutKeepingAndSumsUpWhenStopped() {
        String url;
        try (ForegroundServer running = ForegroundServer.start(0, "me@example.com", "p#1", out)) {
            OpenObserveServer server = running.server();
            url = server.url();
            assertThat(printed()).isEqualTo("OpenObserve-compatible server listening on " + url
                    + " (user me@example.com)\n"
                    + "\n"
                    + "# .env lines that point both channels at it:\n"
                    + "UX_EVENT_SINK_TYPE=openobserve\n"
                    + "UX_EVENT_SINK_URL=" + url + "\n"
                    + "UX_EVENT_SINK_API_KEY=\"me@example.com:p#1\"\n"
                    + "SIM_EVENT_SINK_TYPE=openobserve\n"
                    + "SIM_EVENT_SINK_URL=" + url + "\n"
                    + "SIM_EVENT_SINK_API_KEY=\"me@example.com:p#1\"\n"
                    + "\n"
                    + "Press Ctrl-C to stop.\n");
            for (String stream : new String[] {"ux_events", "ux_events", "simulation_events"}) {
                HttpResponse<String> response = send(request(server.ingestUrl(stream))
                        .header("Authorization", basic("me@example.com:p#1"))
                        .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1},{\"a\":2}]")).build());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(server.recordCount("ux_events")).isEqualTo(4);
            assertThat(server.records("ux_events")).isEmpty(); // counts only: it may run for long
        }
        assertThat(printed()).endsWith("Press Ctrl-C to stop.\n"
                + "Stopped. Accepted 6 records (default/simulation_events 2, default/ux_events 4).\n");
    }

    @Test
    void closingTwiceSumsUpOnce() {
        ForegroundServer running = ForegroundServer.start(0, OpenObserveServer.DEFAULT_EMAIL,
                OpenObserveServer.DEFAULT_PASSWORD, out);
        running.close();
        running.close();

        assertThat(printed()).endsWith("Press Ctrl-C to stop.\nStopped. Accepted 0 records.\n");
    }

    @Test
    void refusesAPortOutOfRangeAndAUserThatIsNotAnEmail() {
        assertThatThrownBy(() -> ForegroundServer.start(70_000, "a@b", "p", out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--port must be 0 to 65535, was 70000");
        assertThatThrownBy(() -> ForegroundServer.start(0, "a:b", "p", out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--user must be an email without ':', was 'a:b'");
        assertThatThrownBy(() -> ForegroundServer.start(0, "", "p", out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--user must be an email without ':', was ''");
        assertThat(printed()).isEmpty();
    }

    @Test
    void aPortInUseSaysWhatToDo() {
        try (OpenObserveServer busy = OpenObserveServer.start()) {
            assertThatThrownBy(() -> ForegroundServer.start(busy.port(), "a@b", "p", out))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + busy.port() + ": ")
                    .hasMessageEndingWith(". Is another server running there? Choose another port with --port (0"
                            + " picks a free one).");
        }
    }

    @Test
    void theMainEntryPointParsesItsArguments() {
        try (ForegroundServer running = OpenObserveServerMain.start(
                new String[] {"--port", "0", "--user", "me@example.com", "--password", "p#1"}, out)) {
            assertThat(running.server().email()).isEqualTo("me@example.com");
            assertThat(running.server().password()).isEqualTo("p#1");
            assertThat(printed()).contains("UX_EVENT_SINK_API_KEY=\"me@example.com:p#1\"\n");
        }
        assertThatThrownBy(() -> OpenObserveServerMain.start(new String[] {"--port"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--port needs a value");
        assertThatThrownBy(() -> OpenObserveServerMain.start(new String[] {"--port", "x"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--port must be a number, was 'x'");
        assertThatThrownBy(() -> OpenObserveServerMain.start(new String[] {"--bogus"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Unknown argument: --bogus");
        bytes.reset();
        assertThat(OpenObserveServerMain.start(new String[] {"--help"}, out)).isNull();
        assertThat(printed()).startsWith("Usage: OpenObserveServerMain [--port 5080] [--user EMAIL] [--password"
                + " PASSWORD]\n");
    }

    @Test
    void envValuesAreQuotedSoThatAHashIsNotAComment() {
        assertThat(ForegroundServer.dotenvQuote("a#b")).isEqualTo("\"a#b\"");
        assertThat(ForegroundServer.dotenvQuote("a\"b#c")).isEqualTo("'a\"b#c'");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
