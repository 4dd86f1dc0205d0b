package dev.eventsink.openobserve;

/** What OpenObserve's {@code _timestamp} holds, chosen by {@code *_EVENT_SINK_TIMESTAMP_MODE=event|ingestion}. */
public enum TimestampMode {
    /**
     * The event's own time, in microseconds (the default). OpenObserve rejects records more than
     * {@code ZO_INGEST_ALLOWED_UPTO} (5 hours) old or 24 hours ahead.
     */
    EVENT,
    /**
     * No {@code _timestamp} is sent, so OpenObserve stamps the time of ingestion; the event's time is still in
     * {@code event_time}. For simulation events replayed from further back than OpenObserve's window.
     */
    INGESTION
}
