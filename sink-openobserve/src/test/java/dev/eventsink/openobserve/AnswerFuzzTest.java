package dev.eventsink.openobserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.Fuzz;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the sink's reading of OpenObserve's answers through a real server on 127.0.0.1 that answers each request
 * with random or mutated statuses, headers and bodies, broken framing, dropped connections and the occasional
 * stall. Whatever it answers: every future completes, within its deadline, delivered or failed with a
 * {@link DeliveryException} whose outcome is {@code REJECTED} or {@code UNDELIVERED} and whose reason is one line of
 * bounded length; the stats count exactly those outcomes; and the sink still delivers afterwards.
 *
 * <p>The default suite runs a short run; the long run ({@value Fuzz#LONG_RUN_CASES} cases) is tagged {@code long}.
 */
class AnswerFuzzTest {

    private static final Duration PER_CASE = Duration.ofSeconds(30);
    private static final Duration FUTURE_DEADLINE = Duration.ofSeconds(20);
    private static final String OK_TEMPLATE = "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":%d,"
            + "\"failed\":%d%s}]}";
    private static final List<byte[]> BODIES = List.of(
            bytes(String.format(OK_TEMPLATE, 3, 0, "")),
            bytes(String.format(OK_TEMPLATE, 1, 2, ",\"error\":\"Too old data, only last 5 hours data can be ingested."
                    + " Data discarded. You can adjust ingestion max time by setting the environment variable"
                    + " ZO_INGEST_ALLOWED_UPTO=<max_hours>\"")),
            bytes(String.format(OK_TEMPLATE, 0, 1, ",\"error\":\"Too far data, only future 24 hours data can be"
                    + " ingested. Data discarded.\"")),
            bytes("{\"code\":503,\"message\":\"Error# MemoryTableOverflowError\"}"),
            bytes("{\"code\":400,\"message\":\"SerdeJsonError# EOF while parsing a value at line 1 column 0\"}"),
            bytes("{\"code\":401,\"message\":\"Unauthorized Access\"}"),
            bytes("Unauthorized Access"),
            bytes("{\"code\":413,\"message\":\"Payload Too Large\"}"));
    private static final int[] STATUSES = {200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 408, 413, 429, 500,
        502, 503, 504, 599, 999, 100, 101, 103};

    /** The case whose answers the server gives now; a case's answers come from its own random, one at a time. */
    private volatile Random answers;
    private volatile int attempt;
    private final CountDownLatch closing = new CountDownLatch(1);

    @Test
    void shortRun() throws Exception {
        fuzz(Fuzz.cases(100));
    }

    @Test
    @Tag("long")
    void longRun() throws Exception {
        fuzz(Fuzz.cases(Fuzz.LONG_RUN_CASES));
    }

    private void fuzz(int cases) throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(this::answer)) {
            EventSink sink = sink(server);
            try {
                Fuzz.run("OpenObserve answers", cases, PER_CASE, (random, index) -> fuzzCase(sink, random));
                // no answer broke the sink: a plain success is still delivered and counted
                answers = null;
                SinkStats before = sink.stats();
                assertThat(sink.sendEvent(Event.uxAction().put("last", true).build()))
                        .succeedsWithin(FUTURE_DEADLINE);
                assertThat(sink.stats().delivered()).isEqualTo(before.delivered() + 1);
            } finally {
                closing.countDown();
                sink.close(Duration.ofSeconds(5));
            }
        }
    }

    private void fuzzCase(EventSink sink, Random random) throws Exception {
        SinkStats before = sink.stats();
        attempt = 0;
        answers = random;
        int events = 1 + random.nextInt(4);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            futures.add(sink.sendEvent(Event.uxAction().put("n", i).put("text", Fuzz.randomString(random)).build()));
        }
        int delivered = 0;
        int failed = 0;
        for (CompletableFuture<Void> future : futures) {
            try {
                future.get(FUTURE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                delivered++;
            } catch (TimeoutException e) {
                throw new AssertionError("a future did not complete within " + FUTURE_DEADLINE + "; stats "
                        + sink.stats());
            } catch (ExecutionException e) {
                checkFailure(e.getCause());
                failed++;
            }
        }
        SinkStats after = awaitSettled(sink, before, events);
        assertThat(after.delivered() - before.delivered()).as("delivered, stats %s", after).isEqualTo(delivered);
        assertThat(after.failedTotal() - before.failedTotal()).as("failed, stats %s", after).isEqualTo(failed);
        assertThat(after.droppedTotal()).as("dropped").isEqualTo(before.droppedTotal());
        assertThat(after.accepted()).as("counts add up: %s", after)
                .isEqualTo(after.delivered() + after.failedTotal() + after.droppedTotal());
    }

    private static void checkFailure(Throwable cause) {
        if (!(cause instanceof DeliveryException failure)) {
            throw new AssertionError("not a DeliveryException: " + cause, cause);
        }
        String reason = failure.reason();
        // "exporter failed" and "delivery failed" are how the pipeline reports an exception of the sink's own code
        if (failure.outcome() == DeliveryException.Outcome.DROPPED || reason == null || reason.isBlank()
                || reason.startsWith("exporter failed") || reason.startsWith("delivery failed")
                || reason.length() > 4_000 || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new AssertionError("not a documented failure: " + failure.outcome() + " "
                    + Fuzz.describe(String.valueOf(reason)), failure);
        }
    }

    /** The stats once the case's events are all counted (futures may complete just before the counts move). */
    private static SinkStats awaitSettled(EventSink sink, SinkStats before, int events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        SinkStats stats = sink.stats();
        while (stats.delivered() + stats.failedTotal() + stats.droppedTotal()
                < before.delivered() + before.failedTotal() + before.droppedTotal() + events
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            stats = sink.stats();
        }
        return stats;
    }

    private EventSink sink(MisbehavingServer server) {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_URL", server.url());
        keys.put("UX_EVENT_SINK_API_KEY", "root@example.com:Complexpass#123");
        keys.put("UX_EVENT_SINK_LINGER", "0ms");
        keys.put("UX_EVENT_SINK_BATCH_SIZE", "4");
        keys.put("UX_EVENT_SINK_EXPORT_THREADS", "1");
        keys.put("UX_EVENT_SINK_RETRY_INITIAL_BACKOFF", "1ms");
        keys.put("UX_EVENT_SINK_RETRY_MAX_BACKOFF", "5ms");
        keys.put("UX_EVENT_SINK_RETRY_DEADLINE", "60ms");
        keys.put("UX_EVENT_SINK_REQUEST_TIMEOUT", "100ms");
        keys.put("UX_EVENT_SINK_COMPRESSION", "none");
        return new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, keys));
    }

    // ---------------------------------------------------------------------------------------------- answers

    /** The answer to the {@code n}-th request: hostile at first, then usually one that ends the case. */
    private void answer(int n, OutputStream out) throws IOException {
        Random random = answers;
        if (random == null) {
            out.write(MisbehavingServer.json(200, String.format(OK_TEMPLATE, 1, 0, "")));
            return;
        }
        int a = attempt++;
        if (a >= 2 && random.nextInt(10) > 0) {
            out.write(terminal(random));
            return;
        }
        switch (random.nextInt(12)) {
            case 0, 1 -> out.write(MisbehavingServer.json(200, statusJson(random)));
            case 2, 3 -> out.write(answer(pick(random), Fuzz.mutate(random, Fuzz.pick(random, BODIES)), random));
            case 4 -> out.write(answer(pick(random), Fuzz.randomBytes(random, 300), random));
            case 5 -> out.write(answer(pick(random), bytes(Fuzz.randomJson(random, 6)), random));
            case 6 -> { // not HTTP at all, then the connection is closed
                out.write(Fuzz.randomBytes(random, 100));
                throw new IOException("closed after garbage");
            }
            case 7 -> { // the head cut short
                byte[] whole = MisbehavingServer.json(200, String.format(OK_TEMPLATE, 1, 0, ""));
                out.write(whole, 0, random.nextInt(whole.length));
                throw new IOException("closed mid-answer");
            }
            case 8 -> out.write(brokenFraming(random));
            case 9 -> { // an interim 1xx answer, then a real one (or not)
                out.write(MisbehavingServer.head(100 + random.nextInt(4)));
                if (random.nextBoolean()) {
                    out.write(terminal(random));
                } else {
                    throw new IOException("closed after an interim answer");
                }
            }
            case 10 -> {
                if (random.nextInt(10) == 0) { // a stall past REQUEST_TIMEOUT
                    out.write(MisbehavingServer.head(200, "Content-Length: 100"));
                    out.flush();
                    awaitClosing(Duration.ofSeconds(1));
                    throw new IOException("closed after a stall");
                }
                out.write(answer(200, new byte[64 * 1024 + random.nextInt(1000)], random));
            }
            default -> out.write(terminal(random));
        }
    }

    /** An answer that usually settles the batch: success, per-record failures, or a refusal. */
    private static byte[] terminal(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> MisbehavingServer.json(200, String.format(OK_TEMPLATE, 4, 0, ""));
            case 2 -> MisbehavingServer.json(200, statusJson(random));
            case 3 -> MisbehavingServer.json(400, "{\"code\":400,\"message\":\"bad\"}");
            case 4 -> MisbehavingServer.json(401, "{\"code\":401,\"message\":\"Unauthorized Access\"}");
            default -> MisbehavingServer.json(random.nextBoolean() ? 403 : 404, new String(
                    Fuzz.mutate(random, Fuzz.pick(random, BODIES)), StandardCharsets.UTF_8));
        };
    }

    /** OpenObserve's status JSON with random counts (negative, huge, not numbers) and errors. */
    private static String statusJson(Random random) {
        String[] counts = {"0", "1", "2", "3", "4", "-1", "9223372036854775807", "-9223372036854775808",
            "99999999999999999999", "1e30", "1.5", "\"2\"", "null", "true", "[]", "{}"};
        String[] errors = {"", "x", "Too old data, only last 5 hours data can be ingested.",
            "Too old data, only last 99999999999999999999 hours", "Too far data, only future 9223372036854775807 hours",
            "Too far data, only future 0 hours", "Too old data, only last -1 hours", "line\nbreak\r\u0000\u001b[31m",
            "Error# " + "y".repeat(3000)};
        StringBuilder error = new StringBuilder();
        Fuzz.quote(errors[random.nextInt(errors.length)], error);
        return "{\"code\":200,\"status\":[{\"name\":\"ux_events\",\"successful\":" + counts[random.nextInt(counts.length)]
                + ",\"failed\":" + counts[random.nextInt(counts.length)]
                + (random.nextBoolean() ? ",\"error\":" + error : "") + "}"
                + (random.nextInt(4) == 0 ? ",{\"name\":\"other\",\"successful\":" + counts[random.nextInt(counts.length)]
                        + ",\"failed\":" + counts[random.nextInt(counts.length)] + "}" : "") + "]}";
    }

    /** An answer whose framing is wrong: lengths that lie, bad chunks, odd or repeated headers; then closed. */
    private static byte[] brokenFraming(Random random) throws IOException {
        byte[] body = bytes(String.format(OK_TEMPLATE, 4, 0, ""));
        String[][] heads = {
            {"Content-Length: " + (body.length + 10)},
            {"Content-Length: -5"},
            {"Content-Length: 99999999999999999999999"},
            {"Content-Length: 3", "Content-Length: 7"},
            {"Transfer-Encoding: chunked"},
            {"Transfer-Encoding: chunked", "Content-Length: 3"},
            {"Retry-After: " + Fuzz.randomString(random), "Content-Length: " + body.length},
            {"Retry-After: -1", "Content-Length: " + body.length},
            {"Retry-After: 99999999999999999999", "Content-Length: " + body.length},
            {"Retry-After: Mon, 01 Jan 0001 00:00:00 GMT", "Content-Length: " + body.length},
            {"X-Long: " + "h".repeat(70_000), "Content-Length: " + body.length},
            {"Content-Encoding: gzip", "Content-Length: " + body.length},
        };
        String[] head = heads[random.nextInt(heads.length)];
        int status = random.nextBoolean() ? 200 : 503;
        byte[] start = MisbehavingServer.head(status, head);
        byte[] rest = head[0].startsWith("Transfer-Encoding")
                ? bytes(random.nextBoolean() ? "zz\r\nbad\r\n0\r\n\r\n" : "ffffffffffffffff\r\nx")
                : body;
        byte[] answer = new byte[start.length + rest.length];
        System.arraycopy(start, 0, answer, 0, start.length);
        System.arraycopy(rest, 0, answer, start.length, rest.length);
        return answer;
    }

    private static byte[] answer(int status, byte[] body, Random random) {
        String type = random.nextBoolean() ? "Content-Type: application/json" : "Content-Type: text/plain";
        byte[] head = MisbehavingServer.head(status, type, "Content-Length: " + body.length);
        byte[] answer = new byte[head.length + body.length];
        System.arraycopy(head, 0, answer, 0, head.length);
        System.arraycopy(body, 0, answer, head.length, body.length);
        return answer;
    }

    private static int pick(Random random) {
        return random.nextInt(5) == 0 ? 100 + random.nextInt(500) : STATUSES[random.nextInt(STATUSES.length)];
    }

    private void awaitClosing(Duration most) {
        try {
            closing.await(most.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
