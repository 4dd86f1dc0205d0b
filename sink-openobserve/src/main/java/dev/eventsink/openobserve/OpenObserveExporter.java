package dev.eventsink.openobserve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsink.Event;
import dev.eventsink.spi.BatchExporter;
import dev.eventsink.spi.ExportResult;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches to OpenObserve's {@code _json} endpoint and reads each answer as
 * {@code ../shared/docs/openobserve-ingestion.md} describes it:
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
 */
final class OpenObserveExporter implements BatchExporter {

    private static final Logger LOG = LoggerFactory.getLogger(OpenObserveExporter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TOO_OLD = Pattern.compile("^Too old data, only last (\\d+) hours");
    private static final Pattern TOO_FAR = Pattern.compile("^Too far data, only future (\\d+) hours");
    private static final int MAX_MESSAGE = 500;

    private final OpenObserveSettings settings;
    private final Clock clock;
    private final String name;
    private final String apiKeyKey;
    private final String timestampModeKey;
    private final ExecutorService httpExecutor;
    private final HttpClient client;
    private final AtomicBoolean windowHintLogged = new AtomicBoolean();

    OpenObserveExporter(OpenObserveSettings settings, Clock clock, String name, String apiKeyKey,
            String timestampModeKey) {
        this.settings = settings;
        this.clock = clock;
        this.name = name;
        this.apiKeyKey = apiKeyKey;
        this.timestampModeKey = timestampModeKey;
        AtomicInteger threads = new AtomicInteger();
        this.httpExecutor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "eventsink-" + name + "-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .build();
    }

    @Override
    public ExportResult export(List<Event> batch) throws InterruptedException {
        byte[] body = OpenObserveRecords.encode(batch, settings.timestampMode(), settings.gzip());
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.requestTimeout())
                .header("Authorization", settings.authorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.gzip()) {
            request.header("Content-Encoding", "gzip");
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return ExportResult.retry("OpenObserve did not answer in time (" + e.getMessage() + ")", null, body.length);
        } catch (IOException e) {
            return ExportResult.retry("cannot reach OpenObserve at " + settings.baseUrl() + ": " + describe(e), null,
                    body.length);
        }
        return interpret(batch, response, body.length);
    }

    ExportResult interpret(List<Event> batch, HttpResponse<String> response, long bytesSent) {
        int status = response.statusCode();
        if (status == 200) {
            return interpretOk(batch, response.body(), bytesSent);
        }
        String message = message(response.body());
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
            Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
            return ExportResult.retry("OpenObserve answered " + status + ": " + message, retryAfter, bytesSent);
        }
        return ExportResult.rejectAll("OpenObserve answered " + status + ": " + message, bytesSent);
    }

    private ExportResult interpretOk(List<Event> batch, String body, long bytesSent) {
        long successful = 0;
        long failed = 0;
        String error = null;
        try {
            JsonNode root = MAPPER.readTree(body);
            for (JsonNode stream : root.path("status")) {
                successful += stream.path("successful").asLong();
                failed += stream.path("failed").asLong();
                if (stream.hasNonNull("error") && !stream.get("error").asText().isEmpty()) {
                    error = stream.get("error").asText();
                }
            }
        } catch (IOException | RuntimeException e) {
            return ExportResult.isolateAll("OpenObserve answered 200 with a body that is not its status JSON: "
                    + truncate(body), bytesSent);
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
    private ExportResult attributeByWindow(List<Event> batch, String error, long failed, long bytesSent) {
        if (settings.timestampMode() != TimestampMode.EVENT) {
            return null;
        }
        Matcher old = TOO_OLD.matcher(error);
        Matcher far = TOO_FAR.matcher(error);
        Instant now = clock.instant();
        List<Integer> outside = new ArrayList<>();
        if (old.find()) {
            Instant earliest = now.minus(Duration.ofHours(Long.parseLong(old.group(1))));
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).timestamp().isBefore(earliest)) {
                    outside.add(i);
                }
            }
        } else if (far.find()) {
            Instant latest = now.plus(Duration.ofHours(Long.parseLong(far.group(1))));
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).timestamp().isAfter(latest)) {
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

    private void hintAboutTimestampMode() {
        if (settings.timestampMode() == TimestampMode.EVENT && windowHintLogged.compareAndSet(false, true)) {
            LOG.warn("{}: OpenObserve rejects events whose time is outside its ingestion window (by default 5 hours"
                    + " back, 24 hours ahead). To store older events, set {}=ingestion: OpenObserve then stamps"
                    + " arrival time and the event's own time stays in the field event_time.", name, timestampModeKey);
        }
    }

    /** OpenObserve's {@code message} from a JSON error body, or the body's text. */
    static String message(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root != null && root.hasNonNull("message")) {
                return truncate(root.get("message").asText());
            }
        } catch (IOException | RuntimeException notJson) {
            // plain text, as OpenObserve's 401 for wrong credentials
        }
        return truncate(body.trim());
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    @Override
    public void close() {
        httpExecutor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenObserve{" + settings + "}";
    }
}
