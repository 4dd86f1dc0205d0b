package dev.eventsink.openobserve;

import dev.eventsink.Channel;
import dev.eventsink.EventSink;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.export.DeliveryPipeline;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.export.PipelineConfig;
import dev.eventsink.spi.SinkConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * Provides the {@code openobserve} sink: a {@link DeliveryPipeline} whose {@link OpenObserveExporter} POSTs
 * batches to {@code {URL}/api/{ORG}/{STREAM}/_json}. Keys, after the channel prefix:
 *
 * <table>
 *   <caption>OpenObserve keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>URL</td><td>required</td><td>the server's base URL, such as {@code http://localhost:5080}</td></tr>
 *   <tr><td>API_KEY</td><td>required</td><td>{@code email:passcode}, or the base64 Basic credential</td></tr>
 *   <tr><td>ORG</td><td>default</td><td>the organization</td></tr>
 *   <tr><td>STREAM</td><td>ux_events / simulation_events</td><td>the stream, per channel</td></tr>
 *   <tr><td>TIMESTAMP_MODE</td><td>event</td><td>{@code event}: {@code _timestamp} is the event's time;
 *       {@code ingestion}: OpenObserve stamps arrival time, the event's time stays in {@code event_time}</td></tr>
 *   <tr><td>COMPRESSION</td><td>gzip</td><td>{@code gzip} or {@code none}</td></tr>
 *   <tr><td>CONNECT_TIMEOUT</td><td>10s</td><td>TCP connect timeout</td></tr>
 *   <tr><td>REQUEST_TIMEOUT</td><td>30s</td><td>time for one request's answer</td></tr>
 * </table>
 * plus the pipeline keys of {@link PipelineConfig}.
 */
public final class OpenObserveSinkProvider implements EventSinkProvider {

    /** The type name: {@value}. */
    public static final String TYPE = "openobserve";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public EventSink create(SinkConfig config) {
        ConfigReader reader = config.reader();
        OpenObserveSettings settings = OpenObserveSettings.read(reader);
        PipelineConfig pipeline = PipelineConfig.read(reader);
        reader.validate();
        settings.warnAboutRenamedStream(config);
        settings.warnAboutPlainHttp(config);
        String name = config.channel().name().toLowerCase() + "-" + TYPE;
        return DeliveryPipeline.start(name, new OpenObserveExporter(settings, Clock.systemUTC(), name,
                config.key("API_KEY"), config.key("TIMESTAMP_MODE"), config.key("REQUEST_TIMEOUT")), pipeline);
    }

    /** The stream a channel uses when {@code STREAM} is unset. */
    static String defaultStream(Channel channel) {
        return channel == Channel.UX ? "ux_events" : "simulation_events";
    }

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
}
