package dev.eventsink.export;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link SpoolProvider} opens a spool with: read from a channel's {@code SPOOL_*} keys by
 * {@link PipelineConfig#read}.
 *
 * <pre>{@code
 * Spool spool = provider.open(new SpoolSettings(Path.of("/var/spool/app/ux"), 256L << 20,
 *         FsyncPolicy.INTERVAL, Duration.ofSeconds(1), "ux-openobserve"));
 * }</pre>
 *
 * @param directory     the directory the spool keeps its files in; created when missing
 * @param maxBytes      the most bytes of records the spool holds
 * @param fsync         when what was written is forced to the device
 * @param fsyncInterval how often, with {@link FsyncPolicy#INTERVAL}
 * @param name          names the spool in logs and thread names, as the pipeline's name
 */
public record SpoolSettings(Path directory, long maxBytes, FsyncPolicy fsync, Duration fsyncInterval, String name) {

    public SpoolSettings {
        Objects.requireNonNull(directory, "directory must not be null");
        Objects.requireNonNull(fsync, "fsync must not be null");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval must not be null");
        Objects.requireNonNull(name, "name must not be null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
    }
}
