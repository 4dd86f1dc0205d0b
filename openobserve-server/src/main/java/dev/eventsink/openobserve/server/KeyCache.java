package dev.eventsink.openobserve.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Memoised {@link Names#formatKey} and nested-key joining. Every record of a stream repeats the same few keys, so
 * normalising and concatenating them anew for each record is wasted work; the maps are bounded, and keys beyond
 * the bound are simply computed each time. Thread-safe. For example {@code join("payload", "cartItems")} gives
 * {@code payload_cartitems}, worked out once and then remembered.
 */
final class KeyCache {

    private static final int MAX_KEYS = 4096;
    private static final int MAX_PARENTS = 512;
    private static final int MAX_CHILDREN = 512;

    private final ConcurrentHashMap<String, String> formatted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> joined = new ConcurrentHashMap<>();

    /** {@link Names#formatKey}{@code (key)}. */
    String format(String key) {
        String result = formatted.get(key);
        if (result == null) {
            result = Names.formatKey(key);
            if (formatted.size() < MAX_KEYS) {
                formatted.putIfAbsent(key, result);
            }
        }
        return result;
    }

    /** The flattened key of field {@code key} (not yet normalised) of the object stored under {@code parent}. */
    String join(String parent, String key) {
        ConcurrentHashMap<String, String> children = joined.get(parent);
        String result = children == null ? null : children.get(key);
        if (result == null) {
            result = parent + '_' + format(key);
            if (children == null && joined.size() < MAX_PARENTS) {
                children = joined.computeIfAbsent(parent, p -> new ConcurrentHashMap<>());
            }
            if (children != null && children.size() < MAX_CHILDREN) {
                children.putIfAbsent(key, result);
            }
        }
        return result;
    }
}
