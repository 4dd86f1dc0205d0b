package dev.eventsink.cli;

import dev.eventsink.spi.Secrets;

/**
 * How the command prints text it did not write itself: configuration values, input lines, the messages of
 * exceptions, what a backend answered. Such text is shown on one line whatever it holds: the credentials of a URL
 * are masked (as {@link Secrets#maskUrlCredentials} does for the SDK), control and formatting characters are
 * escaped so that no value can start a line of its own or drive the terminal, and long text is cut, with its
 * length. For example {@code Printable.quote("mock\nok")} is <code>'mock\nok'</code>, the line feed written as the
 * two characters {@code \n}, and {@code Printable.quote("x".repeat(1000))} is 200 {@code x} then
 * <code>…' (1,000 characters)</code>.
 *
 * <p>Line feed, carriage return and tab are written {@code \n}, {@code \r} and {@code \t}; every other control
 * character, format character (such as a bidirectional override), line or paragraph separator and unpaired
 * surrogate is written {@code \}{@code uXXXX}. A backslash is left as it is.
 */
final class Printable {

    /** Characters of a value shown at most; the rest is replaced by {@code … (N characters)}. */
    static final int VALUE_MAX = 200;
    /** Characters of a message shown at most; the rest is replaced by {@code … (N characters)}. */
    static final int MESSAGE_MAX = 500;

    private Printable() {}

    /** A configuration or input value, masked, escaped and cut to {@value #VALUE_MAX} characters. */
    static String value(String text) {
        Cut cut = cut(text, VALUE_MAX);
        return cut.cut ? cut.text + "…" + cut.length() : cut.text;
    }

    /** A value in single quotes, as messages quote them: {@code 'value'}, or {@code 'xxx…' (1,000 characters)}. */
    static String quote(String text) {
        Cut cut = cut(text, VALUE_MAX);
        return cut.cut ? "'" + cut.text + "…'" + cut.length() : "'" + cut.text + "'";
    }

    /**
     * A message that may quote values, such as an exception's or a backend's: masked, escaped and cut to
     * {@value #MESSAGE_MAX} characters.
     */
    static String message(String text) {
        return message(text, MESSAGE_MAX);
    }

    /** A message masked, escaped and cut to {@code max} characters. */
    static String message(String text, int max) {
        Cut cut = cut(text, max);
        return cut.cut ? cut.text + "…" + cut.length() : cut.text;
    }

    /**
     * Data shown in a column or a preview, such as a stored record's value or an event's JSON: escaped and cut to
     * {@code width} characters, the last one an ellipsis when cut.
     */
    static String fit(String text, int width) {
        String escaped = escape(text);
        if (escaped.length() <= width) {
            return escaped;
        }
        StringBuilder fitted = new StringBuilder(width);
        for (int i = 0; i < text.length(); ) {
            boolean pair = Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            int next = pair ? i + 2 : i + 1;
            String piece = escape(text.substring(i, next));
            if (fitted.length() + piece.length() > width - 1) {
                break;
            }
            fitted.append(piece);
            i = next;
        }
        return fitted.append('…').toString();
    }

    /** The text with control and formatting characters escaped; see the class description. */
    static String escape(String text) {
        int first = 0;
        while (first < text.length() && !needsEscape(text, first)) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i)) {
                escaped.append(c);
            } else if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\r') {
                escaped.append("\\r");
            } else if (c == '\t') {
                escaped.append("\\t");
            } else {
                escaped.append(String.format("\\u%04X", (int) c));
            }
        }
        return escaped.toString();
    }

    private static boolean needsEscape(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                return isHidden(Character.getType(Character.toCodePoint(c, text.charAt(i + 1))));
            }
            return true;
        }
        if (Character.isLowSurrogate(c)) {
            if (i > 0 && Character.isHighSurrogate(text.charAt(i - 1))) {
                return isHidden(Character.getType(Character.toCodePoint(text.charAt(i - 1), c)));
            }
            return true;
        }
        return isHidden(Character.getType(c));
    }

    private static boolean isHidden(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** The masked text's first {@code max} characters, escaped, and whether and from what length it was cut. */
    private static Cut cut(String text, int max) {
        String masked = Secrets.maskUrlCredentials(text);
        if (masked.length() <= max) {
            return new Cut(escape(masked), false, masked.length());
        }
        return new Cut(escape(masked.substring(0, endBefore(masked, max))), true, masked.length());
    }

    /** {@code end}, or one less when that would split a surrogate pair. */
    private static int endBefore(String text, int end) {
        return end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))
                && Character.isLowSurrogate(text.charAt(end)) ? end - 1 : end;
    }

    private record Cut(String text, boolean cut, int originalLength) {
        /** {@code " (1,000 characters)"}. */
        String length() {
            return " (" + Text.count(originalLength) + " characters)";
        }
    }
}
