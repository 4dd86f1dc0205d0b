package dev.eventsink.openobserve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsink.export.EventBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The encoder writes exactly the bytes a plain Jackson encoding of the same records gives. */
class OpenObserveRecordsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** One encoder for every test, as a worker reuses its own: its buffers must not leak from batch to batch. */
    private final OpenObserveRecords encoder = new OpenObserveRecords();

    private static final String[] TEXTS = {
        "", "plain", "user-42", "quote\" backslash\\ slash/", "tab\t nl\n cr\r bs\b ff\f",
        "ctl\u0000\u0001\u001f\u007f", "é ü ß ñ", "日本語テキスト", "emoji 😀 👍🏽", "lone \ud83d high", "lone \ude00 low",
        "mixed ascii then é then \u2028 \u2029 and €", "\uffff\u0800\u07ff\u0080",
    };

    @Test
    void matchesJacksonForVariedEvents() throws IOException {
        List<Event> events = variedEvents();
        for (TimestampMode mode : TimestampMode.values()) {
            byte[] expected = reference(events, mode);
            assertThat(new String(encode(events, mode, false), StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(encode(events, mode, false)).isEqualTo(expected);
            assertThat(gunzip(encode(events, mode, true))).isEqualTo(expected);
            for (Event event : events) {
                assertThat(encode(List.of(event), mode, false))
                        .isEqualTo(reference(List.of(event), mode));
            }
        }
    }

    @Test
    void matchesJacksonForEmptyAndLargeBatches() throws IOException {
        for (TimestampMode mode : TimestampMode.values()) {
            assertThat(encode(List.of(), mode, false)).isEqualTo(reference(List.of(), mode));
            assertThat(gunzip(encode(List.of(), mode, true))).isEqualTo(reference(List.of(), mode));
        }
        Random random = new Random(7);
        List<Event> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                text.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (32 + random.nextInt(95)));
            }
            many.add(Event.simulationEvent()
                    .timestamp(Instant.ofEpochSecond(1_764_331_200L + random.nextInt(100_000), random.nextInt(1_000_000_000)))
                    .userId(text.toString().isBlank() ? "u" + text : text.toString())
                    .sessionId("s" + i)
                    .put("text", text.toString())
                    .put(text.toString(), random.nextDouble() * 1000)
                    .put("n", random.nextLong())
                    .build());
        }
        for (TimestampMode mode : TimestampMode.values()) {
            byte[] expected = reference(many, mode);
            assertThat(encode(many, mode, false)).isEqualTo(expected);
            assertThat(gunzip(encode(many, mode, true))).isEqualTo(expected);
        }
    }

    private static List<Event> variedEvents() {
        List<Event> events = new ArrayList<>();
        Instant[] times = {
            Instant.parse("2026-11-28T12:00:00Z"), Instant.parse("2026-11-28T12:00:00.120Z"),
            Instant.parse("2026-11-28T12:00:00.123456Z"), Instant.parse("2026-11-28T12:00:00.123456789Z"),
            Instant.parse("2026-11-28T12:00:01.000001Z"), Instant.parse("1970-01-01T00:00:00.5Z"),
            Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
            // _timestamp digits: 0, one, two and three digits, either sign, the smallest of all
            Instant.EPOCH, Instant.parse("1970-01-01T00:00:00.000009Z"), Instant.parse("1970-01-01T00:00:00.00001Z"),
            Instant.parse("1970-01-01T00:00:00.000099Z"), Instant.parse("1970-01-01T00:00:00.0001Z"),
            Instant.parse("1969-12-31T23:59:59.999991Z"), Instant.parse("1969-12-31T23:59:59.99999Z"), Event.MIN_TIMESTAMP,
        };
        int t = 0;
        for (String text : TEXTS) {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("inner " + text, List.of(1L, "two", Map.of("k", text)));
            nested.put("empty", Map.of());
            nested.put("list", Arrays.asList(null, true, false, 2.5, -0.0, 1e-7, 1.0E21));
            events.add(Event.uxAction()
                    .id(new UUID(0x0123456789abcdefL + t, 0xfedcba9876543210L - t))
                    .timestamp(times[t++ % times.length])
                    .userId(text.isBlank() ? null : text)
                    .sessionId("session " + text)
                    .put(text, text)
                    .put("long", Long.MIN_VALUE + t)
                    .put("int", 42)
                    .put("double", 0.1 * t)
                    .put("float", 1.5f)
                    .put("big", new BigInteger("123456789012345678901234567890"))
                    .put("bigSmall", BigInteger.TEN)
                    .put("decimal", new java.math.BigDecimal("12.50"))
                    .put("bool", t % 2 == 0)
                    .put("null", null)
                    .put("nested", nested)
                    .put("list", List.of(List.of(), List.of(Map.of("a", 1L)), "x"))
                    .build());
        }
        events.add(Event.simulationEvent().id(new UUID(0, 0)).timestamp(times[1]).build());
        events.add(Event.simulationEvent().id(new UUID(-1, -1)).timestamp(times[2]).userId("only user").build());
        events.add(Event.simulationEvent().timestamp(times[3]).sessionId("only session").put("x", 1L).build());
        for (Instant time : times) {
            events.add(Event.uxAction().id(new UUID(7, time.getNano())).timestamp(time).build());
        }
        return events;
    }

    private byte[] encode(List<Event> events, TimestampMode mode, boolean gzip) {
        OpenObserveRecords.Body body = encoder.encode(EventBatch.of(events), mode, gzip);
        return Arrays.copyOf(body.bytes(), body.length());
    }

    /** The straightforward encoding: Jackson's generator, field by field. */
    private static byte[] reference(List<Event> batch, TimestampMode mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator gen = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            gen.writeStartArray();
            for (Event event : batch) {
                gen.writeStartObject();
                if (mode == TimestampMode.EVENT) {
                    gen.writeNumberField("_timestamp", event.timestamp().getEpochSecond() * 1_000_000L + event.timestamp().getNano() / 1_000);
                }
                gen.writeStringField("event_id", event.id().toString());
                gen.writeStringField("event_type", event.eventType().wireName());
                gen.writeStringField("event_time", EventJson.formatTimestamp(event.timestamp()));
                if (event.userId() != null) {
                    gen.writeStringField("user_id", event.userId());
                }
                if (event.sessionId() != null) {
                    gen.writeStringField("session_id", event.sessionId());
                }
                if (!event.payload().isEmpty()) {
                    gen.writeFieldName("payload");
                    MAPPER.writeValue(gen, event.payload());
                }
                gen.writeEndObject();
            }
            gen.writeEndArray();
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
