package dev.eventsink.openobserve.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one HTTP handler: {@code GET /healthz} is answered at once, on the request's own thread, never
 * behind ingestion work; {@code /api/{org}/{stream}/_json} goes to the {@link IngestHandler}; other paths are
 * 404 and other methods 405, with empty bodies. Every request is logged once, and an unexpected failure becomes
 * a 500. Thread-safe.
 *
 * <pre>{@code
 * http.createContext("/", new RequestRouter(ingest, log, deadlines, clock, requestTimeout));
 * }</pre>
 */
final class RequestRouter implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final IngestHandler ingest;
    private final RequestLog log;
    private final ClientDeadlines deadlines;
    private final Clock clock;
    private final Duration requestTimeout;

    RequestRouter(IngestHandler ingest, RequestLog log, ClientDeadlines deadlines, Clock clock,
            Duration requestTimeout) {
        this.ingest = ingest;
        this.log = log;
        this.deadlines = deadlines;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (Call call = new Call(exchange, clock.instant(), log, deadlines)) {
            serve(call);
        }
    }

    private void serve(Call call) {
        try {
            String[] segments = call.path.split("/", -1);
            if (call.path.equals("/healthz")) {
                if (call.method.equals("GET")) {
                    call.answer(200, Call.JSON, HEALTHY, Map.of());
                } else {
                    call.answerEmpty(405, Map.of("Allow", "GET"));
                }
            } else if (segments.length == 5 && segments[0].isEmpty() && segments[1].equals("api")
                    && !segments[2].isEmpty() && !segments[3].isEmpty() && segments[4].equals("_json")) {
                call.target(decodeSegment(segments[2]), Names.formatStreamName(decodeSegment(segments[3])));
                ingest.serve(call);
            } else {
                call.answerEmpty(404, Map.of());
            }
        } catch (IOException e) {
            if (deadlines.expired()) {
                LOG.info("OpenObserve stand-in: {} {}: the client took longer than {} at one step; connection"
                        + " closed", call.method, call.path, requestTimeout);
            } else {
                LOG.debug("OpenObserve stand-in: {} {} failed: {}", call.method, call.path, e.toString());
            }
        } catch (InterruptedException e) {
            // the server is closing: the connection is dropped
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("OpenObserve stand-in: {} {} failed", call.method, call.path, e);
            if (!call.answered()) {
                try {
                    call.answerError(500, "Internal error of the OpenObserve stand-in: " + e);
                } catch (IOException | RuntimeException ignored) {
                    // the connection is gone; the request is logged as dropped
                }
            }
        }
    }

    private static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // a malformed escape is kept as it is
        }
    }
}
