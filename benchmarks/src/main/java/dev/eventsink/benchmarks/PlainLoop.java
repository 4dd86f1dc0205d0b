package dev.eventsink.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsink.EventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * The yardstick of the end-to-end program: what an application would write by hand to ship the same events to
 * OpenObserve, with no library. On the caller's thread it writes each event as the same record the
 * {@code openobserve} sink writes (Jackson's streaming generator, the payload through an {@link ObjectMapper})
 * into a gzip stream ({@link GZIPOutputStream}, the JDK's default level), one request per channel every 1,000
 * events, sent with {@code java.net.http} and waited for. No queue, no retry, no accounting.
 *
 * <pre>{@code
 * PlainLoop loop = new PlainLoop(url, "root@example.com:secret");
 * PlainLoop.Result result = loop.run(new Workload(0), 1_000_000);
 * }</pre>
 *
 * Not thread-safe.
 */
final class PlainLoop {

    static final int EVENTS_PER_REQUEST = 1_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String authorization;
    private final URI uxUri;
    private final URI simUri;

    /** What the loop sent: events in requests answered 200, requests, request body bytes. */
    record Result(long delivered, long failed, long requests, long bodyBytes) {}

    PlainLoop(String baseUrl, String apiKey) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8));
        this.uxUri = URI.create(baseUrl + "/api/default/ux_events/_json");
        this.simUri = URI.create(baseUrl + "/api/default/simulation_events/_json");
    }

    /** One channel's request being written. */
    private final class Batch {
        final URI uri;
        ByteArrayOutputStream body;
        JsonGenerator json;
        int count;

        Batch(URI uri) {
            this.uri = uri;
        }

        void add(Workload.Sample e) throws IOException {
            if (json == null) {
                body = new ByteArrayOutputStream(64 * 1024);
                json = MAPPER.getFactory().createGenerator(new GZIPOutputStream(body, 8192));
                json.writeStartArray();
            }
            json.writeStartObject();
            json.writeNumberField("_timestamp", e.timestamp().getEpochSecond() * 1_000_000L
                    + e.timestamp().getNano() / 1_000);
            json.writeStringField("event_id", e.id().toString());
            json.writeStringField("event_type", e.type().wireName());
            json.writeStringField("event_time", e.timestamp().toString());
            json.writeStringField("user_id", e.userId());
            json.writeStringField("session_id", e.sessionId());
            json.writeFieldName("payload");
            MAPPER.writeValue(json, e.payload());
            json.writeEndObject();
            count++;
        }
    }

    /** Builds and sends {@code events} events of {@code workload}. */
    Result run(Workload workload, int events) throws IOException, InterruptedException {
        Batch ux = new Batch(uxUri);
        Batch sim = new Batch(simUri);
        long[] totals = new long[4];
        for (int i = 0; i < events; i++) {
            Workload.Sample e = workload.next();
            Batch batch = e.type() == EventType.UX_ACTION ? ux : sim;
            batch.add(e);
            if (batch.count == EVENTS_PER_REQUEST) {
                send(batch, totals);
            }
        }
        send(ux, totals);
        send(sim, totals);
        return new Result(totals[0], totals[1], totals[2], totals[3]);
    }

    private void send(Batch batch, long[] totals) throws IOException, InterruptedException {
        if (batch.count == 0) {
            return;
        }
        batch.json.writeEndArray();
        batch.json.close(); // finishes the gzip stream
        byte[] body = batch.body.toByteArray();
        HttpRequest request = HttpRequest.newBuilder(batch.uri)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        totals[response.statusCode() == 200 ? 0 : 1] += batch.count;
        totals[2]++;
        totals[3] += body.length;
        batch.json = null;
        batch.count = 0;
    }
}
