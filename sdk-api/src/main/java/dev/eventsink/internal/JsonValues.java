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
                throw new IllegalArgumentException(path + " has a non-String key " + key + " ("
                        + (key == null ? "null" : key.getClass().getName()) + "); JSON object keys must be Strings");
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
        throw new IllegalArgumentException(path + " has unsupported type " + value.getClass().getName()
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
                throw new IllegalArgumentException(path + " must be a finite number, was " + number);
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
        throw new IllegalArgumentException(path + " has unsupported number type " + number.getClass().getName()
                + "; allowed: Integer, Long, Short, Byte, Float, Double, BigInteger, BigDecimal");
    }

    private static void checkDepth(String path, int depth, int maxDepth) {
        if (depth > maxDepth) {
            throw new IllegalArgumentException(path + " nests deeper than " + maxDepth + " levels");
        }
    }

    /**
     * A quick estimate of the JSON size of a value in bytes, for queue and batch bounds: exact for ASCII
     * strings and small integers, close for the rest. Cheap enough for the caller's thread.
     */
    public static long estimateSize(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String) {
            return ((String) value).length() + 2;
        }
        if (value instanceof Boolean) {
            return 5;
        }
        if (value instanceof Number) {
            return 8;
        }
        if (value instanceof Map) {
            long size = 2;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                size += ((String) entry.getKey()).length() + 4 + estimateSize(entry.getValue());
            }
            return size;
        }
        if (value instanceof Collection) {
            long size = 2;
            for (Object element : (Collection<?>) value) {
                size += 1 + estimateSize(element);
            }
            return size;
        }
        return 16;
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
