package dev.eventsink.openobserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.spi.SinkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing a server answers, however it misbehaves, may hold a worker, fill the heap or hang a future. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileAnswersTest {

    private static final String STATUS_OK = "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":1,\"failed\":0}]}";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void anAnswerWhoseBodyStallsEndsAtTheRequestTimeout() throws Exception {
        MisbehavingServer server = server((n, out) -> {
            out.write(MisbehavingServer.head(200, "Content-Type: application/json", "Content-Length: 1000"));
            out.write("{\"code\":200,".getBytes());
            out.flush();
            awaitRelease(); // ... and the rest never comes
        });
        EventSink sink = sink(server, "REQUEST_TIMEOUT", "300ms", "RETRY_DEADLINE", "0s");
        long start = System.nanoTime();

        DeliveryException failure = failure(sink, event());

        assertThat(failure.outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
        assertThat(failure.reason()).isEqualTo("not delivered within RETRY_DEADLINE 0s; last error: OpenObserve did"
                + " not answer within UX_EVENT_SINK_REQUEST_TIMEOUT 300ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aHugeErrorBodyIsReadOnlyUpToTheLimitAndTheConnectionIsDropped() throws Exception {
        long announced = 600L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        CountDownLatch stoppedWriting = new CountDownLatch(1);
        byte[] chunk = "x".repeat(64 * 1024).getBytes();
        MisbehavingServer server = server((n, out) -> {
            try {
                out.write(MisbehavingServer.head(500, "Content-Type: text/plain", "Content-Length: " + announced));
                for (long sent = 0; sent < announced; sent += chunk.length) {
                    out.write(chunk); // throws once the client has closed the connection
                    written.addAndGet(chunk.length);
                }
            } finally {
                stoppedWriting.countDown();
            }
        });
        EventSink sink = sink(server, "RETRY_DEADLINE", "0s");

        DeliveryException failure = failure(sink, event());

        assertThat(failure.reason()).isEqualTo("not delivered within RETRY_DEADLINE 0s; last error: OpenObserve"
                + " answered 500: " + "x".repeat(500) + "…(more than 65536 bytes)");
        assertThat(stoppedWriting.await(20, TimeUnit.SECONDS)).as("the client hung up").isTrue();
        assertThat(written.get()).as("bytes the server could write before the client hung up")
                .isLessThan(32L * 1024 * 1024);
    }

    @Test
    void aRetryAfterOfTooManySecondsIsCappedAndDeliveryGoesOn() throws Exception {
        MisbehavingServer server = server((n, out) -> out.write(n == 0
                ? MisbehavingServer.json(429, "{\"code\":429,\"message\":\"slow down\"}", "Retry-After: 99999999999")
                : MisbehavingServer.json(200, STATUS_OK)));
        EventSink sink = sink(server, "EXPORT_THREADS", "1", "RETRY_MAX_BACKOFF", "50ms");

        assertThat(sink.sendEvent(event())).succeedsWithin(Duration.ofSeconds(10));
        assertThat(sink.sendEvent(event())).succeedsWithin(Duration.ofSeconds(10));
        assertThat(sink.stats().retried()).isEqualTo(1);
    }

    @Test
    void aRetryAfterDateInTheYear9999IsCappedAndDeliveryGoesOn() throws Exception {
        MisbehavingServer server = server((n, out) -> out.write(n == 0
                ? MisbehavingServer.json(503, "{\"code\":503,\"message\":\"maintenance\"}",
                        "Retry-After: Fri, 31 Dec 9999 23:59:59 GMT")
                : MisbehavingServer.json(200, STATUS_OK)));
        EventSink sink = sink(server, "EXPORT_THREADS", "1", "RETRY_MAX_BACKOFF", "50ms");

        assertThat(sink.sendEvent(event())).succeedsWithin(Duration.ofSeconds(10));
        assertThat(sink.sendEvent(event())).succeedsWithin(Duration.ofSeconds(10));
        assertThat(sink.stats().retried()).isEqualTo(1);
    }

    /** Found by AnswerFuzzTest: a window of more hours than a long holds made the sink's own code throw. */
    @Test
    void aTimeWindowErrorWithAbsurdHoursIsIsolatedNotAnExporterFailure() throws Exception {
        String tooOld = "Too old data, only last 99999999999999999999 hours data can be ingested.";
        MisbehavingServer server = server((n, out) -> out.write(MisbehavingServer.json(200, switch (n) {
            case 0 -> "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":1,\"failed\":1,"
                    + "\"error\":\"" + tooOld + "\"}]}";
            case 1 -> STATUS_OK;
            default -> "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":0,\"failed\":1,"
                    + "\"error\":\"" + tooOld + "\"}]}";
        })));
        EventSink sink = sink(server, "BATCH_SIZE", "2", "LINGER", "1s", "EXPORT_THREADS", "1");

        var first = sink.sendEvent(event());
        var second = sink.sendEvent(event());

        assertThat(first).succeedsWithin(Duration.ofSeconds(10));
        assertThat(second).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(DeliveryException.class)
                .withMessage("rejected: " + tooOld);
        assertThat(server.requests()).isEqualTo(3);
    }

    /** Found by AnswerFuzzTest: an error text with line breaks and escape codes went into the reason as it was. */
    @Test
    void anErrorTextWithControlCharactersBecomesOneEscapedLine() throws Exception {
        MisbehavingServer server = server((n, out) -> out.write(MisbehavingServer.json(200,
                "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":0,\"failed\":1,"
                        + "\"error\":\"bad\\n2026-12-01 INFO forged\\u001b[31m\"}]}")));
        EventSink sink = sink(server);

        DeliveryException failure = failure(sink, event());

        assertThat(failure.outcome()).isEqualTo(DeliveryException.Outcome.REJECTED);
        assertThat(failure.reason()).isEqualTo("bad\\n2026-12-01 INFO forged\\u001B[31m");
    }

    /** Found by AnswerFuzzTest: java.net.http's error for a broken status line quotes the server's bytes. */
    @Test
    void aBrokenStatusLineIsQuotedEscaped() throws Exception {
        MisbehavingServer server = server((n, out) -> {
            out.write("\u001b[2J\r\nHTTP/9 x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            throw new java.io.IOException("closing");
        });
        EventSink sink = sink(server, "RETRY_DEADLINE", "0s");

        DeliveryException failure = failure(sink, event());

        assertThat(failure.outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
        assertThat(failure.reason()).isEqualTo("not delivered within RETRY_DEADLINE 0s; last error: cannot reach"
                + " OpenObserve at " + server.url() + ": ProtocolException Invalid status line: \"\\u001B[2J\"");
    }

    /** Found by AnswerFuzzTest: java.net.http fails this answer with a NumberFormatException, not an IOException. */
    @Test
    void aContentLengthBeyondALongIsRetriedAsAnUnreadableAnswer() throws Exception {
        MisbehavingServer server = server((n, out) -> out.write(n == 0
                ? MisbehavingServer.head(200, "Content-Length: 99999999999999999999999")
                : MisbehavingServer.json(200, STATUS_OK)));
        EventSink sink = sink(server, "RETRY_DEADLINE", "0s");

        DeliveryException failure = failure(sink, event());

        assertThat(failure.outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
        assertThat(failure.reason()).isEqualTo("not delivered within RETRY_DEADLINE 0s; last error: OpenObserve's"
                + " answer could not be read: NumberFormatException For input string: \"99999999999999999999999\"");
        assertThat(sink.sendEvent(event())).as("the next answer is read").succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aStatusJsonPastTheReadingLimitsIsNotOpenObservesAnswer() throws Exception {
        String longCount = "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":" + "1".repeat(40)
                + ",\"failed\":0}]}";
        String deep = "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":1,\"failed\":0,\"x\":"
                + "[".repeat(20) + "]".repeat(20) + "}]}";
        MisbehavingServer server = server((n, out) -> out.write(MisbehavingServer.json(200, n % 2 == 0 ? longCount
                : deep)));
        EventSink sink = sink(server);

        assertThat(failure(sink, event()).reason()).isEqualTo(
                "OpenObserve answered 200 with a body that is not its status JSON: " + longCount);
        assertThat(failure(sink, event()).reason()).isEqualTo(
                "OpenObserve answered 200 with a body that is not its status JSON: " + deep);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private MisbehavingServer server(MisbehavingServer.Script script) {
        MisbehavingServer server = new MisbehavingServer(script);
        resources.add(server);
        return server;
    }

    private EventSink sink(MisbehavingServer server, String... extra) {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_URL", server.url());
        keys.put("UX_EVENT_SINK_API_KEY", "root@example.com:Complexpass#123");
        keys.put("UX_EVENT_SINK_LINGER", "0ms");
        keys.put("UX_EVENT_SINK_BATCH_SIZE", "1");
        keys.put("UX_EVENT_SINK_RETRY_INITIAL_BACKOFF", "10ms");
        for (int i = 0; i < extra.length; i += 2) {
            keys.put("UX_EVENT_SINK_" + extra[i], extra[i + 1]);
        }
        EventSink sink = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, keys));
        resources.add(() -> sink.close(Duration.ofSeconds(2)));
        return sink;
    }

    private static Event event() {
        return Event.uxAction().put("action", "click").build();
    }

    private static DeliveryException failure(EventSink sink, Event event) throws Exception {
        try {
            sink.sendEvent(event).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DeliveryException.class);
            return (DeliveryException) e.getCause();
        }
        throw new AssertionError("expected the event to fail");
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
