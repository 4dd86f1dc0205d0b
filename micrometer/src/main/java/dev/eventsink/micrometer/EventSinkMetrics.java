package dev.eventsink.micrometer;

import dev.eventsink.Channel;
import dev.eventsink.EventSink;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the {@link SinkStats} of an {@link EventTracker}'s two sinks, or of any one {@link EventSink}, as
 * Micrometer meters: every meter reads the sink's {@link EventSink#stats()} when the registry asks, so nothing is
 * counted twice and the send path is untouched.
 *
 * <pre>{@code
 * EventSinkMetrics.of(tracker).bindTo(meterRegistry);
 * EventSinkMetrics.builder(tracker).sinkName(Channel.UX, "openobserve").tags(Tags.of("app", "shop")).build()
 *         .bindTo(meterRegistry);
 * }</pre>
 *
 * <p>The meters, each tagged {@code channel} ({@code ux} or {@code sim}) and {@code sink} (the sink type), are
 * listed with their reason classes in the {@linkplain dev.eventsink.micrometer package documentation}. Meters hold
 * their sink weakly, as Micrometer's function meters do: keep a reference to the tracker (an application does).
 * Immutable and thread-safe.
 */
public final class EventSinkMetrics implements MeterBinder {

    /** Events by {@code outcome} and {@code reason}: a function counter. */
    public static final String EVENTS = "eventsink.events";
    /** Events waiting in the queue: a gauge. */
    public static final String QUEUE = "eventsink.queue.events";
    /** Events in a batch being exported: a gauge. */
    public static final String IN_FLIGHT = "eventsink.inflight.events";
    /** Requests sent to the backend, retries included: a function counter. */
    public static final String BATCHES = "eventsink.batches";
    /** Request body bytes sent, after compression: a function counter. */
    public static final String BYTES_SENT = "eventsink.bytes.sent";
    /** Batch retries after a retryable failure: a function counter. */
    public static final String RETRIES = "eventsink.retries";

    /** Tag key of the channel, {@code ux} or {@code sim}. */
    public static final String TAG_CHANNEL = "channel";
    /** Tag key of the sink type, such as {@code openobserve}. */
    public static final String TAG_SINK = "sink";
    /** Tag key of {@link #EVENTS}' outcome: {@code delivered}, {@code failed} or {@code dropped}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag key of {@link #EVENTS}' reason class; one of the {@code REASON_} constants. */
    public static final String TAG_REASON = "reason";

    /** Outcome of an event the backend accepted. */
    public static final String OUTCOME_DELIVERED = "delivered";
    /** Outcome of an event that failed: rejected by the backend, or not delivered. */
    public static final String OUTCOME_FAILED = "failed";
    /** Outcome of an event dropped by the overflow policy. */
    public static final String OUTCOME_DROPPED = "dropped";

    /** Reason of delivered events, so that every series of {@link #EVENTS} has the same tag keys (Prometheus needs it). */
    public static final String REASON_NONE = "none";
    /** Failed: the backend rejected the event ({@link SinkStats#rejected()}). */
    public static final String REASON_REJECTED = "rejected";
    /** Failed: the event could not be delivered: retry deadline passed, sink closed ({@link SinkStats#undelivered()}). */
    public static final String REASON_UNDELIVERED = "undelivered";
    /** Dropped: the queue was full ({@code drop_newest}, {@code drop_oldest}, or {@code block} past its timeout). */
    public static final String REASON_QUEUE_FULL = "queue_full";
    /** Dropped: the event alone is larger than {@code QUEUE_BYTES}. */
    public static final String REASON_EVENT_TOO_LARGE = "event_too_large";
    /** Dropped: the caller was interrupted while it waited for queue room ({@code block}). */
    public static final String REASON_INTERRUPTED = "interrupted";
    /** Dropped for a reason of no other class (a plugin's own drops). */
    public static final String REASON_OTHER = "other";

