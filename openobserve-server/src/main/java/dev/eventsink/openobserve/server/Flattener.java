package dev.eventsink.openobserve.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
 *
 * <p>Implementation: records are read straight from a {@link JsonParser}, without a {@link JsonNode} tree (only
 * arrays and too-deep objects, stored as JSON text, are read as trees). Each object's fields are collected in
 * document order; the record is then written walking them in sorted key order, so collisions resolve as in
 * OpenObserve — except for the most common shape, a flat object whose keys are all already normalised, where no
 * collision is possible and the fields are taken in document order (the order the tree-based version, whose
 * results this one reproduces exactly, kept them in). Normalised and joined keys are memoised ({@link KeyCache}).
 */
final class Flattener {

    static final String NOT_AN_OBJECT = "flatten value must be an object";

    private static final KeyCache KEYS = new KeyCache();
    /** Reads the subtrees stored as JSON text (with the constraints of the parser it is given). */
    private static final ObjectReader TREES = new ObjectMapper().reader();
    /** The value of a field that makes no column: an empty object or array. */
    private static final Object DROPPED = new Object();
    /** Up to this many fields an object's keys are sorted by insertion sort. */
    private static final int INSERTION_SORT_LIMIT = 32;

    private final int maxLevel;
    /**
     * The key order last computed for an object at each depth, with its keys: records of one batch usually have
     * the same keys in the same order, so the sort is done once and then only confirmed.
     */
    private String[][] lastKeys = new String[4][];
    private int[][] lastOrder = new int[4][];
    /**
     * For the object last written at each depth: its parent's flattened key and the flattened key of each of its
     * fields (by field index, filled as needed), reused while the next object there has the same keys and parent.
     */
    private String[] lastParent = new String[4];
    private String[][] lastResolved = new String[4][];
    /** The top-level keys last read, by position, and whether each is already normalised. */
    private String[] lastTopNames = new String[0];
    private boolean[] lastTopFormatted = new boolean[0];

    /** A flattener for one request's records (it remembers their shape): not thread-safe. */
    Flattener(int maxLevel) {
        this.maxLevel = maxLevel;
    }

    /** The flat record, or {@code null} when {@code value} is not an object ({@link #NOT_AN_OBJECT}). */
    static Map<String, Object> flatten(JsonNode value, int maxLevel) {
        try (JsonParser parser = value.traverse()) {
            parser.nextToken();
            FlatRecord record = new Flattener(maxLevel).flatten(parser);
            return record == null ? null : record.toMap();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a tree cannot fail to parse
        }
    }

    /**
     * Reads one JSON value, {@code parser} being on its first token, and leaves the parser on its last token.
     *
     * @return the flat record, or {@code null} when the value is not an object ({@link #NOT_AN_OBJECT})
     */
    FlatRecord flatten(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        Fields top = readObject(parser, 0);
        FlatRecord out = new FlatRecord(top.size + 2);
        if (top.isFlatAndFormatted()) {
            // Nothing to rename or flatten, so no collision is possible: document order, duplicates last-wins.
            for (int i = 0; i < top.size; i++) {
                out.put(top.keys[i], top.isContainer(i) ? null : top.values[i]); // replaced by a later duplicate
            }
        } else {
            write(top, null, 0, out);
        }
        out.removeNulls();
        return out;
    }

