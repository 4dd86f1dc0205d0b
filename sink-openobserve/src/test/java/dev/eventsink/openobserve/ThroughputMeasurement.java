package dev.eventsink.openobserve;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: a measurement to run by hand (see the README's "Performance" section). Sends events of about
 * 250 bytes from producer threads through the openobserve sink into the compatible server on loopback, with
 * gzip, and prints the end-to-end rate and the caller-side cost of sendEvent.
 *
 * <p>Arguments: events (default 2,000,000), producer threads (default 2), then extra sink keys as KEY=VALUE
 * without the UX_EVENT_SINK_ prefix.
 */
final class ThroughputMeasurement {

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int producers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).start()) {
            Map<String, String> keys = new HashMap<>();
            keys.put("UX_EVENT_SINK_TYPE", "openobserve");
            keys.put("UX_EVENT_SINK_URL", server.url());
            keys.put("UX_EVENT_SINK_API_KEY", server.email() + ":" + server.password());
            keys.put("UX_EVENT_SINK_OVERFLOW", "block");
            keys.put("UX_EVENT_SINK_BLOCK_TIMEOUT", "1m");
            for (int i = 2; i < args.length; i++) {
                String[] kv = args[i].split("=", 2);
                keys.put("UX_EVENT_SINK_" + kv[0], kv[1]);
            }
            EventSink sink = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, keys));
            Event sample = event(0, 0);
            System.out.printf("event JSON ~%d bytes; %d events from %d producers; %s%n",
                    dev.eventsink.EventJson.toJsonBytes(sample).length, events, producers, sink);

            long[] sendNanos = new long[producers];
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(new Thread(() -> {
                    long spent = 0;
                    for (int i = producer; i < events; i += producers) {
                        Event e = event(producer, i);
                        long t0 = System.nanoTime();
                        sink.sendEvent(e);
                        spent += System.nanoTime() - t0;
                    }
                    sendNanos[producer] = spent;
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            FlushResult flush = sink.flush(Duration.ofMinutes(2));
            long elapsed = System.nanoTime() - start;
            SinkStats stats = sink.stats();
            sink.close();
            long totalSend = 0;
            for (long n : sendNanos) {
                totalSend += n;
            }
            System.out.printf("delivered %d, failed %d, dropped %d, undelivered %d, server stored %d%n",
                    stats.delivered(), stats.failedTotal(), stats.droppedTotal(), flush.undelivered(),
                    server.recordCount("ux_events"));
            System.out.printf("end to end: %.0f events/s; %d requests, %.1f MB of request bodies sent%n",
                    events / (elapsed / 1e9), stats.batches(), stats.bytesSent() / 1e6);
            System.out.printf("caller side: mean %.0f ns per sendEvent (includes waits when the queue is full)%n",
                    (double) totalSend / events);
        }
    }

    static Event event(int producer, int i) {
        return Event.simulationEvent()
                .userId("user-" + (i % 1000))
                .sessionId("session-" + producer)
                .put("agent", i % 64)
                .put("x", (i % 1000) * 0.5)
                .put("y", (i % 777) * 0.25)
                .put("kind", "agent_moved")
                .build();
    }
}
