package dev.eventsink.openobserve.server;

import java.time.Instant;

/**
 * One HTTP request an {@link OpenObserveServer} received, with how it answered. Never holds credentials: only
 * whether an {@code Authorization} header was present.
 *
 * @param method             the HTTP method
 * @param path               the raw request path, for example {@code /api/default/ux_events/_json}
 * @param org                the organisation of an ingestion request, or {@code null}
 * @param stream             the normalised stream name of an ingestion request, or {@code null}
 * @param contentEncoding    the {@code Content-Encoding} header, or {@code null}
 * @param authorizationPresent whether an {@code Authorization} header was sent
 * @param bodyBytes          the raw (still compressed) body bytes read; at most the payload limit + 1
 * @param arrivalNanos       {@link System#nanoTime()} when the request reached the handler
 * @param arrivalTime        the server's clock when the request reached the handler
 * @param status             the status answered, or 0 when the connection was dropped without an answer
 * @param records            the elements of the body ({@code _json}: the array's elements, or 1 for a single
 *                           value), or 0 when the body was not parsed
 * @param successful         records stored
 * @param failed             records reported failed
 * @param lost               records silently lost (column limit or {@link Fault#silentLoss()})
 * @param fault              the injected fault applied, as text, or {@code null}
 */
public record ReceivedRequest(
        String method,
        String path,
        String org,
        String stream,
        String contentEncoding,
        boolean authorizationPresent,
        long bodyBytes,
        long arrivalNanos,
        Instant arrivalTime,
        int status,
        int records,
        int successful,
        int failed,
        int lost,
        String fault) {

    /** Whether this was a request to an ingestion route ({@code /api/{org}/{stream}/_json}). */
    public boolean isIngestion() {
        return stream != null;
    }

    /** Whether the connection was closed without an answer. */
    public boolean dropped() {
        return status == 0;
    }
}
