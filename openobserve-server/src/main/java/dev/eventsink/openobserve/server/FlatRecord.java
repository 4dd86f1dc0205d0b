package dev.eventsink.openobserve.server;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One flattened record while it is ingested: its fields in insertion order, with the semantics of a
 * {@link LinkedHashMap} ({@link #put} of a present key replaces the value and keeps its position). Lighter than a
 * map; turned into one ({@link #toMap}) only for a record that is kept. Not thread-safe.
 * For example {@code put("a", 1)}, {@code put("b", 2)}, {@code put("a", 3)} leaves {@code a=3, b=2}.
 */
final class FlatRecord {

    /** Above this many fields, keys are found through a hash index rather than by scanning. */
    private static final int SCAN_LIMIT = 24;

    private String[] keys;
    private int[] hashes;
    private Object[] values;
    private int size;
    private boolean hasNulls;
    private HashMap<String, Integer> index;

    FlatRecord(int capacity) {
        keys = new String[Math.max(capacity, 4)];
        hashes = new int[keys.length];
        values = new Object[keys.length];
    }

    int size() {
        return size;
    }

    String key(int i) {
        return keys[i];
    }

    Object value(int i) {
        return values[i];
    }

    void setValue(int i, Object value) {
        values[i] = value;
    }

    /** The value of {@code key}, or {@code null} when absent. */
    Object get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** Like {@link Map#put}: a present key keeps its position and gets the new value; a new one is appended. */
    void put(String key, Object value) {
        hasNulls |= value == null;
        int i = indexOf(key);
        if (i >= 0) {
            values[i] = value;
            return;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        hashes[size] = key.hashCode();
        values[size] = value;
        if (index != null) {
            index.put(key, size);
        } else if (size == SCAN_LIMIT) {
            index = new HashMap<>(SCAN_LIMIT * 4);
            for (int k = 0; k <= size; k++) {
                index.put(keys[k], k);
            }
        }
        size++;
    }

    /** Drops the fields whose value is {@code null}, keeping the order of the others. */
    void removeNulls() {
        if (!hasNulls) {
            return;
        }
        hasNulls = false;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (values[i] != null) {
                keys[kept] = keys[i];
                hashes[kept] = hashes[i];
                values[kept] = values[i];
                kept++;
            }
        }
        if (kept != size) {
            Arrays.fill(keys, kept, size, null);
            Arrays.fill(values, kept, size, null);
            size = kept;
            index = null;
            if (size > SCAN_LIMIT) {
                index = new HashMap<>(size * 2);
                for (int k = 0; k < size; k++) {
                    index.put(keys[k], k);
                }
            }
        }
    }

    /** The fields as a mutable {@link LinkedHashMap}, in order. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>(size * 4 / 3 + 2);
        for (int i = 0; i < size; i++) {
            map.put(keys[i], values[i]);
        }
        return map;
    }

    private int indexOf(String key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        int hash = key.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
