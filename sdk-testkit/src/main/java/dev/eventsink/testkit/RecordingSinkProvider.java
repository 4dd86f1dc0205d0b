package dev.eventsink.testkit;

import dev.eventsink.EventSink;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;

/**
 * Provides the {@code recording} sink, so that code which builds its tracker from configuration can be tested
 * unchanged: {@code UX_EVENT_SINK_TYPE=recording}. Keys, after the channel prefix, all optional:
 *
 * <table>
 *   <caption>Recording keys</caption>
 *   <tr><th>key</th><th>meaning</th></tr>
 *   <tr><td>RECORDER_ID</td><td>the {@link Recorders#id()} of open {@link Recorders} to record into; when unset,
 *       the sink has a recording of its own, reachable with {@code tracker.sink(Channel.UX, RecordingSink.class)}</td></tr>
 *   <tr><td>FAIL_WITH</td><td>when set, every event fails with this reason (see {@link RecordingSink#failAll})</td></tr>
 *   <tr><td>URL, API_KEY</td><td>read and ignored, so that a configuration written for another sink switches to
 *       recording by its {@code TYPE} alone</td></tr>
 * </table>
 *
 * Stateless and thread-safe.
 */
public final class RecordingSinkProvider implements EventSinkProvider {

    /** The type name: {@value}. */
    public static final String TYPE = "recording";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public EventSink create(SinkConfig config) {
        ConfigReader reader = config.reader();
        String id = reader.string(Recorders.RECORDER_ID, null);
        String failWith = reader.string("FAIL_WITH", null);
        reader.string("URL", null);
        reader.string("API_KEY", null);
        Recorders recorders = id == null ? null : Recorders.find(id);
        if (id != null && recorders == null) {
            reader.invalid(Recorders.RECORDER_ID, "names no open Recorders",
                    "allowed: the id of an open dev.eventsink.testkit.Recorders, as its configSource() sets it");
        }
        reader.validate();
        String name = config.channel().name().toLowerCase(java.util.Locale.ROOT);
        RecordingSink sink = recorders != null ? recorders.newSink(config.channel()) : new RecordingSink(name);
        if (failWith != null) {
            sink.failAll(failWith);
        }
        return sink;
    }
}
