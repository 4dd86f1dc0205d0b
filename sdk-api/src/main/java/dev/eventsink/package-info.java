/**
 * The SDK's API: what applications use to record events, and what every sink is.
 *
 * <ul>
 *   <li>{@link dev.eventsink.Event} and {@link dev.eventsink.EventType}: the one schema of UX actions and
 *       simulation events; {@link dev.eventsink.EventJson} reads and writes its canonical JSON.</li>
 *   <li>{@link dev.eventsink.EventTracker}: the front door, which routes each event to the sink of its
 *       {@link dev.eventsink.Channel} and owns both sinks.</li>
 *   <li>{@link dev.eventsink.EventSink}: delivers events to one backend; its futures fail with a
 *       {@link dev.eventsink.DeliveryException} that says how and why; {@link dev.eventsink.SinkStats} accounts for
 *       every event.</li>
 *   <li>{@link dev.eventsink.EventSinkFactory}: creates a channel's sink from configuration
 *       ({@link dev.eventsink.ConfigSource}: the environment, then {@code .env}), finding the sink's provider with
 *       {@link java.util.ServiceLoader}.</li>
 * </ul>
 *
 * <p><b>Package dependencies.</b> {@code dev.eventsink.internal} depends on no other package of the SDK;
 * {@code dev.eventsink.export} (the batching toolkit) depends on this package and on {@code dev.eventsink.spi};
 * nothing depends on {@code export} but sinks. One pair of packages refers to each other, by necessity:
 * {@link dev.eventsink.spi.EventSinkProvider#create} returns an {@link dev.eventsink.EventSink}, and
 * {@link dev.eventsink.EventSinkFactory}, which must stay in this package, finds those providers. Only
 * {@code EventSinkFactory} and the classes it uses (the provider registry, the {@code .env} reader, which throws
 * {@link dev.eventsink.spi.ConfigurationException}) refer to {@code spi}; SLF4J's {@code LoggerFactory} and its
 * {@code spi} package stand in the same relation.
 */
package dev.eventsink;
