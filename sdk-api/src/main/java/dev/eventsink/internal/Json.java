package dev.eventsink.internal;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON text straight into a {@link ByteBuf}, byte for byte as Jackson's UTF-8 generator does with its
 * default settings, without building strings first: quoted strings, UUIDs, ISO-8601 instants and numbers. Not
 * public API.
 *
 * <pre>{@code
 * Json.writeString(buf, "say \"hi\"\n");          // "say \"hi\"\n"
 * Json.writeTimestamp(buf, 1_764_331_200L, 123_000_000);   // "2025-11-28T12:00:00.123Z"
 * }</pre>
 */
public final class Json {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /**
     * For each ASCII character, how it is written inside a string: 0 as it is, a letter after a backslash
     * ({@code \n}, {@code \"}), or -1 as a six-character {@code \}{@code u00XX} escape.
     */
    private static final int[] ASCII_ESCAPES = new int[128];
    private static final long SECONDS_PER_DAY = 86_400;

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

    private Json() {}

    /** A quoted JSON string. */
    public static void writeString(ByteBuf out, String s) {
        out.ensure(s.length() + 2);
        out.put((byte) '"');
        writeStringContent(out, s);
        out.write('"');
    }

    /**
     * The characters of a JSON string without its quotes: {@code "} and {@code \} and control characters escaped
     * (short forms where JSON has them), surrogates as {@code \}{@code uXXXX} each, everything else as UTF-8.
     */
    public static void writeStringContent(ByteBuf out, String s) {
        int n = s.length();
        out.ensure(n);
        byte[] bytes = out.array();
        int size = out.size();
        int i = 0;
        // the common case: ASCII that needs no escaping, written without bounds checks
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || ASCII_ESCAPES[c] != 0) {
                break;
            }
            bytes[size++] = (byte) c;
        }
        out.advanceTo(size);
        for (; i < n; i++) {
            char c = s.charAt(i);
            out.ensure(6);
            if (c < 0x80) {
                int escape = ASCII_ESCAPES[c];
                if (escape == 0) {
                    out.put((byte) c);
                } else if (escape > 0) {
                    out.put((byte) '\\');
                    out.put((byte) escape);
                } else {
                    unicodeEscape(out, c);
                }
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(out, c);
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    /** A quoted JSON string of {@code length} characters of {@code chars} from {@code offset}, as {@link #writeString}. */
    public static void writeString(ByteBuf out, char[] chars, int offset, int length) {
        out.ensure(length + 2);
        out.put((byte) '"');
        byte[] bytes = out.array();
        int size = out.size();
        int end = offset + length;
        int i = offset;
        // the common case: ASCII that needs no escaping, written without bounds checks
        for (; i < end; i++) {
            char c = chars[i];
            if (c >= 0x80 || ASCII_ESCAPES[c] != 0) {
                break;
            }
            bytes[size++] = (byte) c;
        }
        out.advanceTo(size);
        if (i < end) {
            writeStringContent(out, new String(chars, i, end - i));
        }
        out.write('"');
    }

    private static void unicodeEscape(ByteBuf out, char c) {
        out.put((byte) '\\');
        out.put((byte) 'u');
        out.put(HEX_UPPER[(c >> 12) & 0xF]);
        out.put(HEX_UPPER[(c >> 8) & 0xF]);
        out.put(HEX_UPPER[(c >> 4) & 0xF]);
        out.put(HEX_UPPER[c & 0xF]);
    }

    /** A UUID as {@code UUID.toString()} writes it, quoted: 8-4-4-4-12 lowercase hex digits. */
    public static void writeUuid(ByteBuf out, long msb, long lsb) {
        out.ensure(38);
        out.put((byte) '"');
        hex(out, msb >>> 32, 8);
        out.put((byte) '-');
        hex(out, msb >>> 16, 4);
        out.put((byte) '-');
        hex(out, msb, 4);
        out.put((byte) '-');
        hex(out, lsb >>> 48, 4);
        out.put((byte) '-');
        hex(out, lsb, 12);
        out.put((byte) '"');
    }

    private static void hex(ByteBuf out, long value, int digits) {
        byte[] bytes = out.array();
        int end = out.size() + digits;
        for (int i = end - 1; i >= out.size(); i--) {
            bytes[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        out.advanceTo(end);
    }

    /**
     * An instant of the years 1 to 9999, quoted, as ISO-8601 UTC with milliseconds, or micro- or nanoseconds when
     * it has them: {@code "2026-11-28T12:00:00.120Z"}, {@code "2026-11-28T12:00:00.123456Z"}.
     */
    public static void writeTimestamp(ByteBuf out, long epochSecond, int nano) {
        out.ensure(32);
        out.put((byte) '"');
        writeTimestampContent(out, epochSecond, nano);
        out.put((byte) '"');
    }

    /** As {@link #writeTimestamp} without the quotes. */
    public static void writeTimestampContent(ByteBuf out, long epochSecond, int nano) {
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // Civil date from days since 1970-01-01, after Howard Hinnant's days_from_civil inverse.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        out.digits(year, 4);
        out.write('-');
        out.digits(month, 2);
        out.write('-');
        out.digits(day, 2);
        out.write('T');
        out.digits(secondOfDay / 3600, 2);
        out.write(':');
        out.digits(secondOfDay / 60 % 60, 2);
        out.write(':');
        out.digits(secondOfDay % 60, 2);
        out.write('.');
        if (nano % 1_000_000 == 0) {
            out.digits(nano / 1_000_000, 3);
        } else if (nano % 1_000 == 0) {
            out.digits(nano / 1_000, 6);
        } else {
            out.digits(nano, 9);
        }
        out.write('Z');
    }

    /** Microseconds since the epoch of an instant of the years 1 to 9999 (no overflow in that range). */
    public static long epochMicros(long epochSecond, int nano) {
        return epochSecond * 1_000_000L + nano / 1_000;
    }

    /** A finite double as {@link Double#toString(double)} writes it, as Jackson does. */
    public static void writeDouble(ByteBuf out, double value) {
        out.ascii(Double.toString(value));
    }
}
