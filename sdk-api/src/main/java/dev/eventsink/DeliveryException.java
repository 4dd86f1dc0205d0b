package dev.eventsink;

import java.util.Objects;

/**
 * Why an event was not delivered: the exception that a future from {@link EventSink#sendEvent} fails with.
 * {@link #reason()} is the backend's own message where there is one, for example OpenObserve's
 * {@code Too old data, only last 5 hours data can be ingested. …}.
 *
 * <p>It carries no stack trace: it describes an event's outcome, decided on a sink's worker thread or by the
 * overflow policy, and a trace would show only the SDK's own frames while costing microseconds per event exactly
 * when a sink is overloaded and drops. Its {@link #getCause() cause}, when there is one, keeps its own trace.
 */
public class DeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The reason of every event handed to a sink after it was closed ({@link Outcome#UNDELIVERED}). */
    public static final String SINK_CLOSED = "sink is closed";

    /** How the event ended. */
    public enum Outcome {
        /** The backend rejected it: it will not be accepted if sent again as it is. */
        REJECTED,
        /** The sink dropped it by its documented overflow policy, before trying to deliver it. */
        DROPPED,
        /** It could not be delivered in time: retries ran out, or the sink closed first. */
        UNDELIVERED
    }

    private final Outcome outcome;
    private final String reason;

    public DeliveryException(Outcome outcome, String reason) {
        this(outcome, reason, null);
    }

    public DeliveryException(Outcome outcome, String reason, Throwable cause) {
        super(Objects.requireNonNull(outcome, "outcome must not be null").name().toLowerCase() + ": " + reason, cause,
                true, false);
        this.outcome = Objects.requireNonNull(outcome, "outcome must not be null");
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The reason alone, without the outcome, as stats group it. */
    public String reason() {
        return reason;
    }
}
