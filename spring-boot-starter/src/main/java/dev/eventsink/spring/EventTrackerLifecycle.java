package dev.eventsink.spring;

import dev.eventsink.Channel;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the auto-configured {@link EventTracker} when the application context stops: each sink delivers what it
 * has queued within its own {@code CLOSE_TIMEOUT} ({@code eventsink.ux.close-timeout}, default 10 s), and what is
 * still undelivered then fails and is counted. It stops in phase {@link #PHASE}, after the web server has finished
 * its requests (graceful shutdown) and after {@code @Scheduled} tasks have stopped, so that their events are
 * delivered too.
 *
 * <pre>{@code
 * context.close();   // ... INFO EventTrackerLifecycle: event tracker closed; UX delivered 12, failed 0, dropped 0 ...
 * }</pre>
 */
public final class EventTrackerLifecycle implements SmartLifecycle {

    /**
     * The phase: below the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and its stop
     * ({@code DEFAULT_PHASE - 2048}), so this stops after them.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(EventTrackerLifecycle.class);

    private final EventTracker tracker;
    private volatile boolean running;

    public EventTrackerLifecycle(EventTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker must not be null");
    }

    @Override
    public void start() {
        running = true;
    }

    /** Closes the tracker, waiting for delivery within each sink's {@code CLOSE_TIMEOUT}. */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        long start = System.nanoTime();
        tracker.close();
        if (LOG.isInfoEnabled()) {
            LOG.info("Event tracker closed in {} ms; {}; {}", (System.nanoTime() - start) / 1_000_000,
                    summary(Channel.UX), summary(Channel.SIM));
        }
    }

    private String summary(Channel channel) {
        SinkStats s = tracker.stats(channel);
        return channel + " delivered " + s.delivered() + ", failed " + s.failedTotal() + ", dropped " + s.droppedTotal();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
