package dev.eventsink.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventsink.Channel;
import dev.eventsink.openobserve.OpenObserveAuth;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The doctor's live check of an OpenObserve channel whose configuration the sink accepted:
 * {@code GET {URL}/healthz} (no authentication), then {@code POST {URL}/api/{ORG}/{STREAM}/_json} with body
 * {@code []} and the configured credential, which OpenObserve answers 200 with 0 successful and 0 failed when
 * the credential is right. Writes nothing to the stream. What the server answers is shown escaped and cut
 * ({@link Printable}). Each answer must arrive whole within the timeout, and at most 64 KiB of it is read
 * ({@link BoundedBody}). For example a wrong password ends with the doctor's hint that the credentials were
 * refused.
 */
final class OpenObserveCheck {

    /** Reads OpenObserve's status JSON: 3 levels deep, counts of at most 20 digits, within the bounded body. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxNumberLength(32)
                    .maxStringLength(BoundedBody.MAX_BYTES)
                    .maxNameLength(BoundedBody.MAX_BYTES)
                    .build())
            .build()).build();

    private final Channel channel;
    private final SinkConfig config;
    private final Duration timeout;
    private final PrintStream out;

    OpenObserveCheck(Channel channel, SinkConfig config, Duration timeout, PrintStream out) {
        this.channel = channel;
        this.config = config;
        this.timeout = timeout;
        this.out = out;
    }

    void run(DoctorCommand.Findings findings) {
        String base = config.get("URL").orElseThrow();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String org = config.get("ORG").orElse("default");
        String stream = config.get("STREAM").orElse(channel == Channel.UX ? "ux_events" : "simulation_events");
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();

        String health = base + "/healthz";
        HttpResponse<String> response;
        try {
            response = BoundedBody.send(client, HttpRequest.newBuilder(URI.create(health)).timeout(timeout).GET()
                    .build(), timeout);
        } catch (IOException e) {
            out.println("  live check: GET " + Printable.value(health) + " failed: " + Printable.message(describe(e)));
            findings.problem("cannot reach OpenObserve at " + base + ": " + describe(e), unreachableHint(base, e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            findings.problem("interrupted during the live check", null);
            return;
        }
        out.println("  live check: GET " + Printable.value(health) + " -> " + response.statusCode() + " "
                + Printable.fit(response.body().trim(), 80));
        if (response.statusCode() != 200) {
            findings.problem("GET " + health + " answered " + response.statusCode() + ", not 200",
                    "OpenObserve answers /healthz with 200 and no authentication: is " + config.key("URL")
                            + " the base URL of an OpenObserve server (e.g. http://localhost:5080)?");
        }

        String ingest = base + "/api/" + segment(org) + "/" + segment(stream) + "/_json";
        try {
            response = BoundedBody.send(client, HttpRequest.newBuilder(URI.create(ingest)).timeout(timeout)
                            .header("Authorization", OpenObserveAuth.basicAuthorization(config.get("API_KEY").orElseThrow())
                                    .orElseThrow())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                    timeout);
        } catch (IOException e) {
            out.println("  live check: POST [] to " + Printable.value(ingest) + " failed: "
                    + Printable.message(describe(e)));
            findings.problem("POST to " + ingest + " failed: " + describe(e), unreachableHint(base, e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            findings.problem("interrupted during the live check", null);
            return;
        }
        int status = response.statusCode();
        String body = Printable.fit(response.body().trim(), 200);
        out.println("  live check: POST [] to " + Printable.value(ingest) + " (authenticated) -> " + status + " "
                + body);
        switch (status) {
            case 200 -> checkEmptyStatus(response.body(), findings);
            case 401 -> findings.problem("OpenObserve answered 401 " + body + ": it rejected the credential in "
                    + config.key("API_KEY"), "OpenObserve did not accept " + config.key("API_KEY") + ": check the "
                    + "email and the passcode (OpenObserve's Ingestion page shows both; a changed password or a "
                    + "different user's passcode gives 401). The form is email:passcode or its base64; Bearer "
                    + "tokens are not accepted");
            case 403 -> findings.problem("OpenObserve answered 403 " + body, "the user of " + config.key("API_KEY")
                    + " may not ingest into organization " + Printable.quote(org) + ": check " + config.key("ORG")
                    + " and the user's role");
            case 404, 405 -> findings.problem("POST " + ingest + " answered " + status,
                    "the URL does not lead to OpenObserve's ingestion API: " + config.key("URL")
                            + " must be the server's base URL (e.g. http://localhost:5080), and "
                            + config.key("ORG") + " an existing organization");
            default -> findings.problem("POST " + ingest + " answered " + status + " " + body,
                    status >= 500 ? "OpenObserve is up but failing (" + status + "); check its logs" : null);
        }
    }

    private void checkEmptyStatus(String body, DoctorCommand.Findings findings) {
        try {
            JsonNode root = JSON.readTree(body);
            long successful = 0;
            long failed = 0;
            for (JsonNode stream : root.path("status")) {
                successful += stream.path("successful").asLong();
                failed += stream.path("failed").asLong();
            }
            if (successful == 0 && failed == 0) {
                out.println("  live check: credentials accepted (0 successful, 0 failed, as expected for [])");
                return;
            }
            findings.problem("POST [] answered 200 with " + successful + " successful and " + failed
                    + " failed records, where OpenObserve answers 0/0", "is this an OpenObserve server?");
        } catch (IOException | RuntimeException e) {
            findings.problem("POST [] answered 200 with a body that is not OpenObserve's status JSON: "
                    + Printable.fit(body, 200), "is " + config.key("URL") + " an OpenObserve server?");
        }
    }

    private String unreachableHint(String base, IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return "nothing answered at " + base + " within " + Durations.compact(timeout) + ": check the host and "
                    + "port in " + config.key("URL") + ", and any firewall or proxy in between";
        }
        return "nothing answers at " + base + ": is OpenObserve running, and are the host and port in "
                + config.key("URL") + " right? For local development, run: eventsink serve-openobserve";
    }

    private static String describe(IOException e) {
        Throwable cause = e;
        if (e instanceof ConnectException && e.getMessage() == null && e.getCause() != null) {
            cause = e.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
