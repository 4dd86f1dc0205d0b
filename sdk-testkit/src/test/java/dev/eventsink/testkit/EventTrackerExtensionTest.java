package dev.eventsink.testkit;

import static dev.eventsink.testkit.EventAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.EventType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

@ExtendWith(EventTrackerExtension.class)
class EventTrackerExtensionTest {

    private EventTracker trackerOfBeforeEach;
    private RecordingSink uxOfBeforeEach;

    @BeforeEach
    void keep(EventTracker tracker, @Ux RecordingSink ux) {
        trackerOfBeforeEach = tracker;
        uxOfBeforeEach = ux;
    }

    @Test
    void theTrackerRoutesEachTypeToItsRecorder(EventTracker tracker, @Ux RecordingSink ux, @Sim RecordingSink sim) {
        tracker.track(Event.uxAction().userId("u1").put("button", "buy").build());
        tracker.track(Event.simulationEvent().put("tick", 1).build());

        assertThat(ux).singleEvent().hasType(EventType.UX_ACTION).hasUserId("u1");
        assertThat(sim).singleEvent().hasType(EventType.SIMULATION_EVENT).hasPayloadEntry("tick", 1);
        assertThat(ux.name()).isEqualTo("ux");
        assertThat(sim.name()).isEqualTo("sim");
    }

    @Test
    void theTrackerWasBuiltFromConfigurationWithRecordingSinks(EventTracker tracker, @Ux RecordingSink ux) {
        tracker.track(Event.uxAction().build());

        RecordingSink trackers = tracker.sink(Channel.UX, RecordingSink.class);
        assertThat(trackers.events()).isEqualTo(ux.events()).hasSize(1);
    }

    @Test
    void beforeEachMethodsGetTheSameTrackerAndRecorders(EventTracker tracker, @Ux RecordingSink ux) {
        assertThat(trackerOfBeforeEach).isSameAs(tracker);
        assertThat(uxOfBeforeEach).isSameAs(ux);
    }

    @Test
    void theConfigurationBuildsTrackersThatRecordIntoTheSameRecorders(ConfigSource config, Recorders recorders,
            @Ux RecordingSink ux) {
        try (EventTracker own = EventTracker.create(config)) {
            own.track(Event.uxAction().userId("built-by-the-code-under-test").build());
        }

        assertThat(ux).singleEvent().hasUserId("built-by-the-code-under-test");
        assertThat(recorders.ux()).isSameAs(ux);
        assertThat(config.get("UX_EVENT_SINK_RECORDER_ID")).contains(recorders.id());
        assertThat(config.get("UX_EVENT_SINK_TYPE")).contains("recording");
    }

    @Test
    void theProcessEnvironmentIsNeverRead(ConfigSource config) {
        assertThat(config.keys()).containsExactlyInAnyOrder("UX_EVENT_SINK_TYPE", "UX_EVENT_SINK_RECORDER_ID",
                "SIM_EVENT_SINK_TYPE", "SIM_EVENT_SINK_RECORDER_ID");
        assertThat(config.origin("UX_EVENT_SINK_TYPE")).isEqualTo("explicit configuration");
    }

    /** Runs {@link Sample} on its own, with the JUnit Platform, and inspects what happened. */
    @Nested
    class AroundEachTest {

        @Test
        void eachTestGetsItsOwnRecordersAndItsTrackerIsClosedAfterIt() {
            EngineExecutionResults results = run(Sample.class);

            assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
            assertThat(Sample.trackers).hasSize(2);
            assertThat(Sample.recorders).hasSize(2);
            assertThat(Sample.recorders.get(0).id()).isNotEqualTo(Sample.recorders.get(1).id());
            for (EventTracker tracker : Sample.trackers) {
                assertThatThrownBy(() -> tracker.track(Event.uxAction().build()).join())
                        .hasCauseInstanceOf(DeliveryException.class)
                        .hasMessageContaining("undelivered: tracker is closed");
            }
            for (Recorders recorders : Sample.recorders) {
                assertThat(recorders.toString()).endsWith(", closed}");
                assertThat(recorders.ux().events()).hasSize(1);
            }
        }

        @Test
        void aRecordingSinkParameterMustSayItsChannel() {
            EngineExecutionResults results = run(Unannotated.class);

            assertThat(results.testEvents().failed().list()).singleElement().satisfies(event -> assertThat(
                    event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow())
                    .hasMessageStartingWith("The RecordingSink parameter 'arg0' of ")
                    .hasMessageEndingWith(" must be annotated with @Ux or @Sim to say which channel it records"));
        }
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        running = true;
        try {
            return EngineTestKit.engine("junit-jupiter")
                    .enableImplicitConfigurationParameters(false)
                    .selectors(selectClass(testClass))
                    .execute();
        } finally {
            running = false;
        }
    }

    static volatile boolean running;

    static boolean sampleRunUnderWay() {
        return running;
    }

    @EnabledIf("dev.eventsink.testkit.EventTrackerExtensionTest#sampleRunUnderWay")
    @ExtendWith(EventTrackerExtension.class)
    static class Sample {
        static final List<EventTracker> trackers = new CopyOnWriteArrayList<>();
        static final List<Recorders> recorders = new CopyOnWriteArrayList<>();

        @Test
        void first(EventTracker tracker, Recorders recorders, @Ux RecordingSink ux) {
            record(tracker, recorders, ux);
        }

        @Test
        void second(EventTracker tracker, Recorders recorders, @Ux RecordingSink ux) {
            record(tracker, recorders, ux);
        }

        private static void record(EventTracker tracker, Recorders recorders, RecordingSink ux) {
            assertThat(ux).hasReceivedNothing();
            tracker.track(Event.uxAction().build());
            Sample.trackers.add(tracker);
            Sample.recorders.add(recorders);
        }
    }

    @EnabledIf("dev.eventsink.testkit.EventTrackerExtensionTest#sampleRunUnderWay")
    @ExtendWith(EventTrackerExtension.class)
    static class Unannotated {
        @Test
        void test(RecordingSink recorder) {
            recorder.events();
        }
    }
}
