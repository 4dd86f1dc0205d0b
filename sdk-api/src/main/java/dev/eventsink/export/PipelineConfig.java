package dev.eventsink.export;

import dev.eventsink.spi.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link DeliveryPipeline} queues, batches, retries and closes: read from a channel's keys (the table is in
 * the {@linkplain dev.eventsink.export package documentation}), or built.
 *
 * <pre>{@code
 * PipelineConfig config = PipelineConfig.read(reader);                       // a sink's provider
 * PipelineConfig fast = PipelineConfig.builder().linger(Duration.ZERO).build(); // a test
 * }</pre>
 *
 * <p>Immutable. A setting added later has a default, so that no caller breaks.
 */
public final class PipelineConfig {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final int batchSize;
    private final long batchBytes;
    private final Duration linger;
    private final int queueCapacity;
    private final long queueBytes;
    private final OverflowPolicy overflow;
    private final Duration blockTimeout;
    private final int exportThreads;
    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;
    private final Duration retryDeadline;
    private final Duration closeTimeout;
    private final boolean shutdownHook;
    private final long maxEventBytes;
    private final Path deadLetterFile;
    private final Path spoolDirectory;
    private final long spoolMaxBytes;
    private final FsyncPolicy spoolFsync;
    private final Duration spoolFsyncInterval;

    private PipelineConfig(Builder b) {
        this.batchSize = positive("batchSize", b.batchSize);
        this.batchBytes = positive("batchBytes", b.batchBytes);
        this.linger = Objects.requireNonNull(b.linger, "linger must not be null");
        this.queueCapacity = positive("queueCapacity", b.queueCapacity);
        this.queueBytes = positive("queueBytes", b.queueBytes);
        this.overflow = Objects.requireNonNull(b.overflow, "overflow must not be null");
        this.blockTimeout = Objects.requireNonNull(b.blockTimeout, "blockTimeout must not be null");
        this.exportThreads = positive("exportThreads", b.exportThreads);
        this.retryInitialBackoff = Objects.requireNonNull(b.retryInitialBackoff, "retryInitialBackoff must not be null");
        this.retryMaxBackoff = Objects.requireNonNull(b.retryMaxBackoff, "retryMaxBackoff must not be null");
        this.retryDeadline = Objects.requireNonNull(b.retryDeadline, "retryDeadline must not be null");
        this.closeTimeout = Objects.requireNonNull(b.closeTimeout, "closeTimeout must not be null");
        this.shutdownHook = b.shutdownHook;
        this.maxEventBytes = positive("maxEventBytes", b.maxEventBytes);
        this.deadLetterFile = b.deadLetterFile;
        this.spoolDirectory = b.spoolDirectory;
        this.spoolMaxBytes = positive("spoolMaxBytes", b.spoolMaxBytes);
        this.spoolFsync = Objects.requireNonNull(b.spoolFsync, "spoolFsync must not be null");
        this.spoolFsyncInterval = Objects.requireNonNull(b.spoolFsyncInterval, "spoolFsyncInterval must not be null");
        if (spoolDirectory != null && overflow == OverflowPolicy.DROP_OLDEST) {
            throw new IllegalArgumentException("overflow drop_oldest cannot be used with a spool: events on disk are"
                    + " never dropped to make room; use drop_newest or block");
        }
    }

    /** A builder holding the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The documented defaults. */
    public static PipelineConfig defaults() {
        return builder().build();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder()
                .batchSize(batchSize)
                .batchBytes(batchBytes)
                .linger(linger)
                .queueCapacity(queueCapacity)
                .queueBytes(queueBytes)
                .overflow(overflow)
                .blockTimeout(blockTimeout)
                .exportThreads(exportThreads)
                .retryInitialBackoff(retryInitialBackoff)
                .retryMaxBackoff(retryMaxBackoff)
                .retryDeadline(retryDeadline)
                .closeTimeout(closeTimeout)
                .shutdownHook(shutdownHook)
                .maxEventBytes(maxEventBytes)
                .deadLetterFile(deadLetterFile)
                .spoolDirectory(spoolDirectory)
                .spoolMaxBytes(spoolMaxBytes)
                .spoolFsync(spoolFsync)
                .spoolFsyncInterval(spoolFsyncInterval);
    }

