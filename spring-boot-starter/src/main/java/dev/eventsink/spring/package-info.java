/**
 * Spring Boot auto-configuration of the SDK: an {@link dev.eventsink.EventTracker} bean built from the
 * {@code eventsink.ux.*} and {@code eventsink.sim.*} properties, its meters, its health and its shutdown.
 *
 * <ul>
 *   <li>{@link dev.eventsink.spring.EventSinkAutoConfiguration}: the tracker (unless the application defines one)
 *       and {@link dev.eventsink.spring.EventTrackerLifecycle}, which closes it after the web server's graceful
 *       shutdown, within each sink's {@code CLOSE_TIMEOUT}.</li>
 *   <li>{@link dev.eventsink.spring.EventSinkMetricsAutoConfiguration}: the
 *       {@link dev.eventsink.micrometer.EventSinkMetrics} binder, when a Micrometer {@code MeterRegistry} exists.</li>
 *   <li>{@link dev.eventsink.spring.EventSinkHealthAutoConfiguration}: the {@code eventsink} health contributor,
 *       {@link dev.eventsink.spring.EventSinkHealthIndicator}, when Actuator's health support is present.</li>
 *   <li>{@link dev.eventsink.spring.EventSinkEnvironmentPostProcessor}: the environment's {@code UX_EVENT_SINK_*}
 *       and {@code SIM_EVENT_SINK_*} variables, and {@code .env}, as properties.</li>
 *   <li>{@link dev.eventsink.spring.EventSinkFailureAnalyzer}: invalid configuration as Spring Boot's start-up
 *       failure report, naming each property.</li>
 * </ul>
 *
 * <p><b>Properties are the SDK's keys.</b> {@code eventsink.<channel>.<key>} is {@code <CHANNEL>_EVENT_SINK_<KEY>}
 * with the key in kebab case: {@code eventsink.ux.batch-size} is {@code UX_EVENT_SINK_BATCH_SIZE}, any other key
 * (a plugin's) maps the same way. Values reach the SDK as text, unconverted, so the SDK validates them and its
 * messages (with the property named instead of the key) are the ones an application sees. Spring's relaxed binding
 * applies: {@code batchSize}, {@code batch_size} and the environment variable {@code EVENTSINK_UX_BATCHSIZE} all set
 * {@code eventsink.ux.batch-size}. The tracker reads them once, when it is created.
 *
 * <p><b>Precedence</b>, highest first: Spring's own sources above environment variables (command-line arguments,
 * system properties, test properties); environment variables, Spring's form ({@code EVENTSINK_UX_BATCHSIZE}) before
 * the SDK's ({@code UX_EVENT_SINK_BATCH_SIZE}); {@code application.properties} and {@code application.yaml}; the SDK
 * keys in {@code .env} in the working directory; the SDK's defaults.
 *
 * <p>The configuration metadata ({@code META-INF/spring-configuration-metadata.json}) is written by hand and kept
 * complete by a test that compares it with the keys the SDK's sinks read and with their defaults.
 */
package dev.eventsink.spring;
