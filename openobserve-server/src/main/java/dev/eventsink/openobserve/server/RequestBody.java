package dev.eventsink.openobserve.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A request body as received (its raw, possibly compressed bytes) and its {@code Content-Encoding}, decoded only
 * as a stream that stops as soon as more than the decoded-size limit came out of it: a small compressed body that
 * inflates to gigabytes costs no more than the limit.
 *
 * <pre>{@code
 * List<String> codings = RequestBody.codings("gzip");           // or UnsupportedEncoding → 415
 * byte[] raw = RequestBody.read(in, contentLength, payloadLimit, n -> {});   // null → 413
 * try (JsonParser parser = new RequestBody(raw, codings, decodedLimit).parser(jsonFactory)) { ... }
 * }</pre>
 *
 * Gzip ({@code x-gzip} too) and deflate, zlib-wrapped or raw as many clients send it; a list of codings is undone
 * last-applied first. Immutable; each stream it opens is the caller's to close.
 */
final class RequestBody {

    /** Thrown for a {@code Content-Encoding} this stand-in cannot decode. */
    static final class UnsupportedEncoding extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedEncoding(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown while reading the decoded body once more than the decoded-size limit came out of it. */
    static final class DecodedTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        DecodedTooLarge(long limit) {
            super("the decompressed request body is larger than the limit of " + limit + " bytes");
        }
    }

    private static final int BUFFER = 65_536;

    private final byte[] raw;
    private final List<String> codings;
    private final long decodedLimit;

    RequestBody(byte[] raw, List<String> codings, long decodedLimit) {
        this.raw = raw;
        this.codings = List.copyOf(codings);
        this.decodedLimit = decodedLimit;
    }

    /** The raw body's size in bytes. */
    int rawLength() {
        return raw.length;
    }

    /**
     * The codings of a {@code Content-Encoding} header, in the order they were applied, {@code identity} left
     * out; empty for {@code null}.
     *
     * @throws UnsupportedEncoding for a coding other than gzip and deflate
     */
    static List<String> codings(String contentEncoding) throws UnsupportedEncoding {
        List<String> codings = new ArrayList<>();
        if (contentEncoding == null) {
            return codings;
        }
        for (String coding : contentEncoding.split(",")) {
            String c = coding.trim().toLowerCase(Locale.ROOT);
            if (c.isEmpty() || c.equals("identity")) {
                continue;
            }
            if (c.equals("br") || c.equals("zstd")) {
                // OpenObserve accepts these; the JDK has no decoder for them.
                throw new UnsupportedEncoding("Unsupported Content-Encoding: " + c
                        + " (OpenObserve accepts it; this stand-in decodes gzip and deflate only)");
            }
            if (!c.equals("gzip") && !c.equals("x-gzip") && !c.equals("deflate")) {
                // UNVERIFIED: OpenObserve's answer to an unknown encoding is documented as 415, not confirmed.
                throw new UnsupportedEncoding("Unsupported Content-Encoding: " + c);
            }
            codings.add(c);
        }
        return codings;
    }

    /**
     * Reads a raw body of at most {@code limit} bytes. The buffer grows with what arrives, so a
     * {@code Content-Length} that is never sent costs nothing.
     *
     * @param declared the {@code Content-Length}, or -1 when unknown (chunked)
     * @param progress told the total read so far after each read
     * @return the body, or {@code null} when it is larger than {@code limit} (then it is not read to the end)
     */
    static byte[] read(InputStream in, long declared, int limit, LongConsumer progress) throws IOException {
        if (declared > limit) {
            return null;
        }
        long target = declared >= 0 ? declared : (long) limit + 1;
        byte[] buffer = new byte[(int) Math.min(target, BUFFER)];
        int size = 0;
        while (size < target) {
            if (size == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(target, (long) buffer.length * 2));
            }
            int n = in.read(buffer, size, buffer.length - size);
            if (n < 0) {
                break;
            }
            size += n;
            progress.accept(size);
        }
        if (size > limit) {
            return null;
        }
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    /**
     * Reads and forgets up to {@code limit} + 1 bytes of a body, or all of it if shorter.
     *
     * @return how many bytes were read
     */
    static long discard(InputStream in, long limit, LongConsumer progress) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (total <= limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - total));
            if (n < 0) {
                break;
            }
            total += n;
            progress.accept(total);
        }
        return total;
    }

    /** A JSON parser over the decoded body (straight over the raw bytes when there is no coding). */
    JsonParser parser(JsonFactory factory) throws IOException {
        return codings.isEmpty() ? factory.createParser(raw) : factory.createParser(open());
    }

    /**
     * The decoded body as a stream.
     *
     * @throws IOException when the body does not start the way its coding says it must; later decoding errors
     *     and {@link DecodedTooLarge} are thrown by the stream's reads
     */
    InputStream open() throws IOException {
        InputStream in = new ByteArrayInputStream(raw);
        try {
            for (int i = codings.size() - 1; i >= 0; i--) {
                in = codings.get(i).equals("deflate") ? inflating(in) : new GZIPInputStream(in, BUFFER);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return codings.isEmpty() ? in : new Limited(in, decodedLimit);
    }

    /** Decodes the whole body, keeping nothing: fails as reading it would. */
    void verifyDecodes() throws IOException {
        try (InputStream in = open()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Deflate as HTTP means it (zlib-wrapped), tolerating raw deflate as many clients send it. */
    private static InputStream inflating(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        byte[] head = peek.readNBytes(2);
        peek.unread(head);
        boolean zlib = head.length == 2 && (head[0] & 0x0F) == 8
                && (((head[0] & 0xFF) << 8) | (head[1] & 0xFF)) % 31 == 0;
        Inflater inflater = new Inflater(!zlib);
        return new InflaterInputStream(peek, inflater, BUFFER) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    inflater.end();
                }
            }
        };
    }

    /** Passes bytes through until more than {@code limit} went by, then throws {@link DecodedTooLarge}. */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++count > limit) {
                throw new DecodedTooLarge(limit);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // asks for no more than one byte past the limit, so decoding stops as soon as the limit is passed
            int n = in.read(b, off, (int) Math.min(len, limit - count + 1));
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new DecodedTooLarge(limit);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            int chunk = (int) Math.min(Math.max(n, 0), BUFFER);
            return Math.max(0, read(new byte[chunk], 0, chunk));
        }
    }
}
