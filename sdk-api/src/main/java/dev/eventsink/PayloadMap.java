package dev.eventsink;

import dev.eventsink.internal.JsonValues;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * An event's payload as it is kept: its compact JSON, validated once when the event is built. The map view is
 * decoded from that JSON the first time it is read, so that an event that is only sent never builds one.
 * Immutable; the map keeps insertion order. For example {@code event.payload().get("button")} decodes the
 * payload once, and sending the event to OpenObserve copies its JSON without decoding it.
 */
final class PayloadMap extends AbstractMap<String, Object> {

    static final PayloadMap EMPTY = new PayloadMap(new byte[] {'{', '}'});
    /** The limits of {@link Event}'s payload. */
    static final JsonValues.Limits LIMITS =
            new JsonValues.Limits(Event.MAX_PAYLOAD_DEPTH, Event.MAX_PAYLOAD_KEYS, Event.MAX_INTEGER_DIGITS);

    private final byte[] json;
    private volatile Map<String, Object> decoded;

    private PayloadMap(byte[] json) {
        this.json = json;
    }

    /** The payload of {@code source}: validated and encoded, or {@code source} itself when it is one already. */
    static PayloadMap of(Map<?, ?> source) {
        if (source == null) {
            return EMPTY;
        }
        if (source instanceof PayloadMap) {
            return (PayloadMap) source;
        }
        if (source.isEmpty()) {
            return EMPTY;
        }
        return new PayloadMap(JsonValues.encodeObject(source, "payload", LIMITS));
    }

    /** A payload from compact JSON that was validated while it was written, as {@link EventJsonReader} does. */
    static PayloadMap ofValidatedJson(byte[] json) {
        return JsonValues.isEmptyObject(json) ? EMPTY : new PayloadMap(json);
    }

    /** The compact JSON; callers must not change it. */
    byte[] json() {
        return json;
    }

    private Map<String, Object> decoded() {
        Map<String, Object> map = decoded;
        if (map == null) {
            map = JsonValues.decodeObject(json);
            decoded = map;
        }
        return map;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return decoded().entrySet();
    }

    @Override
    public int size() {
        return JsonValues.isEmptyObject(json) ? 0 : decoded().size();
    }

    @Override
    public boolean isEmpty() {
        return JsonValues.isEmptyObject(json);
    }

    @Override
    public Object get(Object key) {
        return decoded().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return decoded().containsKey(key);
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof PayloadMap && Arrays.equals(json, ((PayloadMap) o).json)) {
            return true;
        }
        return o instanceof Map && decoded().equals(o);
    }

    @Override
    public int hashCode() {
        return decoded().hashCode();
    }

    @Override
    public String toString() {
        return decoded().toString();
    }
}
