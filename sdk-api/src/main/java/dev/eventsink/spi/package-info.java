/**
 * The plugin contract: what a sink implements and reads, and nothing else.
 *
 * <p>A sink ships as a jar with an {@link dev.eventsink.spi.EventSinkProvider}, registered in
 * {@code META-INF/services/dev.eventsink.spi.EventSinkProvider}, whose {@code type()} names it in
 * {@code *_EVENT_SINK_TYPE}. Its {@code create} reads the channel's keys from a {@link dev.eventsink.spi.SinkConfig}
 * through a {@link dev.eventsink.spi.ConfigReader}, which collects every problem and reports them together as one
 * {@link dev.eventsink.spi.ConfigurationException}. A sink that batches can reuse the delivery toolkit in
 * {@code dev.eventsink.export}.
 */
package dev.eventsink.spi;
