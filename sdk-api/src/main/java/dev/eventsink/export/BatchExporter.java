package dev.eventsink.export;

import dev.eventsink.Event;
import java.util.List;

/**
 * Sends one batch of events to a backend and says what became of each: the only part a batching sink writes
 * itself. The {@link DeliveryPipeline} does the queueing, batching, retrying, splitting and accounting.
 *
 * <p>{@link #export} is called from the pipeline's worker threads, one batch per call, possibly concurrently
 * when the pipeline runs several workers; implementations must be thread-safe. It should not throw: a
 * {@link RuntimeException} is treated as a retryable failure with the exception as the reason.
 */
public interface BatchExporter extends AutoCloseable {

    /**
     * Encodes and sends {@code batch}, and reports each record's outcome by its index in the batch.
     *
     * @throws InterruptedException when the worker is interrupted because the sink is closing; the pipeline
     *                              then counts the batch as undelivered
     */
    ExportResult export(List<Event> batch) throws InterruptedException;

    /** Releases connections and threads. Called once, after the last {@link #export}. */
    @Override
    default void close() {}
}
