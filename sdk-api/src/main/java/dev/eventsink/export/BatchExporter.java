package dev.eventsink.export;

/**
 * Sends one batch of events to a backend and says what became of each: the only part a batching sink writes
 * itself. The {@link DeliveryPipeline} does the queueing, batching, retrying, splitting and accounting.
 *
 * <pre>{@code
 * final class MyExporter implements BatchExporter {
 *     public ExportResult export(EventBatch batch) throws InterruptedException {
 *         byte[] body = encode(batch);            // batch.writeCanonicalJson(i, out) for each i, say
 *         int status = post(body);
 *         return status == 200 ? ExportResult.delivered(body.length)
 *                 : ExportResult.retry("backend answered " + status, null, body.length);
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #export} is called from the pipeline's worker threads, one batch per call, possibly concurrently when
 * the pipeline runs several workers: implementations must be thread-safe. The batch is valid only during the call.
 * Report transient failures as {@link ExportResult#retry}. An exception is treated as a problem with the batch's
 * events: the pipeline splits the batch until the event that makes the exporter throw stands alone, and rejects it
 * with the exception as the reason.
 */
public interface BatchExporter extends AutoCloseable {

    /**
     * Encodes and sends {@code batch}, and reports each event's outcome by its index in the batch.
     *
     * @throws InterruptedException when the worker is interrupted because the sink is closing; the pipeline
     *                              then counts the batch as undelivered
     */
    ExportResult export(EventBatch batch) throws InterruptedException;

    /** Releases connections and threads. Called once, after the last {@link #export}. */
    @Override
    default void close() {}
}
