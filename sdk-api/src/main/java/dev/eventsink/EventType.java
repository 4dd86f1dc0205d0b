package dev.eventsink;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two kinds of events the SDK records. Each kind is delivered through its own {@link Channel}.
 *
 * <p>The {@linkplain #wireName() wire name} is what JSON carries in the {@code eventType} field:
 * {@code EventType.fromWireName("ux_action")} is {@link #UX_ACTION}.
 */
public enum EventType {
    /** What a person did in an application: a click, a navigation, a changed setting. */
    UX_ACTION("ux_action"),
    /** What a simulation emitted: a tick, a collision, a state change. */
    SIMULATION_EVENT("simulation_event");

    private static final String VALID_NAMES =
            Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name JSON carries: {@code ux_action} or {@code simulation_event}. */
    public String wireName() {
        return wireName;
    }

    /** The channel whose sink receives events of this type. */
    public Channel channel() {
        return this == UX_ACTION ? Channel.UX : Channel.SIM;
    }

    /**
     * Parses a wire name. Matching is exact after trimming, ignoring case.
     *
     * @throws IllegalArgumentException naming the valid wire names when {@code wireName} is not one of them
     * @throws NullPointerException when {@code wireName} is null
     */
    public static EventType fromWireName(String wireName) {
        if (wireName == null) {
            throw new NullPointerException("eventType must not be null; valid values: " + VALID_NAMES);
        }
        String normalized = wireName.trim().toLowerCase(Locale.ROOT);
        for (EventType type : values()) {
            if (type.wireName.equals(normalized)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "Unknown eventType '" + dev.eventsink.internal.Quoting.quote(wireName) + "'; valid values: " + VALID_NAMES);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
