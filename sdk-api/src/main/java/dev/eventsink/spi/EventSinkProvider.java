package dev.eventsink.spi;

import dev.eventsink.EventSink;

/**
 * Creates event sinks of one type. This is the plugin contract: a sink ships as a jar with an implementation
 * of this interface, registered in {@code META-INF/services/dev.eventsink.spi.EventSinkProvider}, and
 * is chosen at run time when {@code UX_EVENT_SINK_TYPE} or {@code SIM_EVENT_SINK_TYPE} names its
 * {@link #type()}.
 *
 * <pre>{@code
 * public final class MySinkProvider implements EventSinkProvider {
 *     public String type() { return "mysink"; }                       // UX_EVENT_SINK_TYPE=mysink
 *     public EventSink create(SinkConfig config) {
 *         ConfigReader reader = config.reader();
 *         String path = reader.required("PATH", "the file events go to");   // UX_EVENT_SINK_PATH
 *         reader.validate();
 *         return new MySink(Path.of(path));
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations are stateless, have a public no-argument constructor, and are thread-safe.
 */
public interface EventSinkProvider {

    /**
     * The sink type this provider serves: lowercase, non-blank, unique on the class path, for example
     * {@code openobserve}. Users select it with {@code *_EVENT_SINK_TYPE}; matching ignores case.
     */
    String type();

    /**
     * Creates a sink for one channel. Reads its keys from {@code config} and validates all of them before
     * starting anything.
     *
     * @throws ConfigurationException when the configuration is invalid, naming every offending key
     */
    EventSink create(SinkConfig config);
}
