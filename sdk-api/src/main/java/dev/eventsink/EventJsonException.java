package dev.eventsink;

/**
 * Thrown by {@link EventJson} when JSON does not hold a valid event. The message names the field,
 * for example {@code Invalid event JSON: timestamp is required}.
 */
public final class EventJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    EventJsonException(String field, String problem) {
        super("Invalid event JSON: " + problem);
        this.field = field;
    }

    /** The offending field of the event schema, or {@code null} when the JSON as a whole is invalid. */
    public String field() {
        return field;
    }
}
