/**
 * Micrometer meters of the SDK's delivery statistics: {@link dev.eventsink.micrometer.EventSinkMetrics}, a
 * {@code MeterBinder} for an {@link dev.eventsink.EventTracker} or any {@link dev.eventsink.EventSink}.
 *
 * <p>Every meter is tagged {@code channel} ({@code ux} or {@code sim}), {@code sink} (the sink type) and any tags
 * given to the builder, and reads {@link dev.eventsink.SinkStats} when the registry asks:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>base unit</th><th>further tags</th><th>value</th></tr>
 *   <tr><td>{@code eventsink.events}</td><td>function counter</td><td>events</td>
 *       <td>{@code outcome=delivered, reason=none}</td><td>{@code delivered()}</td></tr>
 *   <tr><td>{@code eventsink.events}</td><td>function counter</td><td>events</td>
 *       <td>{@code outcome=failed, reason=rejected}</td><td>{@code rejected()}</td></tr>
 *   <tr><td>{@code eventsink.events}</td><td>function counter</td><td>events</td>
 *       <td>{@code outcome=failed, reason=undelivered}</td><td>{@code undelivered()}</td></tr>
 *   <tr><td>{@code eventsink.events}</td><td>function counter</td><td>events</td>
 *       <td>{@code outcome=dropped, reason=queue_full|event_too_large|interrupted|other}</td>
 *       <td>the {@code dropped()} counts whose reasons fall in that class</td></tr>
 *   <tr><td>{@code eventsink.queue.events}</td><td>gauge</td><td>events</td><td></td><td>{@code queued()}</td></tr>
 *   <tr><td>{@code eventsink.inflight.events}</td><td>gauge</td><td>events</td><td></td><td>{@code inFlight()}</td></tr>
 *   <tr><td>{@code eventsink.batches}</td><td>function counter</td><td>batches</td><td></td><td>{@code batches()}</td></tr>
 *   <tr><td>{@code eventsink.bytes.sent}</td><td>function counter</td><td>bytes</td><td></td><td>{@code bytesSent()}</td></tr>
 *   <tr><td>{@code eventsink.retries}</td><td>function counter</td><td>retries</td><td></td><td>{@code retried()}</td></tr>
 * </table>
 *
 * <p><b>Reasons are classes, never free text.</b> The SDK counts failures and drops by their message, which may
 * hold a backend's words or a value; a tag of it would grow without bound. Failures are classed as
 * {@link dev.eventsink.SinkStats} tells them apart: {@code rejected} (the backend refused the event) and
 * {@code undelivered} (the rest: the retry deadline passed, or the sink closed first); a sink that does not tell
 * the two apart reports every failure as {@code undelivered}. Drops are classed by the delivery pipeline's
 * reasons: {@code queue full (…)} is {@code queue_full} (so is {@code spool full (…)}: with a disk spool, the spool
 * is the queue), {@code event larger than QUEUE_BYTES} is
 * {@code event_too_large}, {@code interrupted while waiting for queue room (block)} is {@code interrupted}, and any
 * other (a plugin's) is {@code other}. Every class is registered from the start, at zero, so that alerts on a
 * rate see a series before the first failure. Delivered events carry {@code reason=none}, because Prometheus
 * needs every series of a name to have the same tag keys.
 *
 * <p>There is no export-latency timer: {@link dev.eventsink.SinkStats} does not measure latency.
 */
package dev.eventsink.micrometer;
