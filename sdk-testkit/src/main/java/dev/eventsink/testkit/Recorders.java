package dev.eventsink.testkit;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pair of recordings, one per channel, that sinks created from configuration can be pointed at: for testing
 * code that builds its own {@link dev.eventsink.EventTracker} from a {@link ConfigSource} and never hands it out.
 *
 * <pre>{@code
 * try (Recorders recorders = Recorders.open()) {
 *     Shop shop = new Shop(recorders.configSource());   // builds EventTracker.create(source) inside
 *     shop.checkout("u1");
 *     assertThat(recorders.ux()).hasReceived(1);
 * }
 * }</pre>
 *
 * <p>{@link #configSource()} sets {@code UX_EVENT_SINK_TYPE=recording} and
 * {@code UX_EVENT_SINK_RECORDER_ID=<id>} (and the same for {@code SIM_}). Every {@code recording} sink created
 * with that id records into this object's recording of its channel, so {@link #ux()} and {@link #sim()} see
 * what all of them received, however many trackers were built.
 *
 * <p>The id is a random UUID, so tests running in parallel never share a recording. Open instances are found by
 * id in a process-wide map, the one piece of global state in the testkit; {@link #close()} removes this one from
 * it (after which creating a sink with its id fails, naming the key). What was recorded stays readable after
 * close. Thread-safe.
 */
public final class Recorders implements AutoCloseable {

    /** The key suffix that names the recorders a {@code recording} sink records into: {@value}. */
    public static final String RECORDER_ID = "RECORDER_ID";

    private static final Map<String, Recorders> OPEN = new ConcurrentHashMap<>();

    private final String id;
    private final Recording uxRecording = new Recording();
    private final Recording simRecording = new Recording();
    private final RecordingSink ux;
    private final RecordingSink sim;

    private Recorders(String id) {
        this.id = id;
        this.ux = new RecordingSink("ux", uxRecording);
        this.sim = new RecordingSink("sim", simRecording);
    }

    /** Opens recorders with a new random id. */
    public static Recorders open() {
        Recorders recorders = new Recorders("recorders-" + UUID.randomUUID());
        OPEN.put(recorders.id, recorders);
        return recorders;
    }

    /** The open recorders with this id, or {@code null}. */
    static Recorders find(String id) {
        return OPEN.get(id);
    }

    /** The id that {@code *_EVENT_SINK_RECORDER_ID} carries. */
    public String id() {
        return id;
    }

    /** The recorder of the {@link Channel#UX} channel; its events are those of every UX sink created with this id. */
    public RecordingSink ux() {
        return ux;
    }

    /** The recorder of the {@link Channel#SIM} channel. */
    public RecordingSink sim() {
        return sim;
    }

    /** The recorder of a channel. */
    public RecordingSink recorder(Channel channel) {
        return Objects.requireNonNull(channel, "channel must not be null") == Channel.UX ? ux : sim;
    }

    /** A new sink that records into this channel's recording, as the {@code recording} provider creates it. */
    RecordingSink newSink(Channel channel) {
        return new RecordingSink(channel.name().toLowerCase(java.util.Locale.ROOT),
                channel == Channel.UX ? uxRecording : simRecording);
    }

    /**
     * The configuration keys that point both channels at these recorders:
     * {@code UX_EVENT_SINK_TYPE=recording}, {@code UX_EVENT_SINK_RECORDER_ID=<id>}, and the same for {@code SIM_}.
     */
    public Map<String, String> configuration() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            keys.put(channel.key("TYPE"), RecordingSinkProvider.TYPE);
            keys.put(channel.key(RECORDER_ID), id);
        }
        return Map.copyOf(keys);
    }

    /**
     * An explicit configuration source with {@link #configuration()}; to add keys, put yours first:
     * {@code ConfigSource.fromMap(Map.of("UX_EVENT_SINK_FAIL_WITH", "down")).orElse(recorders.configSource())}.
     */
    public ConfigSource configSource() {
        return ConfigSource.fromMap(configuration());
    }

    /** Forgets what both recorders received. */
    public void reset() {
        ux.reset();
        sim.reset();
    }

    /** Unregisters the id; recorded events stay readable. Idempotent. */
    @Override
    public void close() {
        OPEN.remove(id, this);
    }

    @Override
    public String toString() {
        return "Recorders{" + id + ", ux=" + ux.size() + " events, sim=" + sim.size() + " events"
                + (OPEN.get(id) == this ? "" : ", closed") + "}";
    }
}
