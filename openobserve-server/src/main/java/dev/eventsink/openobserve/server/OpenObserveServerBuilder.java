package dev.eventsink.openobserve.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Configures and starts an {@link OpenObserveServer}; get one from {@link OpenObserveServer#builder()}.
 *
 * <pre>{@code
 * OpenObserveServer server = OpenObserveServer.builder().user("dev@example.com", "secret").flattenLevel(2).start();
 * }</pre>
 *
 * Defaults are OpenObserve's: user {@value OpenObserveServer#DEFAULT_EMAIL} /
 * {@value OpenObserveServer#DEFAULT_PASSWORD}, ingestion window 5 hours back and 24 hours ahead, flatten level 3,
 * payload limit 200 MiB, 1000 columns per request; plus an ephemeral port, the system UTC clock, every record
 * kept, a decoded-size limit of 200 MiB and a request timeout of 30 s. Not thread-safe; {@link #start()} may be
 * called more than once.
 */
public final class OpenObserveServerBuilder {
    int port;
    String email = OpenObserveServer.DEFAULT_EMAIL;
    String password = OpenObserveServer.DEFAULT_PASSWORD;
    final Set<String> extraSecrets = new LinkedHashSet<>();
    Clock clock = Clock.systemUTC();
    long allowedUptoHours = 5;
    long allowedInFutureHours = 24;
    int flattenLevel = 3;
    int payloadLimitBytes = 200 * 1024 * 1024;
    long decodedLimitBytes = 200L * 1024 * 1024;
    Duration requestTimeout = Duration.ofSeconds(30);
    int colsPerRecordLimit = 1000;
    int maxRetainedRecordsPerStream = Integer.MAX_VALUE;
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    int maxLoggedRequests = 100_000;

    OpenObserveServerBuilder() {}

    /** The port on 127.0.0.1; 0 (the default) picks a free one. */
    public OpenObserveServerBuilder port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        this.port = port;
        return this;
    }

    /** The one user accepted: its email and password (OpenObserve's root user). */
    public OpenObserveServerBuilder user(String email, String password) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(password, "password");
        if (email.isEmpty() || email.indexOf(':') >= 0) {
            throw new IllegalArgumentException("email must be non-empty and without ':': " + email);
        }
        this.email = email;
        this.password = password;
        return this;
    }

    /** Another secret accepted with the user's email, like an ingestion passcode or an {@code o2oi_} token. */
    public OpenObserveServerBuilder acceptedSecret(String secret) {
        extraSecrets.add(Objects.requireNonNull(secret, "secret"));
        return this;
    }

    /** The clock for "now": the ingestion window, missing timestamps, {@link ReceivedRequest#arrivalTime()}. */
    public OpenObserveServerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** {@code ZO_INGEST_ALLOWED_UPTO}: how many hours back a {@code _timestamp} may be (default 5). */
    public OpenObserveServerBuilder ingestAllowedUptoHours(long hours) {
        this.allowedUptoHours = hours(hours);
        return this;
    }

    /** {@code ZO_INGEST_ALLOWED_IN_FUTURE}: how many hours ahead a {@code _timestamp} may be (default 24). */
    public OpenObserveServerBuilder ingestAllowedInFutureHours(long hours) {
        this.allowedInFutureHours = hours(hours);
        return this;
    }

    /** {@code ZO_INGEST_FLATTEN_LEVEL} (default 3; 0 flattens without limit), as the package documentation shows. */
    public OpenObserveServerBuilder flattenLevel(int level) {
        if (level < 0) {
            throw new IllegalArgumentException("flatten level must not be negative: " + level);
        }
        this.flattenLevel = level;
        return this;
    }

    /** {@code ZO_PAYLOAD_LIMIT}: the largest raw (still compressed) body, in bytes (default 200 MiB). */
    public OpenObserveServerBuilder payloadLimitBytes(int bytes) {
        if (bytes < 1 || bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("payload limit out of range: " + bytes);
        }
        this.payloadLimitBytes = bytes;
        return this;
    }

    /**
     * The largest body once its {@code Content-Encoding} is undone, in bytes (default 200 MiB); a larger one is
     * answered 413. Decoding stops as soon as the limit is passed, so a small body that inflates to gigabytes
     * costs no more than the limit.
     */
    public OpenObserveServerBuilder decodedLimitBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("decoded limit must be positive: " + bytes);
        }
        this.decodedLimitBytes = bytes;
        return this;
    }

    /**
     * How long the server waits on a client at each step of a request: for its headers, for its body, and for
     * it to take in the answer (default 30 s). A client slower than that has its connection closed without
     * an answer; a request whose headers had arrived is logged as dropped.
     */
    public OpenObserveServerBuilder requestTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + timeout);
        }
        this.requestTimeout = timeout;
        return this;
    }

    /**
     * {@code ZO_COLS_PER_RECORD_LIMIT}: the most distinct fields (including {@code _timestamp}) the valid
     * records of one request may have together before the request is silently lost (default 1000).
     */
    public OpenObserveServerBuilder colsPerRecordLimit(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("column limit must be positive: " + columns);
        }
        this.colsPerRecordLimit = columns;
        return this;
    }

    /** Whether stored records are kept for {@link OpenObserveServer#records}; {@code false} only counts them (benchmarks). */
    public OpenObserveServerBuilder retainRecords(boolean retain) {
        this.maxRetainedRecordsPerStream = retain ? Integer.MAX_VALUE : 0;
        return this;
    }

    /** Keeps at most the first {@code max} records of each stream; the rest are only counted. */
    public OpenObserveServerBuilder maxRetainedRecordsPerStream(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max retained records must not be negative: " + max);
        }
        this.maxRetainedRecordsPerStream = max;
        return this;
    }

    /**
     * How many ingestion requests are worked on at once (default max(4, 2 × processors)): reading the body,
     * decoding, ingesting, and injected delays, which hold one each; others wait their turn. {@code /healthz} and
     * requests refused from their headers (401, 413) never take one, and a client slow to send its body keeps
     * one no longer than the {@linkplain #requestTimeout request timeout}.
     */
    public OpenObserveServerBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        this.threads = threads;
        return this;
    }

    /** How many of the latest requests {@link OpenObserveServer#requests()} keeps (default 100 000; 0 keeps none). */
    public OpenObserveServerBuilder maxLoggedRequests(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max logged requests must not be negative: " + max);
        }
        this.maxLoggedRequests = max;
        return this;
    }

    /**
     * Binds and starts a server.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public OpenObserveServer start() {
        try {
            return new OpenObserveServer(this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the OpenObserve stand-in on 127.0.0.1:" + port, e);
        }
    }

    private static long hours(long hours) {
        if (hours < 0 || hours > 1_000_000) {
            throw new IllegalArgumentException("hours must be 0 to 1000000: " + hours);
        }
        return hours;
    }
}
