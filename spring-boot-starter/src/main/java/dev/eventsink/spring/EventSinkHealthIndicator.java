package dev.eventsink.spring;

import dev.eventsink.Channel;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Actuator's view of the tracker ({@code /actuator/health/eventsink}): {@code UP} while events are delivered, and
 * {@link #DEGRADED} while a channel loses events or keeps retrying. The rule, per channel, over the last
 * {@code eventsink.health.window} (1 minute; since start-up when younger):
 * <ul>
 *   <li>{@code DEGRADED} when an event was dropped (queue full) or failed (rejected, or undelivered after its retry
 *       deadline), or when the sink retried more than {@code eventsink.health.retry-threshold} (10) batches;</li>
 *   <li>{@code UP} otherwise. The indicator is {@code DEGRADED} when either channel is.</li>
 * </ul>
 * Details hold each channel's statistics, its counts within the window ({@code recent}, with the time they are
 * counted {@code since}), and failure and drop reasons with URL credentials masked.
 *
 * <p>The window is measured between checks: the indicator keeps the statistics of past checks, at most one per tenth
 * of the window, and compares with the newest that is at least a window old. With checks at least that frequent a
 * loss shows for one window to one window and a tenth; with rarer checks, until the first check a window after it.
 *
 * <p>{@code DEGRADED} is not one of Spring Boot's statuses, so by default it shows on this indicator but leaves the
 * application's aggregate status {@code UP}: losing analytics events does not take the application out of its
 * load balancer. To let it count, add it to the order, and map it to an HTTP status if you like:
 * <pre>{@code
 * management.endpoint.health.status.order=down,out-of-service,degraded,up,unknown
 * management.endpoint.health.status.http-mapping.degraded=503
 * }</pre>
 *
 * <p>Thread-safe: checks from several callers (probes, scrapers) share the window, so none of them hides a loss
 * from another.
 */
public final class EventSinkHealthIndicator implements HealthIndicator {

    /** A channel loses events, or retries more than the threshold. */
    public static final Status DEGRADED = new Status("DEGRADED", "events are being lost or retried");

    /** At most this many samples are kept per window: one every tenth of it. */
    private static final int SAMPLES_PER_WINDOW = 10;

    private final EventTracker tracker;
    private final Map<Channel, String> sinkNames;
    private final Duration window;
    private final int retryThreshold;
    private final Clock clock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /**
     * @param sinkNames      the {@code sink} detail of each channel, such as its configured type
     * @param window         how far back to look for lost events and retries
     * @param retryThreshold retries per channel within the window above which it is degraded
     */
    public EventSinkHealthIndicator(EventTracker tracker, Map<Channel, String> sinkNames, Duration window,
            int retryThreshold, Clock clock) {
        this.tracker = Objects.requireNonNull(tracker, "tracker must not be null");
        this.sinkNames = Map.copyOf(sinkNames);
        this.window = Objects.requireNonNull(window, "window must not be null");
        this.retryThreshold = retryThreshold;
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        samples.add(sample());
    }

    @Override
    public Health health() {
        Sample now = sample();
        Sample baseline;
        synchronized (samples) {
            // Keep the newest sample at least a window old as the baseline, and what came after it.
            while (samples.size() > 1 && !secondOldest().time.isAfter(now.time.minus(window))) {
                samples.removeFirst();
            }
            baseline = samples.peekFirst();
            Sample last = samples.peekLast();
            if (Duration.between(last.time, now.time).compareTo(window.dividedBy(SAMPLES_PER_WINDOW)) >= 0) {
                samples.addLast(now);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        boolean degraded = false;
        for (Channel channel : Channel.values()) {
            Map<String, Object> channelDetails = new LinkedHashMap<>();
            degraded |= describe(channel, now.stats.get(channel), baseline, channelDetails);
            details.put(channel.name().toLowerCase(Locale.ROOT), channelDetails);
        }
        details.put("window", ConfigReader.formatDuration(window));
        details.put("retryThreshold", retryThreshold);
        return Health.status(degraded ? DEGRADED : Status.UP).withDetails(details).build();
    }

    private Sample secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    /** Fills a channel's details; true when it is degraded. */
    private boolean describe(Channel channel, SinkStats stats, Sample baseline, Map<String, Object> details) {
        SinkStats before = baseline.stats.get(channel);
        long failed = stats.failedTotal() - before.failedTotal();
        long dropped = stats.droppedTotal() - before.droppedTotal();
        long retried = stats.retried() - before.retried();
        boolean degraded = failed > 0 || dropped > 0 || retried > retryThreshold;
        details.put("status", (degraded ? DEGRADED : Status.UP).getCode());
        details.put("sink", sinkNames.getOrDefault(channel, "unknown"));
        details.put("accepted", stats.accepted());
        details.put("recovered", stats.recovered());
        details.put("delivered", stats.delivered());
        details.put("rejected", stats.rejected());
        details.put("undelivered", stats.undelivered());
        details.put("dropped", stats.droppedTotal());
        details.put("retried", stats.retried());
        details.put("queued", stats.queued());
        details.put("inFlight", stats.inFlight());
        details.put("batches", stats.batches());
        details.put("bytesSent", stats.bytesSent());
        details.put("failedByReason", masked(stats.failed()));
        details.put("droppedByReason", masked(stats.dropped()));
        Map<String, Object> recent = new LinkedHashMap<>();
        recent.put("since", baseline.time.toString());
        recent.put("failed", failed);
        recent.put("dropped", dropped);
        recent.put("retried", retried);
        details.put("recent", recent);
        return degraded;
    }

    /** Reasons with URL credentials masked (counts of reasons that become equal are added). */
    private static Map<String, Long> masked(Map<String, Long> byReason) {
        Map<String, Long> masked = new TreeMap<>();
        byReason.forEach((reason, count) -> masked.merge(Secrets.maskUrlCredentials(reason), count, Long::sum));
        return masked;
    }

    private Sample sample() {
        Map<Channel, SinkStats> stats = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            stats.put(channel, tracker.stats(channel));
        }
        return new Sample(clock.instant(), stats);
    }

    private record Sample(Instant time, Map<Channel, SinkStats> stats) {}
}
