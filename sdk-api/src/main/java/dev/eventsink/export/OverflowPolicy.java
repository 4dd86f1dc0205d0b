package dev.eventsink.export;

/**
 * What a {@link DeliveryPipeline} does with an event when its queue is full, by events or by bytes. Every
 * drop fails the event's future with {@link dev.eventsink.DeliveryException.Outcome#DROPPED}, is counted in
 * the stats by reason, and is logged (at most once every few seconds, with the count since the last line).
 * Chosen by {@code *_EVENT_SINK_OVERFLOW}, for example {@code UX_EVENT_SINK_OVERFLOW=block}.
 */
public enum OverflowPolicy {
    /** Refuse the new event (the default): what is queued stays, and the caller never waits. */
    DROP_NEWEST,
    /** Drop the oldest queued events to make room for the new one: the caller never waits. */
    DROP_OLDEST,
    /** Make the caller wait up to the configured block timeout for room, then drop the new event. */
    BLOCK
}
