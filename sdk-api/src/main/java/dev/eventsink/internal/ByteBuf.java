package dev.eventsink.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that is also an {@link OutputStream}, without the locking of
 * {@link java.io.ByteArrayOutputStream}: the scratch space of encoders, reused between uses with {@link #reset()}.
 * Not thread-safe. Not public API.
 *
 * <pre>{@code
 * ByteBuf buf = new ByteBuf(256);
 * Json.writeString(buf, "zoë");   // the quoted string, escaped, as UTF-8
 * }</pre>
 */
public final class ByteBuf extends OutputStream {

    private byte[] bytes;
    private int size;

    public ByteBuf(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** The backing array; its first {@link #size()} bytes are the content. Valid until the next write. */
    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** Empties the buffer, keeping its capacity. */
    public void reset() {
        size = 0;
    }

    /** Empties the buffer and, when it grew past {@code maxCapacity}, gives the memory back. */
    public void reset(int maxCapacity) {
        size = 0;
        if (bytes.length > maxCapacity) {
            bytes = new byte[maxCapacity];
        }
    }

    /** Forgets everything from {@code newSize} on; {@code newSize} must not exceed {@link #size()}. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("newSize " + newSize + " of " + size);
        }
        size = newSize;
    }

    /**
     * Takes the bytes written straight into {@link #array()} up to {@code newSize} as content; they must have
     * fit in the room made by {@link #ensure}.
     */
    public void advanceTo(int newSize) {
        if (newSize < size || newSize > bytes.length) {
            throw new IndexOutOfBoundsException("newSize " + newSize + " outside " + size + ".." + bytes.length);
        }
        size = newSize;
    }

    /** A copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Makes room for {@code more} bytes. */
    public void ensure(int more) {
        int needed = size + more;
        if (needed > bytes.length) {
            if (needed < 0) {
                throw new OutOfMemoryError("buffer larger than 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 16L, bytes.length * 2L)));
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

    @Override
    public void write(byte[] source) {
        write(source, 0, source.length);
    }

    /** Appends one byte without checking room: call {@link #ensure} first. */
    public void put(byte b) {
        bytes[size++] = b;
    }

    /** Appends the characters of an ASCII string, one byte each. */
    public void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
    }

    /** Appends a whole number in decimal. */
    public void decimal(long value) {
        if (value == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long x = value; x >= 10; x /= 10) {
            digits++;
        }
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
    }

    /** Appends {@code value} as {@code digits} decimal digits, with leading zeros. */
    public void digits(long value, int digits) {
        ensure(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
    }

    /** Appends an unsigned variable-length integer: 7 bits a byte, least significant first. */
    public void varint(int value) {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    /** Appends a big-endian long. */
    public void int64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    /** Appends a big-endian int. */
    public void int32(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }
}
