package dev.eventsink.openobserve.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One request while it is served: its exchange, what is known of it so far, and its one answer. The request is
 * logged just before its answer is sent, so a client that has its answer also finds the request in
 * {@link OpenObserveServer#requests()}; a request closed without an answer is logged as dropped. Used by one
 * thread at a time.
 *
 * <pre>{@code
 * Call call = new Call(exchange, clock.instant(), log, deadlines);
 * try {
 *     call.answerError(404, "...");
 * } finally {
 *     call.close();
 * }
 * }</pre>
 */
final class Call implements AutoCloseable {

    static final String JSON = "application/json";

    final HttpExchange exchange;
    final String method;
    final String path;
    final String contentEncoding;
    private final ReceivedRequest.Builder request;
    private final RequestLog log;
    private final ClientDeadlines deadlines;
    private String org;
    private String stream;
    private int status;
    private boolean logged;

    Call(HttpExchange exchange, Instant arrivalTime, RequestLog log, ClientDeadlines deadlines) {
        long arrivalNanos = System.nanoTime();
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getRawPath();
        this.contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        this.log = log;
        this.deadlines = deadlines;
        this.request = ReceivedRequest.builder().method(method).path(path).contentEncoding(contentEncoding)
                .authorizationPresent(exchange.getRequestHeaders().containsKey("Authorization"))
                .arrival(arrivalNanos, arrivalTime);
    }

    /** Marks this as an ingestion request into {@code org}/{@code stream} (the stream name normalised). */
    void target(String org, String stream) {
        this.org = org;
        this.stream = stream;
        request.org(org).stream(stream);
    }

    String org() {
        return org;
    }

    String stream() {
        return stream;
    }

    /** A request header's first value, or {@code null}. */
    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The {@code Content-Length}, or -1 when absent or not a number (a chunked body). */
    long declaredLength() {
        String declared = header("Content-Length");
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void bodyBytes(long bytes) {
        request.bodyBytes(bytes);
    }

    void fault(Fault fault) {
        request.fault(fault.toString());
    }

    void outcome(Ingestor.Outcome outcome) {
        request.outcome(outcome.records(), outcome.successful(), outcome.failed(), outcome.lost());
    }

    boolean answered() {
        return status != 0;
    }

    /** Logs the request, then answers it under the client deadline. */
    void answer(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        Headers out = exchange.getResponseHeaders();
        if (contentType != null) {
            out.set("Content-Type", contentType);
        }
        headers.forEach(out::set);
        this.status = status;
        log();
        deadlines.clientTurn();
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** Answers with an empty body. */
    void answerEmpty(int status, Map<String, String> headers) throws IOException {
        answer(status, null, new byte[0], headers);
    }

    /** Answers with OpenObserve's error body {@code {"code":<status>,"message":<message>}}. */
    void answerError(int status, String message) throws IOException {
        answer(status, JSON, errorBody(status, message), Map.of());
    }

    static byte[] errorBody(int status, String message) {
        StringBuilder json = new StringBuilder("{\"code\":").append(status).append(",\"message\":");
        SerdeJson.writeString(message, json);
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the request to the log as it stands, once: without an answer, as dropped. */
    void log() {
        if (!logged) {
            logged = true;
            log.add(request.status(status).build());
        }
    }

    /**
     * Logs the request if not yet done and ends the exchange: a connection whose answer was never started is
     * closed. Closing may read what is left of the body, so it runs under the client deadline.
     */
    @Override
    public void close() {
        log();
        deadlines.clientTurn();
        exchange.close();
    }
}
