package dev.eventsink.openobserve.server;

import static dev.eventsink.openobserve.server.Http.request;
import static dev.eventsink.openobserve.server.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a careless or hostile client cannot do to the server: exhaust its memory, its threads or its time. */
class HostileClientsTest {

    private static final long DECLARED = 200L * 1024 * 1024;

    private OpenObserveServer server = OpenObserveServer.builder().start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Nested
    class DecompressionBombs {

        @Test
        void aGzipBombIsRefusedWith413() {
            byte[] bomb = gzipOfZeros(1_200_000_000L);
            assertThat(bomb.length).isLessThan(2_000_000);

            HttpResponse<String> response = send(request(server.ingestUrl("s"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", server.basicAuthorization()).header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build());

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).isEqualTo("{\"code\":413,\"message\":\"Payload Too Large: the decompressed"
                    + " request body is larger than the limit of 209715200 bytes\"}");
            assertThat(server.recordCount("s")).isZero();
            assertThat(server.requests().get(0).status()).isEqualTo(413);
            assertThat(server.requests().get(0).bodyBytes()).isEqualTo(bomb.length);
        }

        @Test
        void aDeflateBombIsRefusedWith413AtTheConfiguredLimit() {
            server.close();
            server = OpenObserveServer.builder().decodedLimitBytes(1024 * 1024).start();
            byte[] bomb = Http.deflate("0".repeat(8 * 1024 * 1024), false);

            HttpResponse<String> response = post(bomb, "deflate");

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).isEqualTo("{\"code\":413,\"message\":\"Payload Too Large: the decompressed"
                    + " request body is larger than the limit of 1048576 bytes\"}");
        }

        @Test
        void aBodyThatDecodesToExactlyTheLimitIsAccepted() {
            String json = "[{\"a\":1}]";
            server.close();
            server = OpenObserveServer.builder().decodedLimitBytes(json.length()).start();

            assertThat(post(Http.gzip(json), "gzip").body()).isEqualTo(Http.okBody("s", 1, 0));
            assertThat(post(Http.gzip(json + " "), "gzip").statusCode()).isEqualTo(413);
        }

        @Test
        void invalidJsonFollowedByABombIsRefusedWith413AsOpenObserveDecodesFirst() {
            server.close();
            server = OpenObserveServer.builder().decodedLimitBytes(1024 * 1024).start();
            byte[] bomb = Http.gzip("[{]" + " ".repeat(2 * 1024 * 1024));

            assertThat(post(bomb, "gzip").statusCode()).isEqualTo(413);
        }

        private HttpResponse<String> post(byte[] body, String encoding) {
            return send(request(server.ingestUrl("s")).header("Authorization", server.basicAuthorization())
                    .header("Content-Encoding", encoding).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        }
    }

    @Nested
    class UnauthenticatedBodies {

        @Test
        void aRequestWithoutCredentialsIsAnswered401BeforeItsBodyIsSent() throws IOException {
            try (RawClient client = new RawClient(server, Duration.ofSeconds(10))) {
                client.send(RawClient.postHead("s") + "Content-Length: " + DECLARED + "\r\n\r\n");

                RawClient.Response response = client.readResponse();

                assertThat(response.status()).isEqualTo(401);
                assertThat(response.body()).isEqualTo("{\"code\":401,\"message\":\"Unauthorized Access\"}");
            }
            ReceivedRequest logged = server.requests().get(0);
            assertThat(logged.status()).isEqualTo(401);
            assertThat(logged.bodyBytes()).isZero();
        }

        @Test
        void aClientStillSendingALargeBodyWithWrongCredentialsIsAnswered401WithoutItBeingRead() throws Exception {
            AtomicLong sent = new AtomicLong();
            try (RawClient client = new RawClient(server, Duration.ofSeconds(10))) {
                client.send(RawClient.postHead("s") + "Authorization: " + basic("root@example.com:wrong") + "\r\n"
                        + "Content-Length: " + DECLARED + "\r\n\r\n");
                Thread writer = new Thread(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) ' ');
                    try {
                        while (sent.get() + chunk.length <= DECLARED) {
                            client.send(chunk);
                            sent.addAndGet(chunk.length);
                        }
                    } catch (IOException e) {
                        // the server closed the connection: the rest is never sent
                    }
                }, "hostile-writer");
                writer.setDaemon(true);
                writer.start();

                RawClient.Response response = client.readResponse();
                long sentWhenAnswered = sent.get();

                assertThat(response.status()).isEqualTo(401);
                assertThat(response.body()).isEqualTo("Unauthorized Access");
                assertThat(sentWhenAnswered).isLessThan(DECLARED);
            }
            ReceivedRequest logged = server.requests().get(0);
            assertThat(logged.status()).isEqualTo(401);
            assertThat(logged.bodyBytes()).isZero();
        }
    }

    @Nested
    class SlowClients {

        private final List<RawClient> stalled = new ArrayList<>();

        @AfterEach
        void hangUp() throws IOException {
            for (RawClient client : stalled) {
                client.close();
            }
        }

        @Test
        void requestsStalledInTheirHeadersDoNotKeepHealthzWaiting() throws IOException {
            for (int i = 0; i < 8; i++) {
                stalled.add(new RawClient(server, Duration.ofSeconds(10)).send(RawClient.postHead("s")));
            }

            HttpResponse<String> health = send(request(server.url() + "/healthz").GET().build());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        }

        @Test
        void healthzAnswersWhileEveryIngestionThreadIsBusy() {
            server.close();
            server = OpenObserveServer.builder().threads(2).start();
            server.faults().next(2, Fault.delay(Duration.ofMinutes(1)));
            for (int i = 0; i < 2; i++) {
                Http.CLIENT.sendAsync(request(server.ingestUrl("s")).timeout(Duration.ofMinutes(2))
                        .header("Authorization", server.basicAuthorization())
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            awaitTrue(() -> server.faults().pending() == 0, Duration.ofSeconds(5));

            HttpResponse<String> health = send(request(server.url() + "/healthz").GET().build());

            assertThat(health.statusCode()).isEqualTo(200);
        }

        @Test
        void aClientThatStopsInItsHeadersIsDisconnected() throws IOException {
            server.close();
            server = OpenObserveServer.builder().requestTimeout(Duration.ofMillis(300)).start();
            RawClient client = new RawClient(server, Duration.ofSeconds(10));
            stalled.add(client);
            client.send(RawClient.postHead("s") + "Authorization: " + server.basicAuthorization() + "\r\n");

            assertThat(client.awaitClosedByServer()).isTrue();
            assertThat(server.requests()).isEmpty(); // its headers never arrived: not a request yet
            assertThat(Http.post(server, "s", "{}").body()).isEqualTo(Http.okBody("s", 1, 0));
        }

        @Test
        void aClientThatStopsInItsBodyIsDisconnectedAndItsRequestLoggedAsDropped() throws Exception {
            server.close();
            server = OpenObserveServer.builder().threads(1).requestTimeout(Duration.ofMillis(300)).start();
            RawClient client = new RawClient(server, Duration.ofSeconds(10));
            stalled.add(client);
            client.send(RawClient.postHead("s") + "Authorization: " + server.basicAuthorization() + "\r\n"
                    + "Content-Length: 100\r\n\r\n[{\"a\":");

            assertThat(client.awaitClosedByServer()).isTrue();
            assertThat(server.awaitRequests(1, Duration.ofSeconds(5))).isTrue();
            ReceivedRequest dropped = server.requests().get(0);
            assertThat(dropped.dropped()).isTrue();
            assertThat(dropped.bodyBytes()).isEqualTo(6);
            // its ingestion slot (the only one) is free again
            assertThat(Http.post(server, "s", "{}").body()).isEqualTo(Http.okBody("s", 1, 0));
        }

        @Test
        void aRequestSentInPiecesIsServed() throws IOException {
            server.close();
            server = OpenObserveServer.builder().requestTimeout(Duration.ofSeconds(5)).start();
            try (RawClient client = new RawClient(server, Duration.ofSeconds(10))) {
                client.send(RawClient.postHead("s") + "Authorization: " + server.basicAuthorization() + "\r\n");
                client.send("Content-Length: 7\r\n\r\n");
                client.send("{\"a\":1}");

                RawClient.Response response = client.readResponse();

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(Http.okBody("s", 1, 0));
            }
        }
    }

    /** Gzip members of zeros, concatenated: a gzip decoder reads them as one stream of {@code total} zeros. */
    static byte[] gzipOfZeros(long total) {
        int memberSize = 16 * 1024 * 1024;
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(member)) {
            out.write(new byte[memberSize]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] one = member.toByteArray();
        int members = (int) ((total + memberSize - 1) / memberSize);
        byte[] bomb = new byte[one.length * members];
        for (int i = 0; i < members; i++) {
            System.arraycopy(one, 0, bomb, i * one.length, one.length);
        }
        return bomb;
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + timeout);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