    /**
     * Reads the pipeline keys, recording problems on {@code reader}; the caller calls
     * {@link ConfigReader#validate()} after reading its own keys too.
     */
    public static PipelineConfig read(ConfigReader reader) {
        PipelineConfig d = defaults();
        Duration zero = Duration.ZERO;
        Builder builder = builder()
                .batchSize(reader.integer("BATCH_SIZE", d.batchSize, 1, 100_000))
                .batchBytes(reader.bytes("BATCH_BYTES", d.batchBytes, KIB, 256 * MIB))
                .linger(reader.duration("LINGER", d.linger, zero, Duration.ofMinutes(5)))
                .queueCapacity(reader.integer("QUEUE_CAPACITY", d.queueCapacity, 1, 100_000_000))
                .queueBytes(reader.bytes("QUEUE_BYTES", d.queueBytes, KIB, 64L * 1024 * MIB))
                .overflow(reader.choice("OVERFLOW", d.overflow))
                .blockTimeout(reader.duration("BLOCK_TIMEOUT", d.blockTimeout, zero, Duration.ofMinutes(10)))
                .exportThreads(reader.integer("EXPORT_THREADS", d.exportThreads, 1, 16))
                .retryInitialBackoff(reader.duration("RETRY_INITIAL_BACKOFF", d.retryInitialBackoff,
                        Duration.ofMillis(1), Duration.ofMinutes(5)))
                .retryMaxBackoff(reader.duration("RETRY_MAX_BACKOFF", d.retryMaxBackoff, Duration.ofMillis(1),
                        Duration.ofHours(1)))
                .retryDeadline(reader.duration("RETRY_DEADLINE", d.retryDeadline, zero, Duration.ofDays(1)))
                .closeTimeout(reader.duration("CLOSE_TIMEOUT", d.closeTimeout, zero, Duration.ofHours(1)))
                .shutdownHook(reader.bool("SHUTDOWN_HOOK", d.shutdownHook))
                .maxEventBytes(reader.bytes("MAX_EVENT_BYTES", d.maxEventBytes, KIB, 64 * MIB))
                .deadLetterFile(reader.path("DEAD_LETTER_FILE", "a file path such as /var/log/app/dead-letters.ndjson"))
                .spoolDirectory(channelDirectory(reader, reader.path("SPOOL_DIR", "a directory path such as /var/spool/app")))
                .spoolMaxBytes(reader.bytes("SPOOL_MAX_BYTES", d.spoolMaxBytes, MIB, 1024L * 1024 * MIB))
                .spoolFsync(reader.choice("SPOOL_FSYNC", d.spoolFsync))
                .spoolFsyncInterval(reader.duration("SPOOL_FSYNC_INTERVAL", d.spoolFsyncInterval,
                        Duration.ofMillis(1), Duration.ofHours(1)));
        if (builder.spoolDirectory != null && builder.overflow == OverflowPolicy.DROP_OLDEST) {
            reader.invalid("OVERFLOW", "cannot be used with " + reader.config().key("SPOOL_DIR")
                    + ": events on disk are never dropped to make room", "allowed with a spool: drop_newest, block");
            builder.overflow(OverflowPolicy.DROP_NEWEST);
        }
        return builder.build();
    }

    /** {@code BATCH_SIZE}: events per request at most. */
    public int batchSize() {
        return batchSize;
    }

    /** {@code BATCH_BYTES}: JSON bytes per request at most; a single larger event still goes alone. */
    public long batchBytes() {
        return batchBytes;
    }

    /** {@code LINGER}: how long a batch waits to fill before it is sent anyway. */
    public Duration linger() {
        return linger;
    }

    /** {@code QUEUE_CAPACITY}: events waiting at most. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** {@code QUEUE_BYTES}: JSON bytes waiting at most. */
    public long queueBytes() {
        return queueBytes;
    }

    /** {@code OVERFLOW}: what happens to an event that finds the queue full. */
    public OverflowPolicy overflow() {
        return overflow;
    }

    /** {@code BLOCK_TIMEOUT}: with {@link OverflowPolicy#BLOCK}, how long a caller waits for room. */
    public Duration blockTimeout() {
        return blockTimeout;
    }

