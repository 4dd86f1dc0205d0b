package dev.eventsink.openobserve;

import dev.eventsink.Channel;
import dev.eventsink.EventSink;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.util.Map;

/**
 * Not a test: shows that while the backend is down the heap stays within the queue bound. The server answers
 * 503 to everything; one producer sends far more events than the queue holds; the heap in use after a full GC
 * is printed before and after, beside the queue's bounds.
 *
 * <p>Arguments: events to send (default 2,000,000), QUEUE_CAPACITY (default 100000).
 */
final class OutageMemoryMeasurement {

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        String capacity = args.length > 1 ? args[1] : "100000";
        try (OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).start()) {
            server.faults().always(Fault.memoryTableOverflow());
            EventSink sink = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, Map.of(
                    "UX_EVENT_SINK_TYPE", "openobserve",
                    "UX_EVENT_SINK_URL", server.url(),
                    "UX_EVENT_SINK_API_KEY", server.apiKey(),
                    "UX_EVENT_SINK_QUEUE_CAPACITY", capacity,
                    "UX_EVENT_SINK_RETRY_MAX_BACKOFF", "1s")));
            long before = usedHeapAfterGc();
            for (int i = 0; i < events; i++) {
                sink.sendEvent(ThroughputMeasurement.event(0, i));
            }
            long during = usedHeapAfterGc();
            SinkStats stats = sink.stats();
            System.out.printf("sent %d during an outage: queued %d, in flight %d, dropped %d, retried %d%n",
                    events, stats.queued(), stats.inFlight(), stats.droppedTotal(), stats.retried());
            System.out.printf("heap in use after GC: before %.1f MiB, during the outage %.1f MiB (+%.1f MiB for %d"
                            + " queued events, %.0f bytes each)%n",
                    before / 1048576.0, during / 1048576.0, (during - before) / 1048576.0,
                    stats.queued() + stats.inFlight(), (double) (during - before) / (stats.queued() + stats.inFlight()));
            System.out.println("close: " + sink.close(Duration.ofSeconds(1)));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
