package dev.eventsink.mock;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.EventTracker;
import dev.eventsink.LogCapture;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mock sink, chosen by configuration alone, serves both channels of a tracker. */
class MockSinkTrackerTest {

    private static final ConfigSource BOTH_MOCK = ConfigSource.fromMap(Map.of(
            "UX_EVENT_SINK_TYPE", "mock", "SIM_EVENT_SINK_TYPE", " Mock "));

    @Test
    @SuppressWarnings("try") // the capture keeps the tracker's log lines out of the build output
    void trackerSendsEachKindToItsChannelsMock() {
        Event click = Event.uxAction().userId("u1").put("button", "buy").build();
        Event tick = Event.simulationEvent().put("tick", 1).build();
        try (LogCapture ignored = LogCapture.capture(Level.INFO, "dev.eventsink");
                EventTracker tracker = EventTracker.create(BOTH_MOCK)) {

            assertThat(tracker.track(click)).isCompletedWithValue(null);
            assertThat(tracker.track(tick)).isCompletedWithValue(null);

            MockSink ux = tracker.sink(Channel.UX, MockSink.class);
            MockSink sim = tracker.sink(Channel.SIM, MockSink.class);
            assertThat(ux).isNotSameAs(sim);
            assertThat(ux.events()).containsExactly(click);
            assertThat(sim.events()).containsExactly(tick);
            assertThat(tracker.stats(Channel.UX).delivered()).isEqualTo(1);
            assertThat(tracker.stats(Channel.SIM).delivered()).isEqualTo(1);
        }
    }

    @Test
    @SuppressWarnings("try") // the tracker is opened for the lines it logs
    void infoLinesSayTheMockServesBothChannels() {
        String location = MockSinkProvider.class.getProtectionDomain().getCodeSource().getLocation().toString();
        try (LogCapture log = LogCapture.capture(Level.INFO, EventSinkFactory.class.getName());
                EventTracker ignored = EventTracker.create(BOTH_MOCK)) {

            assertThat(log.lines(Level.INFO)).containsExactly(
                    "UX channel: event sink 'mock' from dev.eventsink.mock.MockSinkProvider (" + location
                            + "), configured from explicit configuration: MockSink{UX, capacity=10000, kept=0}",
                    "SIM channel: event sink 'mock' from dev.eventsink.mock.MockSinkProvider (" + location
                            + "), configured from explicit configuration: MockSink{SIM, capacity=10000, kept=0}");
        }
    }

    @Test
    void closingTheTrackerClosesBothMocks() {
        EventTracker tracker = EventTracker.create(BOTH_MOCK.orElse(ConfigSource.fromMap(Map.of())));
        MockSink ux = tracker.sink(Channel.UX, MockSink.class);
        MockSink sim = tracker.sink(Channel.SIM, MockSink.class);

        tracker.close();

        assertThat(ux).hasToString("MockSink{UX, capacity=10000, kept=0, closed}");
        assertThat(sim).hasToString("MockSink{SIM, capacity=10000, kept=0, closed}");
    }
}
