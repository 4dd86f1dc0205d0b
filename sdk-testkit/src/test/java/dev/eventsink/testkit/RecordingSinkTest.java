package dev.eventsink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.EventTracker;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.ConfigurationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RecordingSinkTest {

    private static final Instant NOON = Instant.parse("2026-11-28T12:00:00Z");

    private final RecordingSink recorder = new RecordingSink("ux");

    static Event event(int n) {
        return Event.uxAction().id(new UUID(0, n)).timestamp(NOON).userId("u" + n).put("n", n).build();
    }

    static String json(int n) {
        return "{\"id\":\"" + new UUID(0, n) + "\",\"timestamp\":\"2026-11-28T12:00:00.000Z\",\"eventType\":\"ux_action\","
                + "\"userId\":\"u" + n + "\",\"payload\":{\"n\":" + n + "}}";
    }

    /** Starts a thread that sends {@code events} once {@code waiter} is waiting, so the wait is really exercised. */
    private static Thread sendWhenWaiting(RecordingSink sink, Thread waiter, Event... events) {
        Thread sender = new Thread(() -> {
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            for (Event e : events) {
                sink.sendEvent(e);
            }
        }, "sender");
        sender.setDaemon(true);
        sender.start();
        return sender;
    }

    @Nested
    class Recording {

        @Test
        void recordsEventsInArrivalOrderAndCompletesEachFutureAtOnce() {
            CompletableFuture<Void> first = recorder.sendEvent(event(1));
            recorder.sendEvent(event(2));

            assertThat(first).isCompleted();
            assertThat(recorder.events()).containsExactly(event(1), event(2));
            assertThat(recorder.size()).isEqualTo(2);
        }

        @Test
        void eventsAreAnUnmodifiableSnapshot() {
            recorder.sendEvent(event(1));
            List<Event> snapshot = recorder.events();
            recorder.sendEvent(event(2));

            assertThat(snapshot).containsExactly(event(1));
            assertThatThrownBy(() -> snapshot.add(event(3))).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void resetForgetsEventsAndCounts() {
            recorder.sendEvent(event(1));
            recorder.reset();

            assertThat(recorder.events()).isEmpty();
            assertThat(recorder.stats()).isEqualTo(SinkStats.EMPTY);
        }

        @Test
        void statsCountWhatWasRecordedAndWhatFailed() {
            recorder.sendEvent(event(1));
            recorder.failAll("backend down");
            recorder.sendEvent(event(2));

            assertThat(recorder.stats()).isEqualTo(
                    SinkStats.builder().accepted(2).delivered(1).failed(Map.of("backend down", 1L)).rejected(1).build());
        }

        @Test
        void failAllRejectsEventsUntilSucceed() {
            recorder.failAll("backend down");
            CompletableFuture<Void> failed = recorder.sendEvent(event(1));
            recorder.succeed();
            recorder.sendEvent(event(2));

            assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DeliveryException.class).hasMessage("rejected: backend down");
            assertThat(recorder.events()).containsExactly(event(2));
        }

        @Test
        void aNullEventFailsTheFuture() {
            assertThatThrownBy(() -> recorder.sendEvent(null).get()).cause()
                    .isInstanceOf(NullPointerException.class).hasMessage("event must not be null");
        }

        @Test
        void afterCloseEventsFailAndWhatWasRecordedStaysReadable() {
            recorder.sendEvent(event(1));
            recorder.close();
            recorder.close();

            assertThatThrownBy(() -> recorder.sendEvent(event(2)).get()).cause()
                    .isInstanceOf(DeliveryException.class).hasMessage("undelivered: sink is closed");
            assertThat(recorder.events()).containsExactly(event(1));
            assertThat(recorder.isClosed()).isTrue();
            assertThat(recorder).hasToString("RecordingSink{ux, events=1, closed}");
        }
    }

    @Nested
    class Waiting {

        @Test
        void awaitEventsReturnsOnceEnoughEventsArrivedFromAnotherThread() throws InterruptedException {
            Thread sender = sendWhenWaiting(recorder, Thread.currentThread(), event(1), event(2), event(3));

            List<Event> events = recorder.awaitEvents(3, Duration.ofSeconds(10));

            assertThat(events).containsExactly(event(1), event(2), event(3));
            sender.join();
        }

        @Test
        void awaitEventsReturnsAtOnceWhenEnoughAreThere() {
            recorder.sendEvent(event(1));

            assertThat(recorder.awaitEvents(1, Duration.ZERO)).containsExactly(event(1));
        }

        @Test
        void awaitEventsFailsAfterTheTimeoutListingWhatArrived() {
            recorder.sendEvent(event(1));
            recorder.sendEvent(event(2));

            assertThatThrownBy(() -> recorder.awaitEvents(3, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected recorder ux to receive at least 3 events within 50ms but it received 2:\n  "
                            + json(1) + "\n  " + json(2));
        }

        @Test
        void awaitEventsSaysWhenNothingArrived() {
            assertThatThrownBy(() -> recorder.awaitEvents(1, Duration.ofMillis(10)))
                    .hasMessage("Expected recorder ux to receive at least 1 event within 10ms but it received none");
        }

        @Test
        void awaitEventReturnsTheFirstMatchingEvent() throws InterruptedException {
            Thread sender = sendWhenWaiting(recorder, Thread.currentThread(), event(1), event(2), event(3));

            Event match = recorder.awaitEvent(e -> e.userId().equals("u2"), Duration.ofSeconds(10));

            assertThat(match).isEqualTo(event(2));
            sender.join();
        }

        @Test
        void awaitEventFailsAfterTheTimeoutNamingTheCondition() {
            recorder.sendEvent(event(1));

            assertThatThrownBy(() -> recorder.awaitEvent(e -> false, "userId = u9", Duration.ofMillis(20)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected recorder ux to receive an event matching userId = u9 within 20ms but it "
                            + "received 1:\n  " + json(1));
            assertThatThrownBy(() -> recorder.awaitEvent(e -> false, Duration.ofMillis(1)))
                    .hasMessageStartingWith("Expected recorder ux to receive an event matching the given condition "
                            + "within 1ms but it received 1:");
        }

        @Test
        void awaitEventSeesEventsThatArriveAfterAReset() throws InterruptedException {
            for (int i = 0; i < 5; i++) {
                recorder.sendEvent(event(i));
            }
            Thread waiter = Thread.currentThread();
            Thread resetter = new Thread(() -> {
                while (waiter.getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                }
                recorder.reset();
                for (int i = 10; i < 16; i++) {
                    recorder.sendEvent(event(i));
                }
            });
            resetter.start();

            Event match = recorder.awaitEvent(e -> e.userId().equals("u10"), Duration.ofSeconds(10));

            assertThat(match).isEqualTo(event(10));
            resetter.join();
        }

        @Test
        void anInterruptEndsTheWaitAndIsKept() {
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> recorder.awaitEvents(1, Duration.ofSeconds(10)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Interrupted while waiting for recorder ux to receive 1 event but it received none");
            assertThat(Thread.interrupted()).isTrue();
        }

        @Test
        void listingsStopAfterTwentyEvents() {
            for (int i = 0; i < 23; i++) {
                recorder.sendEvent(event(i));
            }

            assertThatThrownBy(() -> recorder.awaitEvents(24, Duration.ZERO))
                    .hasMessageContaining("  " + json(19) + "\n  … and 3 more")
                    .hasMessageNotContaining(json(20));
        }
    }

    @Nested
    class ThroughConfiguration {

        @Test
        void theRecordingTypeIsFoundWithServiceLoader() {
            assertThat(EventSinkFactory.availableTypes()).contains("recording");
            try (EventTracker tracker = EventTracker.create(ConfigSource.fromMap(Map.of(
                    "UX_EVENT_SINK_TYPE", "recording", "SIM_EVENT_SINK_TYPE", "recording")))) {
                tracker.track(event(1));

                RecordingSink ux = tracker.sink(Channel.UX, RecordingSink.class);
                assertThat(ux.events()).containsExactly(event(1));
                assertThat(ux.name()).isEqualTo("ux");
                assertThat(tracker.sink(Channel.SIM, RecordingSink.class).events()).isEmpty();
            }
        }

        @Test
        void everyTrackerBuiltFromTheRecordersConfigurationRecordsIntoThem() {
            try (Recorders recorders = Recorders.open();
                    EventTracker first = EventTracker.create(recorders.configSource());
                    EventTracker second = EventTracker.create(recorders.configSource())) {
                first.track(event(1));
                second.track(event(2));
                second.track(Event.simulationEvent().id(new UUID(1, 1)).timestamp(NOON).build());

                assertThat(recorders.ux().events()).containsExactly(event(1), event(2));
                assertThat(recorders.sim().size()).isEqualTo(1);
                assertThat(first.sink(Channel.UX, RecordingSink.class).events()).containsExactly(event(1), event(2));
                assertThat(recorders.recorder(Channel.SIM)).isSameAs(recorders.sim());
            }
        }

        @Test
        void closingOneTrackerLeavesTheOthersRecording() {
            try (Recorders recorders = Recorders.open();
                    EventTracker kept = EventTracker.create(recorders.configSource())) {
                EventTracker.create(recorders.configSource()).close();
                kept.track(event(1));

                assertThat(recorders.ux().events()).containsExactly(event(1));
            }
        }

        @Test
        void recordersConfigurationNamesBothChannels() {
            try (Recorders recorders = Recorders.open(); Recorders others = Recorders.open()) {
                assertThat(recorders.configuration()).containsOnly(
                        Map.entry("UX_EVENT_SINK_TYPE", "recording"),
                        Map.entry("UX_EVENT_SINK_RECORDER_ID", recorders.id()),
                        Map.entry("SIM_EVENT_SINK_TYPE", "recording"),
                        Map.entry("SIM_EVENT_SINK_RECORDER_ID", recorders.id()));
                assertThat(recorders.id()).startsWith("recorders-");
                assertThat(others.id()).isNotEqualTo(recorders.id());
            }
        }

        @Test
        void anUnknownRecorderIdIsRefusedNamingTheKey() {
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(Map.of(
                    "UX_EVENT_SINK_TYPE", "recording", "UX_EVENT_SINK_RECORDER_ID", "nope"))))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("UX_EVENT_SINK_RECORDER_ID='nope' names no open Recorders; allowed: the id of an open "
                            + "dev.eventsink.testkit.Recorders, as its configSource() sets it");
        }

        @Test
        void closedRecordersAreRefusedButKeepTheirEvents() {
            Recorders recorders = Recorders.open();
            recorders.ux().sendEvent(event(1));
            recorders.close();

            assertThatThrownBy(() -> EventTracker.create(recorders.configSource()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("UX_EVENT_SINK_RECORDER_ID='" + recorders.id() + "' names no open Recorders");
            assertThat(recorders.ux().events()).containsExactly(event(1));
            assertThat(recorders).hasToString("Recorders{" + recorders.id() + ", ux=1 events, sim=0 events, closed}");
        }

        @Test
        void failWithMakesEveryEventFail() {
            try (Recorders recorders = Recorders.open();
                    EventTracker tracker = EventTracker.create(ConfigSource.fromMap(
                            Map.of("UX_EVENT_SINK_FAIL_WITH", "down")).orElse(recorders.configSource()))) {
                assertThatThrownBy(() -> tracker.track(event(1)).get()).cause()
                        .isInstanceOf(DeliveryException.class).hasMessage("rejected: down");
                assertThat(recorders.ux().events()).isEmpty();
                assertThat(recorders.ux().stats().failed()).containsExactly(Map.entry("down", 1L));
            }
        }
    }
}
