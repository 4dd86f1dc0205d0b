package dev.eventsink.testkit;

import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.SinkStats;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A sink that records the events it receives, for tests: what OpenTelemetry's in-memory exporter is to spans.
 * Every future completes before {@link #sendEvent} returns, so events tracked on the test's thread can be
 * asserted at once; events tracked on other threads are waited for with {@link #awaitEvents} or
 * {@link #awaitEvent}, which wait on a condition and never sleep.
 *
 * <pre>{@code
 * RecordingSink ux = new RecordingSink("ux");
 * try (EventTracker tracker = EventTracker.of(ux, new RecordingSink("sim"))) {
 *     new Checkout(tracker).buy("u1", "A1");
 * }
 * assertThat(ux).singleEvent().hasUserId("u1");     // EventAssertions.assertThat
 * }</pre>
 *
 * <p>It is reachable three ways: created directly, as above; through configuration with
 * {@code UX_EVENT_SINK_TYPE=recording}, then found with {@code tracker.sink(Channel.UX, RecordingSink.class)};
 * or, when the code under test builds its own tracker from a {@link dev.eventsink.ConfigSource}, through the
 * {@link Recorders} whose {@link Recorders#configSource()} it was given. Sinks created with one {@code Recorders}
 * for one channel share a single recording: each sees what all of them received.
 *
 * <p>Events are kept in memory without a bound, in arrival order. After {@link #close()} the sink refuses
 * events (their futures fail with {@link DeliveryException.Outcome#UNDELIVERED}) but what it recorded stays
 * readable. Thread-safe.
 */
public final class RecordingSink implements EventSink {

    /** The reason events sent after close fail with: {@link DeliveryException#SINK_CLOSED}. */
    public static final String CLOSED = DeliveryException.SINK_CLOSED;

    private final String name;
    private final Recording recording;
    private volatile boolean closed;

    /** A recorder named {@code recorder}. */
    public RecordingSink() {
        this("recorder");
    }

    /** A recorder with a name for messages, such as the channel: {@code ux}. */
    public RecordingSink(String name) {
        this(name, new Recording());
    }

    RecordingSink(String name, Recording recording) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.recording = recording;
    }

    /** The name messages call this recorder by. */
    public String name() {
        return name;
    }

    /**
     * Records the event and returns a completed future; never throws. The future fails when the event is null,
     * when the sink is closed, or with the reason given to {@link #failAll(String)}; failed events are not
     * recorded.
     */
    @Override
    public CompletableFuture<Void> sendEvent(Event event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        if (closed) {
            recording.refuse(CLOSED);
            return CompletableFuture.failedFuture(new DeliveryException(DeliveryException.Outcome.UNDELIVERED, CLOSED));
        }
        String failure = recording.record(event);
        return failure == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new DeliveryException(DeliveryException.Outcome.REJECTED, failure));
    }

    /** The events recorded so far, oldest first: an unmodifiable snapshot. */
    public List<Event> events() {
        return recording.events();
    }

    /** How many events were recorded so far. */
    public int size() {
        return recording.size();
    }

    /** Forgets every event and count; waiting callers keep waiting for new events. */
    public void reset() {
        recording.reset();
    }

    /**
     * Waits until at least {@code count} events were recorded and returns them all (an unmodifiable snapshot).
     *
     * @throws AssertionError when fewer arrived within {@code timeout}, or the thread was interrupted (its
     *                        interrupt status is kept), listing what did arrive
     */
    public List<Event> awaitEvents(int count, Duration timeout) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        Objects.requireNonNull(timeout, "timeout must not be null");
        try {
            List<Event> events = recording.awaitCount(count, Recording.nanos(timeout));
            if (events != null) {
                return events;
            }
            throw new AssertionError(received("Expected recorder " + name + " to receive at least "
                    + Values.count(count, "event") + " within " + Values.duration(timeout)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(received("Interrupted while waiting for recorder " + name + " to receive "
                    + Values.count(count, "event")), e);
        }
    }

    /**
     * Waits until an event matching {@code condition} was recorded and returns the first that matches.
     *
     * @throws AssertionError when none arrived within {@code timeout}, or the thread was interrupted (its interrupt
     *                        status is kept), listing what did arrive
     */
    public Event awaitEvent(Predicate<? super Event> condition, Duration timeout) {
        return awaitEvent(condition, "the given condition", timeout);
    }

    /**
     * As {@link #awaitEvent(Predicate, Duration)}, with a description of the condition for the message, such as
     * {@code "button = buy"}.
     */
    public Event awaitEvent(Predicate<? super Event> condition, String description, Duration timeout) {
        Objects.requireNonNull(condition, "condition must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        try {
            Event event = recording.awaitMatch(condition, Recording.nanos(timeout));
            if (event != null) {
                return event;
            }
            throw new AssertionError(received("Expected recorder " + name + " to receive an event matching "
                    + description + " within " + Values.duration(timeout)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(received("Interrupted while waiting for recorder " + name
                    + " to receive an event matching " + description), e);
        }
    }

    private String received(String expectation) {
        List<Event> events = recording.events();
        return expectation + " but it received " + (events.isEmpty() ? "none" : events.size() + Values.listing(events));
    }

    /**
     * Makes every following event fail with {@link DeliveryException.Outcome#REJECTED} and {@code reason},
     * until {@link #succeed()}: for testing how code handles delivery failures. Failed events are counted in
     * {@link #stats()}, not recorded.
     */
    public void failAll(String reason) {
        recording.failAll(Objects.requireNonNull(reason, "reason must not be null"));
    }

    /** Records events again after {@link #failAll(String)}. */
    public void succeed() {
        recording.failAll(null);
    }

    /** Events received, recorded ({@code delivered}) and failed by reason; nothing is ever queued. */
    @Override
    public SinkStats stats() {
        return recording.stats();
    }

    /** Whether {@link #close()} was called on this sink. */
    public boolean isClosed() {
        return closed;
    }

    /** Refuses further events; what was recorded stays readable. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "RecordingSink{" + name + ", events=" + recording.size() + (closed ? ", closed" : "") + "}";
    }
}
