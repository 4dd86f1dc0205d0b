package dev.eventsink.testkit;

import dev.eventsink.Event;
import dev.eventsink.SinkStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What one or more {@link RecordingSink}s recorded: the events, in arrival order, and their counts. Several sinks
 * share one recording when they are created with the same {@link Recorders} id for the same channel. Waiting
 * uses a {@link Condition} signalled at every change, never a sleep. Thread-safe. For example two sinks created
 * from one {@code Recorders.configSource()} for the UX channel record into one recording.
 */
final class Recording {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Long> failed = new TreeMap<>();
    private long accepted;
    /** Failures by {@link #failAll}: rejections, as against events refused by a closed sink. */
    private long rejected;
    private long resets;
    private String failureReason;

    /** Records the event; returns {@code null}, or the reason it failed when the recording is told to fail. */
    String record(Event event) {
        lock.lock();
        try {
            accepted++;
            if (failureReason != null) {
                failed.merge(failureReason, 1L, Long::sum);
                rejected++;
                return failureReason;
            }
            events.add(event);
            changed.signalAll();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Counts an event refused by a closed sink. */
    void refuse(String reason) {
        lock.lock();
        try {
            accepted++;
            failed.merge(reason, 1L, Long::sum);
        } finally {
            lock.unlock();
        }
    }

    List<Event> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }

    void reset() {
        lock.lock();
        try {
            events.clear();
            failed.clear();
            accepted = 0;
            rejected = 0;
            resets++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void failAll(String reason) {
        lock.lock();
        try {
            failureReason = reason;
        } finally {
            lock.unlock();
        }
    }

    SinkStats stats() {
        lock.lock();
        try {
            return SinkStats.builder().accepted(accepted).delivered(events.size()).failed(failed).rejected(rejected)
                    .build();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code count} events were recorded; returns them all, or {@code null} on timeout. */
    List<Event> awaitCount(int count, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (events.size() < count) {
                if (left <= 0) {
                    return null;
                }
                left = changed.awaitNanos(left);
            }
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an event matches; returns the first that does, or {@code null} on timeout. */
    Event awaitMatch(Predicate<? super Event> condition, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            int checked = 0;
            long generation = resets;
            while (true) {
                if (generation != resets) {
                    checked = 0; // reset() emptied the recording: look at the new events from the start
                    generation = resets;
                }
                for (; checked < events.size(); checked++) {
                    if (condition.test(events.get(checked))) {
                        return events.get(checked);
                    }
                }
                if (left <= 0) {
                    return null;
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    static long nanos(java.time.Duration timeout) {
        return timeout.isNegative() ? 0 : TimeUnit.NANOSECONDS.convert(timeout);
    }
}
