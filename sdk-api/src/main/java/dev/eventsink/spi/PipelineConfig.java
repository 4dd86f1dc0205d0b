package dev.eventsink.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DeliveryPipeline} queues, batches, retries and closes. Read from a channel's keys with
 * {@link #read(ConfigReader)}; every key is optional:
 *
 * <table>
 *   <caption>Pipeline keys, after the channel prefix</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>BATCH_SIZE</td><td>500</td><td>events per request at most (1 to 100000)</td></tr>
 *   <tr><td>BATCH_BYTES</td><td>1MiB</td><td>estimated JSON bytes per request at most; a single larger event
 *       still goes alone</td></tr>
 *   <tr><td>LINGER</td><td>1s</td><td>how long a batch waits to fill before it is sent anyway</td></tr>
 *   <tr><td>QUEUE_CAPACITY</td><td>100000</td><td>events waiting at most</td></tr>
 *   <tr><td>QUEUE_BYTES</td><td>64MiB</td><td>estimated bytes waiting at most</td></tr>
 *   <tr><td>OVERFLOW</td><td>drop_newest</td><td>drop_newest, drop_oldest or block: see {@link OverflowPolicy}</td></tr>
 *   <tr><td>BLOCK_TIMEOUT</td><td>1s</td><td>with {@code block}, how long a caller waits for room</td></tr>
 *   <tr><td>EXPORT_THREADS</td><td>2</td><td>worker threads, each building and sending its own batches</td></tr>
 *   <tr><td>RETRY_INITIAL_BACKOFF</td><td>200ms</td><td>first wait after a retryable failure</td></tr>
 *   <tr><td>RETRY_MAX_BACKOFF</td><td>30s</td><td>longest wait between attempts, {@code Retry-After} included</td></tr>
 *   <tr><td>RETRY_DEADLINE</td><td>5m</td><td>how long a batch is retried before its events fail</td></tr>
 *   <tr><td>CLOSE_TIMEOUT</td><td>10s</td><td>how long {@code close()} waits for delivery</td></tr>
 *   <tr><td>SHUTDOWN_HOOK</td><td>false</td><td>close the sink from a JVM shutdown hook</td></tr>
 * </table>
 */
public record PipelineConfig(
        int batchSize,
        long batchBytes,
        Duration linger,
        int queueCapacity,
        long queueBytes,
        OverflowPolicy overflow,
        Duration blockTimeout,
        int exportThreads,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        Duration retryDeadline,
        Duration closeTimeout,
        boolean shutdownHook) {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    public PipelineConfig {
        positive("batchSize", batchSize);
        positive("batchBytes", batchBytes);
        positive("queueCapacity", queueCapacity);
        positive("queueBytes", queueBytes);
        positive("exportThreads", exportThreads);
        Objects.requireNonNull(linger, "linger must not be null");
        Objects.requireNonNull(overflow, "overflow must not be null");
        Objects.requireNonNull(blockTimeout, "blockTimeout must not be null");
        Objects.requireNonNull(retryInitialBackoff, "retryInitialBackoff must not be null");
        Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff must not be null");
        Objects.requireNonNull(retryDeadline, "retryDeadline must not be null");
        Objects.requireNonNull(closeTimeout, "closeTimeout must not be null");
    }

    /** The documented defaults. */
    public static PipelineConfig defaults() {
        return new PipelineConfig(500, MIB, Duration.ofSeconds(1), 100_000, 64 * MIB, OverflowPolicy.DROP_NEWEST,
                Duration.ofSeconds(1), 2, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofSeconds(10), false);
    }

    /**
     * Reads the pipeline keys, recording problems on {@code reader}; the caller calls
     * {@link ConfigReader#validate()} after reading its own keys too.
     */
    public static PipelineConfig read(ConfigReader reader) {
        PipelineConfig d = defaults();
        Duration zero = Duration.ZERO;
        return new PipelineConfig(
                reader.integer("BATCH_SIZE", d.batchSize, 1, 100_000),
                reader.bytes("BATCH_BYTES", d.batchBytes, KIB, 256 * MIB),
                reader.duration("LINGER", d.linger, zero, Duration.ofMinutes(5)),
                reader.integer("QUEUE_CAPACITY", d.queueCapacity, 1, 100_000_000),
                reader.bytes("QUEUE_BYTES", d.queueBytes, KIB, 64L * 1024 * MIB),
                reader.choice("OVERFLOW", d.overflow),
                reader.duration("BLOCK_TIMEOUT", d.blockTimeout, zero, Duration.ofMinutes(10)),
                reader.integer("EXPORT_THREADS", d.exportThreads, 1, 16),
                reader.duration("RETRY_INITIAL_BACKOFF", d.retryInitialBackoff, Duration.ofMillis(1), Duration.ofMinutes(5)),
                reader.duration("RETRY_MAX_BACKOFF", d.retryMaxBackoff, Duration.ofMillis(1), Duration.ofHours(1)),
                reader.duration("RETRY_DEADLINE", d.retryDeadline, zero, Duration.ofDays(1)),
                reader.duration("CLOSE_TIMEOUT", d.closeTimeout, zero, Duration.ofHours(1)),
                reader.bool("SHUTDOWN_HOOK", d.shutdownHook));
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
