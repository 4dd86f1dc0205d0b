/**
 * The batching toolkit a sink may reuse: a {@link dev.eventsink.export.DeliveryPipeline} queues events, batches
 * them, and hands each batch to the sink's {@link dev.eventsink.export.BatchExporter}, which sends it and reports
 * each record's outcome in an {@link dev.eventsink.export.ExportResult}; the pipeline retries, splits and accounts
 * for every event.
 *
 * <h2>Configuration</h2>
 * {@link dev.eventsink.export.PipelineConfig#read} reads these keys, after the channel prefix; every key is
 * optional:
 *
 * <table>
 *   <caption>Pipeline keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>BATCH_SIZE</td><td>500</td><td>events per request at most (1 to 100000)</td></tr>
 *   <tr><td>BATCH_BYTES</td><td>1MiB</td><td>JSON bytes per request at most, before compression, each event
 *       counted at an upper bound of its encoded size; a single larger event still goes alone</td></tr>
 *   <tr><td>LINGER</td><td>1s</td><td>how long a batch waits to fill before it is sent anyway</td></tr>
 *   <tr><td>QUEUE_CAPACITY</td><td>100000</td><td>events waiting at most</td></tr>
 *   <tr><td>QUEUE_BYTES</td><td>64MiB</td><td>JSON bytes waiting at most, counted as for BATCH_BYTES</td></tr>
 *   <tr><td>OVERFLOW</td><td>drop_newest</td><td>drop_newest, drop_oldest or block: see
 *       {@link dev.eventsink.export.OverflowPolicy}</td></tr>
 *   <tr><td>BLOCK_TIMEOUT</td><td>1s</td><td>with {@code block}, how long a caller waits for room</td></tr>
 *   <tr><td>EXPORT_THREADS</td><td>2</td><td>worker threads, each building and sending its own batches</td></tr>
 *   <tr><td>RETRY_INITIAL_BACKOFF</td><td>200ms</td><td>first wait after a retryable failure</td></tr>
 *   <tr><td>RETRY_MAX_BACKOFF</td><td>30s</td><td>longest wait between attempts, {@code Retry-After}
 *       included</td></tr>
 *   <tr><td>RETRY_DEADLINE</td><td>5m</td><td>how long a batch is retried before its events fail</td></tr>
 *   <tr><td>CLOSE_TIMEOUT</td><td>10s</td><td>how long {@code close()} waits for delivery</td></tr>
 *   <tr><td>SHUTDOWN_HOOK</td><td>false</td><td>close the sink from a JVM shutdown hook</td></tr>
 *   <tr><td>MAX_EVENT_BYTES</td><td>1MiB</td><td>the largest event accepted, by its encoded size; a larger one
 *       fails at once as rejected</td></tr>
 *   <tr><td>DEAD_LETTER_FILE</td><td>unset</td><td>NDJSON file that rejected events are appended to, besides the
 *       log</td></tr>
 *   <tr><td>SPOOL_DIR</td><td>unset</td><td>keep undelivered events in a disk {@link dev.eventsink.export.Spool},
 *       in the channel's directory under it ({@code ux} or {@code sim}); needs a
 *       {@link dev.eventsink.export.SpoolProvider} on the class path</td></tr>
 *   <tr><td>SPOOL_MAX_BYTES</td><td>256MiB</td><td>the most the spool holds</td></tr>
 *   <tr><td>SPOOL_FSYNC</td><td>interval</td><td>interval, always or never: see
 *       {@link dev.eventsink.export.FsyncPolicy}</td></tr>
 *   <tr><td>SPOOL_FSYNC_INTERVAL</td><td>1s</td><td>how often, with interval</td></tr>
 * </table>
 *
 * <h2>Guarantees</h2>
 * Every event ends delivered, failed or dropped, and {@link dev.eventsink.SinkStats} shows which:
 * {@code accepted + recovered == delivered + failed + dropped} once the sink is idle. The caller's thread never does I/O and
 * never waits, unless the overflow policy is {@code block}. Retries pause the whole sink for an exponential
 * backoff with full jitter, at least the backend's {@code Retry-After}, capped at {@code RETRY_MAX_BACKOFF}; when
 * the next attempt would come after the batch's {@code RETRY_DEADLINE}, its events fail as undelivered. Records
 * the exporter reports as {@code isolate} are split into halves and sent again until each bad record stands alone
 * and fails with the backend's reason, and becomes a dead letter. No failure inside a worker's loop stops delivery,
 * and a worker that dies anyway is replaced.
 *
 * <h2>With a spool</h2>
 * When {@code SPOOL_DIR} is set, the queue's records live in the spool's files instead of memory, so the queue's
 * bounds are the spool's size: an event is appended to the spool before {@code sendEvent} returns (and forced to
 * the device first with {@code SPOOL_FSYNC=always}), a batch is released from the spool once each of its events is
 * settled, and batches are retried without a deadline. What the spool holds at start is delivered first; those
 * events are counted in {@link dev.eventsink.SinkStats#recovered()}. Events that {@code close} fails stay in the
 * spool for the next start. Delivery is at least once.
 */
package dev.eventsink.export;
