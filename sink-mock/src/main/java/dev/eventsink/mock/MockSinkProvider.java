package dev.eventsink.mock;

import dev.eventsink.EventSink;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;

/**
 * Provides the {@code mock} sink. Keys, with the channel's prefix:
 * <ul>
 *   <li>{@code CAPACITY}: how many events the sink keeps, 1 to 10,000,000; default 10,000;</li>
 *   <li>{@code FAIL_WITH}: when set, every event fails with this reason (for testing failure handling).</li>
 * </ul>
 * For example {@code UX_EVENT_SINK_TYPE=mock} with {@code UX_EVENT_SINK_CAPACITY=1000}.
 */
public final class MockSinkProvider implements EventSinkProvider {

    /** The type name: {@value}. */
    public static final String TYPE = "mock";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public EventSink create(SinkConfig config) {
        ConfigReader reader = config.reader();
        int capacity = reader.integer("CAPACITY", MockSink.DEFAULT_CAPACITY, 1, 10_000_000);
        String failWith = reader.string("FAIL_WITH", null);
        reader.validate();
        MockSink sink = new MockSink(config.channel().name(), capacity);
        if (failWith != null) {
            sink.failAll(failWith);
        }
        return sink;
    }
}
