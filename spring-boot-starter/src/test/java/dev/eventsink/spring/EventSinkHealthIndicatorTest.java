package dev.eventsink.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import dev.eventsink.mock.MockSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;

class EventSinkHealthIndicatorTest {

    private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final MockSink ux = new MockSink("ux", 100);
    private final SettableSink sim = new SettableSink();
    private final EventSinkHealthIndicator indicator = new EventSinkHealthIndicator(EventTracker.of(ux, sim),
            Map.of(Channel.UX, "mock", Channel.SIM, "openobserve"), Duration.ofMinutes(1), 10, clock);

    @Test
    void upWhileDeliveringWithEachChannelsStatisticsAsDetails() {
        ux.sendEvent(Event.uxAction().userId("u1").build());
        sim.stats = SinkStats.builder().accepted(7).recovered(0).delivered(5).queued(1).inFlight(1).batches(2).bytesSent(900)
                .retried(10).build();

        Health health = indicator.health();

        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails()).containsEntry("window", "1m").containsEntry("retryThreshold", 10);
        assertThat(channel(health, "ux")).containsEntry("status", "UP").containsEntry("sink", "mock")
                .containsEntry("accepted", 1L).containsEntry("delivered", 1L);
        Map<String, Object> simDetails = channel(health, "sim");
        assertThat(simDetails).containsExactly(
                Map.entry("status", "UP"), Map.entry("sink", "openobserve"), Map.entry("accepted", 7L),
                Map.entry("recovered", 0L), Map.entry("delivered", 5L), Map.entry("rejected", 0L), Map.entry("undelivered", 0L),
                Map.entry("dropped", 0L), Map.entry("retried", 10L), Map.entry("queued", 1L),
                Map.entry("inFlight", 1L), Map.entry("batches", 2L), Map.entry("bytesSent", 900L),
                Map.entry("failedByReason", Map.of()), Map.entry("droppedByReason", Map.of()),
                Map.entry("recent", Map.of("since", "2026-11-28T12:00:00Z", "failed", 0L, "dropped", 0L,
                        "retried", 10L)));
    }

    @Test
    void degradedWhileEventsAreDroppedFailedOrRetriedPastTheThresholdThenUpOnceTheWindowHasPassed() {
        clock.advance(Duration.ofSeconds(10));
        sim.stats = SinkStats.builder().accepted(3).dropped(Map.of("queue full (drop_newest)", 3L)).build();
        assertThat(indicator.health().getStatus()).isEqualTo(EventSinkHealthIndicator.DEGRADED);

        clock.advance(Duration.ofSeconds(61));
        Health quiet = indicator.health();
        assertThat(quiet.getStatus().getCode()).isEqualTo("UP");
        assertThat(channel(quiet, "sim")).containsEntry("dropped", 3L);

        ux.failNext(1, "OpenObserve answered 400");
        ux.sendEvent(Event.uxAction().build());
        clock.advance(Duration.ofSeconds(10));
        Health failing = indicator.health();
        assertThat(failing.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(channel(failing, "ux")).containsEntry("status", "DEGRADED");
        assertThat(channel(failing, "sim")).containsEntry("status", "UP");

        clock.advance(Duration.ofSeconds(61));
        sim.stats = SinkStats.builder().accepted(3).dropped(Map.of("queue full (drop_newest)", 3L)).retried(11).build();
        Health retrying = indicator.health();
        assertThat(retrying.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(channel(retrying, "ux")).containsEntry("status", "UP");
        assertThat(channel(retrying, "sim")).containsEntry("status", "DEGRADED")
                .containsEntry("recent", Map.of("since", "2026-11-28T12:01:21Z", "failed", 0L, "dropped", 0L,
                        "retried", 11L));
    }

    @Test
    void theWindowIsSharedByEveryCallerSoFrequentChecksStillSeeALoss() {
        sim.stats = SinkStats.builder().accepted(1).failed(Map.of("sink closed before delivery", 1L)).build();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(indicator.health().getStatus().getCode()).as("check at +%d s", 10 * (i + 1))
                    .isEqualTo("DEGRADED");
        }
        clock.advance(Duration.ofSeconds(20));
        assertThat(indicator.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void reasonsShowNoUrlCredentials() {
        sim.stats = SinkStats.builder().accepted(2)
                .failed(Map.of("connection refused: http://admin:pa55@collector:5080", 2L)).build();

        Health health = indicator.health();

        assertThat(channel(health, "sim")).containsEntry("failedByReason",
                Map.of("connection refused: http://****@collector:5080", 2L));
        assertThat(health.toString()).doesNotContain("pa55");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> channel(Health health, String channel) {
        return (Map<String, Object>) health.getDetails().get(channel);
    }

    /** A sink whose statistics a test sets. */
    static final class SettableSink implements EventSink {
        volatile SinkStats stats = SinkStats.EMPTY;

        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public SinkStats stats() {
            return stats;
        }

        @Override
        public void close() {}
    }

    /** A clock a test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
