package dev.eventsink.openobserve.server;

import static dev.eventsink.openobserve.server.Http.okBody;
import static dev.eventsink.openobserve.server.Http.post;
import static dev.eventsink.openobserve.server.Http.request;
import static dev.eventsink.openobserve.server.Http.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenObserveServerTest {

    private OpenObserveServer server = OpenObserveServer.builder().clock(Http.FIXED).start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthzAnswersOkWithoutCredentials() {
        HttpResponse<String> response = send(request(server.url() + "/healthz").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void bindsToLoopbackAndReportsItsUrl() {
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(server.port()).isPositive();
        assertThat(server.ingestUrl("ux events")).isEqualTo(server.url() + "/api/default/ux%20events/_json");
        assertThat(server.apiKey()).isEqualTo("root@example.com:Complexpass#123");
        assertThat(server.basicAuthorization()).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("root@example.com:Complexpass#123".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() {
        assertThat(send(request(server.url() + "/api/default/s/_multi").POST(HttpRequest.BodyPublishers.ofString(
                "{}")).build()).statusCode()).isEqualTo(404);
        assertThat(send(request(server.url() + "/api/default//_json").POST(HttpRequest.BodyPublishers.ofString(
                "{}")).build()).statusCode()).isEqualTo(404);
        HttpResponse<String> get = send(request(server.ingestUrl("s")).GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send(request(server.url() + "/healthz").POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void missingAuthorizationIs401Json() {
        HttpResponse<String> response = send(request(server.ingestUrl("s"))
                .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]")).build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"code\":401,\"message\":\"Unauthorized Access\"}");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(server.recordCount("s")).isZero();
    }

    @Test
    void wrongCredentialsBearerAndMalformedHeadersAre401PlainText() {
        String wrongPassword = basic("root@example.com:nope");
        String wrongUser = basic("other@example.com:Complexpass#123");
        String noColon = basic("root@example.com");
        for (String header : List.of(wrongPassword, wrongUser, noColon, "Bearer " + server.password(),
                "Basic %%%not-base64", "Basic", "")) {
            HttpResponse<String> response = send(request(server.ingestUrl("s")).header("Authorization", header)
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]")).build());

            assertThat(response.statusCode()).as(header).isEqualTo(401);
            assertThat(response.body()).as(header).isEqualTo("Unauthorized Access");
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(header)
                    .hasValue("Bearer realm=\"openobserve\"");
        }
        assertThat(server.recordCount("s")).isZero();
    }

    @Test
    void customUserAndExtraSecretsAreAccepted() {
        server.close();
        server = OpenObserveServer.builder().user("dev@example.com", "pw").acceptedSecret("o2oi_token").start();

        for (String secret : List.of("pw", "o2oi_token")) {
            HttpResponse<String> response = send(request(server.ingestUrl("s"))
                    .header("Authorization", basic("dev@example.com:" + secret))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(send(request(server.ingestUrl("s")).header("Authorization", basic(OpenObserveServer.DEFAULT_EMAIL
                + ":" + OpenObserveServer.DEFAULT_PASSWORD)).POST(HttpRequest.BodyPublishers.ofString("{}")).build())
                .statusCode()).isEqualTo(401);
        assertThat(server.recordCount("s")).isEqualTo(2);
    }

    @Test
    void acceptsAnArrayAndStoresNormalisedRecords() {
        HttpResponse<String> response = post(server, "ux_events",
                "[{\"eventType\":\"click\",\"userId\":\"u1\",\"n\":1},{\"eventType\":\"view\",\"n\":2.5}]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(okBody("ux_events", 2, 0));
        long now = Http.micros(Http.NOW);
        // 1 and 2.5 in one batch make "n" a Float64 column, so 1 is stored as 1.0
        assertThat(server.records("ux_events")).containsExactly(
                Map.of("eventtype", "click", "userid", "u1", "n", 1.0, "_timestamp", now),
                Map.of("eventtype", "view", "n", 2.5, "_timestamp", now));
        assertThat(server.recordCount("ux_events")).isEqualTo(2);
        assertThat(server.streams()).containsExactly("ux_events");
        assertThat(server.schema("ux_events")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "eventtype", "Utf8", "userid", "Utf8", "n", "Float64", "_timestamp", "Int64"));
    }

    @Test
    void emptyArrayAnswers200WithZeroCounts() {
        HttpResponse<String> response = post(server, "s", "[]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":0,\"failed\":0}]}");
        assertThat(server.streams()).isEmpty();
    }

    @Test
    void acceptsASingleObject() {
        HttpResponse<String> response = post(server, "s", "{\"message\":\"hello\"}");

        assertThat(response.body()).isEqualTo(okBody("s", 1, 0));
        assertThat(server.records("s")).containsExactly(Map.of("message", "hello", "_timestamp", Http.micros(Http.NOW)));
    }

    @Test
    void nonObjectElementsFailOneByOne() {
        HttpResponse<String> response = post(server, "s", "[{\"a\":1},42,\"text\",null,[1],{\"a\":2}]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":2,\"failed\":4,"
                + "\"error\":\"flatten value must be an object\"}]}");
        assertThat(server.records("s")).extracting(r -> r.get("a")).containsExactly(1L, 2L);

        assertThat(post(server, "s", "7").body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\","
                + "\"successful\":0,\"failed\":1,\"error\":\"flatten value must be an object\"}]}");
    }

    @Test
    void invalidJsonIs400AndStoresNothing() {
        HttpResponse<String> response = post(server, "s", "[{\"a\":1},{\"a\":]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"code\":400,\"message\":\"SerdeJsonError# Unexpected character (']'")
                .endsWith(" at line 1 column 15\"}");
        assertThat(server.recordCount("s")).isZero();

        assertThat(post(server, "s", "").body())
                .isEqualTo("{\"code\":400,\"message\":\"SerdeJsonError# EOF while parsing a value at line 1 column 0\"}");
        assertThat(post(server, "s", "[{\"a\":1}] [{\"a\":2}]").statusCode()).isEqualTo(400);
        assertThat(post(server, "s", "{\"a\":1").statusCode()).isEqualTo(400);
        assertThat(post(server, "s", "[" + "[".repeat(126) + "]".repeat(126) + "]").statusCode()).isEqualTo(200);
        assertThat(post(server, "s", "[" + "[".repeat(127) + "]".repeat(127) + "]").statusCode()).isEqualTo(400);
        assertThat(server.recordCount("s")).isZero();
    }

    @Test
    void contentTypeIsNotChecked() {
        HttpResponse<String> response = send(request(server.ingestUrl("s"))
                .header("Authorization", server.basicAuthorization()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]")).build());

        assertThat(response.body()).isEqualTo(okBody("s", 1, 0));
    }

    @Test
    void streamNamesAreNormalisedAndOrgsKeptApart() {
        HttpResponse<String> response = send(request(server.ingestUrl("stream-name with spaces!"))
                .header("Authorization", server.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());

        assertThat(response.body()).isEqualTo(okBody("stream_name_with_spaces_", 1, 0));
        assertThat(server.streams()).containsExactly("stream_name_with_spaces_");
        assertThat(server.records("stream-name with spaces!")).hasSize(1);

        send(request(server.ingestUrl("team_a", "UX:Events")).header("Authorization", server.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":2}")).build());
        assertThat(server.orgs()).containsExactly("default", "team_a");
        assertThat(server.streams("team_a")).containsExactly("ux:events");
        assertThat(server.records("team_a", "ux:events")).extracting(r -> r.get("a")).containsExactly(2L);
        assertThat(server.records("ux:events")).isEmpty();
    }

    @Test
    void recordsTheRequestsItReceived() {
        long before = System.nanoTime();
        post(server, "Ux-Events", "[{\"a\":1},5]");
        send(request(server.url() + "/healthz").GET().build());
        send(request(server.ingestUrl("s")).POST(HttpRequest.BodyPublishers.ofString("[]")).build());

        List<ReceivedRequest> requests = server.requests();
        assertThat(requests).hasSize(3);
        ReceivedRequest first = requests.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/api/default/Ux-Events/_json");
        assertThat(first.org()).isEqualTo("default");
        assertThat(first.stream()).isEqualTo("ux_events");
        assertThat(first.isIngestion()).isTrue();
        assertThat(first.authorizationPresent()).isTrue();
        assertThat(first.contentEncoding()).isNull();
        assertThat(first.bodyBytes()).isEqualTo("[{\"a\":1},5]".length());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.dropped()).isFalse();
        assertThat(first.records()).isEqualTo(2);
        assertThat(first.successful()).isEqualTo(1);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.lost()).isZero();
        assertThat(first.fault()).isNull();
        assertThat(first.arrivalTime()).isEqualTo(Http.NOW);
        assertThat(first.arrivalNanos()).isGreaterThan(before);
        assertThat(first.toString()).doesNotContain(server.password())
                .doesNotContain(server.basicAuthorization().substring(6));

        assertThat(requests.get(1).path()).isEqualTo("/healthz");
        assertThat(requests.get(1).isIngestion()).isFalse();
        assertThat(requests.get(1).arrivalNanos()).isGreaterThan(first.arrivalNanos());
        assertThat(requests.get(2).authorizationPresent()).isFalse();
        assertThat(requests.get(2).status()).isEqualTo(401);
        assertThat(server.ingestRequests()).hasSize(2);
    }

    @Test
    void canCountWithoutKeepingOrKeepOnlyTheFirstRecords() {
        server.close();
        server = OpenObserveServer.builder().retainRecords(false).start();
        post(server, "s", "[{\"a\":1},{\"a\":2}]");
        assertThat(server.records("s")).isEmpty();
        assertThat(server.recordCount("s")).isEqualTo(2);

        server.close();
        server = OpenObserveServer.builder().maxRetainedRecordsPerStream(1).start();
        post(server, "s", "[{\"a\":1},{\"a\":2}]");
        assertThat(server.records("s")).extracting(r -> r.get("a")).containsExactly(1L);
        assertThat(server.recordCount("s")).isEqualTo(2);
    }

    @Test
    void clearForgetsRecordsSchemasAndRequests() {
        post(server, "s", "{\"a\":1}");
        server.clear();

        assertThat(server.records("s")).isEmpty();
        assertThat(server.recordCount("s")).isZero();
        assertThat(server.streams()).isEmpty();
        assertThat(server.requests()).isEmpty();
        // the schema is forgotten too: "a" may now be a string
        assertThat(post(server, "s", "{\"a\":\"x\"}").body()).isEqualTo(okBody("s", 1, 0));
    }

    @Test
    void awaitsRecordsAndRequests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                futures.add(pool.submit(() -> post(server, "s", "[{\"i\":" + n + "},{\"i\":" + n + "}]")));
            }
            assertThat(server.awaitRecordCount("s", 16, Duration.ofSeconds(5))).isTrue();
            assertThat(server.awaitRequests(8, Duration.ofSeconds(5))).isTrue();
            for (Future<HttpResponse<String>> f : futures) {
                assertThat(f.get().body()).isEqualTo(okBody("s", 2, 0));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.records("s")).hasSize(16);
        assertThat(server.awaitRecordCount("s", 17, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void closeStopsListeningAndEndsItsThreads() throws Exception {
        post(server, "s", "{\"a\":1}");
        Set<Thread> serverThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("openobserve-server-")).collect(Collectors.toSet());
        assertThat(serverThreads).isNotEmpty();

        server.close();
        server.close(); // idempotent

        for (Thread t : serverThreads) {
            t.join(2000);
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
        assertThatThrownBy(() -> Http.CLIENT.send(request(server.url() + "/healthz").GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        assertThat(server.records("s")).hasSize(1); // still readable
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