    /** {@code EXPORT_THREADS}: worker threads, each building and sending its own batches. */
    public int exportThreads() {
        return exportThreads;
    }

    /** {@code RETRY_INITIAL_BACKOFF}: the first wait after a retryable failure. */
    public Duration retryInitialBackoff() {
        return retryInitialBackoff;
    }

    /** {@code RETRY_MAX_BACKOFF}: the longest wait between attempts, {@code Retry-After} included. */
    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    /** {@code RETRY_DEADLINE}: how long a batch is retried before its events fail. */
    public Duration retryDeadline() {
        return retryDeadline;
    }

    /** {@code CLOSE_TIMEOUT}: how long {@code close()} waits for delivery. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** {@code SHUTDOWN_HOOK}: whether a JVM shutdown hook closes the sink. */
    public boolean shutdownHook() {
        return shutdownHook;
    }

    /** {@code MAX_EVENT_BYTES}: the largest event accepted, by the size of its JSON; larger ones are rejected. */
    public long maxEventBytes() {
        return maxEventBytes;
    }

    /** Each channel keeps its spool in a directory of its own under {@code SPOOL_DIR}: {@code ux} or {@code sim}. */
    private static Path channelDirectory(ConfigReader reader, Path spoolDir) {
        return spoolDir == null ? null : spoolDir.resolve(reader.config().channel().name().toLowerCase(Locale.ROOT));
    }

    /** {@code DEAD_LETTER_FILE}: where rejected events are appended as NDJSON, or {@code null} to log them only. */
    public Path deadLetterFile() {
        return deadLetterFile;
    }

    /**
     * Where the spool keeps undelivered events, or {@code null} for memory only: read from {@code SPOOL_DIR}, it is
     * the channel's directory under it, {@code SPOOL_DIR/ux} or {@code SPOOL_DIR/sim}.
     */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /** {@code SPOOL_MAX_BYTES}: the most bytes of events the spool holds. */
    public long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    /** {@code SPOOL_FSYNC}: when the spool forces what it wrote to the device. */
    public FsyncPolicy spoolFsync() {
        return spoolFsync;
    }

    /** {@code SPOOL_FSYNC_INTERVAL}: how often, with {@link FsyncPolicy#INTERVAL}. */
    public Duration spoolFsyncInterval() {
        return spoolFsyncInterval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelineConfig c && batchSize == c.batchSize && batchBytes == c.batchBytes
                && linger.equals(c.linger) && queueCapacity == c.queueCapacity && queueBytes == c.queueBytes
                && overflow == c.overflow && blockTimeout.equals(c.blockTimeout) && exportThreads == c.exportThreads
                && retryInitialBackoff.equals(c.retryInitialBackoff) && retryMaxBackoff.equals(c.retryMaxBackoff)
                && retryDeadline.equals(c.retryDeadline) && closeTimeout.equals(c.closeTimeout)
                && shutdownHook == c.shutdownHook && maxEventBytes == c.maxEventBytes
                && Objects.equals(deadLetterFile, c.deadLetterFile) && Objects.equals(spoolDirectory, c.spoolDirectory)
                && spoolMaxBytes == c.spoolMaxBytes && spoolFsync == c.spoolFsync
                && spoolFsyncInterval.equals(c.spoolFsyncInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchSize, batchBytes, linger, queueCapacity, queueBytes, overflow, blockTimeout,
                exportThreads, retryInitialBackoff, retryMaxBackoff, retryDeadline, closeTimeout, shutdownHook,
                maxEventBytes, deadLetterFile, spoolDirectory, spoolMaxBytes, spoolFsync, spoolFsyncInterval);
    }

