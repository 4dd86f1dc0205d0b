package dev.eventsink.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.eventsink.Channel;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.LogCapture;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class MockSinkProviderTest {

    private final MockSinkProvider provider = new MockSinkProvider();

    private MockSink create(Channel channel, Map<String, String> values) {
        EventSink sink = provider.create(SinkConfig.of(channel, values));
        assertThat(sink).isInstanceOf(MockSink.class);
        return (MockSink) sink;
    }

    @Test
    void typeIsMock() {
        assertThat(provider.type()).isEqualTo("mock").isEqualTo(MockSinkProvider.TYPE);
    }

    @Test
    void isRegisteredForServiceLoader() {
        assertThat(ServiceLoader.load(EventSinkProvider.class, MockSinkProviderTest.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::type))
                .contains(MockSinkProvider.class);
    }

    @Test
    void defaultsKeepTenThousandEventsNamedAfterTheChannel() {
        MockSink sink = create(Channel.SIM, Map.of("SIM_EVENT_SINK_TYPE", "mock"));

        assertThat(sink).hasToString("MockSink{SIM, capacity=10000, kept=0}");
    }

    @Test
    void capacityKeySetsHowManyEventsAreKept() {
        MockSink sink = create(Channel.UX, Map.of("UX_EVENT_SINK_TYPE", "mock", "UX_EVENT_SINK_CAPACITY", " 2 "));
        Event first = Event.uxAction().build();
        Event second = Event.uxAction().build();
        Event third = Event.uxAction().build();

        sink.sendEvent(first);
        sink.sendEvent(second);
        sink.sendEvent(third);

        assertThat(sink).hasToString("MockSink{UX, capacity=2, kept=2}");
        assertThat(sink.events()).containsExactly(second, third);
        assertThat(sink.evictedCount()).isEqualTo(1);
    }

    @Test
    void capacityThatIsNotANumberIsAConfigurationError() {
        assertThatThrownBy(() -> create(Channel.UX, Map.of("UX_EVENT_SINK_CAPACITY", "lots")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("UX_EVENT_SINK_CAPACITY='lots' is not a whole number; allowed: 1 to 10000000")
                .satisfies(e -> assertThat(((ConfigurationException) e).keys()).containsExactly("UX_EVENT_SINK_CAPACITY"));
    }

    @Test
    void capacityOutOfRangeIsAConfigurationError() {
        assertThatThrownBy(() -> create(Channel.SIM, Map.of("SIM_EVENT_SINK_CAPACITY", "0")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("SIM_EVENT_SINK_CAPACITY='0' is out of range; allowed: 1 to 10000000");
        assertThatThrownBy(() -> create(Channel.SIM, Map.of("SIM_EVENT_SINK_CAPACITY", "10000001")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("SIM_EVENT_SINK_CAPACITY='10000001' is out of range; allowed: 1 to 10000000");
    }

    @Test
    void failWithKeyMakesEveryEventFailWithThatReason() {
        MockSink sink = create(Channel.UX, Map.of("UX_EVENT_SINK_FAIL_WITH", "maintenance window"));

        assertThatThrownBy(() -> sink.sendEvent(Event.uxAction().build()).join())
                .isInstanceOf(CompletionException.class)
                .hasMessage("dev.eventsink.DeliveryException: rejected: maintenance window");
        assertThat(sink.events()).isEmpty();
        assertThat(sink.stats().failed()).isEqualTo(Map.of("maintenance window", 1L));
    }

    @Test
    void misspeltKeyIsWarnedAboutByName() {
        try (LogCapture log = LogCapture.capture(Level.WARN, ConfigReader.class.getName())) {
            create(Channel.UX, Map.of("UX_EVENT_SINK_TYPE", "mock", "UX_EVENT_SINK_CAPACTY", "5"));

            assertThat(log.lines(Level.WARN)).containsExactly(
                    "UX_EVENT_SINK_CAPACTY is not a key the 'mock' sink reads; it is ignored. Check its spelling.");
        }
    }
}
