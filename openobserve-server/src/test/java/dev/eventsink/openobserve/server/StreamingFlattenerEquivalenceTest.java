package dev.eventsink.openobserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@link Flattener} (with its key cache and remembered key orders) against the tree-based flattener
 * it replaced ({@link TreeReference}, kept here verbatim): same fields, same order, same value types, on varied
 * and random records — collisions after normalisation, duplicate keys, nulls, deep nesting, arrays, empty
 * containers, reserved keys, big numbers, non-object elements — and the same answers from the server.
 */
class StreamingFlattenerEquivalenceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FAST = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final String[] KEYS = {
        "a", "A", "b", "a_b", "a_B", "userId", "userid", "USERID", "_timestamp", "@timestamp", "_o2_id", "_all",
        "key+bar", "key_bar", "x", "y", "", "é", "É", "日本", "a\uD83D\uDE00b", "a__b", "payload", "kind", "1", "_",
    };

    @Test
    void handPickedRecordsFlattenAsBefore() throws Exception {
        String[] cases = {
            "{}", "[]", "1", "\"s\"", "null", "true", "[{\"a\":1}]",
            "{\"userid\":1,\"userId\":2}", "{\"userId\":2,\"userid\":1}", "{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":null}",
            "{\"a\":null,\"b\":1,\"a\":2}", "{\"a\":{\"x\":1},\"a\":{\"y\":2}}", "{\"a\":{\"x\":1},\"a\":{}}",
            "{\"a_b\":1,\"a\":{\"b\":2}}", "{\"a\":{\"b\":2},\"a_b\":1}", "{\"A\":{\"B\":1},\"a_b\":null}",
            "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "{\"a\":{\"b\":{\"C\":{\"D\":1,\"A\":[1,{\"z\":null,\"b\":2}]}}}}",
            "{\"t\":[],\"o\":{},\"n\":null,\"k\":{\"e\":{},\"f\":[]}}", "{\"@timestamp\":1,\"_timestamp\":2}",
            "{\"big\":18446744073709551615,\"bigger\":18446744073709551616,\"neg\":-9223372036854775809}",
            "{\"f\":1.5e-7,\"g\":-0.0,\"h\":1e400,\"i\":12345678901234567890.5,\"j\":0.1}",
            "{\"s\":\"\\u0000\\\"\\\\é\",\"Ü\":\"x\",\"ü\":\"y\"}", "{\"key\":{\"\":{\"\":{\"\":\"a\"}}}}",
            "{\"a\":[[],{},{\"k\":{},\"q\":[]}],\"b\":{\"c\":[]}}", "{\"é\":1,\"e\":2,\"日本\":3,\"\\ud83d\\ude00\":4}",
        };
        for (int level = 0; level <= 4; level++) {
            for (String json : cases) {
                assertSame(json, level);
            }
        }
    }

    @Test
    void randomRecordsFlattenAsBefore() throws Exception {
        Random random = new Random(42);
        for (int level = 0; level <= 4; level++) {
            for (int i = 0; i < 3000; i++) {
                StringBuilder json = new StringBuilder();
                object(random, json, 0);
                assertSame(json.toString(), level);
            }
        }
    }

    /** One flattener over many records of few shapes, as in a request: the remembered key orders must not leak. */
    @Test
    void batchesOfRepeatedShapesFlattenAsBefore() throws Exception {
        Random random = new Random(7);
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            StringBuilder json = new StringBuilder();
            object(random, json, 0);
            shapes.add(json.toString());
        }
        shapes.add("{\"b\":1,\"a\":{\"y\":1,\"x\":2}}");
        shapes.add("{\"b\":1,\"a\":{\"x\":1,\"y\":2}}");
        shapes.add("{\"b\":1,\"a\":{\"x\":1,\"x\":2}}");
        shapes.add("[1,2]");
        for (int level = 0; level <= 3; level++) {
            StringBuilder batch = new StringBuilder("[");
            List<String> elements = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String element = shapes.get(random.nextInt(4) == 0 ? random.nextInt(shapes.size()) : i % 2);
                elements.add(element);
                batch.append(i == 0 ? "" : ",").append(element);
            }
            batch.append(']');
            Flattener flattener = new Flattener(level);
            try (JsonParser parser = FAST.createParser(batch.toString())) {
                assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
                for (String element : elements) {
                    parser.nextToken();
                    FlatRecord record = flattener.flatten(parser);
                    assertThat(entries(record == null ? null : record.toMap()))
                            .as("level %d: %s", level, element)
                            .isEqualTo(entries(TreeReference.flatten(MAPPER.readTree(element), level)));
                }
                assertThat(parser.nextToken()).isEqualTo(JsonToken.END_ARRAY);
            }
        }
    }

    @Test
    void fastDoubleParsingReadsTheSameValues() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            String text = switch (i % 4) {
                case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong()));
                case 1 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
                case 2 -> (random.nextInt(2000) - 1000) + "." + Math.abs(random.nextLong()) + "e" + (random.nextInt(80) - 40);
                default -> random.nextInt(100000) / 100.0 + "";
            };
            if (text.contains("N") || text.contains("I")) {
                continue;
            }
            try (JsonParser parser = FAST.createParser("[" + text + "]")) {
                parser.nextToken();
                parser.nextToken();
                assertThat(parser.getDoubleValue()).as(text).isEqualTo(Double.parseDouble(text));
            }
        }
    }

    @Test
    void keyCacheAgreesWithNames() {
        KeyCache cache = new KeyCache();
        for (int round = 0; round < 2; round++) {
            for (String key : KEYS) {
                assertThat(cache.format(key)).isEqualTo(Names.formatKey(key));
                assertThat(cache.format(new String(key))).isEqualTo(Names.formatKey(key));
                for (String child : KEYS) {
                    assertThat(cache.join(key, child)).isEqualTo(key + "_" + Names.formatKey(child));
                }
            }
        }
        for (int i = 0; i < 10_000; i++) { // beyond the bounds: still right, just not remembered
            assertThat(cache.format("Key" + i)).isEqualTo("key" + i);
            assertThat(cache.join("p" + i, "Q")).isEqualTo("p" + i + "_q");
        }
    }

    @Test
    void serverAnswersInvalidJsonAsTheTreeParserDid() {
        try (OpenObserveServer server = OpenObserveServer.builder().clock(Http.FIXED).start()) {
            String[][] cases = {
                {"[{\"a\":1}] 2", "Trailing token (of type VALUE_NUMBER_INT) found after value"},
                {"[{\"a\":1}] x", "Unrecognized token 'x'"},
                {"[{\"a\":1},", "Unexpected end-of-input"},
                {"{\"a\":[1,2}", "Unexpected close marker '}'"},
                {"   ", "EOF while parsing a value"},
            };
            for (String[] c : cases) {
                var response = Http.post(server, "s", c[0]);
                assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
                assertThat(response.body()).as(c[0]).contains("SerdeJsonError# ").contains(c[1]);
            }
            assertThat(server.recordCount("s")).isZero();
        }
    }

    private static void assertSame(String json, int level) throws Exception {
        Map<String, Object> expected = TreeReference.flatten(MAPPER.readTree(json), level);
        assertThat(entries(Flattener.flatten(MAPPER.readTree(json), level))).as("tree, level %d: %s", level, json)
                .isEqualTo(entries(expected));
        try (JsonParser parser = FAST.createParser(json)) {
            parser.nextToken();
            FlatRecord record = new Flattener(level).flatten(parser);
            assertThat(entries(record == null ? null : record.toMap())).as("stream, level %d: %s", level, json)
                    .isEqualTo(entries(expected));
            assertThat(parser.nextToken()).isNull();
        }
    }

    /** The entries in order, each value with its class, so that order and types are compared too. */
    private static List<String> entries(Map<String, Object> map) {
        if (map == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(k + "=" + v + " (" + v.getClass().getSimpleName() + ")"));
        return out;
    }

    private static void object(Random random, StringBuilder json, int depth) {
        json.append('{');
        int fields = random.nextInt(depth == 0 ? 9 : 5);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            String key = KEYS[random.nextInt(KEYS.length)];
            StringBuilder k = new StringBuilder();
            SerdeJson.writeString(key, k);
            json.append(k).append(':');
            value(random, json, depth + 1);
        }
        json.append('}');
    }

    private static void value(Random random, StringBuilder json, int depth) {
        int kind = random.nextInt(depth > 5 ? 8 : 11);
        switch (kind) {
            case 0 -> json.append("null");
            case 1 -> json.append(random.nextBoolean());
            case 2 -> json.append(random.nextInt(2000) - 1000);
            case 3 -> json.append(random.nextLong());
            case 4 -> json.append(new BigInteger(70, random).subtract(BigInteger.ONE.shiftLeft(68)));
            case 5 -> json.append(random.nextDouble() * 1000 - 500);
            case 6 -> json.append("1.5e").append(random.nextInt(40) - 20);
            case 7 -> json.append('"').append(KEYS[random.nextInt(KEYS.length)].replace("\\", "")).append('"');
            case 8 -> {
                json.append('[');
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    json.append(i > 0 ? "," : "");
                    value(random, json, depth + 1);
                }
                json.append(']');
            }
            default -> object(random, json, depth);
        }
    }

    /** The tree-based flattener this package used before the streaming one, verbatim, as the reference. */
    static final class TreeReference {

        private TreeReference() {}

        static Map<String, Object> flatten(JsonNode value, int maxLevel) {
            if (!value.isObject()) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>(value.size() * 4 / 3 + 2);
            boolean nested = false;
            boolean keysValid = true;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode v = field.getValue();
                if (v.isContainerNode()) {
                    nested = true;
                    break;
                }
                if (keysValid && !Names.checkKey(field.getKey())) {
                    keysValid = false;
                }
            }
            if (!nested) {
                if (keysValid) {
                    for (Map.Entry<String, JsonNode> field : value.properties()) {
                        Object scalar = scalarValue(field.getValue());
                        if (scalar != null) {
                            out.put(field.getKey(), scalar);
                        }
                    }
                    return out;
                }
                for (Map.Entry<String, JsonNode> field : SerdeJson.sortedFields(value)) {
                    out.put(Names.formatKey(field.getKey()), scalarValue(field.getValue()));
                }
            } else {
                flattenObject(value, "", maxLevel, 0, out);
            }
            out.values().removeIf(Objects::isNull);
            return out;
        }

        private static void flattenObject(JsonNode object, String parentKey, int maxLevel, int depth,
                Map<String, Object> out) {
            if (object.isEmpty()) {
                return;
            }
            if (maxLevel > 0 && depth >= maxLevel) {
                out.put(parentKey, SerdeJson.write(object));
                return;
            }
            for (Map.Entry<String, JsonNode> field : SerdeJson.sortedFields(object)) {
                String key = Names.formatKey(field.getKey());
                if (depth > 0) {
                    key = parentKey + '_' + key;
                }
                flattenValue(field.getValue(), key, maxLevel, depth + 1, out);
            }
        }

        private static void flattenValue(JsonNode value, String key, int maxLevel, int depth,
                Map<String, Object> out) {
            if (value.isObject()) {
                flattenObject(value, key, maxLevel, depth, out);
            } else if (value.isArray()) {
                if (!value.isEmpty()) {
                    out.put(key, SerdeJson.write(value));
                }
            } else {
                out.put(key, scalarValue(value));
            }
        }

        private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        static Object scalarValue(JsonNode node) {
            switch (node.getNodeType()) {
                case STRING:
                    return node.textValue();
                case BOOLEAN:
                    return node.booleanValue();
                case NUMBER:
                    if (node.isIntegralNumber()) {
                        if (node.canConvertToLong()) {
                            return node.longValue();
                        }
                        BigInteger big = node.bigIntegerValue();
                        if (big.signum() > 0 && big.compareTo(U64_MAX) <= 0) {
                            return big;
                        }
                        return big.doubleValue();
                    }
                    return node.doubleValue();
                default:
                    return null;
            }
        }
    }
}
