package dev.eventsink.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 lines from a stream with bounded memory: a line longer than {@code maxLineBytes} is skipped
 * (and reported through {@link #lastLineTooLong()}) instead of being buffered whole, and a line that is not valid
 * UTF-8 is skipped (and reported through {@link #lastLineInvalidUtf8At()}) instead of being read with replacement
 * characters. Line ends are {@code \n} or {@code \r\n}; a UTF-8 byte order mark at the start is ignored.
 * {@link #bytesRead()} may be read from another thread, for progress. Not thread-safe otherwise.
 *
 * <pre>{@code
 * for (String line; (line = reader.next()) != null; ) {
 *     if (reader.lastLineTooLong() || reader.lastLineInvalidUtf8At() > 0) { ...report it... }
 * }
 * }</pre>
 */
final class LineReader implements Closeable {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[4096];
    private int lineLength;
    private boolean tooLong;
    private int invalidAt;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer decoded = CharBuffer.allocate(4096);
    private boolean eof;
    private boolean first = true;
    private volatile long bytesRead;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its line end, or {@code null} at the end of the input. When the line was longer
     * than the limit, returns an empty string and {@link #lastLineTooLong()} is true; when it was not valid
     * UTF-8, returns an empty string and {@link #lastLineInvalidUtf8At()} is the position of the first bad byte.
     */
    String next() throws IOException {
        lineLength = 0;
        tooLong = false;
        invalidAt = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    eof = true;
                    return any ? finish() : null;
                }
            }
            any = true;
            int start = pos;
            int newline = -1;
            for (int i = pos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : limit;
            append(start, end - start);
            pos = newline >= 0 ? newline + 1 : limit;
            if (newline >= 0) {
                return finish();
            }
        }
    }

    /** Whether the line {@link #next()} returned last was over the limit and skipped. */
    boolean lastLineTooLong() {
        return tooLong;
    }

    /**
     * Where the line {@link #next()} returned last stopped being valid UTF-8: the position of its first bad byte,
     * counted from 1 at the start of the line; 0 when the line was valid.
     */
    int lastLineInvalidUtf8At() {
        return invalidAt;
    }

    /** Bytes consumed from the stream so far. */
    long bytesRead() {
        return bytesRead;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        bytesRead += n;
        return true;
    }

    private void append(int from, int length) {
        if (tooLong || length == 0) {
            return;
        }
        if (lineLength + length > maxLineBytes) {
            tooLong = true;
            lineLength = 0;
            if (line.length > 4096) {
                line = new byte[4096];
            }
            return;
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(buffer, from, line, lineLength, length);
        lineLength += length;
    }

    private String finish() {
        if (tooLong) {
            return "";
        }
        int start = 0;
        int length = lineLength;
        if (first) {
            first = false;
            if (length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
                start = 3;
                length -= 3;
            }
        }
        if (length > 0 && line[start + length - 1] == '\r') {
            length--;
        }
        invalidAt = firstInvalidByte(start, length);
        String text = invalidAt > 0 ? "" : new String(line, start, length, StandardCharsets.UTF_8);
        if (line.length > 1 << 20 && lineLength < 1 << 16) {
            line = new byte[4096]; // give back the memory of an unusually long line
        }
        return text;
    }

    /** The position in the line, from 1, of the first byte from {@code start} that is not valid UTF-8; 0 if none. */
    private int firstInvalidByte(int start, int length) {
        ByteBuffer bytes = ByteBuffer.wrap(line, start, length);
        decoder.reset();
        while (true) {
            decoded.clear();
            CoderResult result = decoder.decode(bytes, decoded, true);
            if (result.isError()) {
                return bytes.position() + 1;
            }
            if (result.isUnderflow()) {
                return 0;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
