package dev.eventsink.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time by thread group during a phase, for the end-to-end program's breakdown: the producer, the sinks'
 * workers ({@code eventsink-*}), the HTTP client's threads, and what remains of the process's CPU (the JVM's own
 * threads: garbage collection and compilation, plus threads that ended during the phase).
 *
 * <pre>{@code
 * ThreadCpu cpu = ThreadCpu.start();
 * ... the phase ...
 * Map<String, Long> nanosByGroup = cpu.stop();
 * }</pre>
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = snapshot();

    static ThreadCpu start() {
        return new ThreadCpu();
    }

    /** CPU nanoseconds by group since {@link #start()}, in a stable order. */
    Map<String, Long> stop() {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        byGroup.put("producer", 0L);
        byGroup.put("workers", 0L);
        byGroup.put("http", 0L);
        byGroup.put("other java", 0L);
        long[] ids = THREADS.getAllThreadIds();
        for (ThreadInfo info : THREADS.getThreadInfo(ids)) {
            if (info == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(info.getThreadId());
            if (now < 0) {
                continue;
            }
            long spent = now - start.getOrDefault(info.getThreadId(), 0L);
            byGroup.merge(group(info.getThreadName()), spent, Long::sum);
        }
        return byGroup;
    }

    private static String group(String name) {
        if (name.equals("main")) {
            return "producer";
        }
        if (name.startsWith("eventsink-") && name.contains("-http-") || name.startsWith("HttpClient-")) {
            return "http";
        }
        if (name.startsWith("eventsink-")) {
            return "workers";
        }
        return "other java";
    }

    private static Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }
}