    /** The drop reason classes, in the order their meters are registered. */
    static final List<String> DROP_REASONS = List.of(REASON_QUEUE_FULL, REASON_EVENT_TOO_LARGE, REASON_INTERRUPTED,
            REASON_OTHER);

    private final Map<Channel, EventSink> sinks;
    private final Map<Channel, String> sinkNames;
    private final Tags tags;

    private EventSinkMetrics(Builder b) {
        this.sinks = Collections.unmodifiableMap(new EnumMap<>(b.sinks));
        Map<Channel, String> names = new EnumMap<>(Channel.class);
        b.sinks.forEach((channel, sink) -> names.put(channel, b.sinkNames.getOrDefault(channel, SinkNames.of(sink))));
        this.sinkNames = Collections.unmodifiableMap(names);
        this.tags = b.tags;
    }

    /** Meters for both sinks of a tracker, each sink named after its type as {@link SinkNames} derives it. */
    public static EventSinkMetrics of(EventTracker tracker) {
        return builder(tracker).build();
    }

    /** Meters for one sink, tagged with {@code channel}, named after its type as {@link SinkNames} derives it. */
    public static EventSinkMetrics of(Channel channel, EventSink sink) {
        return builder(channel, sink).build();
    }

    /** A builder for both sinks of a tracker. */
    public static Builder builder(EventTracker tracker) {
        Objects.requireNonNull(tracker, "tracker must not be null");
        Builder builder = new Builder();
        for (Channel channel : Channel.values()) {
            builder.sinks.put(channel, tracker.sink(channel));
        }
        return builder;
    }

    /** A builder for one sink, tagged with {@code channel}. */
    public static Builder builder(Channel channel, EventSink sink) {
        Builder builder = new Builder();
        builder.sinks.put(Objects.requireNonNull(channel, "channel must not be null"),
                Objects.requireNonNull(sink, "sink must not be null"));
        return builder;
    }

    /**
     * The class of a drop reason as {@link SinkStats#dropped()} has it: {@link #REASON_QUEUE_FULL} for
     * {@code queue full (…)} and, with a disk spool, {@code spool full (…)}, {@link #REASON_EVENT_TOO_LARGE} for {@code event larger than QUEUE_BYTES},
     * {@link #REASON_INTERRUPTED} for {@code interrupted while waiting for queue room (block)}, and
     * {@link #REASON_OTHER} for anything else.
     */
    static String dropReasonClass(String reason) {
        if (reason.startsWith("queue full") || reason.startsWith("spool full")) {
            return REASON_QUEUE_FULL;
        }
        if (reason.startsWith("event larger than")) {
            return REASON_EVENT_TOO_LARGE;
        }
        if (reason.startsWith("interrupted while waiting for queue room")) {
            return REASON_INTERRUPTED;
        }
        return REASON_OTHER;
    }