    /** The fields of the object whose START_OBJECT the parser is on, up to its END_OBJECT. */
    private Fields readObject(JsonParser parser, int depth) throws IOException {
        Fields fields = new Fields();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            Object value;
            boolean container = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
            if (token == JsonToken.START_OBJECT) {
                if (maxLevel > 0 && depth + 1 >= maxLevel) {
                    value = jsonText(parser);
                } else {
                    Fields child = readObject(parser, depth + 1);
                    value = child.size == 0 ? DROPPED : child;
                }
            } else if (token == JsonToken.START_ARRAY) {
                value = jsonText(parser);
            } else {
                value = scalar(parser, token);
            }
            if (depth == 0 && fields.keysFormatted) {
                fields.keysFormatted = isFormatted(name, fields.size);
            }
            fields.add(name, value, container);
        }
        return fields;
    }

    /** Whether top-level key {@code name}, read at {@code position}, is already normalised. */
    private boolean isFormatted(String name, int position) {
        if (position < lastTopNames.length && lastTopNames[position] == name) {
            return lastTopFormatted[position];
        }
        boolean formatted = KEYS.format(name).equals(name);
        if (position >= lastTopNames.length) {
            lastTopNames = Arrays.copyOf(lastTopNames, Math.max(8, position * 2));
            lastTopFormatted = Arrays.copyOf(lastTopFormatted, lastTopNames.length);
        }
        lastTopNames[position] = name;
        lastTopFormatted[position] = formatted;
        return formatted;
    }

    /** Writes an object's fields in OpenObserve's order: sorted by original key, a duplicate key's last value. */
    private void write(Fields fields, String parentKey, int depth, FlatRecord out) {
        int[] previousOrder = depth < lastOrder.length ? lastOrder[depth] : null;
        int[] order = sortedOrder(fields, depth);
        String[] resolved = lastResolved[depth];
        if (order != previousOrder || resolved == null || resolved.length != fields.size
                || !Objects.equals(lastParent[depth], parentKey)) {
            resolved = new String[fields.size];
            lastResolved[depth] = resolved;
            lastParent[depth] = parentKey;
        }
        for (int n = 0; n < order.length; n++) {
            int i = order[n];
            String name = fields.keys[i];
            if (n + 1 < order.length && fields.keys[order[n + 1]].equals(name)) {
                continue; // the sort is stable: a later duplicate of this key replaces it
            }
            Object value = fields.values[i];
            if (value == DROPPED) {
                continue;
            }
            String key = resolved[i];
            if (key == null) {
                key = depth == 0 ? KEYS.format(name) : KEYS.join(parentKey, name);
                resolved[i] = key;
            }
            if (value instanceof Fields child) {
                write(child, key, depth + 1, out);
            } else {
                out.put(key, value);
            }
        }
    }

    /** Field indexes sorted by key in {@link Names#UTF8_ORDER}; stable, so duplicates stay in document order. */
    private int[] sortedOrder(Fields fields, int depth) {
        if (depth >= lastKeys.length) {
            lastKeys = Arrays.copyOf(lastKeys, depth * 2);
            lastOrder = Arrays.copyOf(lastOrder, depth * 2);
            lastParent = Arrays.copyOf(lastParent, depth * 2);
            lastResolved = Arrays.copyOf(lastResolved, depth * 2);
        }
        String[] known = lastKeys[depth];
        if (known != null && fields.hasKeys(known)) {
            return lastOrder[depth];
        }
        int[] order = fields.sortedOrder(); // a new instance: write() sees that the keys changed
        lastKeys[depth] = Arrays.copyOf(fields.keys, fields.size);
        lastOrder[depth] = order;
        return order;
    }

    /** An array or a too-deep object, the parser on its first token: its JSON text, or DROPPED when empty. */
    private static Object jsonText(JsonParser parser) throws IOException {
        JsonNode node = TREES.readTree(parser);
        return node.isEmpty() ? DROPPED : SerdeJson.write(node);
    }

    /** A scalar's value as OpenObserve keeps it (see {@link SerdeJson#integerValue}); {@code null} for null. */
    private static Object scalar(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return (long) parser.getIntValue();
                    case LONG:
                        return parser.getLongValue();
                    default:
                        return SerdeJson.integerValue(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** An object's fields in document order: values are scalars, {@code null}, JSON text, DROPPED or Fields. */
    private static final class Fields {
        String[] keys = new String[8];
        Object[] values = new Object[8];
        int size;
        /** Which values are objects or arrays (even empty ones); {@code null} while there is none. */
        boolean[] containers;
        /** Whether every key is already normalised; only tracked for the top level. */
        boolean keysFormatted = true;

        void add(String key, Object value, boolean container) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
                if (containers != null) {
                    containers = Arrays.copyOf(containers, size * 2);
                }
            }
            if (container && containers == null) {
                containers = new boolean[keys.length];
            }
            if (containers != null) {
                containers[size] = container;
            }
            keys[size] = key;
            values[size] = value;
            size++;
        }

        boolean isContainer(int i) {
            return containers != null && containers[i];
        }

        /**
         * Whether the object, once duplicate keys are resolved (last wins), has only already-normalised keys and
         * scalar values: the case the tree-based flattener took in document order.
         */
        boolean isFlatAndFormatted() {
            if (!keysFormatted) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                if (isContainer(i) && !hasLaterDuplicate(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean hasLaterDuplicate(int i) {
            for (int j = i + 1; j < size; j++) {
                if (keys[j].equals(keys[i])) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the keys are exactly {@code others}, in order. */
        boolean hasKeys(String[] others) {
            if (others.length != size) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                if (keys[i] != others[i] && !keys[i].equals(others[i])) {
                    return false;
                }
            }
            return true;
        }

        /** Field indexes sorted by key in {@link Names#UTF8_ORDER}; stable, so duplicates stay in document order. */
        int[] sortedOrder() {
            int[] order = new int[size];
            if (size > INSERTION_SORT_LIMIT) {
                Integer[] boxed = new Integer[size];
                for (int i = 0; i < size; i++) {
                    boxed[i] = i;
                }
                Arrays.sort(boxed, (a, b) -> Names.compareUtf8(keys[a], keys[b]));
                for (int i = 0; i < size; i++) {
                    order[i] = boxed[i];
                }
                return order;
            }
            for (int i = 0; i < size; i++) {
                String key = keys[i];
                int j = i - 1;
                while (j >= 0 && Names.compareUtf8(keys[order[j]], key) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = i;
            }
            return order;
        }
    }
}
