package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.eventsink.TestProviders.Alpha;
import dev.eventsink.TestProviders.Beta;
import dev.eventsink.TestProviders.Exploding;
import dev.eventsink.spi.ConfigurationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventTrackerTest {

    private static final UUID UX_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID SIM_ID = UUID.fromString("00000000-0000-4000-8000-000000000002");
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00.123Z");

    private final Event uxEvent = Event.uxAction().id(UX_ID).timestamp(NOW).put("button", "buy").build();
    private final Event simEvent = Event.simulationEvent().id(SIM_ID).timestamp(NOW).put("tick", 1).build();

    /** A sink whose sendEvent throws, breaking its contract. */
    static final class ThrowingSink implements EventSink {
        static final IllegalStateException BOOM = new IllegalStateException("sink bug");

        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            throw BOOM;
        }

        @Override
        public void close() {}
    }

    /** A sink whose sendEvent returns null, breaking its contract. */
    static final class NullFutureSink implements EventSink {
        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            return null;
        }

        @Override
        public void close() {}
    }

    /** A sink whose close throws. */
    static final class CloseThrowsSink implements EventSink {
        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            throw new IllegalStateException("close failed");
        }
    }

    /** A sink that reports events still pending after close. */
    static final class PendingSink implements EventSink {
        private final long pending;
        private int closeCalls;

        PendingSink(long pending) {
            this.pending = pending;
        }

        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            return new CompletableFuture<>();
        }

        @Override
        public SinkStats stats() {
            return SinkStats.builder().accepted(pending).queued(pending).build();
        }

        @Override
        public FlushResult flush(Duration timeout) {
            return new FlushResult(pending);
        }

        @Override
        public FlushResult close(Duration timeout) {
            closeCalls++;
            return new FlushResult(pending);
        }

        @Override
        public void close() {
            closeCalls++;
        }
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("future did not fail");
    }

    @Nested
    class Routing {

        @Test
        void uxActionGoesToTheUxSinkAndSimulationEventToTheSimSink() {
            RecordingSink ux = new RecordingSink("ux");
            RecordingSink sim = new RecordingSink("sim");
            EventTracker tracker = EventTracker.of(ux, sim);

            CompletableFuture<Void> first = tracker.track(uxEvent);
            CompletableFuture<Void> second = tracker.track(simEvent);

            assertThat(first).isCompletedWithValue(null);
            assertThat(second).isCompletedWithValue(null);
            assertThat(ux.events()).containsExactly(uxEvent);
            assertThat(sim.events()).containsExactly(simEvent);
        }

        @Test
        void oneSinkOnBothChannelsReceivesBothKindsAndIsClosedOnce() {
            RecordingSink both = new RecordingSink("both");
            EventTracker tracker = EventTracker.of(both, both);

            tracker.track(simEvent);
            tracker.track(uxEvent);
            tracker.close();

            assertThat(both.events()).containsExactly(simEvent, uxEvent);
            assertThat(both.closeCalls()).isEqualTo(1);
        }

        @Test
        void createdTrackerRoutesToTheSinksOfTheConfiguredTypes() {
            ConfigSource source = ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "alpha", "SIM_EVENT_SINK_TYPE", "beta"));
            try (EventTracker tracker = EventTracker.create(source, ProviderClassLoader.of(Alpha.class, Beta.class))) {
                tracker.track(uxEvent);
                tracker.track(simEvent);

                RecordingSink ux = tracker.sink(Channel.UX, RecordingSink.class);
                RecordingSink sim = tracker.sink(Channel.SIM, RecordingSink.class);
                assertThat(ux).hasToString("RecordingSink{alpha, SinkConfig{UX_EVENT_SINK_TYPE=alpha}}");
                assertThat(sim).hasToString("RecordingSink{beta}");
                assertThat(ux.events()).containsExactly(uxEvent);
                assertThat(sim.events()).containsExactly(simEvent);
            }
        }

        @Test
        void sameTypeOnBothChannelsGivesEachChannelItsOwnSink() {
            ConfigSource source = ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "alpha", "SIM_EVENT_SINK_TYPE", "alpha"));
            try (EventTracker tracker = EventTracker.create(source, ProviderClassLoader.of(Alpha.class))) {
                tracker.track(uxEvent);
                tracker.track(simEvent);

                RecordingSink ux = tracker.sink(Channel.UX, RecordingSink.class);
                RecordingSink sim = tracker.sink(Channel.SIM, RecordingSink.class);
                assertThat(ux).isNotSameAs(sim);
                assertThat(ux.events()).containsExactly(uxEvent);
                assertThat(sim.events()).containsExactly(simEvent);
            }
        }

        @Test
        void sinkOfTheWrongClassIsAClearError() {
            EventTracker tracker = EventTracker.of(new RecordingSink("ux"), new RecordingSink("sim"));

            assertThatThrownBy(() -> tracker.sink(Channel.UX, ThrowingSink.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The UX sink is a dev.eventsink.RecordingSink, not a dev.eventsink.EventTrackerTest$ThrowingSink");
        }

        @Test
        void statsAndFlushAreThoseOfTheChannelSinks() {
            EventTracker tracker = EventTracker.of(new PendingSink(2), new PendingSink(3));

            assertThat(tracker.stats(Channel.UX).queued()).isEqualTo(2);
            assertThat(tracker.stats(Channel.SIM).queued()).isEqualTo(3);
            assertThat(tracker.flush(Duration.ofMillis(1))).isEqualTo(new FlushResult(5));
        }

        @Test
        void flushOfOneSinkOnBothChannelsCountsItOnce() {
            PendingSink both = new PendingSink(4);

            assertThat(EventTracker.of(both, both).flush(Duration.ofMillis(1))).isEqualTo(new FlushResult(4));
        }

        @Test
        void nullSinksAreRejectedByName() {
            RecordingSink sink = new RecordingSink("x");
            assertThatThrownBy(() -> EventTracker.of(null, sink))
                    .isInstanceOf(NullPointerException.class).hasMessage("uxSink must not be null");
            assertThatThrownBy(() -> EventTracker.of(sink, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("simSink must not be null");
        }
    }

    @Nested
    class TrackNeverThrows {

        @Test
        void trackNullFailsTheFuture() {
            RecordingSink ux = new RecordingSink("ux");
            EventTracker tracker = EventTracker.of(ux, ux);

            assertThat(failure(tracker.track(null)))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("event must not be null");
            assertThat(ux.sendCalls()).isZero();
        }

        @Test
        void sinkThatThrowsFromSendEventBecomesAFailedFuture() {
            EventTracker tracker = EventTracker.of(new ThrowingSink(), new RecordingSink("sim"));
            try (LogCapture log = LogCapture.capture(Level.WARN, EventTracker.class.getName())) {
                assertThat(failure(tracker.track(uxEvent))).isSameAs(ThrowingSink.BOOM);
                assertThat(log.lines(Level.WARN)).containsExactly("UX sink dev.eventsink.EventTrackerTest$ThrowingSink"
                        + " threw from sendEvent instead of failing the future; event " + UX_ID + " not sent: "
                        + ThrowingSink.BOOM);
            }
        }

        @Test
        void sinkThatReturnsNoFutureBecomesAFailedFuture() {
            EventTracker tracker = EventTracker.of(new RecordingSink("ux"), new NullFutureSink());

            assertThat(failure(tracker.track(simEvent)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("sink dev.eventsink.EventTrackerTest$NullFutureSink returned no future for event " + SIM_ID);
        }

        @Test
        void trackAfterCloseFailsTheFutureWithTheReason() {
            RecordingSink ux = new RecordingSink("ux");
            RecordingSink sim = new RecordingSink("sim");
            EventTracker tracker = EventTracker.of(ux, sim);
            tracker.close();

            for (Event event : List.of(uxEvent, simEvent)) {
                Throwable cause = failure(tracker.track(event));
                assertThat(cause).isInstanceOf(DeliveryException.class).hasMessage("undelivered: tracker is closed");
                assertThat(((DeliveryException) cause).outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
                assertThat(((DeliveryException) cause).reason()).isEqualTo(EventTracker.TRACKER_CLOSED);
            }
            assertThat(ux.sendCalls()).isZero();
            assertThat(sim.sendCalls()).isZero();
        }
    }

    @Nested
    class Closing {

        @Test
        void closeClosesBothSinksOnceHoweverOftenItIsCalled() {
            RecordingSink ux = new RecordingSink("ux");
            RecordingSink sim = new RecordingSink("sim");
            EventTracker tracker = EventTracker.of(ux, sim);

            tracker.close();
            tracker.close();
            tracker.close(Duration.ofSeconds(1));

            assertThat(ux.closeCalls()).isEqualTo(1);
            assertThat(sim.closeCalls()).isEqualTo(1);
            assertThat(tracker).hasToString("EventTracker{ux=RecordingSink{ux}, sim=RecordingSink{sim}, closed}");
        }

        @Test
        void closeWithTimeoutSumsWhatStayedUndeliveredAndLaterCallsReturnTheFirstResult() {
            PendingSink ux = new PendingSink(2);
            PendingSink sim = new PendingSink(5);
            EventTracker tracker = EventTracker.of(ux, sim);

            assertThat(tracker.close(Duration.ofMillis(1))).isEqualTo(new FlushResult(7));
            assertThat(tracker.close(Duration.ofMillis(1))).isEqualTo(new FlushResult(7));
            tracker.close();
            assertThat(ux.closeCalls + sim.closeCalls).isEqualTo(2);
        }

        @Test
        void closeWithATimeoutAddsUpWhatEachSinkLeftUndeliveredAndLaterCallsReturnTheSame() {
            EventTracker tracker = EventTracker.of(new PendingSink(2), new PendingSink(5));

            assertThat(tracker.close(Duration.ofMillis(10))).isEqualTo(new FlushResult(7));
            assertThat(tracker.close(Duration.ofMillis(10))).isEqualTo(new FlushResult(7));
        }

        @Test
        void aSinkWhoseCloseThrowsDoesNotKeepTheOtherOpen() {
            RecordingSink sim = new RecordingSink("sim");
            EventTracker tracker = EventTracker.of(new CloseThrowsSink(), sim);
            try (LogCapture log = LogCapture.capture(Level.WARN, EventTracker.class.getName())) {
                tracker.close();

                assertThat(sim.closeCalls()).isEqualTo(1);
                assertThat(log.lines(Level.WARN))
                        .containsExactly("Closing sink dev.eventsink.EventTrackerTest$CloseThrowsSink failed");
            }
        }

        @Test
        void whenTheSimSinkCannotBeCreatedTheUxSinkIsClosed() {
            String instance = UUID.randomUUID().toString();
            ConfigSource source = ConfigSource.fromMap(Map.of(
                    "UX_EVENT_SINK_TYPE", "alpha", "UX_EVENT_SINK_INSTANCE", instance,
                    "SIM_EVENT_SINK_TYPE", "exploding"));
            try {
                assertThatThrownBy(() -> EventTracker.create(source, ProviderClassLoader.of(Alpha.class, Exploding.class)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("Event sink provider 'exploding' (dev.eventsink.TestProviders$Exploding) failed to"
                                + " create the sink for SIM_EVENT_SINK_TYPE: java.lang.IllegalStateException: disk full");

                RecordingSink ux = TestProviders.CREATED.get(instance + "/UX");
                assertThat(ux).isNotNull();
                assertThat(ux.closeCalls()).isEqualTo(1);
            } finally {
                TestProviders.CREATED.keySet().removeIf(key -> key.startsWith(instance));
            }
        }

        @Test
        void whenTheUxSinkCannotBeCreatedNoSimSinkIsCreated() {
            String instance = UUID.randomUUID().toString();
            ConfigSource source = ConfigSource.fromMap(Map.of(
                    "UX_EVENT_SINK_TYPE", "nope",
                    "SIM_EVENT_SINK_TYPE", "alpha", "SIM_EVENT_SINK_INSTANCE", instance));
            try {
                assertThatThrownBy(() -> EventTracker.create(source, ProviderClassLoader.of(Alpha.class)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("Unknown event sink type 'nope' in UX_EVENT_SINK_TYPE. Available: alpha. Check the"
                                + " spelling, or add the jar that provides the type to the class path");
                assertThat(TestProviders.CREATED).doesNotContainKey(instance + "/SIM");
            } finally {
                TestProviders.CREATED.keySet().removeIf(key -> key.startsWith(instance));
            }
        }
    }

    @Nested
    class Logging {

        @Test
        void eachDispatchIsLoggedAtDebug() {
            EventTracker tracker = EventTracker.of(new RecordingSink("ux"), new RecordingSink("sim"));
            try (LogCapture log = LogCapture.capture(Level.DEBUG, EventTracker.class.getName())) {
                tracker.track(uxEvent);
                tracker.track(simEvent);

                assertThat(log.lines(Level.DEBUG)).containsExactly(
                        "dispatch ux_action " + UX_ID + " to UX sink RecordingSink{ux}",
                        "dispatch simulation_event " + SIM_ID + " to SIM sink RecordingSink{sim}");
            }
        }

        @Test
        void dispatchIsNotLoggedAboveDebug() {
            EventTracker tracker = EventTracker.of(new RecordingSink("ux"), new RecordingSink("sim"));
            try (LogCapture log = LogCapture.capture(Level.INFO, EventTracker.class.getName())) {
                tracker.track(uxEvent);

                assertThat(log.events()).isEmpty();
            }
        }
    }
}