    @Override
    public String toString() {
        return "PipelineConfig[batchSize=" + batchSize + ", batchBytes=" + batchBytes + ", linger="
                + ConfigReader.formatDuration(linger) + ", queueCapacity=" + queueCapacity + ", queueBytes="
                + queueBytes + ", overflow=" + overflow + ", blockTimeout=" + ConfigReader.formatDuration(blockTimeout)
                + ", exportThreads=" + exportThreads + ", retryInitialBackoff="
                + ConfigReader.formatDuration(retryInitialBackoff) + ", retryMaxBackoff="
                + ConfigReader.formatDuration(retryMaxBackoff) + ", retryDeadline="
                + ConfigReader.formatDuration(retryDeadline) + ", closeTimeout="
                + ConfigReader.formatDuration(closeTimeout) + ", shutdownHook=" + shutdownHook + ", maxEventBytes="
                + maxEventBytes + ", deadLetterFile=" + deadLetterFile + ", spoolDirectory=" + spoolDirectory
                + ", spoolMaxBytes=" + spoolMaxBytes + ", spoolFsync=" + spoolFsync + ", spoolFsyncInterval="
                + ConfigReader.formatDuration(spoolFsyncInterval) + "]";
    }

    private static int positive(String name, int value) {
        return (int) positive(name, (long) value);
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    /**
     * Builds a {@link PipelineConfig}, starting from the documented defaults. {@link #build()} checks that counts
     * and sizes are at least 1 and that nothing is null. Not thread-safe.
     */
    public static final class Builder {
        private int batchSize = 500;
        private long batchBytes = MIB;
        private Duration linger = Duration.ofSeconds(1);
        private int queueCapacity = 100_000;
        private long queueBytes = 64 * MIB;
        private OverflowPolicy overflow = OverflowPolicy.DROP_NEWEST;
        private Duration blockTimeout = Duration.ofSeconds(1);
        private int exportThreads = 2;
        private Duration retryInitialBackoff = Duration.ofMillis(200);
        private Duration retryMaxBackoff = Duration.ofSeconds(30);
        private Duration retryDeadline = Duration.ofMinutes(5);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private boolean shutdownHook;
        private long maxEventBytes = MIB;
        private Path deadLetterFile;
        private Path spoolDirectory;
        private long spoolMaxBytes = 256 * MIB;
        private FsyncPolicy spoolFsync = FsyncPolicy.INTERVAL;
        private Duration spoolFsyncInterval = Duration.ofSeconds(1);

        private Builder() {}

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder batchBytes(long batchBytes) {
            this.batchBytes = batchBytes;
            return this;
        }

        public Builder linger(Duration linger) {
            this.linger = linger;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder queueBytes(long queueBytes) {
            this.queueBytes = queueBytes;
            return this;
        }

        public Builder overflow(OverflowPolicy overflow) {
            this.overflow = overflow;
            return this;
        }

        public Builder blockTimeout(Duration blockTimeout) {
            this.blockTimeout = blockTimeout;
            return this;
        }

        public Builder exportThreads(int exportThreads) {
            this.exportThreads = exportThreads;
            return this;
        }

        public Builder retryInitialBackoff(Duration retryInitialBackoff) {
            this.retryInitialBackoff = retryInitialBackoff;
            return this;
        }

        public Builder retryMaxBackoff(Duration retryMaxBackoff) {
            this.retryMaxBackoff = retryMaxBackoff;
            return this;
        }

        public Builder retryDeadline(Duration retryDeadline) {
            this.retryDeadline = retryDeadline;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        public Builder maxEventBytes(long maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
            return this;
        }

        /** Where rejected events are appended as NDJSON; {@code null} (the default) logs them only. */
        public Builder deadLetterFile(Path deadLetterFile) {
            this.deadLetterFile = deadLetterFile;
            return this;
        }

        /** Where the spool keeps undelivered events; {@code null} (the default) keeps them in memory only. */
        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
            return this;
        }

        public Builder spoolMaxBytes(long spoolMaxBytes) {
            this.spoolMaxBytes = spoolMaxBytes;
            return this;
        }

        public Builder spoolFsync(FsyncPolicy spoolFsync) {
            this.spoolFsync = spoolFsync;
            return this;
        }

        public Builder spoolFsyncInterval(Duration spoolFsyncInterval) {
            this.spoolFsyncInterval = spoolFsyncInterval;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming a count or size below 1, or a spool with
         *     {@link OverflowPolicy#DROP_OLDEST}
         * @throws NullPointerException naming a duration or policy that is null
         */
        public PipelineConfig build() {
            return new PipelineConfig(this);
        }
    }
}
