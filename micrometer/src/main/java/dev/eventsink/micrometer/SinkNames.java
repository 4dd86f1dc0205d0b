package dev.eventsink.micrometer;

import dev.eventsink.EventSink;
import dev.eventsink.export.DeliveryPipeline;
import java.util.Locale;
import java.util.Objects;

/**
 * The name a sink is tagged and shown with when its configured type is not known: for a {@link DeliveryPipeline},
 * its exporter's class name without {@code Exporter} ({@code OpenObserveExporter} is {@code openobserve}); otherwise
 * the sink's class name without {@code Sink} ({@code MockSink} is {@code mock}, {@code RecordingSink} is
 * {@code recording}); lowercased.
 *
 * <pre>{@code
 * SinkNames.of(tracker.sink(Channel.UX))   // "openobserve"
 * }</pre>
 *
 * <p>It uses no Micrometer class, so code without Micrometer may call it.
 */
public final class SinkNames {

    private SinkNames() {}

    /** The derived name of a sink. */
    public static String of(EventSink sink) {
        Objects.requireNonNull(sink, "sink must not be null");
        if (sink instanceof DeliveryPipeline pipeline && pipeline.exporter() != null) {
            return stripSuffix(pipeline.exporter().getClass().getSimpleName(), "Exporter");
        }
        return stripSuffix(sink.getClass().getSimpleName(), "Sink");
    }

    private static String stripSuffix(String simpleName, String suffix) {
        String name = simpleName.isEmpty() ? "anonymous" : simpleName;
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
            name = name.substring(0, name.length() - suffix.length());
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
