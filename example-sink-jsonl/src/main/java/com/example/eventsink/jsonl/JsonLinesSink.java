package com.example.eventsink.jsonl;

import dev.eventsink.DeliveryException;
import dev.eventsink.DeliveryException.Outcome;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event to a file as one line of canonical JSON ({@link EventJson}), the format {@code jq} and most
 * log shippers read. Created by {@link JsonLinesSinkProvider} from {@code *_EVENT_SINK_PATH}, for example
 * {@code UX_EVENT_SINK_TYPE=jsonl} with {@code UX_EVENT_SINK_PATH=/var/log/app/ux-events.jsonl}.
 *
 * <ul>
 *   <li><b>Delivery</b>: {@link #sendEvent} writes the line on the caller's thread, with one append, and
 *       completes the future once the line is in the file (the operating system's cache); {@link FsyncPolicy}
 *       says when it is forced to the disk. There is no queue and no thread.</li>
 *   <li><b>Bounded</b>: the file never grows past {@code maxFileSize} bytes; an event that would take it past
 *       fails with {@link Outcome#REJECTED} and a reason naming the key to raise. A write error (a full disk)
 *       fails the event with {@link Outcome#UNDELIVERED} and the error; should it leave part of a line, the next
 *       line starts on a new line, so that one line alone is broken.</li>
 *   <li><b>Thread-safe</b>: writes are serialized, so lines never interleave. Both channels may share a file:
 *       the file is opened for appending, and each line is written by one {@code write} call.</li>
 *   <li>{@link #close()} forces the file to disk (unless {@link FsyncPolicy#NEVER}) and closes it; it is
 *       idempotent, and events sent after it fail with {@link Outcome#UNDELIVERED}.</li>
 * </ul>
 */
public final class JsonLinesSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);
    private static final byte NEWLINE = '\n';

    private final Path path;
    private final FsyncPolicy fsync;
    private final long maxFileSize;
    private final String maxFileSizeKey;
    private FileChannel file;

    private final Object lock = new Object();
    private boolean partialLine;
    private long accepted;
    private long delivered;
    private long bytesWritten;
    private final Map<String, Long> failed = new TreeMap<>();
    private boolean closed;

    private JsonLinesSink(Path path, FsyncPolicy fsync, long maxFileSize, String maxFileSizeKey, FileChannel file) {
        this.path = path;
        this.fsync = fsync;
        this.maxFileSize = maxFileSize;
        this.maxFileSizeKey = maxFileSizeKey;
        this.file = file;
    }

    /**
     * Opens (creating it when missing) the file for appending.
     *
     * @param maxFileSizeKey the configuration key of {@code maxFileSize}, for the reason of a rejected event
     * @throws IOException when the file cannot be opened for appending
     */
    public static JsonLinesSink open(Path path, FsyncPolicy fsync, long maxFileSize, String maxFileSizeKey)
            throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(fsync, "fsync must not be null");
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("maxFileSize must be at least 1 byte, was " + maxFileSize);
        }
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new JsonLinesSink(path, fsync, maxFileSize, maxFileSizeKey, file);
    }

    /**
     * A {@link FileChannel} closes itself when the writing thread is interrupted; the sink is not closed, so the
     * next event gets a fresh channel (the interrupt status stays set for the caller). Called under the lock.
     */
    private void reopenIfClosedByInterrupt() {
        if (closed || file.isOpen()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException reopenFailed) {
            LOG.warn("Cannot reopen {} after an interrupt: {}", path, reopenFailed.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The file the events are appended to. */
    public Path path() {
        return path;
    }

    @Override
    public CompletableFuture<Void> sendEvent(Event event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new NullPointerException("event must not be null"));
        }
        byte[] json = EventJson.toJsonBytes(event);
        synchronized (lock) {
            accepted++;
            if (closed) {
                return fail(Outcome.UNDELIVERED, DeliveryException.SINK_CLOSED);
            }
            // After a failed write left part of a line, start on a new line so that only that one is broken.
            ByteBuffer line = ByteBuffer.allocate(json.length + 2);
            if (partialLine) {
                line.put(NEWLINE);
            }
            line.put(json).put(NEWLINE).flip();
            int length = line.remaining();
            long written = 0;
            try {
                long size = file.size(); // another sink may append to the same file
                if (size + length > maxFileSize) {
                    return fail(Outcome.REJECTED, path + " would grow past " + maxFileSizeKey + " (" + maxFileSize
                            + " bytes) with this " + length + "-byte line");
                }
                while (line.hasRemaining()) {
                    written += file.write(line);
                }
                partialLine = false;
                if (fsync == FsyncPolicy.ALWAYS) {
                    file.force(false);
                }
            } catch (IOException e) {
                partialLine |= written > 0 && written < length;
                LOG.warn("Cannot append an event to {}: {}", path, e.toString());
                reopenIfClosedByInterrupt();
                return fail(Outcome.UNDELIVERED, "cannot write to " + path + ": " + e);
            } finally {
                bytesWritten += written;
            }
            delivered++;
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> fail(Outcome outcome, String reason) {
        failed.merge(reason, 1L, Long::sum);
        return CompletableFuture.failedFuture(new DeliveryException(outcome, reason));
    }

    /**
     * Forces the lines written so far to the disk, unless the policy is {@link FsyncPolicy#NEVER}. Every
     * accepted event is already in the file, so nothing is ever undelivered; the wait is the disk's, whatever
     * {@code timeout} says. A failed fsync is logged.
     */
    @Override
    public FlushResult flush(Duration timeout) {
        synchronized (lock) {
            if (!closed && fsync != FsyncPolicy.NEVER) {
                try {
                    file.force(false);
                } catch (IOException e) {
                    LOG.warn("Cannot force {} to disk: {}", path, e.toString());
                }
            }
        }
        return FlushResult.COMPLETE;
    }

    @Override
    public SinkStats stats() {
        synchronized (lock) {
            return SinkStats.builder()
                    .accepted(accepted)
                    .delivered(delivered)
                    .failed(failed)
                    .bytesSent(bytesWritten)
                    .build();
        }
    }

    /** Forces the file to disk (unless {@link FsyncPolicy#NEVER}) and closes it. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (fsync != FsyncPolicy.NEVER) {
                    file.force(false);
                }
            } catch (IOException e) {
                LOG.warn("Cannot force {} to disk at close: {}", path, e.toString());
            } finally {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.warn("Cannot close {}: {}", path, e.toString());
                }
            }
            LOG.info("Closed {}: {} events written, {} failed", path, delivered, accepted - delivered);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "JsonLinesSink{path=" + path + ", fsync=" + fsync.name().toLowerCase(Locale.ROOT)
                    + ", written=" + delivered + (closed ? ", closed" : "") + "}";
        }
    }
}