    /** The {@code sink} tag of a channel's sink, or {@code null} when this binder has no sink for it. */
    public String sinkNameOf(Channel channel) {
        return sinkNames.get(channel);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Channel channel : Channel.values()) {
            EventSink sink = sinks.get(channel);
            if (sink != null) {
                bind(registry, sink, tags.and(TAG_CHANNEL, channel.name().toLowerCase(Locale.ROOT))
                        .and(TAG_SINK, sinkNames.get(channel)));
            }
        }
    }

    private static void bind(MeterRegistry registry, EventSink sink, Tags tags) {
        events(registry, sink, tags, OUTCOME_DELIVERED, REASON_NONE, "Events the backend accepted",
                SinkStats::delivered);
        events(registry, sink, tags, OUTCOME_FAILED, REASON_REJECTED, "Events the backend rejected",
                SinkStats::rejected);
        events(registry, sink, tags, OUTCOME_FAILED, REASON_UNDELIVERED,
                "Events that could not be delivered (retry deadline passed, sink closed)", SinkStats::undelivered);
        for (String reasonClass : DROP_REASONS) {
            events(registry, sink, tags, OUTCOME_DROPPED, reasonClass, "Events dropped by the overflow policy",
                    stats -> droppedOfClass(stats, reasonClass));
        }
        Gauge.builder(QUEUE, sink, s -> s.stats().queued())
                .tags(tags).baseUnit(BaseUnits.EVENTS)
                .description("Events waiting in the queue, including those whose callers wait for room")
                .register(registry);
        Gauge.builder(IN_FLIGHT, sink, s -> s.stats().inFlight())
                .tags(tags).baseUnit(BaseUnits.EVENTS)
                .description("Events in a batch being exported")
                .register(registry);
        counter(registry, sink, tags, BATCHES, "batches", "Requests sent to the backend, retries included",
                SinkStats::batches);
        counter(registry, sink, tags, BYTES_SENT, BaseUnits.BYTES, "Request body bytes sent, after compression",
                SinkStats::bytesSent);
        counter(registry, sink, tags, RETRIES, "retries", "Batch retries after a retryable failure",
                SinkStats::retried);
    }

    private static void events(MeterRegistry registry, EventSink sink, Tags tags, String outcome, String reason,
            String description, ToDoubleFunction<SinkStats> count) {
        FunctionCounter.builder(EVENTS, sink, s -> count.applyAsDouble(s.stats()))
                .tags(tags).tag(TAG_OUTCOME, outcome).tag(TAG_REASON, reason)
                .baseUnit(BaseUnits.EVENTS)
                .description(description)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, EventSink sink, Tags tags, String name, String unit,
            String description, ToDoubleFunction<SinkStats> count) {
        FunctionCounter.builder(name, sink, s -> count.applyAsDouble(s.stats()))
                .tags(tags).baseUnit(unit).description(description)
                .register(registry);
    }

    private static double droppedOfClass(SinkStats stats, String reasonClass) {
        long sum = 0;
        for (Map.Entry<String, Long> entry : stats.dropped().entrySet()) {
            if (dropReasonClass(entry.getKey()).equals(reasonClass)) {
                sum += entry.getValue();
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return "EventSinkMetrics" + sinkNames + (tags.stream().findAny().isPresent() ? " " + tags : "");
    }

    /** Builds an {@link EventSinkMetrics}. Not thread-safe. */
    public static final class Builder {
        private final Map<Channel, EventSink> sinks = new EnumMap<>(Channel.class);
        private final Map<Channel, String> sinkNames = new EnumMap<>(Channel.class);
        private Tags tags = Tags.empty();

        private Builder() {}

        /**
         * The {@code sink} tag of a channel's sink, such as its configured {@code TYPE}; by default derived by
         * {@link SinkNames}.
         *
         * @throws IllegalArgumentException when the name is blank or the builder has no sink for the channel
         */
        public Builder sinkName(Channel channel, String name) {
            Objects.requireNonNull(channel, "channel must not be null");
            Objects.requireNonNull(name, "name must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("sink name of " + channel + " must not be blank");
            }
            if (!sinks.containsKey(channel)) {
                throw new IllegalArgumentException("no sink for channel " + channel + "; this builder has "
                        + sinks.keySet());
            }
            sinkNames.put(channel, name);
            return this;
        }

        /**
         * Tags added to every meter, such as the application's name.
         *
         * @throws IllegalArgumentException when a tag uses a key this binder sets itself
         */
        public Builder tags(Iterable<Tag> tags) {
            Tags extra = Tags.of(Objects.requireNonNull(tags, "tags must not be null"));
            for (Tag tag : extra) {
                if (List.of(TAG_CHANNEL, TAG_SINK, TAG_OUTCOME, TAG_REASON).contains(tag.getKey())) {
                    throw new IllegalArgumentException("tag key '" + tag.getKey() + "' is set by EventSinkMetrics;"
                            + " allowed: any other key");
                }
            }
            this.tags = this.tags.and(extra);
            return this;
        }

        public EventSinkMetrics build() {
            return new EventSinkMetrics(this);
        }
    }
}
