package dev.eventsink.openobserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.eventsink.Fuzz;
import dev.eventsink.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the compatible server's request handling over sockets to 127.0.0.1: random and mutated methods, paths,
 * credentials, encodings, lengths and bodies, and whole requests mutated byte by byte. Whatever arrives, the server
 * answers within its client deadline with one of its documented statuses (never 500), or closes a connection whose
 * request was not well-formed HTTP; {@code /healthz} keeps answering; nothing is logged at ERROR.
 *
 * <p>The default suite runs a short run; the long run ({@value Fuzz#LONG_RUN_CASES} cases) is tagged {@code long}.
 */
class RequestFuzzTest {

    private static final Duration PER_CASE = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** What the server answers: ingestion's statuses, and the JDK server's own for malformed HTTP. */
    private static final Set<Integer> DOCUMENTED = Set.of(200, 400, 401, 404, 405, 413, 415, 411, 501, 505);
    private static final List<byte[]> BODIES = List.of(
            bytes("[{\"eventType\":\"click\",\"page\":\"/checkout\",\"n\":1}]"),
            bytes("[{\"_timestamp\":1709294400000000,\"event_id\":\"0b6c\",\"payload\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}},"
                    + "\"tags\":[\"a\",\"b\"],\"n\":null,\"x\":1.5e300,\"big\":18446744073709551616}]"),
            bytes("{\"single\":true,\"@odd key\":\"v\",\"Upper\":\"\\u00e9\\ud83d\\ude00\"}"),
            bytes("[{\"_timestamp\":\"2024-03-01T11:00:00Z\",\"k\":1},{\"_timestamp\":\"1990-01-01T00:00:00Z\"},"
                    + "{\"_timestamp\":-5},{\"_timestamp\":\"not a time\"},1,\"s\",[]]"),
            bytes("[]"));

    @Test
    void shortRun() throws Exception {
        fuzz(Fuzz.cases(300));
    }

    @Test
    @Tag("long")
    void longRun() throws Exception {
        fuzz(Fuzz.cases(Fuzz.LONG_RUN_CASES));
    }

    private static void fuzz(int cases) throws Exception {
        try (LogCapture log = LogCapture.capture(Level.WARN, "dev.eventsink.openobserve.server");
                OpenObserveServer server = OpenObserveServer.builder().clock(Http.FIXED)
                        .requestTimeout(Duration.ofMillis(200)).payloadLimitBytes(256 * 1024)
                        .decodedLimitBytes(1024 * 1024).maxLoggedRequests(10).maxRetainedRecordsPerStream(10)
                        .start()) {
            Fuzz.run("OpenObserve server requests", cases, PER_CASE, (random, index) -> {
                fuzzCase(server, random);
                if (index % 50 == 0) {
                    assertHealthy(server);
                }
            });
            assertHealthy(server);
            assertThat(log.lines(Level.ERROR)).as("errors logged").isEmpty();
        }
    }

    private static void fuzzCase(OpenObserveServer server, Random random) throws IOException {
        Request request = request(server, random);
        if (request.bytes.length == 0) {
            // Nothing sent, nothing to answer: the JDK server holds such a connection without a thread (it reads a
            // request only once bytes arrive), outside the client deadline.
            return;
        }
        String answer = exchange(server, request.bytes);
        if (answer == null) {
            if (request.wellFormed) {
                throw new AssertionError("no answer to a well-formed request " + Fuzz.describe(request.bytes));
            }
            return;
        }
        int status = status(answer);
        if (!DOCUMENTED.contains(status)) {
            throw new AssertionError("status " + status + " for " + Fuzz.describe(request.bytes) + ": "
                    + Fuzz.describe(answer));
        }
    }

    /** Sends the bytes and reads the whole answer; {@code null} when the server closed without one. */
    private static String exchange(OpenObserveServer server, byte[] request) throws IOException {
        try (RawClient client = new RawClient(server, READ_TIMEOUT)) {
            try {
                client.send(request);
            } catch (SocketException closedWhileSending) {
                // the server may answer (a 401 or 413) and close before the whole body is sent
            }
            try {
                RawClient.Response response = client.readResponse();
                return "HTTP " + response.status() + " " + response.body();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer nor close within " + READ_TIMEOUT + " to "
                        + Fuzz.describe(request));
            } catch (IOException | RuntimeException closed) {
                return null;
            }
        }
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(5, answer.indexOf(' ', 5)));
    }

    private static void assertHealthy(OpenObserveServer server) throws IOException {
        String answer = exchange(server, bytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        assertThat(answer).isEqualTo("HTTP 200 {\"status\":\"ok\"}");
    }

    private record Request(byte[] bytes, boolean wellFormed) {}

    private static Request request(OpenObserveServer server, Random random) throws IOException {
        String method = random.nextInt(10) > 0 ? "POST" : Fuzz.pick(random, List.of("GET", "PUT", "DELETE", "OPTIONS"));
        String path = path(random);
        byte[] body = body(random);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        switch (random.nextInt(8)) {
            case 0 -> { } // no credential
            case 1 -> head.append("Authorization: Bearer abc\r\n");
            case 2 -> head.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                    Fuzz.randomBytes(random, 30))).append("\r\n");
            case 3 -> head.append("Authorization: Basic %%%\r\n");
            default -> head.append("Authorization: ").append(server.basicAuthorization()).append("\r\n");
        }
        switch (random.nextInt(8)) {
            case 0 -> {
                head.append("Content-Encoding: gzip\r\n");
                body = random.nextBoolean() ? gzip(body) : Fuzz.mutate(random, gzip(body));
            }
            case 1 -> head.append("Content-Encoding: deflate\r\n");
            case 2 -> head.append("Content-Encoding: ").append(Fuzz.pick(random, List.of("br", "x-gzip, gzip",
                    "identity", "compress", ""))).append("\r\n");
            default -> { }
        }
        boolean wellFormed = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int framing = random.nextInt(50);
        if (framing == 0) { // chunked
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(bytes(head.toString()));
            out.write(bytes(Integer.toHexString(body.length) + "\r\n"));
            out.write(body);
            out.write(bytes("\r\n0\r\n\r\n"));
        } else if (framing == 1) { // a Content-Length that is not the body's
            head.append("Content-Length: ").append(Fuzz.pick(random, List.of("-1", "abc", "99999999999999999999",
                    String.valueOf(body.length + 1 + random.nextInt(100))))).append("\r\n\r\n");
            out.write(bytes(head.toString()));
            out.write(body);
            wellFormed = false;
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(bytes(head.toString()));
            out.write(body);
        }
        byte[] whole = out.toByteArray();
        if (random.nextInt(12) == 0) { // the whole request mutated: no longer surely HTTP
            return new Request(Fuzz.mutate(random, whole), false);
        }
        // the JDK's server closes the connection, without an answer, on a request URI that is not a valid URI
        return new Request(whole, wellFormed && !path.contains("%zz"));
    }

    private static String path(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "/healthz";
            case 1 -> "/api/default/" + segment(random) + "/_json?x=" + segment(random);
            case 2 -> "/" + segment(random) + "/" + segment(random);
            case 3 -> "/api/%zz/%E2%82/_json";
            case 4 -> "/api//s/_json";
            default -> "/api/" + segment(random) + "/" + segment(random) + "/_json";
        };
    }

    private static String segment(Random random) {
        String text = Fuzz.randomString(random);
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.length() == 0 ? "s" : out.toString();
    }

    private static byte[] body(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Fuzz.randomBytes(random, 300);
            case 1 -> bytes(Fuzz.randomJson(random, 6));
            case 2 -> bytes("[" + Fuzz.randomJson(random, 5) + "," + Fuzz.randomJson(random, 5) + "]");
            default -> Fuzz.mutate(random, Fuzz.pick(random, BODIES));
        };
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
