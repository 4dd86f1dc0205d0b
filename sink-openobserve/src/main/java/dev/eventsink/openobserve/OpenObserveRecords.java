package dev.eventsink.openobserve;

import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.internal.JsonValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /**
     * For each ASCII character, how Jackson's generator writes it inside a string: 0 as is, a letter after a
     * backslash ({@code \n}, {@code \"}), or -1 as a six-character {@code u00XX} escape.
     */
    private static final int[] ASCII_ESCAPES = new int[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = -1;
        }
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
        ASCII_ESCAPES['\b'] = 'b';
        ASCII_ESCAPES['\t'] = 't';
        ASCII_ESCAPES['\n'] = 'n';
        ASCII_ESCAPES['\f'] = 'f';
        ASCII_ESCAPES['\r'] = 'r';
    }

    private OpenObserveRecords() {}

    /**
     * The batch as a JSON array, gzip-compressed when asked. The bytes are exactly those Jackson's
     * {@code JsonGenerator} (default settings) writes for these records — see the test — but written directly:
     * ids and times go into the buffer without becoming strings first, and names are not escaped anew each time.
     */
    static byte[] encode(List<Event> batch, TimestampMode mode, boolean gzip) {
        Writer json = new Writer(Math.max(256, batch.size() * 256));
        json.put((byte) '[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                json.put((byte) ',');
            }
            json.writeEvent(batch.get(i), mode);
        }
        json.put((byte) ']');
        if (!gzip) {
            return json.toByteArray();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(256, batch.size() * 64));
        try (OutputStream out = new FastGzip(bytes)) {
            out.write(json.buf, 0, json.size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A growable UTF-8 JSON buffer. Not thread-safe; one per batch. */
    private static final class Writer {
        byte[] buf;
        int size;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void put(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        private void ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) s.charAt(i);
            }
        }

        /** {@code "name":} for a name that needs no escaping, after a comma unless it is the object's first. */
        private void name(String name, boolean first) {
            ensure(name.length() + 4);
            if (!first) {
                buf[size++] = ',';
            }
            buf[size++] = '"';
            ascii(name);
            buf[size++] = '"';
            buf[size++] = ':';
        }

        void writeEvent(Event event, TimestampMode mode) {
            put((byte) '{');
            boolean first = true;
            if (mode == TimestampMode.EVENT) {
                name(TIMESTAMP, true);
                ascii(Long.toString(micros(event.timestamp())));
                first = false;
            }
            name(EVENT_ID, first);
            writeUuid(event.id());
            name(EVENT_TYPE, false);
            writeString(event.eventType().wireName());
            name(EVENT_TIME, false);
            writeTimestamp(event.timestamp());
            if (event.userId() != null) {
                name(USER_ID, false);
                writeString(event.userId());
            }
            if (event.sessionId() != null) {
                name(SESSION_ID, false);
                writeString(event.sessionId());
            }
            if (!event.payload().isEmpty()) {
                name(PAYLOAD, false);
                writeValue(event.payload());
            }
            put((byte) '}');
        }

        /** As {@code UUID.toString()}: 8-4-4-4-12 lowercase hex digits. */
        private void writeUuid(UUID id) {
            ensure(38);
            buf[size++] = '"';
            long msb = id.getMostSignificantBits();
            long lsb = id.getLeastSignificantBits();
            hex(msb >>> 32, 8);
            buf[size++] = '-';
            hex(msb >>> 16, 4);
            buf[size++] = '-';
            hex(msb, 4);
            buf[size++] = '-';
            hex(lsb >>> 48, 4);
            buf[size++] = '-';
            hex(lsb, 12);
            buf[size++] = '"';
        }

        private void hex(long value, int digits) {
            for (int i = size + digits - 1; i >= size; i--) {
                buf[i] = HEX[(int) (value & 0xF)];
                value >>>= 4;
            }
            size += digits;
        }

        /** {@link EventJson#formatTimestamp}, quoted (it has only ASCII characters that need no escaping). */
        private void writeTimestamp(Instant timestamp) {
            put((byte) '"');
            ascii(EventJson.formatTimestamp(timestamp));
            put((byte) '"');
        }

        /**
         * A quoted string escaped as Jackson's UTF-8 generator does: {@code "} and {@code \} and control
         * characters escaped (short forms where JSON has them, else a six-character {@code u00XX} escape),
         * other characters as UTF-8,
         * except surrogates, each written as a six-character {@code uXXXX} escape of its own.
         */
        private void writeString(String s) {
            int n = s.length();
            ensure(n + 2);
            buf[size++] = '"';
            int i = 0;
            // the common case: ASCII that needs no escaping
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || ASCII_ESCAPES[c] != 0) {
                    break;
                }
                buf[size++] = (byte) c;
            }
            for (; i < n; i++) {
                char c = s.charAt(i);
                ensure(7);
                if (c < 0x80) {
                    int escape = ASCII_ESCAPES[c];
                    if (escape == 0) {
                        buf[size++] = (byte) c;
                    } else if (escape > 0) {
                        buf[size++] = '\\';
                        buf[size++] = (byte) escape;
                    } else {
                        unicodeEscape(c);
                    }
                } else if (c < 0x800) {
                    buf[size++] = (byte) (0xC0 | (c >> 6));
                    buf[size++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c);
                } else {
                    buf[size++] = (byte) (0xE0 | (c >> 12));
                    buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[size++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            put((byte) '"');
        }

        private void unicodeEscape(char c) {
            buf[size++] = '\\';
            buf[size++] = 'u';
            buf[size++] = HEX_UPPER[(c >> 12) & 0xF];
            buf[size++] = HEX_UPPER[(c >> 8) & 0xF];
            buf[size++] = HEX_UPPER[(c >> 4) & 0xF];
            buf[size++] = HEX_UPPER[c & 0xF];
        }

        /** A payload value, as {@link JsonValues#write} writes it with Jackson. */
        private void writeValue(Object value) {
            if (value == null) {
                ascii("null");
            } else if (value instanceof String) {
                writeString((String) value);
            } else if (value instanceof Boolean) {
                ascii((Boolean) value ? "true" : "false");
            } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                ascii(Integer.toString(((Number) value).intValue()));
            } else if (value instanceof Long) {
                ascii(Long.toString((Long) value));
            } else if (value instanceof Double) {
                double d = (Double) value;
                // Jackson quotes NaN and infinities (QUOTE_NON_NUMERIC_NUMBERS); payloads have none
                writeNumberText(Double.toString(d), Double.isFinite(d));
            } else if (value instanceof Float) {
                float f = (Float) value;
                writeNumberText(Float.toString(f), Float.isFinite(f));
            } else if (value instanceof BigInteger || value instanceof BigDecimal) {
                ascii(value.toString());
            } else if (value instanceof Map) {
                put((byte) '{');
                // forEach rather than entrySet(): an unmodifiable map's entry iterator wraps every entry
                ((Map<?, ?>) value).forEach(this::writeField);
                put((byte) '}');
            } else if (value instanceof Collection) {
                put((byte) '[');
                boolean first = true;
                for (Object element : (Collection<?>) value) {
                    if (!first) {
                        put((byte) ',');
                    }
                    first = false;
                    writeValue(element);
                }
                put((byte) ']');
            } else {
                throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
            }
        }

        /** One field of an object: preceded by a comma unless it is the first (the object's brace is last). */
        private void writeField(Object key, Object value) {
            if (buf[size - 1] != '{') {
                put((byte) ',');
            }
            writeString((String) key);
            put((byte) ':');
            writeValue(value);
        }

        private void writeNumberText(String text, boolean finite) {
            if (finite) {
                ascii(text);
            } else {
                writeString(text);
            }
        }
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
