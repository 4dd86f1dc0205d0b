package dev.eventsink.openobserve.server;

import java.time.Instant;
import java.util.Objects;

/**
 * One HTTP request an {@link OpenObserveServer} received, with how it answered; read them with
 * {@link OpenObserveServer#requests()}. Never holds credentials: only whether an {@code Authorization} header was
 * present. Immutable; built by the server only, so fields can be added without breaking callers.
 *
 * <pre>{@code
 * ReceivedRequest last = server.ingestRequests().get(0);
 * assertThat(last.status()).isEqualTo(200);
 * assertThat(last.successful()).isEqualTo(10);
 * }</pre>
 */
public final class ReceivedRequest {

    private final String method;
    private final String path;
    private final String org;
    private final String stream;
    private final String contentEncoding;
    private final boolean authorizationPresent;
    private final long bodyBytes;
    private final long arrivalNanos;
    private final Instant arrivalTime;
    private final int status;
    private final int records;
    private final int successful;
    private final int failed;
    private final int lost;
    private final String fault;

    private ReceivedRequest(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method");
        this.path = Objects.requireNonNull(b.path, "path");
        this.org = b.org;
        this.stream = b.stream;
        this.contentEncoding = b.contentEncoding;
        this.authorizationPresent = b.authorizationPresent;
        this.bodyBytes = b.bodyBytes;
        this.arrivalNanos = b.arrivalNanos;
        this.arrivalTime = Objects.requireNonNull(b.arrivalTime, "arrivalTime");
        this.status = b.status;
        this.records = b.records;
        this.successful = b.successful;
        this.failed = b.failed;
        this.lost = b.lost;
        this.fault = b.fault;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The HTTP method. */
    public String method() {
        return method;
    }

    /** The raw request path, for example {@code /api/default/ux_events/_json}. */
    public String path() {
        return path;
    }

    /** The organisation of an ingestion request, or {@code null}. */
    public String org() {
        return org;
    }

    /** The normalised stream name of an ingestion request, or {@code null}. */
    public String stream() {
        return stream;
    }

    /** The {@code Content-Encoding} header, or {@code null}. */
    public String contentEncoding() {
        return contentEncoding;
    }

    /** Whether an {@code Authorization} header was sent. */
    public boolean authorizationPresent() {
        return authorizationPresent;
    }

    /**
     * The raw (still compressed) body bytes read: 0 when the request was answered from its headers alone (401,
     * 413 on its declared length), at most the payload limit + 1.
     */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** {@link System#nanoTime()} when the request reached the handler. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** The server's clock when the request reached the handler. */
    public Instant arrivalTime() {
        return arrivalTime;
    }

    /** The status answered, or 0 when the connection was closed without an answer. */
    public int status() {
        return status;
    }

    /**
     * The elements of the body ({@code _json}: the array's elements, or 1 for a single value), or 0 when the body
     * was not parsed.
     */
    public int records() {
        return records;
    }

    /** Records stored. */
    public int successful() {
        return successful;
    }

    /** Records reported failed. */
    public int failed() {
        return failed;
    }

    /** Records silently lost (column limit or {@link Fault#silentLoss()}). */
    public int lost() {
        return lost;
    }

    /** The injected fault applied, as text, or {@code null}. */
    public String fault() {
        return fault;
    }

    /** Whether this was a request to an ingestion route ({@code /api/{org}/{stream}/_json}). */
    public boolean isIngestion() {
        return stream != null;
    }

    /** Whether the connection was closed without an answer. */
    public boolean dropped() {
        return status == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedRequest r && method.equals(r.method) && path.equals(r.path)
                && Objects.equals(org, r.org) && Objects.equals(stream, r.stream)
                && Objects.equals(contentEncoding, r.contentEncoding)
                && authorizationPresent == r.authorizationPresent && bodyBytes == r.bodyBytes
                && arrivalNanos == r.arrivalNanos && arrivalTime.equals(r.arrivalTime) && status == r.status
                && records == r.records && successful == r.successful && failed == r.failed && lost == r.lost
                && Objects.equals(fault, r.fault);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, org, stream, contentEncoding, authorizationPresent, bodyBytes,
                arrivalNanos, arrivalTime, status, records, successful, failed, lost, fault);
    }

    @Override
    public String toString() {
        return "ReceivedRequest[method=" + method + ", path=" + path + ", org=" + org + ", stream=" + stream
                + ", contentEncoding=" + contentEncoding + ", authorizationPresent=" + authorizationPresent
                + ", bodyBytes=" + bodyBytes + ", arrivalNanos=" + arrivalNanos + ", arrivalTime=" + arrivalTime
                + ", status=" + status + ", records=" + records + ", successful=" + successful + ", failed="
                + failed + ", lost=" + lost + ", fault=" + fault + "]";
    }

    /** Collects a request's fields as it is served. Not thread-safe. */
    static final class Builder {
        private String method;
        private String path;
        private String org;
        private String stream;
        private String contentEncoding;
        private boolean authorizationPresent;
        private long bodyBytes;
        private long arrivalNanos;
        private Instant arrivalTime;
        private int status;
        private int records;
        private int successful;
        private int failed;
        private int lost;
        private String fault;

        private Builder() {}

        Builder method(String method) {
            this.method = method;
            return this;
        }

        Builder path(String path) {
            this.path = path;
            return this;
        }

        Builder org(String org) {
            this.org = org;
            return this;
        }

        Builder stream(String stream) {
            this.stream = stream;
            return this;
        }

        Builder contentEncoding(String contentEncoding) {
            this.contentEncoding = contentEncoding;
            return this;
        }

        Builder authorizationPresent(boolean present) {
            this.authorizationPresent = present;
            return this;
        }

        Builder bodyBytes(long bodyBytes) {
            this.bodyBytes = bodyBytes;
            return this;
        }

        Builder arrival(long nanos, Instant time) {
            this.arrivalNanos = nanos;
            this.arrivalTime = time;
            return this;
        }

        Builder status(int status) {
            this.status = status;
            return this;
        }

        /** The outcome of the body's records: elements, stored, failed, silently lost. */
        Builder outcome(int records, int successful, int failed, int lost) {
            this.records = records;
            this.successful = successful;
            this.failed = failed;
            this.lost = lost;
            return this;
        }

        Builder fault(String fault) {
            this.fault = fault;
            return this;
        }

        ReceivedRequest build() {
            return new ReceivedRequest(this);
        }
    }
}
