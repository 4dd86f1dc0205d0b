package dev.eventsink.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates JSON-compatible values ({@code null}, {@link Boolean}, finite numbers, {@link String}, lists and maps
 * with {@code String} keys) while encoding them to compact JSON in one pass, and decodes such JSON back into
 * unmodifiable maps and lists. Not public API.
 *
 * <pre>{@code
 * byte[] json = JsonValues.encodeObject(Map.of("x", 1.5), "payload", new Limits(32, 1000, 1000));   // {"x":1.5}
 * Map<String, Object> back = JsonValues.decodeObject(json);                                      // {x=1.5}
 * }</pre>
 *
 * <p>Numbers are normalised to what decoding gives back, so that a value survives the round trip: whole numbers
 * are written as integers (decoded as {@link Long}, or {@link BigInteger} beyond its range), every other number
 * as a double (decoded as {@link Double}).
 */
public final class JsonValues {

    public static final String ALLOWED =
            "null, Boolean, finite Number, String, List, Map with String keys";

    /** The deepest nesting {@link #decodeObject} reads, and so the deepest a {@link Limits} may allow. */
    public static final int MAX_DEPTH = 1000;

    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    /**
     * Reads only what {@link #encodeObject} wrote, held in memory: its depth and numbers were bounded when it was
     * written, and its strings by its size, so the parser's own limits on them are lifted.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();
    /** Each thread's encoder, reused: encoding an event's payload allocates only the bytes it returns. */
    private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);
    private static final int MAX_KEPT_SCRATCH = 64 * 1024;

    private JsonValues() {}

    /**
     * The bounds a value tree must keep to.
     *
     * @param maxDepth         how many nested maps and lists are allowed, the root map included (1 to
     *                         {@value #MAX_DEPTH})
     * @param maxKeys          how many keys all the maps hold together, the root map's and the nested ones'
     * @param maxIntegerDigits how many digits a whole number may have, its sign not counted
     */
    public record Limits(int maxDepth, int maxKeys, int maxIntegerDigits) {
        public Limits {
            if (maxDepth < 1 || maxDepth > MAX_DEPTH || maxKeys < 0 || maxIntegerDigits < 1) {
                throw new IllegalArgumentException("invalid limits: depth " + maxDepth + ", keys " + maxKeys
                        + ", integer digits " + maxIntegerDigits);
            }
        }
    }

    /** The message for a map or list entered below {@code limit} levels: {@code payload.a.b nests deeper than 32 levels}. */
    public static String tooDeep(String path, int limit) {
        return Quoting.quote(path) + " nests deeper than " + limit + " levels";
    }

    /** The message for the first key past the limit, at {@code path}. */
    public static String tooManyKeys(String root, int limit, String path) {
        return root + " has more than " + limit + " keys, counted at every level; the first key over the limit is "
                + Quoting.quote(path);
    }

    /** The message for a whole number with more than {@code limit} digits. */
    public static String tooManyDigits(String path, int limit) {
        return Quoting.quote(path) + " is a number of more than " + limit + " digits";
    }

    /**
     * The compact JSON of {@code source}, validated on the way.
     *
     * @param path   the name used in error messages, for example {@code payload}
     * @param limits the depth, key count and number length allowed
     * @throws IllegalArgumentException naming the path of the first offending value
     */
    public static byte[] encodeObject(Map<?, ?> source, String path, Limits limits) {
        if (source.isEmpty()) {
            return EMPTY_OBJECT.clone();
        }
        Encoder encoder = ENCODER.get();
        try {
            return encoder.encode(source, path, limits);
        } finally {
            encoder.out.reset(MAX_KEPT_SCRATCH);
        }
    }

    /** Whether {@code json} is the empty object {@code {}}. */
    public static boolean isEmptyObject(byte[] json) {
        return json.length == 2;
    }

    /** Walks a value tree, writing it and keeping the path to the current value for error messages only. */
    private static final class Encoder {
        final ByteBuf out = new ByteBuf(512);
        private String root;
        private int maxDepth;
        private int maxKeys;
        private int maxIntegerDigits;
        private int keys;
        /** The key (String) or index (Integer) at each depth below the root. */
        private Object[] segments = new Object[34];
        /** How many of {@link #segments} were set by this encoding: those are cleared after it. */
        private int deepest;

        byte[] encode(Map<?, ?> source, String path, Limits limits) {
            out.reset();
            root = path;
            maxDepth = limits.maxDepth();
            maxKeys = limits.maxKeys();
            maxIntegerDigits = limits.maxIntegerDigits();
            keys = 0;
            if (segments.length < maxDepth + 2) {
                segments = new Object[maxDepth + 2];
            }
            deepest = 0;
            try {
                map(source, 1);
                return out.toByteArray();
            } finally {
                java.util.Arrays.fill(segments, 0, deepest, null); // keep no reference to the caller's keys
            }
        }

        /** Writes a map entered at {@code depth} (1 for the root); its path is segments[0, depth - 1). */
        void map(Map<?, ?> map, int depth) {
            checkDepth(depth);
            out.write('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException(path(depth - 1) + " has a non-String key "
                            + Quoting.quote(String.valueOf(key)) + " (" + (key == null ? "null" : key.getClass().getName())
                            + "); JSON object keys must be Strings");
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                Json.writeString(out, (String) key);
                out.write(':');
                segments[depth - 1] = key;
                if (++keys > maxKeys) {
                    throw new IllegalArgumentException(tooManyKeys(root, maxKeys, rawPath(depth)));
                }
                deepest = Math.max(deepest, depth);
                value(entry.getValue(), depth);
            }
            out.write('}');
        }

        void list(Collection<?> list, int depth) {
            checkDepth(depth);
            out.write('[');
            int index = 0;
            for (Object element : list) {
                if (index > 0) {
                    out.write(',');
                }
                segments[depth - 1] = index++;
                deepest = Math.max(deepest, depth);
                value(element, depth);
            }
            out.write(']');
        }

        /** Writes the value at segments[0, depth), inside a container entered at {@code depth}. */
        void value(Object value, int depth) {
            if (value == null) {
                out.ascii("null");
            } else if (value instanceof String) {
                Json.writeString(out, (String) value);
            } else if (value instanceof Boolean) {
                out.ascii((Boolean) value ? "true" : "false");
            } else if (value instanceof Number) {
                number((Number) value, depth);
            } else if (value instanceof Map) {
                map((Map<?, ?>) value, depth + 1);
            } else if (value instanceof Collection) {
                list((Collection<?>) value, depth + 1);
            } else {
                throw new IllegalArgumentException(path(depth) + " has unsupported type " + value.getClass().getName()
                        + "; allowed: " + ALLOWED);
            }
        }

        private void number(Number number, int depth) {
            if (number instanceof Long || number instanceof Integer || number instanceof Short
                    || number instanceof Byte) {
                out.decimal(number.longValue());
            } else if (number instanceof Double || number instanceof Float || number instanceof BigDecimal) {
                double d = number.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException(path(depth) + " must be a finite number, was " + number);
                }
                Json.writeDouble(out, d);
            } else if (number instanceof BigInteger) {
                integer((BigInteger) number, depth);
            } else {
                throw new IllegalArgumentException(path(depth) + " has unsupported number type "
                        + number.getClass().getName() + "; allowed: Integer, Long, Short, Byte, Float, Double,"
                        + " BigInteger, BigDecimal");
            }
        }

        /** A whole number of at most maxIntegerDigits digits, measured before any long text is made. */
        private void integer(BigInteger number, int depth) {
            // log2(10) bits per digit: a number this long has more digits than allowed, whatever they are
            if (number.bitLength() > Math.ceil(maxIntegerDigits * 3.3219280948873626) + 1) {
                throw new IllegalArgumentException(tooManyDigits(rawPath(depth), maxIntegerDigits));
            }
            String text = number.toString();
            if (text.length() - (number.signum() < 0 ? 1 : 0) > maxIntegerDigits) {
                throw new IllegalArgumentException(tooManyDigits(rawPath(depth), maxIntegerDigits));
            }
            out.ascii(text);
        }

        private void checkDepth(int depth) {
            if (depth > maxDepth) {
                throw new IllegalArgumentException(tooDeep(rawPath(depth - 1), maxDepth));
            }
        }

        /** The path of the first {@code length} segments: {@code payload.a.b[2]}, quoted for a message. */
        private String path(int length) {
            return Quoting.quote(rawPath(length));
        }

        /** The path of the first {@code length} segments, as it is. */
        private String rawPath(int length) {
            StringBuilder path = new StringBuilder(root);
            for (int i = 0; i < length; i++) {
                Object segment = segments[i];
                if (segment instanceof Integer) {
                    path.append('[').append(segment).append(']');
                } else {
                    path.append('.').append(segment);
                }
            }
            return path.toString();
        }
    }

    /**
     * Decodes a JSON object written by {@link #encodeObject} into an unmodifiable map that keeps the order of its
     * keys, with unmodifiable lists and maps inside.
     *
     * @throws IllegalArgumentException when {@code json} is not a JSON object
     */
    public static Map<String, Object> decodeObject(byte[] json) {
        if (isEmptyObject(json)) {
            return Map.of();
        }
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return readObject(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        String key;
        while ((key = parser.nextFieldName()) != null) {
            map.put(key, readValue(parser, parser.nextToken()));
        }
        return Collections.unmodifiableMap(map);
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                return readObject(parser);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, next));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected JSON token " + token);
        }
    }
}
