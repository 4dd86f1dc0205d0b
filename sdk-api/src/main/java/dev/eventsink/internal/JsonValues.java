package dev.eventsink.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates and deep-copies JSON-compatible values: {@code null}, {@link Boolean}, finite numbers,
 * {@link String}, lists and maps with {@code String} keys. Not public API.
 */
public final class JsonValues {

    public static final String ALLOWED =
            "null, Boolean, finite Number, String, List, Map with String keys";

    private JsonValues() {}

    /**
     * Returns an unmodifiable deep copy of {@code source}, keeping insertion order.
     *
     * @param path     the name used in error messages, for example {@code payload}
     * @param maxDepth how many nested maps and lists are allowed, this map included
     * @throws IllegalArgumentException naming the path of the first offending value
     */
    public static Map<String, Object> copyObject(Map<?, ?> source, String path, int maxDepth) {
        return copyMap(source, path, 1, maxDepth);
    }

    private static Map<String, Object> copyMap(Map<?, ?> source, String path, int depth, int maxDepth) {
        checkDepth(path, depth, maxDepth);
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, (int) (source.size() / 0.75f) + 1));
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            Object key = entry.getKey();
            if (!(key instanceof String)) {
                throw new IllegalArgumentException(Quoting.quote(path) + " has a non-String key "
                        + Quoting.quote(String.valueOf(key)) + " (" + (key == null ? "null" : key.getClass().getName()) + "); JSON object keys must be Strings");
            }
            String childPath = path + "." + key;
            copy.put((String) key, copyValue(entry.getValue(), childPath, depth, maxDepth));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<Object> copyList(Collection<?> source, String path, int depth, int maxDepth) {
        checkDepth(path, depth, maxDepth);
        List<Object> copy = new ArrayList<>(source.size());
        int index = 0;
        for (Object element : source) {
            copy.add(copyValue(element, path + "[" + index++ + "]", depth, maxDepth));
        }
        return Collections.unmodifiableList(copy);
    }

    private static Object copyValue(Object value, String path, int depth, int maxDepth) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            return checkNumber((Number) value, path);
        }
        if (value instanceof Map) {
            return copyMap((Map<?, ?>) value, path, depth + 1, maxDepth);
        }
        if (value instanceof Collection) {
            return copyList((Collection<?>) value, path, depth + 1, maxDepth);
        }
        throw new IllegalArgumentException(Quoting.quote(path) + " has unsupported type " + value.getClass().getName()
                + "; allowed: " + ALLOWED);
    }

    /**
     * Normalises numbers to what JSON decoding gives back, so that an event survives a round trip: whole
     * numbers become {@link Long} ({@link BigInteger} beyond its range), decimals become {@link Double}.
     */
    private static Number checkNumber(Number number, String path) {
        if (number instanceof Double || number instanceof Float || number instanceof BigDecimal) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(Quoting.quote(path) + " must be a finite number, was " + number);
            }
            return number instanceof Double ? number : Double.valueOf(d);
        }
        if (number instanceof Long) {
            return number;
        }
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        if (number instanceof BigInteger) {
            BigInteger big = (BigInteger) number;
            return big.bitLength() < 64 ? (Number) big.longValue() : big;
        }
        throw new IllegalArgumentException(Quoting.quote(path) + " has unsupported number type " + number.getClass().getName()
                + "; allowed: Integer, Long, Short, Byte, Float, Double, BigInteger, BigDecimal");
    }

    private static void checkDepth(String path, int depth, int maxDepth) {
        if (depth > maxDepth) {
            throw new IllegalArgumentException(Quoting.quote(path) + " nests deeper than " + maxDepth + " levels");
        }
    }

    /**
     * An upper bound of the JSON size of a value in UTF-8 bytes, as the SDK's encoders write it: exact for
     * strings (escapes and multi-byte characters included), booleans, null and whole numbers; at most a few bytes
     * over for decimals. Used for the queue and batch bounds, so it must never be below the encoded size.
     */
    public static long estimateSize(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String) {
            return stringSize((String) value);
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? 4 : 5;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return longSize(((Number) value).longValue());
        }
        if (value instanceof Number) {
            return numberSize((Number) value);
        }
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            long size = 2 + Math.max(0, map.size() - 1); // braces and commas
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += stringSize((String) entry.getKey()) + 1 + estimateSize(entry.getValue());
            }
            return size;
        }
        if (value instanceof Collection) {
            Collection<?> list = (Collection<?>) value;
            long size = 2 + Math.max(0, list.size() - 1);
            for (Object element : list) {
                size += estimateSize(element);
            }
            return size;
        }
        return value.toString().length() * 6L + 2;
    }

    /**
     * The size of a quoted JSON string in UTF-8: 1 byte per plain ASCII character, 2 for the short escapes and
     * for characters up to U+07FF, 6 for other control characters and for each half of a surrogate pair (written
     * as a six-character <code>&#92;uXXXX</code> escape), 3 for the rest.
     */
    public static long stringSize(String s) {
        long size = 2;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                size += c == '"' || c == '\\' ? 2 : 1;
            } else if (c < 0x20) {
                size += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isSurrogate(c)) {
                size += 6;
            } else {
                size += 3;
            }
        }
        return size;
    }

    private static long longSize(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        long size = v < 0 ? 2 : 1;
        for (long x = Math.abs(v); x >= 10; x /= 10) {
            size++;
        }
        return size;
    }

    private static long numberSize(Number number) {
        if (number instanceof Double || number instanceof Float) {
            return 25; // the longest text Double.toString gives, as in -1.2345678901234567E-308
        }
        if (number instanceof BigInteger) {
            return (long) (((BigInteger) number).bitLength() * 0.30103) + 3;
        }
        return number.toString().length();
    }

    /**
     * Writes a value that {@link #copyObject} accepted (an event's payload, say) with no serializer look-ups.
     */
    public static void write(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String) {
            gen.writeString((String) value);
        } else if (value instanceof Boolean) {
            gen.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long) {
            gen.writeNumber((Long) value);
        } else if (value instanceof Double) {
            gen.writeNumber((Double) value);
        } else if (value instanceof Float) {
            gen.writeNumber((Float) value);
        } else if (value instanceof BigInteger) {
            gen.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            gen.writeNumber((BigDecimal) value);
        } else if (value instanceof Map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                gen.writeFieldName((String) entry.getKey());
                write(gen, entry.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof Collection) {
            gen.writeStartArray();
            for (Object element : (Collection<?>) value) {
                write(gen, element);
            }
            gen.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
