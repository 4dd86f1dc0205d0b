package dev.eventsink.testkit.openobserve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OpenObserve's {@code flatten_with_level}: turns one ingested JSON object into the flat record it stores.
 *
 * <ul>
 *   <li>Keys are normalised with {@link Names#formatKey} segment by segment; a nested key is
 *       {@code parent + "_" + child}: {@code {"@nested_key":{"#key":"v"}}} → {@code {"_nested_key__key":"v"}}.</li>
 *   <li><b>Flatten level</b> {@code L} ({@code ZO_INGEST_FLATTEN_LEVEL}, default 3; 0 means unlimited): the
 *       top-level object is depth 0, an object held by one of its fields is depth 1, and so on. An object at
 *       depth {@code d < L} is flattened into its parent; a (non-empty) object at depth {@code d == L} is stored
 *       as JSON text under the key built so far. So a stored key has at most {@code L} segments. With the
 *       default {@code L = 3}:
 *       <pre>
 *   {"a":{"b":{"c":1}}}        → {"a_b_c":1}
 *   {"a":{"b":{"c":{"d":1}}}}  → {"a_b_c":"{\"d\":1}"}
 *   {"a":{"b":{"C":{"D":1}}}}  → {"a_b_c":"{\"D\":1}"}   (keys inside JSON text are not normalised)
 * </pre>
 *       and with {@code L = 1}: {@code {"info":{"city":"X"}}} → {@code {"info":"{\"city\":\"X\"}"}}.</li>
 *   <li>A non-empty array, at any depth, is stored as JSON text: {@code {"tags":["a","b"]}} →
 *       {@code {"tags":"[\"a\",\"b\"]"}}.</li>
 *   <li>Empty objects and empty arrays are dropped (before the level check).</li>
 *   <li>JSON text is written like serde_json: compact, object keys sorted, original keys, nulls kept
 *       ({@link SerdeJson}).</li>
 *   <li>Keys that collide after normalisation: the one written last wins, silently. OpenObserve walks each
 *       object's keys in sorted order of the <em>original</em> keys (serde_json's {@code BTreeMap}), not in
 *       document order: in {@code {"userid":1,"userId":2}} the key {@code userId} sorts first, so
 *       {@code userid = 1} wins.</li>
 *   <li>Null values are dropped from the result, at any depth (after collisions are resolved). OpenObserve's
 *       flatten keeps them, but a null makes no column and is never returned by a search, so a stored record
 *       has no such field.</li>
 * </ul>
 */
final class Flattener {

    static final String NOT_AN_OBJECT = "flatten value must be an object";

    private Flattener() {}

    /** The flat record, or {@code null} when {@code value} is not an object ({@link #NOT_AN_OBJECT}). */
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
                // Fast path: nothing to rename, so no collision is possible.
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    Object scalar = SerdeJson.scalarValue(field.getValue());
                    if (scalar != null) {
                        out.put(field.getKey(), scalar);
                    }
                }
                return out;
            }
            for (Map.Entry<String, JsonNode> field : SerdeJson.sortedFields(value)) {
                out.put(Names.formatKey(field.getKey()), SerdeJson.scalarValue(field.getValue()));
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
        List<Map.Entry<String, JsonNode>> fields = SerdeJson.sortedFields(object);
        for (Map.Entry<String, JsonNode> field : fields) {
            String key = Names.formatKey(field.getKey());
            if (depth > 0) {
                key = parentKey + '_' + key;
            }
            flattenValue(field.getValue(), key, maxLevel, depth + 1, out);
        }
    }

    private static void flattenValue(JsonNode value, String key, int maxLevel, int depth, Map<String, Object> out) {
        if (value.isObject()) {
            flattenObject(value, key, maxLevel, depth, out);
        } else if (value.isArray()) {
            if (!value.isEmpty()) {
                out.put(key, SerdeJson.write(value));
            }
        } else {
            out.put(key, SerdeJson.scalarValue(value));
        }
    }
}
