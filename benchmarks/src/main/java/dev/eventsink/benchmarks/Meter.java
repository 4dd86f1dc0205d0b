package dev.eventsink.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What one phase of a measurement cost this process: wall time, process CPU ({@code OperatingSystemMXBean}), the
 * calling thread's CPU ({@code ThreadMXBean}), garbage-collection pauses and the largest heap in use right after
 * a collection (both from the collectors' notifications).
 *
 * <pre>{@code
 * Meter meter = Meter.start();
 * ... the phase, on this thread ...
 * Meter.Reading reading = meter.stop();
 * }</pre>
 *
 * One phase at a time.
 */
final class Meter {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AtomicLong PAUSE_MILLIS = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static final AtomicLong MAX_HEAP_AFTER_GC = new AtomicLong();

    static {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                // Concurrent cycles run beside the application; only stop-the-world collections are pauses.
                if (info.getGcName().contains("Concurrent") || info.getGcAction().contains("cycle")) {
                    return;
                }
                PAUSE_MILLIS.addAndGet(info.getGcInfo().getDuration());
                COLLECTIONS.incrementAndGet();
                long used = 0;
                for (MemoryUsage usage : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                    used += usage.getUsed();
                }
                MAX_HEAP_AFTER_GC.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    /** What a phase cost. */
    record Reading(long wallNanos, long processCpuNanos, long threadCpuNanos, long gcPauseMillis, long collections,
            long maxHeapAfterGcBytes) {}

    private final long wall;
    private final long processCpu;
    private final long threadCpu;
    private final long pauses;
    private final long collections;

    private Meter() {
        MAX_HEAP_AFTER_GC.set(0);
        wall = System.nanoTime();
        processCpu = OS.getProcessCpuTime();
        threadCpu = THREADS.getCurrentThreadCpuTime();
        pauses = PAUSE_MILLIS.get();
        collections = COLLECTIONS.get();
    }

    /** Starts measuring a phase run on this thread. */
    static Meter start() {
        return new Meter();
    }

    /** This thread's CPU time since {@link #start()}. */
    long threadCpuNanos() {
        return THREADS.getCurrentThreadCpuTime() - threadCpu;
    }

    /** Ends the phase; the thread CPU is taken now, so call it on the thread that started it. */
    Reading stop() {
        return stop(threadCpuNanos());
    }

    /** Ends the phase with a thread CPU time taken earlier (when the producer finished, before a flush). */
    Reading stop(long threadCpuNanos) {
        long wallNanos = System.nanoTime() - wall;
        long processCpuNanos = OS.getProcessCpuTime() - processCpu;
        // A collection's notification arrives shortly after it: let the last one land.
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Reading(wallNanos, processCpuNanos, threadCpuNanos, PAUSE_MILLIS.get() - pauses,
                COLLECTIONS.get() - collections, MAX_HEAP_AFTER_GC.get());
    }

    /** Heap in use after full collections: the live set. */
    static long usedHeapAfterFullGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
