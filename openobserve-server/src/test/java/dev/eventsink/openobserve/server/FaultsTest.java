package dev.eventsink.openobserve.server;

import static dev.eventsink.openobserve.server.Http.okBody;
import static dev.eventsink.openobserve.server.Http.post;
import static dev.eventsink.openobserve.server.Http.request;
import static dev.eventsink.openobserve.server.Http.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final String OVERFLOW = "{\"code\":503,\"message\":\"Error# MemoryTableOverflowError\"}";

    private final OpenObserveServer server = OpenObserveServer.builder().clock(Http.FIXED).start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void queuedFaultsApplyToTheNextRequestsThenNormalService() {
        server.faults().next(3, Fault.memoryTableOverflow());
        assertThat(server.faults().pending()).isEqualTo(3);

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = post(server, "s", "[{\"a\":1}]");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo(OVERFLOW);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        }
        assertThat(server.recordCount("s")).isZero();
        assertThat(server.faults().pending()).isZero();
        assertThat(post(server, "s", "[{\"a\":1}]").body()).isEqualTo(okBody("s", 1, 0));
        assertThat(server.requests()).extracting(ReceivedRequest::status).containsExactly(503, 503, 503, 200);
        assertThat(server.requests().get(0).fault()).isEqualTo("Fault[memoryTableOverflow (503)]");
        assertThat(server.requests().get(3).fault()).isNull();
    }

    @Test
    void faultsActBeforeAuthenticationAndNeverOnHealthz() {
        server.faults().always(Fault.memoryTableOverflow());

        assertThat(send(request(server.url() + "/healthz").GET().build()).statusCode()).isEqualTo(200);
        assertThat(send(request(server.ingestUrl("s")).POST(HttpRequest.BodyPublishers.ofString("[]")).build())
                .statusCode()).isEqualTo(503);
    }

    @Test
    void internalServerErrors() {
        server.faults().next(Fault.internalServerError()).next(Fault.internalServerError("disk \"full\""))
                .next(Fault.error(502, "Bad Gateway"));

        assertThat(post(server, "s", "{}").body()).isEqualTo("{\"code\":500,\"message\":\"Internal Server Error\"}");
        HttpResponse<String> custom = post(server, "s", "{}");
        assertThat(custom.statusCode()).isEqualTo(500);
        assertThat(custom.body()).isEqualTo("{\"code\":500,\"message\":\"disk \\\"full\\\"\"}");
        HttpResponse<String> generic = post(server, "s", "{}");
        assertThat(generic.statusCode()).isEqualTo(502);
        assertThat(generic.body()).isEqualTo("{\"code\":502,\"message\":\"Bad Gateway\"}");
    }

    @Test
    void tooManyRequestsWithRetryAfterInSecondsOrAsADate() {
        server.faults().next(Fault.tooManyRequests(Duration.ofSeconds(2)))
                .next(Fault.tooManyRequests(Duration.ofMillis(1500)))
                .next(Fault.tooManyRequests(Instant.parse("2024-03-01T12:00:05Z")))
                .next(Fault.memoryTableOverflow().withHeader("Retry-After", "1"));

        HttpResponse<String> seconds = post(server, "s", "{}");
        assertThat(seconds.statusCode()).isEqualTo(429);
        assertThat(seconds.body()).isEqualTo("{\"code\":429,\"message\":\"Too Many Requests\"}");
        assertThat(seconds.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(post(server, "s", "{}").headers().firstValue("Retry-After")).hasValue("2");
        HttpResponse<String> date = post(server, "s", "{}");
        assertThat(date.statusCode()).isEqualTo(429);
        assertThat(date.headers().firstValue("Retry-After")).hasValue("Fri, 01 Mar 2024 12:00:05 GMT");
        HttpResponse<String> overloaded = post(server, "s", "{}");
        assertThat(overloaded.statusCode()).isEqualTo(503);
        assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Fault.tooManyRequests(Duration.ofSeconds(2)).toString())
                .isEqualTo("Fault[tooManyRequests (429, Retry-After 2 s)]");
    }

    @Test
    void delayThenNormalHandling() {
        server.faults().next(Fault.delay(Duration.ofMillis(300)));

        long start = System.nanoTime();
        HttpResponse<String> response = post(server, "s", "[{\"a\":1}]");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.body()).isEqualTo(okBody("s", 1, 0));
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
        assertThat(server.recordCount("s")).isEqualTo(1);
    }

    @Test
    void aFaultCanActAfterADelay() {
        server.faults().next(Fault.memoryTableOverflow().after(Duration.ofMillis(200)));

        long start = System.nanoTime();
        HttpResponse<String> response = post(server, "s", "{}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
        assertThat(server.requests().get(0).fault()).isEqualTo("Fault[memoryTableOverflow (503) after PT0.2S]");
    }

    @Test
    void droppedConnectionGivesTheClientAnIOException() {
        server.faults().next(Fault.dropConnection());

        HttpRequest request = request(server.ingestUrl("s")).header("Authorization", server.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]")).build();
        assertThatThrownBy(() -> Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        assertThat(server.recordCount("s")).isZero();
        ReceivedRequest dropped = server.requests().get(0);
        assertThat(dropped.dropped()).isTrue();
        assertThat(dropped.status()).isZero();
        assertThat(dropped.bodyBytes()).isEqualTo("[{\"a\":1}]".length());
        // the server serves the next request normally
        assertThat(post(server, "s", "[{\"a\":1}]").body()).isEqualTo(okBody("s", 1, 0));
    }

    @Test
    void silentLossAnswers200ButStoresAndCountsNothing() {
        server.faults().next(Fault.silentLoss());

        HttpResponse<String> response = post(server, "s", "[{\"a\":1},{\"a\":2},\"bad\"]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":0,\"failed\":1,"
                + "\"error\":\"flatten value must be an object\"}]}");
        assertThat(server.recordCount("s")).isZero();
        assertThat(server.requests().get(0).lost()).isEqualTo(2);
        assertThat(post(server, "s", "[{\"a\":1}]").body()).isEqualTo(okBody("s", 1, 0));
    }

    @Test
    void alwaysUntilClearedAfterTheQueue() {
        server.faults().next(Fault.internalServerError()).always(Fault.memoryTableOverflow());

        assertThat(post(server, "s", "{}").statusCode()).isEqualTo(500);
        for (int i = 0; i < 3; i++) {
            assertThat(post(server, "s", "{}").statusCode()).isEqualTo(503);
        }
        server.faults().clear();
        assertThat(post(server, "s", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsNeverShareAQueuedFault() throws Exception {
        server.faults().next(10, Fault.memoryTableOverflow());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(() -> post(server, "s", "[{\"a\":1}]").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 503).hasSize(10);
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(14);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.recordCount("s")).isEqualTo(14);
    }

    @Test
    void faultsRejectNonsense() {
        assertThatThrownBy(() -> Fault.error(42, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.dropConnection().withHeader("A", "b"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> server.faults().next(-1, Fault.silentLoss()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
