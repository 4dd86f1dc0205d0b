/**
 * An OpenObserve-compatible HTTP ingestion server for tests and local development.
 * {@link dev.eventsink.openobserve.server.OpenObserveServer} is the server (configured with
 * {@link dev.eventsink.openobserve.server.OpenObserveServerBuilder}), scripted with
 * {@link dev.eventsink.openobserve.server.Fault}s through {@link dev.eventsink.openobserve.server.Faults}, and
 * logging {@link dev.eventsink.openobserve.server.ReceivedRequest}s;
 * {@link dev.eventsink.openobserve.server.ForegroundServer} runs it for local development, from
 * {@link dev.eventsink.openobserve.server.OpenObserveServerMain} or the {@code eventsink serve-openobserve}
 * command. The contract it implements is written down in the module's {@code README.md}.
 *
 * <p>It is a standalone fake: it uses only the JDK's {@code com.sun.net.httpserver}, Jackson and SLF4J, no class
 * of the SDK and no test framework, so it judges a sink by its HTTP traffic alone and can run inside a program.
 *
 * <h2>What it mimics</h2>
 * <ul>
 *   <li>{@code POST /api/{org}/{stream}/_json}: a JSON array of objects, or a single value; Content-Type is not
 *       checked. Success and partial failure are both 200
 *       {@code {"code":200,"status":[{"name":"<stream>","successful":N,"failed":M,"error":"<last error>"}]}},
 *       {@code error} absent when there was none. {@code []} answers
 *       {@code {"code":200,"status":[{"name":"<stream>","successful":0,"failed":0}]}}.</li>
 *   <li>A non-object element fails alone ({@code flatten value must be an object}); invalid JSON fails the whole
 *       request: 400 {@code {"code":400,"message":"SerdeJsonError# <parser message> at line L column C"}} (the
 *       parser message is Jackson's, not serde_json's; nesting deeper than serde_json's 127 levels is refused
 *       too).</li>
 *   <li>{@code GET /healthz}: {@code {"status":"ok"}}, no authentication.</li>
 *   <li>Basic authentication only: no {@code Authorization} header → 401 {@code {"code":401,"message":"Unauthorized
 *       Access"}}; anything else that is not the configured email with the password (or an
 *       {@linkplain dev.eventsink.openobserve.server.OpenObserveServerBuilder#acceptedSecret extra secret}) —
 *       wrong credentials, {@code Bearer}, malformed — → 401 plain text {@code Unauthorized Access} with
 *       {@code WWW-Authenticate: Bearer realm="openobserve"}. Both are answered from the headers, before any of
 *       the body is read.</li>
 *   <li>Stream names and field keys normalised, records flattened up to the flatten level (nested keys joined
 *       with {@code _}; deeper objects and all arrays stored as JSON text), {@code _timestamp} read in any unit
 *       or format OpenObserve reads, checked against the ingestion window and stored as microseconds; a
 *       per-stream schema with OpenObserve's casts; a request whose valid records have more distinct fields than
 *       the column limit is silently lost (200, records counted in neither {@code successful} nor
 *       {@code failed}).</li>
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
 *   <li>The payload limit applies to the raw (still compressed) body, as {@code ZO_PAYLOAD_LIMIT} does; the
 *       decoded body has a limit of its own
 *       ({@link dev.eventsink.openobserve.server.OpenObserveServerBuilder#decodedLimitBytes}). Both answer 413
 *       with this stand-in's own body text ({@code {"code":413,"message":"..."}}; OpenObserve's is
 *       unverified).</li>
 *   <li>A client that takes longer than the
 *       {@linkplain dev.eventsink.openobserve.server.OpenObserveServerBuilder#requestTimeout request timeout} to
 *       send its headers or its body, or to take in the answer, has its connection closed without an answer.</li>
 *   <li>No users, roles, permissions (403), quotas, stream settings, user-defined schemas, functions or
 *       pipelines. Reserved fields
 *       ({@link dev.eventsink.openobserve.server.OpenObserveServer#RESERVED_FIELDS}) other than
 *       {@code _timestamp} are stored as sent.</li>
 *   <li>A record's null fields are not stored (OpenObserve creates no column for them and a search returns no
 *       value for them).</li>
 *   <li>The type of a new field comes from the first request that carries it (mixing integers and floats gives
 *       Float64, any other mix Utf8); later values are cast to it or fail.</li>
 *   <li>Failure messages other than those documented (413, 415, decompression errors) are this stand-in's own.</li>
 * </ul>
 *
 * <h2>Threads and hostile clients</h2>
 * Each request gets a thread of its own while it is served, so a slow client never keeps another request, or
 * {@code /healthz}, waiting. The time a client may take at each step — its headers, its body, taking in the
 * answer — is bounded by the request timeout, enforced by a watchdog that closes the connection of a client
 * that is too slow: the JDK server's own {@code sun.net.httpserver.maxReqTime} and {@code maxRspTime} are
 * JVM-wide, read once and counted in whole seconds, so the server keeps its own accounting. Work on authenticated
 * ingestion requests (reading the body, decoding, ingesting, injected delays) is done by at most
 * {@link dev.eventsink.openobserve.server.OpenObserveServerBuilder#threads} requests at once; unauthenticated
 * requests are answered from their headers and never take a share of it. A body is decoded as a stream and
 * decoding stops as soon as the decoded-size limit is passed.
 *
 * <h2>Throughput</h2>
 * Records are flattened straight from Jackson's streaming parser, with memoised key normalisation; with
 * {@link dev.eventsink.openobserve.server.OpenObserveServerBuilder#retainRecords retainRecords(false)} the server
 * only counts what it accepted, so it can take millions of records without holding them. The JDK server
 * answers fastest with Nagle's algorithm off, a JVM-wide setting that only a program's {@code main} should make:
 * {@link dev.eventsink.openobserve.server.JvmSettings#apply()}; a test JVM sets the system property
 * {@code sun.net.httpserver.nodelay=true} at its start instead (in Maven, surefire's
 * {@code systemPropertyVariables}). The README's performance section has the measurements.
 */
package dev.eventsink.openobserve.server;
