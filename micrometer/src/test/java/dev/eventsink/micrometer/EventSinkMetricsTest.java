package dev.eventsink.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import dev.eventsink.mock.MockSink;
import dev.eventsink.testkit.RecordingSink;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventSinkMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void trackerTrafficThroughMockSinksIsCountedPerChannelOutcomeAndReason() {
        MockSink ux = new MockSink("ux", 10);
        MockSink sim = new MockSink("sim", 10);
        EventTracker tracker = EventTracker.of(ux, sim);
        EventSinkMetrics.of(tracker).bindTo(registry);

        ux.failNext(2, "payload refused");
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(tracker.track(Event.uxAction().userId("u" + i).put("button", "buy").build()));
        }
        for (int i = 0; i < 4; i++) {
            futures.add(tracker.track(Event.simulationEvent().put("tick", i).build()));
        }
        sim.close();
        futures.add(sim.sendEvent(Event.simulationEvent().put("tick", 99).build()));
        assertThat(futures.stream().filter(CompletableFuture::isCompletedExceptionally)).hasSize(3);

        assertThat(events("ux", "mock", "delivered", "none")).isEqualTo(3);
        assertThat(events("ux", "mock", "failed", "rejected")).isEqualTo(2);
        assertThat(events("ux", "mock", "failed", "undelivered")).isZero();
        assertThat(events("sim", "mock", "delivered", "none")).isEqualTo(4);
        assertThat(events("sim", "mock", "failed", "rejected")).isZero();
        assertThat(events("sim", "mock", "failed", "undelivered")).isEqualTo(1);
        for (String channel : List.of("ux", "sim")) {
            for (String reason : EventSinkMetrics.DROP_REASONS) {
                assertThat(events(channel, "mock", "dropped", reason)).as(channel + " dropped " + reason).isZero();
            }
            Tags tags = Tags.of("channel", channel, "sink", "mock");
            assertThat(registry.get("eventsink.queue.events").tags(tags).gauge().value()).isZero();
            assertThat(registry.get("eventsink.inflight.events").tags(tags).gauge().value()).isZero();
            assertThat(registry.get("eventsink.batches").tags(tags).functionCounter().count()).isZero();
            assertThat(registry.get("eventsink.bytes.sent").tags(tags).functionCounter().count()).isZero();
            assertThat(registry.get("eventsink.retries").tags(tags).functionCounter().count()).isZero();
        }
    }

    @Test
    void registersExactlyTheseMetersForEachChannel() {
        EventSinkMetrics.of(EventTracker.of(new MockSink(), new RecordingSink("sim"))).bindTo(registry);

        List<String> expected = new ArrayList<>();
        for (String[] channel : new String[][] {{"ux", "mock"}, {"sim", "recording"}}) {
            String base = "channel=" + channel[0] + ",sink=" + channel[1];
            expected.add("eventsink.events{" + base + ",outcome=delivered,reason=none} counter events");
            expected.add("eventsink.events{" + base + ",outcome=failed,reason=rejected} counter events");
            expected.add("eventsink.events{" + base + ",outcome=failed,reason=undelivered} counter events");
            expected.add("eventsink.events{" + base + ",outcome=dropped,reason=queue_full} counter events");
            expected.add("eventsink.events{" + base + ",outcome=dropped,reason=event_too_large} counter events");
            expected.add("eventsink.events{" + base + ",outcome=dropped,reason=interrupted} counter events");
            expected.add("eventsink.events{" + base + ",outcome=dropped,reason=other} counter events");
            expected.add("eventsink.queue.events{" + base + "} gauge events");
            expected.add("eventsink.inflight.events{" + base + "} gauge events");
            expected.add("eventsink.batches{" + base + "} counter batches");
            expected.add("eventsink.bytes.sent{" + base + "} counter bytes");
            expected.add("eventsink.retries{" + base + "} counter retries");
        }
        assertThat(meters(registry)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyStatisticMapsOntoItsMeterAndDropReasonsOntoTheirClasses() {
        SinkStats stats = SinkStats.builder()
                .accepted(200)
                .delivered(60)
                .failed(Map.of("OpenObserve answered 401 Unauthorized Access", 5L,
                        "not delivered within RETRY_DEADLINE 5m; last error: OpenObserve answered 503", 3L,
                        DeliveryException.SINK_CLOSED, 2L))
                .rejected(5)
                .dropped(Map.of("queue full (drop_newest)", 7L, "queue full (drop_oldest)", 1L,
                        "queue full (block timeout 1s)", 4L, "event larger than QUEUE_BYTES", 2L,
                        "interrupted while waiting for queue room (block)", 1L, "other reasons", 3L,
                        "a plugin's own reason", 2L))
                .retried(9).queued(11).inFlight(6).batches(13).bytesSent(123_456)
                .build();
        EventSinkMetrics.builder(Channel.SIM, new FixedStatsSink(stats))
                .sinkName(Channel.SIM, "openobserve")
                .tags(Tags.of("application", "shop"))
                .build()
                .bindTo(registry);

        Tags tags = Tags.of("application", "shop", "channel", "sim", "sink", "openobserve");
        assertThat(count("eventsink.events", tags.and("outcome", "delivered", "reason", "none"))).isEqualTo(60);
        assertThat(count("eventsink.events", tags.and("outcome", "failed", "reason", "rejected"))).isEqualTo(5);
        assertThat(count("eventsink.events", tags.and("outcome", "failed", "reason", "undelivered"))).isEqualTo(5);
        assertThat(count("eventsink.events", tags.and("outcome", "dropped", "reason", "queue_full"))).isEqualTo(12);
        assertThat(count("eventsink.events", tags.and("outcome", "dropped", "reason", "event_too_large"))).isEqualTo(2);
        assertThat(count("eventsink.events", tags.and("outcome", "dropped", "reason", "interrupted"))).isEqualTo(1);
        assertThat(count("eventsink.events", tags.and("outcome", "dropped", "reason", "other"))).isEqualTo(5);
        assertThat(registry.get("eventsink.queue.events").tags(tags).gauge().value()).isEqualTo(11);
        assertThat(registry.get("eventsink.inflight.events").tags(tags).gauge().value()).isEqualTo(6);
        assertThat(count("eventsink.batches", tags)).isEqualTo(13);
        assertThat(count("eventsink.bytes.sent", tags)).isEqualTo(123_456);
        assertThat(count("eventsink.retries", tags)).isEqualTo(9);
        assertThat(registry.getMeters()).hasSize(12)
                .allSatisfy(m -> assertThat(m.getId().getTag("application")).isEqualTo("shop"))
                .allSatisfy(m -> assertThat(m.getId().getDescription()).isNotBlank());
    }

    @Test
    void metersReadTheSinkWhenAskedSoLaterTrafficShows() {
        MockSink ux = new MockSink("ux", 10);
        EventSinkMetrics.of(Channel.UX, ux).bindTo(registry);
        assertThat(events("ux", "mock", "delivered", "none")).isZero();

        ux.sendEvent(Event.uxAction().put("step", 1).build());
        ux.sendEvent(Event.uxAction().put("step", 2).build());

        assertThat(events("ux", "mock", "delivered", "none")).isEqualTo(2);
        assertThat(registry.find("eventsink.events").tag("channel", "sim").meters()).isEmpty();
    }

    @Test
    void bindingTwiceToOneRegistryKeepsOneMeterPerId() {
        EventSinkMetrics metrics = EventSinkMetrics.of(Channel.UX, new MockSink());
        metrics.bindTo(registry);
        metrics.bindTo(registry);

        assertThat(registry.getMeters()).hasSize(12);
    }

    @Test
    void sinkNamesAreDerivedFromTheSinkClassUnlessGiven() {
        assertThat(SinkNames.of(new MockSink())).isEqualTo("mock");
        assertThat(SinkNames.of(new RecordingSink())).isEqualTo("recording");
        assertThat(SinkNames.of(new FixedStatsSink(SinkStats.EMPTY))).isEqualTo("fixedstats");

        EventSinkMetrics metrics = EventSinkMetrics.builder(EventTracker.of(new MockSink(), new MockSink()))
                .sinkName(Channel.UX, "openobserve")
                .build();
        assertThat(metrics.sinkNameOf(Channel.UX)).isEqualTo("openobserve");
        assertThat(metrics.sinkNameOf(Channel.SIM)).isEqualTo("mock");
        assertThat(metrics).hasToString("EventSinkMetrics{UX=openobserve, SIM=mock}");
    }

    @Test
    void builderRefusesWhatWouldMakeAmbiguousMeters() {
        EventSinkMetrics.Builder builder = EventSinkMetrics.builder(Channel.UX, new MockSink());

        assertThatThrownBy(() -> builder.sinkName(Channel.SIM, "mock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no sink for channel SIM; this builder has [UX]");
        assertThatThrownBy(() -> builder.sinkName(Channel.UX, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sink name of UX must not be blank");
        assertThatThrownBy(() -> builder.tags(Tags.of("reason", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag key 'reason' is set by EventSinkMetrics; allowed: any other key");
        assertThatThrownBy(() -> EventSinkMetrics.of((EventTracker) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("tracker must not be null");
    }

    @Test
    void dropReasonsAreClassedByThePipelinesWording() {
        assertThat(EventSinkMetrics.dropReasonClass("queue full (drop_newest)")).isEqualTo("queue_full");
        assertThat(EventSinkMetrics.dropReasonClass("queue full (block timeout 250ms)")).isEqualTo("queue_full");
        assertThat(EventSinkMetrics.dropReasonClass("spool full (SPOOL_MAX_BYTES, drop_newest)")).isEqualTo("queue_full");
        assertThat(EventSinkMetrics.dropReasonClass("event larger than QUEUE_BYTES")).isEqualTo("event_too_large");
        assertThat(EventSinkMetrics.dropReasonClass("interrupted while waiting for queue room (block)"))
                .isEqualTo("interrupted");
        assertThat(EventSinkMetrics.dropReasonClass("other reasons")).isEqualTo("other");
        assertThat(EventSinkMetrics.dropReasonClass("")).isEqualTo("other");
    }

    private double events(String channel, String sink, String outcome, String reason) {
        return count("eventsink.events", Tags.of("channel", channel, "sink", sink, "outcome", outcome,
                "reason", reason));
    }

    private double count(String name, Iterable<Tag> tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    /** Each meter as {@code name{tags} type unit}, tags sorted by Micrometer. */
    static List<String> meters(MeterRegistry registry) {
        return registry.getMeters().stream()
                .map(Meter::getId)
                .map(id -> id.getName() + id.getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
                        .collect(Collectors.joining(",", "{", "}")) + " "
                        + (id.getType() == Meter.Type.GAUGE ? "gauge" : "counter") + " " + id.getBaseUnit())
                .map(EventSinkMetricsTest::sortTagsAsListed)
                .collect(Collectors.toList());
    }

    /** Micrometer sorts tags by key; puts them back in the order the expectations list them. */
    private static String sortTagsAsListed(String meter) {
        int open = meter.indexOf('{');
        int close = meter.indexOf('}');
        Map<String, String> tags = new java.util.HashMap<>();
        for (String pair : meter.substring(open + 1, close).split(",")) {
            String[] kv = pair.split("=");
            tags.put(kv[0], kv[1]);
        }
        StringBuilder sb = new StringBuilder(meter.substring(0, open + 1));
        List<String> order = List.of("channel", "sink", "outcome", "reason");
        sb.append(order.stream().filter(tags::containsKey).map(k -> k + "=" + tags.get(k))
                .collect(Collectors.joining(",")));
        return sb.append(meter.substring(close)).toString();
    }

    /** A sink whose statistics are fixed, to map every field onto its meter. */
    static final class FixedStatsSink implements EventSink {
        private final SinkStats stats;

        FixedStatsSink(SinkStats stats) {
            this.stats = stats;
        }

        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("fixed statistics only"));
        }

        @Override
        public SinkStats stats() {
            return stats;
        }

        @Override
        public void close() {}
    }
}
