package dev.eventsink.internal;

/**
 * Makes input safe to quote in a message or a log line: control characters are escaped, so that a value cannot
 * forge a log line, and a long value is cut to {@value #MAX_QUOTED} characters with its full length noted, so
 * that a multi-megabyte value cannot flood a log. Not public API.
 *
 * <pre>{@code
 * "timestamp '" + Quoting.quote(text) + "' is not an ISO-8601 instant"
 * }</pre>
 */
public final class Quoting {

    /** The most characters of a value that a message quotes. */
    public static final int MAX_QUOTED = 200;

    private Quoting() {}

    /**
     * {@code value} with CR, LF, tab, other control characters and bidirectional overrides escaped
     * ({@code \r}, {@code \n}, {@code \t},
     * <code>&#92;u001B</code>) and, past {@value #MAX_QUOTED} characters, cut with {@code …(N characters)}; {@code null}
     * becomes {@code null}.
     */
    public static String quote(String value) {
        return quote(value, MAX_QUOTED);
    }

    /** As {@link #quote(String)}, cut past {@code maxChars} characters instead. */
    public static String quote(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        int length = value.length();
        int shown = Math.min(length, maxChars);
        if (shown > 0 && shown < length && Character.isHighSurrogate(value.charAt(shown - 1))) {
            shown--; // never cut a surrogate pair in two
        }
        StringBuilder out = null;
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c >= '\u202A' && c <= '\u202E'
                    || c >= '\u2066' && c <= '\u2069') {
                if (out == null) {
                    out = new StringBuilder(shown + 16).append(value, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(String.format("\\u%04X", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        String text = out != null ? out.toString() : value.substring(0, shown);
        return shown < length ? text + "…(" + length + " characters)" : text;
    }
}
