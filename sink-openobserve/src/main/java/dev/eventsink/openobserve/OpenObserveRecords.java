package dev.eventsink.openobserve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.internal.JsonValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes a batch as the JSON array OpenObserve's {@code _json} endpoint takes. Each event becomes one record
 * whose names survive OpenObserve's lowercasing and flattening unchanged:
 *
 * <pre>{@code
 * {"_timestamp":1764331200123000,          // event time in µs (left out in TIMESTAMP_MODE=ingestion)
 *  "event_id":"0b6c…","event_type":"ux_action","event_time":"2026-11-28T12:00:00.123Z",
 *  "user_id":"u1","session_id":"s1",        // left out when absent
 *  "payload":{"button":"buy"}}              // stored by OpenObserve as payload_button
 * }</pre>
 */
final class OpenObserveRecords {

    static final String TIMESTAMP = "_timestamp";
    static final String EVENT_ID = "event_id";
    static final String EVENT_TYPE = "event_type";
    static final String EVENT_TIME = "event_time";
    static final String USER_ID = "user_id";
    static final String SESSION_ID = "session_id";
    static final String PAYLOAD = "payload";

    private static final JsonFactory JSON = new JsonFactory();
    /** The field names, quoted and encoded once rather than for every record. */
    private static final SerializedString TIMESTAMP_NAME = new SerializedString(TIMESTAMP);
    private static final SerializedString EVENT_ID_NAME = new SerializedString(EVENT_ID);
    private static final SerializedString EVENT_TYPE_NAME = new SerializedString(EVENT_TYPE);
    private static final SerializedString EVENT_TIME_NAME = new SerializedString(EVENT_TIME);
    private static final SerializedString USER_ID_NAME = new SerializedString(USER_ID);
    private static final SerializedString SESSION_ID_NAME = new SerializedString(SESSION_ID);
    private static final SerializedString PAYLOAD_NAME = new SerializedString(PAYLOAD);

    private OpenObserveRecords() {}

    /** The batch as a JSON array, gzip-compressed when asked. */
    static byte[] encode(List<Event> batch, TimestampMode mode, boolean gzip) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(256, batch.size() * (gzip ? 64 : 256)));
        try (OutputStream out = gzip ? new FastGzip(bytes) : bytes;
                JsonGenerator gen = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            gen.writeStartArray();
            for (Event event : batch) {
                write(gen, event, mode);
            }
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator gen, Event event, TimestampMode mode) throws IOException {
        gen.writeStartObject();
        if (mode == TimestampMode.EVENT) {
            gen.writeFieldName(TIMESTAMP_NAME);
            gen.writeNumber(micros(event.timestamp()));
        }
        gen.writeFieldName(EVENT_ID_NAME);
        gen.writeString(event.id().toString());
        gen.writeFieldName(EVENT_TYPE_NAME);
        gen.writeString(event.eventType().wireName());
        gen.writeFieldName(EVENT_TIME_NAME);
        gen.writeString(EventJson.formatTimestamp(event.timestamp()));
        if (event.userId() != null) {
            gen.writeFieldName(USER_ID_NAME);
            gen.writeString(event.userId());
        }
        if (event.sessionId() != null) {
            gen.writeFieldName(SESSION_ID_NAME);
            gen.writeString(event.sessionId());
        }
        if (!event.payload().isEmpty()) {
            gen.writeFieldName(PAYLOAD_NAME);
            JsonValues.write(gen, event.payload());
        }
        gen.writeEndObject();
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** gzip at the fastest level: JSON still shrinks several times, at a fraction of the CPU. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
