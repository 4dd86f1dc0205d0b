/**
 * The {@code kafka} sink plugin: each event becomes one record of a Kafka topic, written by Apache Kafka's own
 * producer ({@code org.apache.kafka:kafka-clients}), through the SDK's delivery pipeline.
 *
 * <h2>Keys</h2>
 * After the channel's prefix ({@code UX_EVENT_SINK_} or {@code SIM_EVENT_SINK_}):
 * <table>
 *   <caption>kafka keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>BOOTSTRAP_SERVERS</td><td>required</td><td>{@code host:port} pairs separated by commas</td></tr>
 *   <tr><td>TOPIC</td><td>ux_events / simulation_events</td><td>the topic, per channel</td></tr>
 *   <tr><td>API_KEY</td><td>unset</td><td>{@code user:password} for SASL/PLAIN</td></tr>
 *   <tr><td>SECURITY_PROTOCOL</td><td>sasl_ssl with an API key, else plaintext</td><td>plaintext, ssl,
 *       sasl_plaintext or sasl_ssl</td></tr>
 *   <tr><td>COMPRESSION</td><td>lz4</td><td>none, gzip, snappy, lz4 or zstd</td></tr>
 *   <tr><td>KAFKA_&lt;setting&gt;</td><td></td><td>any setting of Kafka's producer, over the sink's own:
 *       {@code UX_EVENT_SINK_KAFKA_linger.ms=20}, or {@code UX_EVENT_SINK_KAFKA_LINGER_MS=20} where the
 *       environment allows no dots</td></tr>
 * </table>
 * plus the pipeline's keys ({@link dev.eventsink.export.PipelineConfig}), of which {@code EXPORT_THREADS} defaults to
 * 1 here: one thread sends the batches in order, so that a session's events reach their partition in order.
 *
 * <h2>Records</h2>
 * The value is the event's canonical JSON ({@link dev.eventsink.EventJson}); the key is the session id, else the
 * user id, else the event id; the headers {@code event_type} (the wire name) and {@code schema_version}
 * ({@code 1}).
 *
 * <h2>Guarantees</h2>
 * The producer is idempotent with {@code acks=all}; a future completes once Kafka acknowledged its record. Kafka
 * retries retriable errors itself within one attempt ({@code delivery.timeout.ms}, the sink's {@code RETRY_DEADLINE}
 * capped at 2 minutes); the pipeline then retries with backoff until {@code RETRY_DEADLINE}, and fails the events as
 * {@code UNDELIVERED}. A record Kafka refuses for good (too large, an invalid topic, no authorization) is
 * {@code REJECTED} with Kafka's reason. Kafka's own buffer sits behind the pipeline's queue: while Kafka takes
 * nothing, the queue fills and {@code OVERFLOW} decides.
 */
package dev.eventsink.kafka;
