package dev.eventsink.kafka;

import dev.eventsink.export.BatchExporter;
import dev.eventsink.export.EventBatch;
import dev.eventsink.export.ExportResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends each batch of the {@code kafka} sink's pipeline as records of one topic, and reports each record's outcome
 * once Kafka has acknowledged it or given up: what the {@link KafkaSinkProvider}'s pipeline calls.
 *
 * <pre>{@code
 * KafkaExporter exporter = new KafkaExporter(new KafkaProducer<>(settings.producerProperties(id)), settings);
 * ExportResult result = exporter.export(batch);   // delivered, rejected per record, or retry
 * }</pre>
 *
 * <p>Kafka's errors map onto the pipeline's outcomes: a record Kafka acknowledged is delivered; a record it refuses
 * for a reason that sending again will not change (too large, an invalid topic, a failed authorization) is rejected
 * with Kafka's reason; a retriable error (a timeout after Kafka's own retries, a leader moving, the broker down) is
 * retried by the pipeline, with backoff, until its {@code RETRY_DEADLINE}. Thread-safe, as the producer is.
 */
final class KafkaExporter implements BatchExporter {

    /** The header holding the event's type, as its wire name: {@code ux_action}. */
    static final String EVENT_TYPE_HEADER = "event_type";
    /** The header holding the version of the canonical JSON schema the value is written in. */
    static final String SCHEMA_VERSION_HEADER = "schema_version";
    /** The canonical JSON schema's version, as {@link #SCHEMA_VERSION_HEADER} carries it. */
    static final String SCHEMA_VERSION = "1";
    private static final byte[] SCHEMA_VERSION_BYTES = SCHEMA_VERSION.getBytes(StandardCharsets.US_ASCII);

    private final Producer<byte[], byte[]> producer;
    private final KafkaSettings settings;

    KafkaExporter(Producer<byte[], byte[]> producer, KafkaSettings settings) {
        this.producer = producer;
        this.settings = settings;
    }

    @Override
    public ExportResult export(EventBatch batch) throws InterruptedException {
        int size = batch.size();
        Exception[] failures = new Exception[size];
        CountDownLatch acknowledged = new CountDownLatch(size);
        long bytes = 0;
        int sent = 0;
        Exception stoppedBy = null;
        try {
            while (sent < size) {
                ProducerRecord<byte[], byte[]> record = record(settings.topic(), batch, sent);
                bytes += record.key().length + record.value().length;
                int index = sent;
                Future<?> future = producer.send(record, (metadata, e) -> {
                    failures[index] = e;
                    acknowledged.countDown();
                });
                sent++;
                if (future.isDone() && failures[index] instanceof RetriableException) {
                    // Failed before it was queued (no metadata, a full buffer, after max.block.ms): so would the rest.
                    stoppedBy = failures[index];
                    break;
                }
            }
            producer.flush();
        } catch (InterruptException e) {
            throw interrupted(e);
        } catch (KafkaException | IllegalStateException e) {
            // The producer refused the call itself (closed, or broken): nothing more of the batch goes out now.
            stoppedBy = e;
        }
        for (int i = sent; i < size; i++) {
            failures[i] = stoppedBy;
            acknowledged.countDown();
        }
        // Every queued record's callback has run once flush returned; the wait only orders the memory.
        acknowledged.await();
        return result(failures, bytes);
    }

    private static ExportResult result(Exception[] failures, long bytes) {
        int retriable = 0;
        String retryReason = null;
        boolean anyFailure = false;
        for (Exception failure : failures) {
            if (failure != null) {
                anyFailure = true;
                if (isRetriable(failure)) {
                    retriable++;
                    retryReason = retryReason == null ? reason(failure) : retryReason;
                }
            }
        }
        if (!anyFailure) {
            return ExportResult.delivered(bytes);
        }
        if (retriable == failures.length) {
            return ExportResult.retry(retryReason, null, bytes);
        }
        ExportResult.Builder result = ExportResult.perRecord(bytes);
        for (int i = 0; i < failures.length; i++) {
            Exception failure = failures[i];
            if (failure == null) {
                continue;
            }
            if (isRetriable(failure)) {
                // Sent again, in a batch of its own or with the others that failed so: retried until the deadline.
                result.isolate(i, reason(failure));
            } else {
                result.rejected(i, reason(failure));
            }
        }
        return result.build();
    }

    /**
     * Whether sending again may succeed: Kafka's retriable errors, and failures of the client itself (a producer
     * that cannot send now). Errors of the request or the record, which Kafka reports as non-retriable API errors
     * (too large, invalid, unauthorized), are not.
     */
    static boolean isRetriable(Exception failure) {
        return failure instanceof RetriableException || !(failure instanceof ApiException);
    }

    /** Kafka's reason, with the kind of error: {@code RecordTooLargeException: The message is 2097252 bytes …}. */
    static String reason(Exception failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /**
     * The record of event {@code i}: its canonical JSON as value; as key the session id, else the user id, else
     * the event id, so that a session's events stay in order on one partition; the type and schema version as
     * headers.
     */
    static ProducerRecord<byte[], byte[]> record(String topic, EventBatch batch, int i) {
        String key = batch.hasSessionId(i) ? batch.sessionId(i)
                : batch.hasUserId(i) ? batch.userId(i) : batch.id(i).toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_TYPE_HEADER, batch.eventType(i).wireName().getBytes(StandardCharsets.US_ASCII));
        headers.add(SCHEMA_VERSION_HEADER, SCHEMA_VERSION_BYTES);
        return new ProducerRecord<>(topic, null, null, key.getBytes(StandardCharsets.UTF_8), batch.canonicalJson(i),
                headers);
    }

    private static InterruptedException interrupted(InterruptException e) {
        Thread.interrupted(); // Kafka set the flag again; the pipeline learns it from the exception
        InterruptedException interrupted = new InterruptedException("interrupted while sending to Kafka");
        interrupted.initCause(e);
        return interrupted;
    }

    /**
     * Closes the producer at once: by now the pipeline has decided every event, and what Kafka still holds was
     * failed as undelivered at close.
     */
    @Override
    public void close() {
        producer.close(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "kafka{" + settings + "}";
    }
}
