package dev.eventsink.openobserve.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process stand-in for OpenObserve's log ingestion API, for tests and local development. It answers the
 * way OpenObserve does (as described in {@code docs/openobserve-ingestion.md}, read from OpenObserve's source),
 * keeps what it accepted in the shape OpenObserve would store it, records every request, and misbehaves on
 * demand through {@link #faults()}.
 *
 * <pre>{@code
 * try (OpenObserveServer server = OpenObserveServer.start()) {
 *     // point the sink at server.url() with server.apiKey() ...
 *     assertThat(server.awaitRecordCount("ux_events", 10, Duration.ofSeconds(2))).isTrue();
 *     assertThat(server.records("ux_events").get(0)).containsEntry("eventtype", "click");
 * }
 * }</pre>
 *
 * <h2>What it mimics</h2>
 * <ul>
 *   <li>{@code POST /api/{org}/{stream}/_json}: a JSON array of objects, or a single value; Content-Type is not
 *       checked. Success and partial failure are both 200
 *       {@code {"code":200,"status":[{"name":"<stream>","successful":N,"failed":M,"error":"<last error>"}]}},
 *       {@code error} absent when there was none. {@code []} answers
 *       {@code {"code":200,"status":[{"name":"<stream>","successful":0,"failed":0}]}}: OpenObserve returns its
 *       (empty) stream status as soon as no record is left to write.</li>
 *   <li>A non-object element fails alone ({@code flatten value must be an object}); invalid JSON fails the whole
 *       request: 400 {@code {"code":400,"message":"SerdeJsonError# <parser message> at line L column C"}} (the
 *       parser message is Jackson's, not serde_json's; nesting deeper than serde_json's 127 levels is refused
 *       too).</li>
 *   <li>{@code GET /healthz}: {@code {"status":"ok"}}, no authentication.</li>
 *   <li>Basic authentication only: no {@code Authorization} header → 401 {@code {"code":401,"message":"Unauthorized
 *       Access"}}; anything else that is not the configured email with the password (or an
 *       {@linkplain Builder#acceptedSecret extra secret}) — wrong credentials, {@code Bearer}, malformed — → 401
 *       plain text {@code Unauthorized Access} with {@code WWW-Authenticate: Bearer realm="openobserve"}.</li>
 *   <li>Stream names and field keys normalised ({@link Names}), records flattened ({@link Flattener} explains the
 *       flatten level with examples), {@code _timestamp} read and checked against the ingestion window
 *       ({@link Timestamps}) and stored as microseconds; a per-stream schema with OpenObserve's casts
 *       ({@link FieldType}); a request whose valid records have more distinct fields than the column limit is
 *       silently lost (200, records counted in neither {@code successful} nor {@code failed}).</li>
 *   <li>{@code Content-Encoding} gzip and deflate (zlib-wrapped or raw) bodies.</li>
 *   <li>Unknown organisations are created on first ingestion, as OpenObserve does for its root user.</li>
 * </ul>
 *
 * <h2>Where it differs from OpenObserve</h2>
 * <ul>
 *   <li>Only {@code _json} and {@code /healthz}: no {@code _multi}, {@code _bulk}, OTLP, search or UI. Other paths
 *       answer 404 with an empty body, other methods 405.</li>
 *   <li>{@code br} and {@code zstd} bodies, which OpenObserve accepts, answer 415 here (the JDK has no decoder);
 *       other unknown encodings answer 415 as well (OpenObserve's answer to them is unverified).</li>
 *   <li>The payload limit applies to the raw (still compressed) body, as {@code ZO_PAYLOAD_LIMIT} does; the 413
 *       body text is this stand-in's own ({@code {"code":413,"message":"..."}}; OpenObserve's is unverified). The
 *       decoded body has a limit of its own ({@link Builder#decodedLimitBytes}), also answered 413.</li>
 *   <li>A client that takes longer than {@link Builder#requestTimeout} to send its headers or its body, or to take
 *       in the answer, has its connection closed without an answer.</li>
 *   <li>No users, roles, permissions (403), quotas, stream settings, user-defined schemas, functions or
 *       pipelines. Reserved fields ({@link #RESERVED_FIELDS}) other than {@code _timestamp} are stored as sent.</li>
 *   <li>A record's null fields are not stored (OpenObserve creates no column for them and a search returns no
 *       value for them).</li>
 *   <li>The type of a new field comes from the first request that carries it (mixing integers and floats gives
 *       Float64, any other mix Utf8); later values are cast to it or fail.</li>
 *   <li>Failure messages other than those documented (413, 415, decompression errors) are this stand-in's own.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * The server binds to 127.0.0.1 only. Each request gets its own thread while it is served, so slow clients do
 * not keep others (or {@code /healthz}) waiting; authenticated ingestion work is done by at most
 * {@link Builder#threads} requests at once, and no body is read before its request is authenticated. Every public
 * method is thread-safe and may be called while requests are served; query methods return immutable snapshots.
 * {@link #close()} stops the listener at once and ends every thread the server started; what was stored and
 * the request log stay readable afterwards.
 *
 * <h2>Throughput</h2>
 * Records are flattened straight from Jackson's streaming parser, with memoised key normalisation. In the README's
 * end-to-end measurement (the openobserve sink and this server in one JVM on two cores, gzip batches of 500,
 * {@link Builder#retainRecords retainRecords(false)}) the pair reaches 93 000 to 136 000 events/s and the server uses
 * about half of the CPU; keeping millions of records is bound by the heap instead. Loading this class sets the JDK system property {@code sun.net.httpserver.nodelay=true} (unless
 * already set) to switch off Nagle's algorithm on the JDK server's sockets; it only takes effect if no
 * {@code HttpServer} was created earlier in the JVM — otherwise every response waits ~40 ms for a delayed ACK.
 */
public final class OpenObserveServer implements AutoCloseable {

    /** The root user's email in OpenObserve's documentation. */
    public static final String DEFAULT_EMAIL = "root@example.com";
    /** The root user's password in OpenObserve's documentation. */
    public static final String DEFAULT_PASSWORD = "Complexpass#123";
    /** OpenObserve's default organisation. */
    public static final String DEFAULT_ORG = "default";
    /** Field names OpenObserve reserves for itself. */
    public static final Set<String> RESERVED_FIELDS =
            Set.of("_timestamp", "_o2_ingest_ts", "_o2_id", "_original", "_all_values", "_all");

    private static final Logger LOG = LoggerFactory.getLogger(OpenObserveServer.class);
    private static final String JSON = "application/json";
    private static final byte[] UNAUTHORIZED_JSON =
            "{\"code\":401,\"message\":\"Unauthorized Access\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNAUTHORIZED_TEXT = "Unauthorized Access".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    /** serde_json refuses nesting deeper than this (its recursion limit of 128, counted its way). */
    private static final int MAX_NESTING_DEPTH = 127;
    private static final AtomicInteger SERVER_IDS = new AtomicInteger();
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server writes a response's headers and its body as two TCP segments and, by default, leaves
        // Nagle's algorithm on: the body then waits for the client's delayed ACK, about 40 ms per request, which
        // caps a benchmark at a few hundred requests per second. The JDK reads this property once, when the
        // first HttpServer of the JVM is created, so it is set here unless the user set it.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final Clock clock;
    private final Duration requestTimeout;
    private final String email;
    private final Set<String> secrets;
    private final int payloadLimit;
    private final long decodedLimit;
    private final int maxLoggedRequests;
    private final Ingestor ingestor;
    private final Faults faults = new Faults();
    private final int flattenLevel;
    private final JsonFactory jsonFactory;
    /** Only for the 400 answer to invalid JSON, which keeps the tree parser's words ({@link #treeParseError}). */
    private final ObjectMapper mapper;
    private final HttpServer http;
    private final ClientDeadlines deadlines;
    /** Ingestion work (reading the body, decoding, ingesting, injected delays) runs on at most this many at once. */
    private final Semaphore ingestSlots;
    private final String url;
    private final String password;
    private final ArrayDeque<ReceivedRequest> requests = new ArrayDeque<>();
    private final Object signal = new Object();
    private long requestsLogged;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OpenObserveServer(Builder b) throws IOException {
        this.clock = b.clock;
        this.requestTimeout = b.requestTimeout;
        this.email = b.email;
        this.password = b.password;
        Set<String> accepted = new LinkedHashSet<>();
        accepted.add(b.password);
        accepted.addAll(b.extraSecrets);
        this.secrets = Set.copyOf(accepted);
        this.payloadLimit = b.payloadLimitBytes;
        this.decodedLimit = b.decodedLimitBytes;
        this.maxLoggedRequests = b.maxLoggedRequests;
        this.ingestor = new Ingestor(b.clock, b.allowedUptoHours, b.allowedInFutureHours, b.colsPerRecordLimit,
                b.maxRetainedRecordsPerStream);
        this.flattenLevel = b.flattenLevel;
        this.jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .build())
                // correctly rounded like Double.parseDouble (same values), several times faster
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        this.mapper = new ObjectMapper(jsonFactory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        int id = SERVER_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "openobserve-server-" + id + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadFactory watchdog = r -> {
            Thread t = new Thread(r, "openobserve-server-" + id + "-watchdog");
            t.setDaemon(true);
            return t;
        };
        this.ingestSlots = new Semaphore(b.threads, true);
        this.deadlines = new ClientDeadlines(b.requestTimeout, threads, watchdog);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), b.port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 256);
        } catch (IOException e) {
            closeQuietly(deadlines);
            throw e;
        }
        this.http = server;
        http.setExecutor(deadlines.executor());
        http.createContext("/", this::handle);
        http.start();
        this.url = "http://127.0.0.1:" + http.getAddress().getPort();
        LOG.info("OpenObserve stand-in listening on {} (user {})", url, email);
    }

    /** A builder with OpenObserve's defaults and an ephemeral port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with all defaults on an ephemeral port. */
    public static OpenObserveServer start() {
        return builder().start();
    }

    // ---------------------------------------------------------------------------------------------- addresses

    /** The base URL, for example {@code http://127.0.0.1:43117} (no trailing slash). */
    public String url() {
        return url;
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The ingestion URL of a stream of the {@code default} organisation (the stream name percent-encoded). */
    public String ingestUrl(String stream) {
        return ingestUrl(DEFAULT_ORG, stream);
    }

    /** The ingestion URL {@code <url>/api/<org>/<stream>/_json}, both names percent-encoded. */
    public String ingestUrl(String org, String stream) {
        return url + "/api/" + encodeSegment(org) + "/" + encodeSegment(stream) + "/_json";
    }

    /** The accepted user's email. */
    public String email() {
        return email;
    }

    /** The accepted user's password. */
    public String password() {
        return password;
    }

    /** {@code email:password}, the form {@code *_EVENT_SINK_API_KEY} takes. */
    public String apiKey() {
        return email + ":" + password;
    }

    /** The value of a valid {@code Authorization} header: {@code Basic base64(email:password)}. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(apiKey().getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------- faults

    /** The fault script applied to ingestion requests. */
    public Faults faults() {
        return faults;
    }

    // ------------------------------------------------------------------------------------------------ records

    /**
     * The records stored in a stream of the {@code default} organisation, oldest first, as OpenObserve stores
     * them: normalised keys, flattened, {@code _timestamp} in microseconds ({@link Long}), numbers as
     * {@link Long} (or {@link java.math.BigInteger} above {@code Long.MAX_VALUE}) or {@link Double}, no nulls.
     * The stream name is normalised first, so {@code records("UX-Events")} reads {@code ux_events}.
     */
    public List<Map<String, Object>> records(String stream) {
        return records(DEFAULT_ORG, stream);
    }

    /** The records stored in {@code org}/{@code stream} (see {@link #records(String)}). */
    public List<Map<String, Object>> records(String org, String stream) {
        return ingestor.records(org, Names.formatStreamName(stream));
    }

    /** How many records a stream of the {@code default} organisation accepted (kept or not). */
    public long recordCount(String stream) {
        return recordCount(DEFAULT_ORG, stream);
    }

    /** How many records {@code org}/{@code stream} accepted, kept or not. */
    public long recordCount(String org, String stream) {
        return ingestor.recordCount(org, Names.formatStreamName(stream));
    }

    /** The streams of the {@code default} organisation that received records, sorted. */
    public Set<String> streams() {
        return streams(DEFAULT_ORG);
    }

    /** The streams of {@code org} that received records, sorted. */
    public Set<String> streams(String org) {
        return ingestor.streams(org);
    }

    /** The organisations that received records, sorted. */
    public Set<String> orgs() {
        return ingestor.orgs();
    }

    /** A stream's schema: field → Arrow type name ({@code Int64}, {@code Float64}, {@code Boolean}, {@code Utf8}). */
    public Map<String, String> schema(String stream) {
        return schema(DEFAULT_ORG, stream);
    }

    /** The schema of {@code org}/{@code stream}. */
    public Map<String, String> schema(String org, String stream) {
        return ingestor.schema(org, Names.formatStreamName(stream));
    }

    /**
     * Waits until a stream of the {@code default} organisation has accepted at least {@code count} records.
     *
     * @return whether it did before {@code timeout}
     */
    public boolean awaitRecordCount(String stream, long count, Duration timeout) throws InterruptedException {
        return awaitRecordCount(DEFAULT_ORG, stream, count, timeout);
    }

    /** Waits until {@code org}/{@code stream} has accepted at least {@code count} records. */
    public boolean awaitRecordCount(String org, String stream, long count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (recordCount(org, stream) < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            return true;
        }
    }

    // ----------------------------------------------------------------------------------------------- requests

    /** Every request received and answered so far (the last {@link Builder#maxLoggedRequests} of them), oldest first. */
    public List<ReceivedRequest> requests() {
        synchronized (signal) {
            return List.copyOf(requests);
        }
    }

    /** The ingestion requests among {@link #requests()}. */
    public List<ReceivedRequest> ingestRequests() {
        return requests().stream().filter(ReceivedRequest::isIngestion).toList();
    }

    /** Waits until at least {@code count} requests have been answered (or dropped) since start or {@link #clear()}. */
    public boolean awaitRequests(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (requestsLogged < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            return true;
        }
    }

    /** Forgets stored records, stream schemas and the request log. Faults are kept: see {@link Faults#clear()}. */
    public void clear() {
        synchronized (signal) {
            ingestor.clear();
            requests.clear();
            requestsLogged = 0;
        }
    }

    /** Stops listening at once (open connections are closed) and ends the server's threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        closeQuietly(deadlines);
        LOG.info("OpenObserve stand-in {} stopped", url);
    }

    private static void closeQuietly(ClientDeadlines deadlines) {
        try {
            deadlines.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OpenObserveServer[" + url + ", user " + email + (closed.get() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------------ serving

    /** What is known of a request while it is handled, turned into a {@link ReceivedRequest} at the end. */
    private static final class Call {
        final String method;
        final String path;
        final String contentEncoding;
        final boolean authorizationPresent;
        final long arrivalNanos;
        final Instant arrivalTime;
        String org;
        String stream;
        long bodyBytes;
        int status;
        Ingestor.Outcome outcome;
        String fault;
        boolean logged;

        Call(HttpExchange exchange, long arrivalNanos, Instant arrivalTime) {
            this.method = exchange.getRequestMethod();
            this.path = exchange.getRequestURI().getRawPath();
            this.contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            this.authorizationPresent = exchange.getRequestHeaders().containsKey("Authorization");
            this.arrivalNanos = arrivalNanos;
            this.arrivalTime = arrivalTime;
        }

        ReceivedRequest toRequest() {
            Ingestor.Outcome o = outcome;
            return new ReceivedRequest(method, path, org, stream, contentEncoding, authorizationPresent, bodyBytes,
                    arrivalNanos, arrivalTime, status, o == null ? 0 : o.records(), o == null ? 0 : o.successful(),
                    o == null ? 0 : o.failed(), o == null ? 0 : o.lost(), fault);
        }
    }

    private void handle(HttpExchange exchange) {
        long arrivalNanos = System.nanoTime();
        Call call = new Call(exchange, arrivalNanos, clock.instant());
        try {
            String[] segments = call.path.split("/", -1);
            if (call.path.equals("/healthz")) {
                if (call.method.equals("GET")) {
                    respond(exchange, call, 200, JSON, HEALTHY, Map.of());
                } else {
                    respond(exchange, call, 405, null, new byte[0], Map.of("Allow", "GET"));
                }
            } else if (segments.length == 5 && segments[0].isEmpty() && segments[1].equals("api")
                    && !segments[2].isEmpty() && !segments[3].isEmpty() && segments[4].equals("_json")) {
                call.org = decodeSegment(segments[2]);
                call.stream = Names.formatStreamName(decodeSegment(segments[3]));
                ingest(exchange, call);
            } else {
                respond(exchange, call, 404, null, new byte[0], Map.of());
            }
        } catch (IOException e) {
            if (deadlines.expired()) {
                LOG.info("OpenObserve stand-in: {} {}: the client took longer than {} to send; connection closed",
                        call.method, call.path, requestTimeout);
            } else {
                LOG.debug("OpenObserve stand-in: {} {} failed: {}", call.method, call.path, e.toString());
            }
        } catch (InterruptedException e) {
            // the server is closing, or the client ran out of time: the connection is dropped
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("OpenObserve stand-in: {} {} failed", call.method, call.path, e);
            if (call.status == 0) {
                try {
                    respond(exchange, call, 500, JSON, errorBody(500, "Internal error of the OpenObserve stand-in: "
                            + e), Map.of());
                } catch (IOException | RuntimeException ignored) {
                    // the connection is gone; the request is logged as dropped
                }
            }
        } finally {
            log(call); // when no answer was sent: logged as dropped
            deadlines.clientTurn(); // closing the exchange may read what is left of the body
            exchange.close();
        }
    }

    /**
     * Serves {@code POST /api/{org}/{stream}/_json}. The body is read only once the request is known to be
     * wanted: after authentication (from the headers) and the declared size check, or for a fault that answers by
     * itself. Body reads and answers run under the client deadline; the rest under an ingestion slot.
     */
    private void ingest(HttpExchange exchange, Call call) throws IOException, InterruptedException {
        if (!call.method.equals("POST")) {
            respond(exchange, call, 405, null, new byte[0], Map.of("Allow", "POST"));
            return;
        }
        Fault fault = faults.take();
        if (fault == null && !admitted(exchange, call)) {
            return;
        }
        deadlines.serverTurn();
        ingestSlots.acquire();
        try {
            boolean forceLoss = false;
            if (fault != null) {
                call.fault = fault.toString();
                boolean actsAlone = fault.kind() == Fault.Kind.RESPOND || fault.kind() == Fault.Kind.DROP_CONNECTION;
                if (actsAlone) {
                    // as if the server had read the request: the client is not left sending into a closed socket
                    deadlines.clientTurn();
                    RequestBody.discard(exchange.getRequestBody(), payloadLimit, n -> call.bodyBytes = n);
                    deadlines.serverTurn();
                }
                if (!fault.delay().isZero()) {
                    Thread.sleep(fault.delay().toMillis(), fault.delay().toNanosPart() % 1_000_000);
                }
                switch (fault.kind()) {
                    case RESPOND -> {
                        respond(exchange, call, fault.status(), null, fault.body(), fault.headers());
                        return;
                    }
                    case DROP_CONNECTION -> {
                        // Closing an exchange whose response headers were never sent closes the socket: the client
                        // reads end-of-stream where the status line should be and fails with an IOException.
                        log(call);
                        return;
                    }
                    case SILENT_LOSS -> forceLoss = true;
                    case PASS -> {
                        // handled normally after the delay
                    }
                }
                if (!admitted(exchange, call)) {
                    return;
                }
            }
            ingestBody(exchange, call, forceLoss);
        } finally {
            ingestSlots.release();
        }
    }

    /**
     * Authentication and the declared size, from the headers alone: answers 401 or 413 without reading the body.
     *
     * @return whether the request may go on
     */
    private boolean admitted(HttpExchange exchange, Call call) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            respond(exchange, call, 401, JSON, UNAUTHORIZED_JSON, Map.of());
            return false;
        }
        if (!authorized(authorization)) {
            respond(exchange, call, 401, "text/plain; charset=utf-8", UNAUTHORIZED_TEXT,
                    Map.of("WWW-Authenticate", "Bearer realm=\"openobserve\""));
            return false;
        }
        if (declaredLength(exchange) > payloadLimit) {
            respond(exchange, call, 413, JSON, payloadTooLarge(), Map.of());
            return false;
        }
        return true;
    }

    private void ingestBody(HttpExchange exchange, Call call, boolean forceLoss) throws IOException {
        List<String> codings;
        try {
            codings = RequestBody.codings(call.contentEncoding);
        } catch (RequestBody.UnsupportedEncoding e) {
            respond(exchange, call, 415, JSON, errorBody(415, e.getMessage()), Map.of());
            return;
        }
        deadlines.clientTurn();
        byte[] raw = RequestBody.read(exchange.getRequestBody(), declaredLength(exchange), payloadLimit,
                n -> call.bodyBytes = n);
        deadlines.serverTurn();
        if (raw == null) {
            respond(exchange, call, 413, JSON, payloadTooLarge(), Map.of());
            return;
        }
        RequestBody body = new RequestBody(raw, codings, decodedLimit);

        List<FlatRecord> elements;
        try {
            elements = parse(body);
        } catch (RequestBody.DecodedTooLarge e) {
            respond(exchange, call, 413, JSON, errorBody(413, "Payload Too Large: " + e.getMessage()), Map.of());
            return;
        } catch (JsonProcessingException parseError) {
            // OpenObserve decodes the whole body before parsing it: a decoding error anywhere comes first
            if (answeredDecodingError(exchange, call, body)) {
                return;
            }
            JsonProcessingException e = treeParseError(body, parseError);
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            respond(exchange, call, 400, JSON, errorBody(400, "SerdeJsonError# " + e.getOriginalMessage() + where),
                    Map.of());
            return;
        } catch (IOException e) {
            respond(exchange, call, 400, JSON, decompressionError(call, e), Map.of());
            return;
        } catch (OutOfMemoryError e) {
            respond(exchange, call, 413, JSON, errorBody(413, "Payload Too Large: the request body's records do"
                    + " not fit in memory"), Map.of());
            return;
        }
        if (elements == null) {
            respond(exchange, call, 400, JSON, errorBody(400, "SerdeJsonError# EOF while parsing a value"
                    + endPosition(body)), Map.of());
            return;
        }

        Ingestor.Outcome outcome = ingestor.ingest(call.org, call.stream, elements, forceLoss);
        call.outcome = outcome;
        StringBuilder json = new StringBuilder(160).append("{\"code\":200,\"status\":[{\"name\":");
        SerdeJson.writeString(call.stream, json);
        json.append(",\"successful\":").append(outcome.successful())
                .append(",\"failed\":").append(outcome.failed());
        if (outcome.lastError() != null && !outcome.lastError().isEmpty()) {
            json.append(",\"error\":");
            SerdeJson.writeString(outcome.lastError(), json);
        }
        json.append("}]}");
        respond(exchange, call, 200, JSON, json.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /**
     * Answers the body's decoding error (400, or 413 over the decoded-size limit), if it has one.
     *
     * @return whether it had one
     */
    private boolean answeredDecodingError(HttpExchange exchange, Call call, RequestBody body) throws IOException {
        try {
            body.verifyDecodes();
            return false;
        } catch (RequestBody.DecodedTooLarge e) {
            respond(exchange, call, 413, JSON, errorBody(413, "Payload Too Large: " + e.getMessage()), Map.of());
            return true;
        } catch (IOException e) {
            respond(exchange, call, 400, JSON, decompressionError(call, e), Map.of());
            return true;
        }
    }

    private static byte[] decompressionError(Call call, IOException e) {
        return errorBody(400, "Failed to decompress the request body (" + call.contentEncoding + "): "
                + e.getMessage());
    }

    private byte[] payloadTooLarge() {
        return errorBody(413, "Payload Too Large: the request body is larger than the payload limit of "
                + payloadLimit + " bytes (ZO_PAYLOAD_LIMIT)");
    }

    /** The {@code Content-Length}, or -1 when absent or not a number (a chunked body). */
    private static long declaredLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The body's records, flattened ({@code null} for an element that is not an object): the elements of an
     * array, or the single value. The whole body is read before anything is ingested, so invalid JSON anywhere
     * fails the whole request.
     *
     * @return {@code null} when the body holds no JSON value at all
     * @throws JsonProcessingException when the body is not one valid JSON value
     */
    private List<FlatRecord> parse(RequestBody body) throws IOException {
        try (JsonParser parser = body.parser(jsonFactory)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Flattener flattener = new Flattener(flattenLevel);
            List<FlatRecord> elements;
            if (first == JsonToken.START_ARRAY) {
                elements = new ArrayList<>(Math.max(16, body.rawLength() / 256));
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(flattener.flatten(parser));
                }
            } else {
                elements = Collections.singletonList(flattener.flatten(parser));
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Trailing token after the value");
            }
            return elements;
        }
    }

    /**
     * The error the tree parser ({@code ObjectMapper.readTree} with {@code FAIL_ON_TRAILING_TOKENS}) reports for
     * an invalid body, so that the 400 answer's message does not depend on how the body was read; {@code
     * fallback} if that parser accepts the body.
     */
    private JsonProcessingException treeParseError(RequestBody body, JsonProcessingException fallback) {
        try (InputStream in = body.open()) {
            mapper.readTree(in);
        } catch (JsonProcessingException e) {
            return e;
        } catch (IOException e) {
            return fallback;
        }
        return fallback;
    }

    private boolean authorized(String header) {
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return false; // Bearer and everything else: OpenObserve's open-source build accepts Basic only
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0 && decoded.substring(0, colon).equals(email)
                && secrets.contains(decoded.substring(colon + 1));
    }

    /** Where the decoded body ends, as serde_json reports it. */
    private static String endPosition(RequestBody body) throws IOException {
        int line = 1;
        int column = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = body.open()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line++;
                        column = 0;
                    } else {
                        column++;
                    }
                }
            }
        }
        return " at line " + line + " column " + column;
    }

    private static byte[] errorBody(int code, String message) {
        StringBuilder json = new StringBuilder("{\"code\":").append(code).append(",\"message\":");
        SerdeJson.writeString(message, json);
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Logs the request, then answers: so a client that has its answer also finds it in {@link #requests()}. */
    private void respond(HttpExchange exchange, Call call, int status, String contentType, byte[] body,
            Map<String, String> headers) throws IOException {
        Headers out = exchange.getResponseHeaders();
        if (contentType != null) {
            out.set("Content-Type", contentType);
        }
        headers.forEach(out::set);
        call.status = status;
        log(call);
        deadlines.clientTurn();
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** Adds the request to the log (once) and wakes the waiters of {@link #awaitRequests} and {@link #awaitRecordCount}. */
    private void log(Call call) {
        if (call.logged) {
            return;
        }
        call.logged = true;
        ReceivedRequest request = call.toRequest();
        LOG.debug("OpenObserve stand-in: {}", request);
        synchronized (signal) {
            if (maxLoggedRequests > 0) {
                if (requests.size() >= maxLoggedRequests) {
                    requests.pollFirst();
                }
                requests.addLast(request);
            }
            requestsLogged++;
            signal.notifyAll();
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

    private static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------------------------------------ builder

    /**
     * Configures an {@link OpenObserveServer}. Defaults are OpenObserve's: user {@value #DEFAULT_EMAIL} /
     * {@value #DEFAULT_PASSWORD}, ingestion window 5 hours back and 24 hours ahead, flatten level 3, payload
     * limit 200 MiB, 1000 columns per request; plus an ephemeral port, the system UTC clock and every record
     * kept. Not thread-safe; {@link #start()} may be called more than once.
     */
    public static final class Builder {
        private int port;
        private String email = DEFAULT_EMAIL;
        private String password = DEFAULT_PASSWORD;
        private final Set<String> extraSecrets = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private long allowedUptoHours = 5;
        private long allowedInFutureHours = 24;
        private int flattenLevel = 3;
        private int payloadLimitBytes = 200 * 1024 * 1024;
        private long decodedLimitBytes = 200L * 1024 * 1024;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int colsPerRecordLimit = 1000;
        private int maxRetainedRecordsPerStream = Integer.MAX_VALUE;
        private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private int maxLoggedRequests = 100_000;

        private Builder() {}

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The one user accepted: its email and password (OpenObserve's root user). */
        public Builder user(String email, String password) {
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
        public Builder acceptedSecret(String secret) {
            extraSecrets.add(Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /** The clock for "now": the ingestion window, missing timestamps, {@link ReceivedRequest#arrivalTime()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@code ZO_INGEST_ALLOWED_UPTO}: how many hours back a {@code _timestamp} may be (default 5). */
        public Builder ingestAllowedUptoHours(long hours) {
            this.allowedUptoHours = hours(hours);
            return this;
        }

        /** {@code ZO_INGEST_ALLOWED_IN_FUTURE}: how many hours ahead a {@code _timestamp} may be (default 24). */
        public Builder ingestAllowedInFutureHours(long hours) {
            this.allowedInFutureHours = hours(hours);
            return this;
        }

        /** {@code ZO_INGEST_FLATTEN_LEVEL} (default 3; 0 flattens without limit): see {@link Flattener}. */
        public Builder flattenLevel(int level) {
            if (level < 0) {
                throw new IllegalArgumentException("flatten level must not be negative: " + level);
            }
            this.flattenLevel = level;
            return this;
        }

        /** {@code ZO_PAYLOAD_LIMIT}: the largest raw (still compressed) body, in bytes (default 200 MiB). */
        public Builder payloadLimitBytes(int bytes) {
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
        public Builder decodedLimitBytes(long bytes) {
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
        public Builder requestTimeout(Duration timeout) {
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
        public Builder colsPerRecordLimit(int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("column limit must be positive: " + columns);
            }
            this.colsPerRecordLimit = columns;
            return this;
        }

        /** Whether stored records are kept for {@link #records}; {@code false} only counts them (benchmarks). */
        public Builder retainRecords(boolean retain) {
            this.maxRetainedRecordsPerStream = retain ? Integer.MAX_VALUE : 0;
            return this;
        }

        /** Keeps at most the first {@code max} records of each stream; the rest are only counted. */
        public Builder maxRetainedRecordsPerStream(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max retained records must not be negative: " + max);
            }
            this.maxRetainedRecordsPerStream = max;
            return this;
        }

        /**
         * How many ingestion requests are worked on at once (default max(4, 2 × processors)): reading the body,
         * decoding, ingesting, and injected delays, which hold one each. Others wait their turn; {@code /healthz},
         * unauthenticated requests and slow clients never take one from them.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** How many of the latest requests {@link #requests()} keeps (default 100 000; 0 keeps none). */
        public Builder maxLoggedRequests(int max) {
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
}
