package dev.eventsink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers events to one backend. Created by an {@link dev.eventsink.spi.EventSinkProvider}, usually through
 * {@link EventSinkFactory}; owned and closed by whoever created it (an {@link EventTracker} closes its sinks).
 *
 * <p>Implementations are thread-safe. {@link #sendEvent} never throws for delivery problems and never blocks
 * unexpectedly: the returned future completes normally once the backend accepted the event, or exceptionally
 * with the reason it was rejected, dropped or left undelivered.
 *
 * <pre>{@code
 * sink.sendEvent(event).whenComplete((ok, error) -> { if (error != null) log.warn("not delivered", error); });
 * }</pre>
 *
 * <p>A minimal third-party sink implements only {@link #sendEvent} and {@link #close()}; the other methods
 * have defaults that suit a sink whose futures complete before {@code sendEvent} returns.
 */
public interface EventSink extends AutoCloseable {

    /**
     * Hands one event to the sink. Returns at once; the future completes when the backend accepted the event,
     * or exceptionally with the reason it was not delivered. After {@link #close()} the future fails.
     * Dependent actions attached with the non-async methods of the future may run on the sink's own thread:
     * keep them short, or use the {@code *Async} variants.
     */
    CompletableFuture<Void> sendEvent(Event event);

    /**
     * Waits up to {@code timeout} for every event handed over before this call to be delivered or to fail.
     * Never throws for delivery problems; an interrupt ends the wait early and keeps the interrupt status.
     *
     * @return how many of those events are still undelivered when the wait ends
     */
    default FlushResult flush(Duration timeout) {
        return FlushResult.COMPLETE;
    }

    /** A snapshot of this sink's delivery statistics. The default is all zeros, for sinks that keep none. */
    default SinkStats stats() {
        return SinkStats.EMPTY;
    }

    /**
     * Stops accepting events, delivers what is pending within {@code timeout}, fails whatever is still
     * undelivered, and releases every thread and connection. Idempotent: later calls return at once.
     *
     * @return how many events stayed undelivered
     */
    default FlushResult close(Duration timeout) {
        close();
        return FlushResult.COMPLETE;
    }

    /**
     * Closes the sink with its own default timeout, as {@link #close(Duration)} does. Idempotent, and throws
     * no checked exception.
     */
    @Override
    void close();
}
