package dev.eventsink.openobserve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventsink.export.EventBatch;
import dev.eventsink.export.BatchExporter;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.export.ExportResult;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches to OpenObserve's {@code _json} endpoint and reads each answer as OpenObserve's ingestion
 * contract has it (see the openobserve-server module's README, which documents the contract it implements):
 *
 * <ul>
 *   <li><b>200</b> holds per-stream {@code successful} and {@code failed} counts and only the last
 *       {@code error}. All successful: delivered. When some failed, the failed records are worked out from
 *       OpenObserve's time window when the error is a window error and the count matches; otherwise the records
 *       are isolated by sending smaller batches. Records counted in neither (OpenObserve's silent column-limit
 *       loss) are not delivered.</li>
 *   <li><b>401 and 403</b> reject the batch at once with what OpenObserve expects; no retry.</li>
 *   <li><b>400 and 413</b> isolate the bad records by splitting the batch.</li>
 *   <li><b>408, 429, 5xx</b> and network errors are retried, honouring {@code Retry-After}.</li>
 * </ul>
 * For example a 200 with {@code "failed":1} and {@code Too old data, only last 5 hours data can be ingested}
 * rejects the one record older than the window and delivers the rest.
 */
final class OpenObserveExporter implements BatchExporter {

    private static final Logger LOG = LoggerFactory.getLogger(OpenObserveExporter.class);
    /** The most bytes of an answer's body that are read: OpenObserve's status JSON and messages are far smaller. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /**
     * The limits on an answer read as JSON: OpenObserve's status JSON nests 3 levels and its counts have at most 20
     * digits; a string cannot be longer than the body. Past them the answer is not OpenObserve's JSON.
     */
    static final StreamReadConstraints ANSWER_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(16)
            .maxNumberLength(32)
            .maxStringLength(MAX_BODY_BYTES)
            .maxNameLength(MAX_BODY_BYTES)
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(ANSWER_CONSTRAINTS).build()).build();
    private static final Pattern TOO_OLD = Pattern.compile("^Too old data, only last (\\d+) hours");
    private static final Pattern TOO_FAR = Pattern.compile("^Too far data, only future (\\d+) hours");
    private static final int MAX_MESSAGE = 500;

    private final OpenObserveSettings settings;
    private final Clock clock;
    private final String name;
    private final String apiKeyKey;
    private final String timestampModeKey;
    private final String requestTimeoutKey;
    /** {@code null} once closed. */
    private volatile HttpClient client;
    private final AtomicBoolean windowHintLogged = new AtomicBoolean();
    private final ThreadLocal<OpenObserveRecords> encoders = new ThreadLocal<>();
    private final List<OpenObserveRecords> allEncoders = new java.util.concurrent.CopyOnWriteArrayList<>();

    OpenObserveExporter(OpenObserveSettings settings, Clock clock, String name, String apiKeyKey,
            String timestampModeKey, String requestTimeoutKey) {
        this.requestTimeoutKey = requestTimeoutKey;
        this.settings = settings;
        this.clock = clock;
        this.name = name;
        this.apiKeyKey = apiKeyKey;
        this.timestampModeKey = timestampModeKey;
        // The client's own tasks (reading an answer, completing the exchange) run where they arise, on the
        // worker or the client's selector thread, rather than being handed to a pool: each hand-off costs a thread
        // wake-up, which on 2 cores was more CPU than the rest of a request. Nothing blocking runs in them: send()
        // waits on the worker, and the body handler only copies bytes.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public ExportResult export(EventBatch batch) throws InterruptedException {
        OpenObserveRecords.Body encoded = encoder().encode(batch, settings.timestampMode(), settings.gzip());
        long bodyBytes = encoded.length();
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.requestTimeout())
                .header("Authorization", settings.authorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.bytes(), 0, encoded.length()));
        if (settings.gzip()) {
            request.header("Content-Encoding", "gzip");
        }
        HttpClient http = client;
        if (http == null) {
            return ExportResult.retry("the sink is closed", null, 0);
        }
        // The request timeout of java.net.http ends when the headers arrive; the body handler covers the rest of
        // the same deadline, so a server that stalls mid-body cannot hold a worker. send() rather than sendAsync():
        // on a machine whose common pool has one thread, every sendAsync starts a thread of its own.
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        HttpResponse<ResponseBody> response;
        try {
            response = http.send(request.build(), ResponseBody.handler(MAX_BODY_BYTES, deadline));
        } catch (HttpTimeoutException e) {
            return timedOut(bodyBytes);
        } catch (IOException e) {
            if (e.getCause() instanceof TimeoutException) {
                return timedOut(bodyBytes);
            }
            return ExportResult.retry("cannot reach OpenObserve at " + settings.baseUrl() + ": " + describe(e), null,
                    bodyBytes);
        } catch (IllegalArgumentException | SecurityException e) {
            // send() rethrows these from the exchange: java.net.http fails some malformed answers so (a
            // Content-Length beyond a long is a NumberFormatException). The server's fault: retried like a broken
            // connection.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return ExportResult.retry("OpenObserve's answer could not be read: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + excerpt(cause.getMessage(), false)), null, bodyBytes);
        }
        return interpret(batch, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                response.body(), bodyBytes);
    }

    private ExportResult timedOut(long bodyBytes) {
        return ExportResult.retry("OpenObserve did not answer within " + requestTimeoutKey + " "
                + ConfigReader.formatDuration(settings.requestTimeout()), null, bodyBytes);
    }

    /** This worker thread's encoder, made on its first batch. */
    private OpenObserveRecords encoder() {
        OpenObserveRecords encoder = encoders.get();
        if (encoder == null) {
            encoder = new OpenObserveRecords();
            encoders.set(encoder);
            allEncoders.add(encoder);
        }
        return encoder;
    }

    ExportResult interpret(EventBatch batch, int status, String retryAfterHeader, ResponseBody answer,
            long bytesSent) {
        String body = answer.text();
        if (status == 200) {
            return interpretOk(batch, body, answer.truncated(), bytesSent);
        }
        String message = message(body, answer.truncated());
        if (status == 401) {
            return ExportResult.rejectAll("OpenObserve answered 401 " + message + ": it did not accept the credential"
                    + " in " + apiKeyKey + ". It expects Basic auth from 'email:passcode' (the user's password or"
                    + " ingestion passcode) or the base64 of it; Bearer tokens are not accepted", bytesSent);
        }
        if (status == 403) {
            return ExportResult.rejectAll("OpenObserve answered 403 " + message + ": the user of " + apiKeyKey
                    + " may not ingest into organization '" + settings.org() + "'", bytesSent);
        }
        if (status == 400 || status == 413) {
            return ExportResult.isolateAll("OpenObserve answered " + status + ": " + message, bytesSent);
        }
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock);
            return ExportResult.retry("OpenObserve answered " + status + ": " + message, retryAfter, bytesSent);
        }
        return ExportResult.rejectAll("OpenObserve answered " + status + ": " + message, bytesSent);
    }

    private ExportResult interpretOk(EventBatch batch, String body, boolean truncated, long bytesSent) {
        long successful = 0;
        long failed = 0;
        String error = null;
        try {
            JsonNode root = MAPPER.readTree(body);
            for (JsonNode stream : root.path("status")) {
                successful += stream.path("successful").asLong();
                failed += stream.path("failed").asLong();
                if (stream.hasNonNull("error") && !stream.get("error").asText().isEmpty()) {
                    // a reason is one line of bounded length, whatever the server put in its error
                    error = excerpt(stream.get("error").asText(), false);
                }
            }
        } catch (IOException | RuntimeException e) {
            return ExportResult.isolateAll("OpenObserve answered 200 with a body that is not its status JSON: "
                    + excerpt(body, truncated), bytesSent);
        }
        int sent = batch.size();
        if (failed == 0 && successful >= sent) {
            return ExportResult.delivered(bytesSent);
        }
        if (successful == 0 && failed == 0) {
            return ExportResult.rejectAll("OpenObserve stored none of the records of the request and reported no"
                    + " error; the batch's fields probably exceed OpenObserve's column limit (ZO_COLS_PER_RECORD_LIMIT,"
                    + " 1000 by default)", bytesSent);
        }
        if (error == null) {
            LOG.warn("{}: OpenObserve counted {} successful and {} failed of {} records sent, without an error"
                    + " message", name, successful, failed, sent);
        }
        String reason = error != null ? error
                : "OpenObserve did not store every record of the request and gave no error message";
        if (error != null && (TOO_OLD.matcher(error).find() || TOO_FAR.matcher(error).find())) {
            hintAboutTimestampMode();
        }
        if (successful == 0) {
            return ExportResult.rejectAll(reason, bytesSent);
        }
        if (successful + failed == sent && error != null) {
            ExportResult attributed = attributeByWindow(batch, error, failed, bytesSent);
            if (attributed != null) {
                return attributed;
            }
        }
        ExportResult.Builder outcomes = ExportResult.perRecord(bytesSent);
        for (int i = 0; i < sent; i++) {
            outcomes.isolate(i, reason);
        }
        return outcomes.build();
    }

    /**
     * When the error is OpenObserve's time-window error, the records outside that window are the failed ones,
     * provided there are exactly as many as OpenObserve counted; otherwise {@code null}.
     */
    private ExportResult attributeByWindow(EventBatch batch, String error, long failed, long bytesSent) {
        if (settings.timestampMode() != TimestampMode.EVENT) {
            return null;
        }
        Matcher old = TOO_OLD.matcher(error);
        Matcher far = TOO_FAR.matcher(error);
        Instant now = clock.instant();
        List<Integer> outside = new ArrayList<>();
        if (old.find()) {
            Duration window = hours(old.group(1));
            if (window == null) {
                return null;
            }
            Instant earliest = now.minus(window);
            for (int i = 0; i < batch.size(); i++) {
                if (batch.timestamp(i).isBefore(earliest)) {
                    outside.add(i);
                }
            }
        } else if (far.find()) {
            Duration window = hours(far.group(1));
            if (window == null) {
                return null;
            }
            Instant latest = now.plus(window);
            for (int i = 0; i < batch.size(); i++) {
                if (batch.timestamp(i).isAfter(latest)) {
                    outside.add(i);
                }
            }
        } else {
            return null;
        }
        if (outside.size() != failed) {
            return null;
        }
        ExportResult.Builder outcomes = ExportResult.perRecord(bytesSent);
        outside.forEach(i -> outcomes.rejected(i, error));
        return outcomes.build();
    }

    /**
     * The window of an OpenObserve error's hours, or {@code null} when the number has more than 8 digits (over 11,000
     * years, more than any event's time can be away): then the failed records are found by isolation instead.
     */
    private static Duration hours(String digits) {
        if (digits.length() > 8) {
            return null;
        }
        return Duration.ofHours(Long.parseLong(digits));
    }

    private void hintAboutTimestampMode() {
        if (settings.timestampMode() == TimestampMode.EVENT && windowHintLogged.compareAndSet(false, true)) {
            LOG.warn("{}: OpenObserve rejects events whose time is outside its ingestion window (by default 5 hours"
                    + " back, 24 hours ahead). To store older events, set {}=ingestion: OpenObserve then stamps"
                    + " arrival time and the event's own time stays in the field event_time.", name, timestampModeKey);
        }
    }

    /** OpenObserve's {@code message} from a JSON error body, or the body's text. */
    static String message(String body, boolean truncated) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        if (!truncated) {
            try {
                JsonNode root = MAPPER.readTree(body);
                if (root != null && root.hasNonNull("message")) {
                    return excerpt(root.get("message").asText(), false);
                }
            } catch (IOException | RuntimeException notJson) {
                // plain text, as OpenObserve's 401 for wrong credentials
            }
        }
        return excerpt(body.trim(), truncated);
    }

    /**
     * At most {@value #MAX_MESSAGE} characters of a server's text, with control characters escaped so that it
     * cannot forge a log line, and a note of how long it was when cut.
     */
    static String excerpt(String text, boolean truncated) {
        int shown = Math.min(text.length(), MAX_MESSAGE);
        if (shown < text.length() && Character.isHighSurrogate(text.charAt(shown - 1))) {
            shown--;
        }
        StringBuilder out = new StringBuilder(shown + 32);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (truncated) {
            out.append("…(more than ").append(MAX_BODY_BYTES).append(" bytes)");
        } else if (shown < text.length()) {
            out.append("…(").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /** The exception's class and message; the message may quote what the server sent, so it is escaped and cut. */
    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + excerpt(message, false));
    }

    /**
     * Ends the HTTP client's threads and connections. On Java 21 and later the client is closed at once (its
     * {@code shutdownNow}); Java 17's {@code HttpClient} cannot be closed, so its selector thread
     * ({@code HttpClient-N-SelectorManager}) and idle keep-alive connection last until the client, unreferenced from
     * here on, is garbage-collected.
     */
    @Override
    public void close() {
        HttpClient http = client;
        client = null;
        if (http != null) {
            HttpClients.shutdownNow(http);
        }
        allEncoders.forEach(OpenObserveRecords::close);
    }

    @Override
    public String toString() {
        return "OpenObserve{" + settings + "}";
    }
}
