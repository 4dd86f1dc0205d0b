package dev.eventsink.openobserve.server;

import java.util.Comparator;

/**
 * OpenObserve's stream-name and field-key normalisation, character for character.
 *
 * <p>Stream names ({@code format_stream_name}): every run of characters outside {@code [a-zA-Z0-9_:]} becomes
 * one {@code _}, then the name is lowercased: {@code "stream-name with spaces!"} becomes
 * {@code "stream_name_with_spaces_"}.
 *
 * <p>Field keys ({@code flatten::format_key}): a key made only of lowercase letters, digits and {@code _} is kept;
 * otherwise each character is mapped on its own, one output character per input character: an uppercase letter
 * becomes its lowercase, a lowercase letter or a digit is kept, anything else becomes {@code _}
 * ({@code userId} → {@code userid}, {@code key+bar} → {@code key_bar}, {@code @nested_key.#key} →
 * {@code _nested_key__key}, {@code hello世界} → {@code hello__}). "Lowercase", "uppercase" and "digit" are the
 * Unicode properties Rust's {@code char::is_lowercase}, {@code is_uppercase} and {@code is_numeric} test, so
 * {@code café} is kept as it is.
 */
final class Names {

    /**
     * Orders strings as Rust orders them (by UTF-8 bytes, which is code-point order). serde_json's {@code Map}
     * is a {@code BTreeMap}, so OpenObserve walks an object's keys in this order; it decides which of two keys
     * that collide after normalisation is written last, and the key order of objects stored as JSON text.
     */
    static final Comparator<String> UTF8_ORDER = Names::compareUtf8;

    private Names() {}

    static String formatStreamName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean inRun = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            boolean kept = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                    || cp == '_' || cp == ':';
            if (kept) {
                out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
                inRun = false;
            } else if (!inRun) {
                out.append('_');
                inRun = true;
            }
        }
        return out.toString();
    }

    static String formatKey(String key) {
        if (checkKey(key)) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                if (cp >= 'A' && cp <= 'Z') {
                    out.append((char) (cp + ('a' - 'A')));
                } else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
                    out.append((char) cp);
                } else {
                    out.append('_');
                }
            } else if (Character.isLowerCase(cp) || isNumeric(cp)) {
                out.appendCodePoint(cp);
            } else if (Character.isUpperCase(cp)) {
                out.appendCodePoint(Character.toLowerCase(cp));
            } else {
                out.append('_');
            }
        }
        return out.toString();
    }

    /** True when {@link #formatKey} keeps the key as it is. */
    static boolean checkKey(String key) {
        for (int i = 0, n = key.length(); i < n; i++) {
            char c = key.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                continue;
            }
            if (c < 0x80) {
                return false;
            }
            int cp = key.codePointAt(i);
            if (!(Character.isLowerCase(cp) || isNumeric(cp))) {
                return false;
            }
            if (Character.charCount(cp) == 2) {
                i++;
            }
        }
        return true;
    }

    private static boolean isNumeric(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x == y) {
                continue;
            }
            if (!Character.isSurrogate(x) && !Character.isSurrogate(y)) {
                return Character.compare(x, y);
            }
            return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Integer.compare(a.length(), b.length());
    }
}
