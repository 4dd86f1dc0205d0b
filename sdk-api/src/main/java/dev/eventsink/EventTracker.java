package dev.eventsink;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.eventsink.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: routes {@link EventType#UX_ACTION} events to the {@link Channel#UX} sink and
 * {@link EventType#SIMULATION_EVENT} events to the {@link Channel#SIM} sink. It owns both sinks and closes
 * them.
 *
 * <pre>{@code
 * try (EventTracker tracker = EventTracker.fromEnvironment()) {
 *     tracker.track(Event.uxAction().userId("u1").put("button", "buy").build());
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #track} never throws: problems, including a closed tracker, fail the returned future.
 */
public final class EventTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventTracker.class);

    private final EventSink uxSink;
    private final EventSink simSink;
    /** The reason a future fails with when the tracker is closed. */
    public static final String TRACKER_CLOSED = "tracker is closed";

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object closeLock = new Object();
    private FlushResult closeResult;
    private final RateLimitedLog misbehavingSinkLog = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);

    private EventTracker(EventSink uxSink, EventSink simSink) {
        this.uxSink = Objects.requireNonNull(uxSink, "uxSink must not be null");
        this.simSink = Objects.requireNonNull(simSink, "simSink must not be null");
    }

    /** Both channels' sinks as configured by the process environment, then {@code .env}. */
    public static EventTracker fromEnvironment() {
        return create(ConfigSource.environment());
    }

    /** Both channels' sinks as configured by {@code source}. */
    public static EventTracker create(ConfigSource source) {
        return create(source, EventSinkFactory.defaultClassLoader());
    }

    /**
     * Both channels' sinks as configured by {@code source}, with providers visible to {@code classLoader}.
     * When the SIM sink cannot be created, the UX sink already created is closed before the exception
     * propagates.
     */
    public static EventTracker create(ConfigSource source, ClassLoader classLoader) {
        EventSink ux = EventSinkFactory.create(Channel.UX, source, classLoader);
        try {
            return new EventTracker(ux, EventSinkFactory.create(Channel.SIM, source, classLoader));
        } catch (RuntimeException | Error e) {
            try {
                ux.close();
            } catch (RuntimeException closeError) {
                e.addSuppressed(closeError);
            }
            throw e;
        }
    }

    /** A tracker over sinks you created; it takes ownership and closes them. They may be one and the same. */
    public static EventTracker of(EventSink uxSink, EventSink simSink) {
        return new EventTracker(uxSink, simSink);
    }

    /**
     * Sends the event to its channel's sink. Returns at once with the sink's future; never throws. After
     * {@link #close()} the future fails with a {@link DeliveryException} ({@code UNDELIVERED},
     * {@code tracker is closed}); a null event fails it with a {@link NullPointerException}.
     */
    public CompletableFuture<Void> track(Event event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(
                    new DeliveryException(DeliveryException.Outcome.UNDELIVERED, TRACKER_CLOSED));
        }
        Channel channel = event.eventType().channel();
        EventSink sink = sink(channel);
        if (LOG.isDebugEnabled()) {
            LOG.debug("dispatch {} {} to {} sink {}", event.eventType(), event.id(), channel, sink);
        }
        try {
            CompletableFuture<Void> future = sink.sendEvent(event);
            return future != null ? future : CompletableFuture.failedFuture(new IllegalStateException(
                    "sink " + sink.getClass().getName() + " returned no future for event " + event.id()));
        } catch (RuntimeException | LinkageError e) {
            misbehavingSinkLog.warn("{} sink {} threw from sendEvent instead of failing the future; event {} not"
                    + " sent: {}", channel, sink.getClass().getName(), event.id(), e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The sink of a channel. */
    public EventSink sink(Channel channel) {
        return Objects.requireNonNull(channel, "channel must not be null") == Channel.UX ? uxSink : simSink;
    }

    /**
     * The sink of a channel as its own type, for example the mock sink in a test.
     *
     * @throws IllegalArgumentException when the channel's sink is not a {@code type}
     */
    public <T extends EventSink> T sink(Channel channel, Class<T> type) {
        EventSink sink = sink(channel);
        if (!type.isInstance(sink)) {
            throw new IllegalArgumentException("The " + channel + " sink is a " + sink.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(sink);
    }

    /** The delivery statistics of a channel's sink. */
    public SinkStats stats(Channel channel) {
        return sink(channel).stats();
    }

    /** Flushes both sinks within {@code timeout} in all; returns what stayed undelivered in both. */
    public FlushResult flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FlushResult ux = uxSink.flush(timeout);
        if (simSink == uxSink) {
            return ux;
        }
        return ux.plus(simSink.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }

    /**
     * Closes both sinks within {@code timeout} in all, and returns what stayed undelivered: both sinks deliver
     * at once while this waits, then each closes with what is left of the deadline. Idempotent and safe to call
     * from several threads: later calls wait for the first and return its result ({@link FlushResult#COMPLETE}
     * when the first was {@link #close()}; {@code stats()} still shows what failed at close).
     */
    public FlushResult close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        synchronized (closeLock) {
            if (closeResult == null) {
                closed.set(true);
                long deadline = System.nanoTime() + timeout.toNanos();
                flush(timeout);
                Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                FlushResult result = closeQuietly(uxSink, remaining);
                if (simSink != uxSink) {
                    result = result.plus(closeQuietly(simSink, remaining));
                }
                closeResult = result;
            }
            return closeResult;
        }
    }

    /**
     * Closes both sinks at the same time, each within its own {@code CLOSE_TIMEOUT}. Idempotent and safe to call
     * from several threads.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closeResult != null) {
                return;
            }
            closed.set(true);
            Thread simCloser = null;
            if (simSink != uxSink) {
                simCloser = new Thread(() -> closeQuietly(simSink), "eventsink-close-sim");
                simCloser.setDaemon(true);
                simCloser.start();
            }
            closeQuietly(uxSink);
            if (simCloser != null) {
                try {
                    simCloser.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            closeResult = FlushResult.COMPLETE;
        }
    }

    private static void closeQuietly(EventSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing sink {} failed", sink.getClass().getName(), e);
        }
    }

    private static FlushResult closeQuietly(EventSink sink, Duration timeout) {
        try {
            return sink.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("Closing sink {} failed", sink.getClass().getName(), e);
            return FlushResult.COMPLETE;
        }
    }

    @Override
    public String toString() {
        return "EventTracker{ux=" + uxSink + ", sim=" + simSink + (closed.get() ? ", closed" : "") + "}";
    }
}
