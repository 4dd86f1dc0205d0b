package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what became of each event sent, per channel, by outcome and reason, without keeping the events or
 * their futures: {@link #track} attaches a callback that only increments counters, so millions of events take
 * constant memory. The number of distinct reasons kept per outcome is bounded; the rest are counted under
 * {@value #OTHER_REASONS}. Thread-safe.
 *
 * <pre>{@code
 * tally.track(Channel.UX, tracker.track(event));   // for each event sent
 * tally.print(out, sinkTypes);                      // the summary table, then the losses by reason
 * }</pre>
 */
final class OutcomeTally {

    static final String OTHER_REASONS = "(other reasons)";
    static final String PENDING_AT_DEADLINE = "still pending at the deadline";
    private static final int MAX_REASONS = 50;

    /** How an event ended, as the summary groups it. */
    enum Outcome { DELIVERED, REJECTED, DROPPED, UNDELIVERED }

    private final Map<Channel, ChannelCounts> channels = new EnumMap<>(Channel.class);

    OutcomeTally() {
        for (Channel channel : Channel.values()) {
            channels.put(channel, new ChannelCounts());
        }
    }

    /** Counts the event as sent on {@code channel} and its outcome when the future completes. */
    void track(Channel channel, CompletableFuture<?> future) {
        ChannelCounts counts = channels.get(channel);
        counts.sent.increment();
        future.whenComplete((ignored, failure) -> counts.settle(failure));
    }

    /** A snapshot of one channel's counts; events not yet settled are counted as undelivered at the deadline. */
    Snapshot snapshot(Channel channel) {
        return channels.get(channel).snapshot();
    }

    /** Events sent on every channel. */
    long sent() {
        return channels.values().stream().mapToLong(c -> c.sent.sum()).sum();
    }

    /** Events delivered on every channel. */
    long delivered() {
        return channels.values().stream().mapToLong(c -> c.delivered.sum()).sum();
    }

    /** Events whose future has completed, on every channel. */
    long settled() {
        return channels.values().stream().mapToLong(c -> c.settled.sum()).sum();
    }

    /** One channel's counts. {@code undelivered} includes events whose future had not completed. */
    record Snapshot(long sent, long delivered, Map<String, Long> rejected, Map<String, Long> dropped,
            Map<String, Long> undelivered) {

        long rejectedTotal() {
            return total(rejected);
        }

        long droppedTotal() {
            return total(dropped);
        }

        long undeliveredTotal() {
            return total(undelivered);
        }

        boolean allDelivered() {
            return delivered == sent;
        }

        private static long total(Map<String, Long> byReason) {
            return byReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final class ChannelCounts {
        final LongAdder sent = new LongAdder();
        final LongAdder settled = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final Reasons rejected = new Reasons();
        final Reasons dropped = new Reasons();
        final Reasons undelivered = new Reasons();

        void settle(Throwable failure) {
            if (failure == null) {
                delivered.increment();
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof DeliveryException e) {
                    switch (e.outcome()) {
                        case REJECTED -> rejected.add(e.reason());
                        case DROPPED -> dropped.add(e.reason());
                        case UNDELIVERED -> undelivered.add(e.reason());
                    }
                } else {
                    undelivered.add(String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause));
                }
            }
            settled.increment();
        }

        Snapshot snapshot() {
            long sentNow = sent.sum();
            long deliveredNow = delivered.sum();
            Map<String, Long> undeliveredNow = undelivered.snapshot();
            Map<String, Long> rejectedNow = rejected.snapshot();
            Map<String, Long> droppedNow = dropped.snapshot();
            long accounted = deliveredNow + sum(rejectedNow) + sum(droppedNow) + sum(undeliveredNow);
            if (sentNow > accounted) {
                undeliveredNow = new LinkedHashMap<>(undeliveredNow);
                undeliveredNow.merge(PENDING_AT_DEADLINE, sentNow - accounted, Long::sum);
            }
            return new Snapshot(sentNow, deliveredNow, rejectedNow, droppedNow, undeliveredNow);
        }

        private static long sum(Map<String, Long> m) {
            return m.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Counts by reason, at most {@value #MAX_REASONS} distinct ones. */
    private static final class Reasons {
        private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

        void add(String reason) {
            LongAdder adder = counts.get(reason);
            if (adder == null) {
                String key = counts.size() >= MAX_REASONS ? OTHER_REASONS : reason;
                adder = counts.computeIfAbsent(key, k -> new LongAdder());
            }
            adder.increment();
        }

        /** Largest count first. */
        Map<String, Long> snapshot() {
            List<Map.Entry<String, Long>> entries = new ArrayList<>();
            counts.forEach((reason, adder) -> entries.add(Map.entry(reason, adder.sum())));
            entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            Map<String, Long> ordered = new LinkedHashMap<>();
            entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            return ordered;
        }
    }

    /**
     * Prints the per-channel table (channel, sink, sent, delivered, rejected, dropped, undelivered) and then,
     * for each channel with losses, the reasons grouped with their counts.
     */
    void print(PrintStream out, Map<Channel, String> sinkTypes) {
        Text.Table table = new Text.Table("channel", "sink", "sent", "delivered", "rejected", "dropped", "undelivered")
                .alignRight(2, 3, 4, 5, 6);
        Map<Channel, Snapshot> snapshots = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            Snapshot s = snapshot(channel);
            snapshots.put(channel, s);
            table.row(channel.name(), Printable.value(sinkTypes.getOrDefault(channel, "")), Text.count(s.sent()),
                    Text.count(s.delivered()), Text.count(s.rejectedTotal()), Text.count(s.droppedTotal()),
                    Text.count(s.undeliveredTotal()));
        }
        table.print(out, "  ");
        snapshots.forEach((channel, s) -> {
            printReasons(out, channel, "rejected", s.rejected());
            printReasons(out, channel, "dropped", s.dropped());
            printReasons(out, channel, "undelivered", s.undelivered());
        });
    }

    private static void printReasons(PrintStream out, Channel channel, String what, Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return;
        }
        out.println();
        out.println("  " + channel + " " + what + ", by reason:");
        byReason.forEach((reason, count) ->
                out.println(String.format("  %12s  %s", Text.count(count), Printable.message(reason))));
    }
}
