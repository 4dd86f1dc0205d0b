package dev.eventsink.openobserve.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One injected misbehaviour of {@link OpenObserveServer} for one ingestion request; queue them with
 * {@link OpenObserveServer#faults()}, as in {@code server.faults().next(3, Fault.memoryTableOverflow())}.
 * Immutable and thread-safe.
 *
 * <p>A fault acts before anything else, authentication included:
 * <ul>
 *   <li>a fault that answers with a canned status and body ({@link #memoryTableOverflow()},
 *       {@link #internalServerError()}, {@link #tooManyRequests(Duration)}, {@link #error(int, String)}) or closes
 *       the connection without any response ({@link #dropConnection()}: the client sees an
 *       {@link java.io.IOException}) first reads the request body and forgets it, waits {@link #delay()} if any,
 *       then acts; nothing is stored;</li>
 *   <li>a fault that carries on ({@link #delay(Duration)}, {@link #silentLoss()}) waits its delay, then the
 *       request is handled normally, authentication first; {@link #silentLoss()} then loses the records silently
 *       as the column limit does (200, the records counted in neither {@code successful} nor
 *       {@code failed}).</li>
 * </ul>
 */
public final class Fault {

    enum Kind { RESPOND, DROP_CONNECTION, SILENT_LOSS, PASS }

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Kind kind;
    private final int status;
    private final String body;
    private final Map<String, String> headers;
    private final Duration delay;
    private final String description;

    private Fault(Kind kind, int status, String body, Map<String, String> headers, Duration delay,
            String description) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
        this.delay = delay;
        this.description = description;
    }

    /**
     * OpenObserve's answer when its memtable, memory or disk circuit breaker trips: 503
     * {@code {"code":503,"message":"Error# MemoryTableOverflowError"}}.
     */
    public static Fault memoryTableOverflow() {
        return error(503, "Error# MemoryTableOverflowError").describedAs("memoryTableOverflow (503)");
    }

    /** 500 {@code {"code":500,"message":"Internal Server Error"}}. */
    public static Fault internalServerError() {
        return internalServerError("Internal Server Error");
    }

    /** 500 {@code {"code":500,"message":<message>}}. */
    public static Fault internalServerError(String message) {
        return error(500, message).describedAs("internalServerError (500)");
    }

    /**
     * 429 {@code {"code":429,"message":"Too Many Requests"}} with {@code Retry-After: <seconds>} (rounded up to a
     * whole second). OpenObserve's open-source build never answers 429; its cloud build does.
     */
    public static Fault tooManyRequests(Duration retryAfter) {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return error(429, "Too Many Requests").withHeader("Retry-After", Long.toString(Math.max(0, seconds)))
                .describedAs("tooManyRequests (429, Retry-After " + Math.max(0, seconds) + " s)");
    }

    /**
     * 429 {@code {"code":429,"message":"Too Many Requests"}} with {@code Retry-After} as an HTTP-date
     * ({@code Sun, 06 Nov 1994 08:49:37 GMT}).
     */
    public static Fault tooManyRequests(Instant retryAt) {
        String date = HTTP_DATE.format(retryAt);
        return error(429, "Too Many Requests").withHeader("Retry-After", date)
                .describedAs("tooManyRequests (429, Retry-After " + date + ")");
    }

    /** {@code status} with OpenObserve's error body {@code {"code":<status>,"message":<message>}}. */
    public static Fault error(int status, String message) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        StringBuilder json = new StringBuilder("{\"code\":").append(status).append(",\"message\":");
        SerdeJson.writeString(Objects.requireNonNull(message, "message"), json);
        json.append('}');
        return new Fault(Kind.RESPOND, status, json.toString(), Map.of("Content-Type", "application/json"),
                Duration.ZERO, "error (" + status + ")");
    }

    /** Waits {@code delay}, then handles the request normally. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.PASS, 0, null, Map.of(), requireNonNegative(delay), "delay " + delay);
    }

    /**
     * Reads the request, then closes the connection without answering. The client gets an
     * {@link java.io.IOException}; nothing is stored.
     */
    public static Fault dropConnection() {
        return new Fault(Kind.DROP_CONNECTION, 0, null, Map.of(), Duration.ZERO, "dropConnection");
    }

    /**
     * Handles the request normally but loses its valid records as OpenObserve does when a batch has more
     * columns than {@code ZO_COLS_PER_RECORD_LIMIT}: 200, nothing stored, the records counted in neither
     * {@code successful} nor {@code failed} (records that failed their own checks are still reported failed).
     */
    public static Fault silentLoss() {
        return new Fault(Kind.SILENT_LOSS, 0, null, Map.of(), Duration.ZERO, "silentLoss");
    }

    /** This fault, acting only after {@code delay} has passed (for example a slow 503). */
    public Fault after(Duration delay) {
        return new Fault(kind, status, body, headers, requireNonNegative(delay),
                description + " after " + delay);
    }

    /** This answer with one more response header (for example {@code Retry-After} on a 503). */
    public Fault withHeader(String name, String value) {
        if (kind != Kind.RESPOND) {
            throw new IllegalStateException("Only a fault that answers has headers: " + this);
        }
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Fault(kind, status, body, more, delay, description);
    }

    private Fault describedAs(String text) {
        return new Fault(kind, status, body, headers, delay, text);
    }

    /** The status this fault answers with, or 0 when it does not answer by itself. */
    public int status() {
        return status;
    }

    /** How long the server waits before acting. */
    public Duration delay() {
        return delay;
    }

    Kind kind() {
        return kind;
    }

    byte[] body() {
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    Map<String, String> headers() {
        return headers;
    }

    private static Duration requireNonNegative(Duration delay) {
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return delay;
    }

    @Override
    public String toString() {
        return "Fault[" + description + "]";
    }
}
