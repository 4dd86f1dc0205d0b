package dev.eventsink.openobserve;

import dev.eventsink.export.EventBatch;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes a batch as the JSON array OpenObserve's {@code _json} endpoint takes, gzip-compressed when asked. Each
 * event becomes one record whose names survive OpenObserve's lowercasing and flattening unchanged:
 *
 * <pre>{@code
 * {"_timestamp":1764331200123000,          // event time in µs (left out in TIMESTAMP_MODE=ingestion)
 *  "event_id":"0b6c…","event_type":"ux_action","event_time":"2026-11-28T12:00:00.123Z",
 *  "user_id":"u1","session_id":"s1",        // left out when absent
 *  "payload":{"button":"buy"}}              // stored by OpenObserve as payload_button; left out when empty
 * }</pre>
 *
 * <p>One encoder per worker thread: its buffers and its {@link Deflater} are reused from batch to batch. The
 * body it returns is valid until its next {@link #encode}. Not thread-safe.
 */
final class OpenObserveRecords {

    static final String TIMESTAMP = "_timestamp";
    static final String EVENT_ID = "event_id";
    static final String EVENT_TYPE = "event_type";
    static final String EVENT_TIME = "event_time";
    static final String USER_ID = "user_id";
    static final String SESSION_ID = "session_id";
    static final String PAYLOAD = "payload";

    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int MAX_KEPT_BYTES = 4 * 1024 * 1024;
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final Buffer json = new Buffer(64 * 1024);
    private final Buffer gzip = new Buffer(16 * 1024);
    /** gzip at the fastest level: JSON still shrinks several times, at a fraction of the CPU. */
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();

    /** The request body for {@code batch}; valid until the next call. */
    Body encode(EventBatch batch, TimestampMode mode, boolean compress) {
        json.reset(MAX_KEPT_BYTES);
        json.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                json.write(',');
            }
            writeRecord(batch, i, mode);
        }
        json.write(']');
        return compress ? gzip() : new Body(json.bytes, json.size);
    }

    private void writeRecord(EventBatch batch, int i, TimestampMode mode) {
        json.write('{');
        if (mode == TimestampMode.EVENT) {
            json.name(TIMESTAMP, true);
            json.decimal(batch.epochMicros(i));
            json.name(EVENT_ID, false);
        } else {
            json.name(EVENT_ID, true);
        }
        batch.writeIdJson(i, json);
        json.name(EVENT_TYPE, false);
        batch.writeEventTypeJson(i, json);
        json.name(EVENT_TIME, false);
        batch.writeTimestampJson(i, json);
        if (batch.hasUserId(i)) {
            json.name(USER_ID, false);
            batch.writeUserIdJson(i, json);
        }
        if (batch.hasSessionId(i)) {
            json.name(SESSION_ID, false);
            batch.writeSessionIdJson(i, json);
        }
        if (batch.hasPayload(i)) {
            json.name(PAYLOAD, false);
            batch.writePayloadJson(i, json);
        }
        json.write('}');
    }

    private Body gzip() {
        gzip.reset(MAX_KEPT_BYTES);
        gzip.write(GZIP_HEADER, 0, GZIP_HEADER.length);
        deflater.reset();
        deflater.setInput(json.bytes, 0, json.size);
        deflater.finish();
        while (!deflater.finished()) {
            gzip.ensure(Math.max(8 * 1024, json.size / 4));
            gzip.size += deflater.deflate(gzip.bytes, gzip.size, gzip.bytes.length - gzip.size);
        }
        crc.reset();
        crc.update(json.bytes, 0, json.size);
        gzip.ensure(8);
        gzip.int32le((int) crc.getValue());
        gzip.int32le(json.size);
        return new Body(gzip.bytes, gzip.size);
    }

    /** Releases the deflater's native memory. */
    void close() {
        deflater.end();
    }

    /** Bytes to send: {@code length} bytes of {@code bytes}, valid until the encoder's next call. */
    record Body(byte[] bytes, int length) {}

    /** An unsynchronized growable buffer. */
    private static final class Buffer extends OutputStream {
        byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void reset(int maxCapacity) {
            size = 0;
            if (bytes.length > maxCapacity) {
                bytes = new byte[maxCapacity];
            }
        }

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        /** {@code "name":} for a name that needs no escaping, after a comma unless it is the object's first. */
        void name(String name, boolean first) {
            ensure(name.length() + 4);
            if (!first) {
                bytes[size++] = ',';
            }
            bytes[size++] = '"';
            for (int i = 0; i < name.length(); i++) {
                bytes[size++] = (byte) name.charAt(i);
            }
            bytes[size++] = '"';
            bytes[size++] = ':';
        }

        /** A whole number in decimal, written two digits at a time from the right (no {@code String} made). */
        void decimal(long value) {
            if (value == Long.MIN_VALUE) {
                write(LONG_MIN, 0, LONG_MIN.length);
                return;
            }
            ensure(20);
            if (value < 0) {
                bytes[size++] = '-';
                value = -value;
            }
            int digits = 1;
            while (digits < 19 && value >= POWERS_OF_TEN[digits]) {
                digits++;
            }
            int i = size + digits;
            while (value >= 100) {
                int pair = (int) (value % 100);
                value /= 100;
                bytes[--i] = (byte) ('0' + pair % 10);
                bytes[--i] = (byte) ('0' + pair / 10);
            }
            if (value >= 10) {
                bytes[--i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            bytes[--i] = (byte) ('0' + value);
            size += digits;
        }

        void int32le(int value) {
            bytes[size++] = (byte) value;
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 24);
        }
    }
}
