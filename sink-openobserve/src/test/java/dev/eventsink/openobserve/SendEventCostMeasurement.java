package dev.eventsink.openobserve;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Not a test: measures what {@code sendEvent} costs the caller, above building the event, with 2 producer
 * threads sending pre-built events into the openobserve sink (queue large enough never to block), while the
 * sink delivers them to the compatible server in the same JVM. Prints the median and tail of per-call times.
 *
 * <p>Argument: events per producer (default 500,000); the first fifth of each producer's calls warm up.
 */
final class SendEventCostMeasurement {

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        int perProducer = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int producers = 2;
        try (OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).start()) {
            EventSink sink = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, Map.of(
                    "UX_EVENT_SINK_TYPE", "openobserve",
                    "UX_EVENT_SINK_URL", server.url(),
                    "UX_EVENT_SINK_API_KEY", server.apiKey(),
                    "UX_EVENT_SINK_QUEUE_CAPACITY", String.valueOf(producers * perProducer),
                    "UX_EVENT_SINK_QUEUE_BYTES", "4GiB")));
            List<Event[]> events = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Event[] own = new Event[perProducer];
                for (int i = 0; i < perProducer; i++) {
                    own[i] = ThroughputMeasurement.event(p, i);
                }
                events.add(own);
            }
            long[][] nanos = new long[producers][perProducer];
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(new Thread(() -> {
                    Event[] own = events.get(producer);
                    long[] times = nanos[producer];
                    for (int i = 0; i < own.length; i++) {
                        long t0 = System.nanoTime();
                        sink.sendEvent(own[i]);
                        times[i] = System.nanoTime() - t0;
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            sink.flush(Duration.ofMinutes(2));
            System.out.println("delivered " + sink.stats().delivered() + ", dropped " + sink.stats().droppedTotal());
            sink.close();
            int warmup = perProducer / 5;
            long[] measured = Arrays.stream(nanos)
                    .flatMapToLong(times -> Arrays.stream(times, warmup, times.length)).sorted().toArray();
            System.out.printf("sendEvent per call, %d calls from %d producers: median %d ns, p90 %d ns, p99 %d ns%n",
                    measured.length, producers, measured[measured.length / 2],
                    measured[(int) (measured.length * 0.9)], measured[(int) (measured.length * 0.99)]);
            long[] clock = new long[100_000];
            for (int i = 0; i < clock.length; i++) {
                long t0 = System.nanoTime();
                clock[i] = System.nanoTime() - t0;
            }
            Arrays.sort(clock);
            System.out.printf("(System.nanoTime pair alone: median %d ns)%n", clock[clock.length / 2]);
        }
    }
}
