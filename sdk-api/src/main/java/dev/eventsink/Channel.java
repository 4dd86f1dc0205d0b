package dev.eventsink;

/**
 * A delivery channel: each {@link EventType} goes to the sink configured for its channel.
 *
 * <p>A channel's configuration keys all start with its {@linkplain #prefix() prefix}, for example
 * {@code UX_EVENT_SINK_TYPE} or {@code SIM_EVENT_SINK_URL}.
 */
public enum Channel {
    /** Receives {@link EventType#UX_ACTION} events; keys start with {@code UX_EVENT_SINK_}. */
    UX("UX_EVENT_SINK_"),
    /** Receives {@link EventType#SIMULATION_EVENT} events; keys start with {@code SIM_EVENT_SINK_}. */
    SIM("SIM_EVENT_SINK_");

    private final String prefix;

    Channel(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix of this channel's configuration keys, for example {@code UX_EVENT_SINK_}. */
    public String prefix() {
        return prefix;
    }

    /** The full configuration key for a suffix: {@code UX.key("URL")} is {@code UX_EVENT_SINK_URL}. */
    public String key(String suffix) {
        return prefix + suffix;
    }

    /** The event type this channel carries. */
    public EventType eventType() {
        return this == UX ? EventType.UX_ACTION : EventType.SIMULATION_EVENT;
    }
}
