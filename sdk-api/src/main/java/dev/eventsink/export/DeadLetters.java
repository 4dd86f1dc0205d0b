package dev.eventsink.export;

import dev.eventsink.internal.ByteBuf;
import dev.eventsink.internal.Json;
import dev.eventsink.internal.RateLimitedLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a pipeline puts the events its backend rejected for good: each is logged at WARN on the logger
 * {@code dev.eventsink.export.DeadLetters}, with its reason and its canonical JSON, and, when
 * {@code DEAD_LETTER_FILE} is set, appended to that file as one NDJSON line that {@code eventsink replay} can
 * send again once the cause is fixed:
 *
 * <pre>{@code
 * {"deadLetteredAt":"2026-12-01T10:00:00.123Z","reason":"HTTP 400: …","sink":"ux-openobserve","event":{"id":…}}
 * }</pre>
 *
 * <p>Thread-safe. A file that cannot be written is logged, rate-limited, and never fails delivery.
 */
final class DeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String sink;
    private final Path file;
    private final Clock clock;
    private final RateLimitedLog writeErrors = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
    private final ByteBuf line = new ByteBuf(1024);
    private FileChannel channel;

    /** @param file the NDJSON file, or {@code null} to log only */
    DeadLetters(String sink, Path file, Clock clock) {
        this.sink = sink;
        this.file = file;
        this.clock = clock;
    }

    /** Records event {@code i} of {@code batch}, rejected for {@code reason}. */
    void add(EventBatch batch, int i, String reason) {
        byte[] event = batch.canonicalJson(i);
        if (LOG.isWarnEnabled()) {
            LOG.warn("{}: dead letter, rejected: {}: {}", sink, reason, new String(event, StandardCharsets.UTF_8));
        }
        if (file != null) {
            append(event, reason);
        }
    }

    private synchronized void append(byte[] event, String reason) {
        line.reset();
        Instant now = clock.instant();
        line.ascii("{\"deadLetteredAt\":");
        Json.writeTimestamp(line, now.getEpochSecond(), now.getNano());
        line.ascii(",\"reason\":");
        Json.writeString(line, reason);
        line.ascii(",\"sink\":");
        Json.writeString(line, sink);
        line.ascii(",\"event\":");
        line.write(event, 0, event.length);
        line.ascii("}\n");
        try {
            if (channel == null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.array(), 0, line.size());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            writeErrors.warn("{}: cannot append a dead letter to DEAD_LETTER_FILE {}: {}", sink, file, e.toString());
        } finally {
            line.reset(64 * 1024);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("{}: closing DEAD_LETTER_FILE {} failed: {}", sink, file, e.toString());
            }
            channel = null;
        }
    }
}
