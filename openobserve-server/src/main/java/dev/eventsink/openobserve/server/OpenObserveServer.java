package dev.eventsink.openobserve.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for OpenObserve's log ingestion API, for tests and local development: it answers
 * {@code POST /api/{org}/{stream}/_json} and {@code GET /healthz} as OpenObserve does, keeps what it accepted in
 * the shape OpenObserve stores it, records every request, and misbehaves on demand through {@link #faults()}.
 * It listens on 127.0.0.1 only. What it mimics and where it differs: the package documentation.
 *
 * <pre>{@code
 * try (OpenObserveServer server = OpenObserveServer.start()) {
 *     server.faults().next(Fault.memoryTableOverflow());   // the first request gets a 503
 *     // point the sink at server.url() with server.apiKey() ...
 *     assertThat(server.awaitRecordCount("ux_events", 10, Duration.ofSeconds(2))).isTrue();
 *     assertThat(server.records("ux_events").get(0)).containsEntry("eventtype", "click");
 * }
 * }</pre>
 *
 * Every method is thread-safe and may be called while requests are served; query methods return immutable
 * snapshots. {@link #close()} stops the listener at once and ends every thread the server started; what was
 * stored and the request log stay readable afterwards.
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
    private static final AtomicInteger SERVER_IDS = new AtomicInteger();

    private final BasicAuthentication authentication;
    private final Ingestor ingestor;
    private final Faults faults = new Faults();
    private final RequestLog log;
    private final ClientDeadlines deadlines;
    private final HttpServer http;
    private final String url;
    private final AtomicBoolean closed = new AtomicBoolean();

    OpenObserveServer(OpenObserveServerBuilder settings) throws IOException {
        this.authentication = new BasicAuthentication(settings.email, settings.password, settings.extraSecrets);
        this.ingestor = new Ingestor(settings.clock, settings.allowedUptoHours, settings.allowedInFutureHours,
                settings.colsPerRecordLimit, settings.maxRetainedRecordsPerStream);
        this.log = new RequestLog(settings.maxLoggedRequests);
        this.deadlines = new ClientDeadlines(settings.requestTimeout,
                "openobserve-server-" + SERVER_IDS.incrementAndGet());
        IngestHandler ingest = new IngestHandler(settings, ingestor, faults, authentication, deadlines);
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), settings.port);
            this.http = HttpServer.create(address, 256);
        } catch (IOException e) {
            deadlines.close();
            throw e;
        }
        http.setExecutor(deadlines.executor());
        http.createContext("/", new RequestRouter(ingest, log, deadlines, settings.clock, settings.requestTimeout));
        http.start();
        this.url = "http://127.0.0.1:" + http.getAddress().getPort();
        LOG.info("OpenObserve stand-in listening on {} (user {})", url, authentication.email());
    }

    /** A builder with OpenObserve's defaults and an ephemeral port. */
    public static OpenObserveServerBuilder builder() {
        return new OpenObserveServerBuilder();
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
        return authentication.email();
    }

    /** The accepted user's password. */
    public String password() {
        return authentication.password();
    }

    /** {@code email:password}, the form {@code *_EVENT_SINK_API_KEY} takes. */
    public String apiKey() {
        return authentication.apiKey();
    }

    /** The value of a valid {@code Authorization} header: {@code Basic base64(email:password)}. */
    public String basicAuthorization() {
        return authentication.authorizationHeader();
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
        return log.await(() -> recordCount(org, stream) >= count, timeout);
    }

    // ----------------------------------------------------------------------------------------------- requests

    /**
     * Every request received and answered so far (the last {@link OpenObserveServerBuilder#maxLoggedRequests} of
     * them), oldest first.
     */
    public List<ReceivedRequest> requests() {
        return log.requests();
    }

    /** The ingestion requests among {@link #requests()}. */
    public List<ReceivedRequest> ingestRequests() {
        return requests().stream().filter(ReceivedRequest::isIngestion).toList();
    }

    /** Waits until at least {@code count} requests have been answered (or dropped) since start or {@link #clear()}. */
    public boolean awaitRequests(long count, Duration timeout) throws InterruptedException {
        return log.awaitRequests(count, timeout);
    }

    /** Forgets stored records, stream schemas and the request log. Faults are kept: see {@link Faults#clear()}. */
    public void clear() {
        log.clear(ingestor::clear);
    }

    /** Stops listening at once (open connections are closed) and ends the server's threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        deadlines.close();
        LOG.info("OpenObserve stand-in {} stopped", url);
    }

    @Override
    public String toString() {
        return "OpenObserveServer[" + url + ", user " + authentication.email() + (closed.get() ? ", closed" : "")
                + "]";
    }

    private static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
