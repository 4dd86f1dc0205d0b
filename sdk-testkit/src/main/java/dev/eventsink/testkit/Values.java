package dev.eventsink.testkit;

import dev.eventsink.Event;
import dev.eventsink.EventJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON values as the testkit compares and shows them in messages: {@code jsonEquals(3, 3L)} is true, and
 * {@code duration(Duration.ofMillis(500))} is {@code 500ms}.
 */
final class Values {

    /** How many events or records a message lists before it says how many more there are. */
    static final int MAX_LISTED = 20;

    private Values() {}

    /**
     * Whether two JSON values are equal, comparing numbers by value: {@code 2} (an Integer) equals {@code 2L},
     * and {@code 1.5f} equals {@code 1.5d}. Maps and lists are compared element by element.
     */
    static boolean jsonEquals(Object expected, Object actual) {
        if (expected instanceof Number && actual instanceof Number) {
            BigDecimal a = decimal((Number) expected);
            BigDecimal b = decimal((Number) actual);
            return a != null && b != null ? a.compareTo(b) == 0 : expected.equals(actual);
        }
        if (expected instanceof Map && actual instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            if (e.size() != a.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                if (!a.containsKey(entry.getKey()) || !jsonEquals(entry.getValue(), a.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof List && actual instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!jsonEquals(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(expected, actual);
    }

    private static BigDecimal decimal(Number n) {
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException notFinite) {
            return null;
        }
    }

    /** A value as compact JSON: {@code "buy"}, {@code 2}, {@code {"sku":"A1"}}, {@code null}. */
    static String render(Object value) {
        StringBuilder out = new StringBuilder();
        render(value, out);
        return out.toString();
    }

    private static void render(Object value, StringBuilder out) {
        if (value instanceof String) {
            quote((String) value, out);
        } else if (value instanceof Map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> entry = it.next();
                quote(String.valueOf(entry.getKey()), out);
                out.append(':');
                render(entry.getValue(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            Iterator<?> it = ((List<?>) value).iterator();
            while (it.hasNext()) {
                render(it.next(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else if (value instanceof Event) {
            out.append(EventJson.toJson((Event) value));
        } else {
            out.append(value);
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** What a value is, for "is …, not an object": {@code a list}, {@code an object}, or the value itself. */
    static String kind(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return render(value);
    }

    /** {@code 1 event}, {@code 3 events}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Each item on its own indented line, at most {@link #MAX_LISTED} of them: a colon, then one line per item. */
    static String listing(List<?> items) {
        StringBuilder out = new StringBuilder(":");
        int shown = Math.min(items.size(), MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            out.append("\n").append("  ").append(render(items.get(i)));
        }
        if (items.size() > shown) {
            out.append("\n").append("  … and ").append(items.size() - shown).append(" more");
        }
        return out.toString();
    }

    /** A duration as people write it: {@code 500ms}, {@code 2s}, {@code 90s}. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
