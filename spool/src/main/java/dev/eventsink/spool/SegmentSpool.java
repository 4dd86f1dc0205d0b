package dev.eventsink.spool;

import dev.eventsink.export.FsyncPolicy;
import dev.eventsink.export.Spool;
import dev.eventsink.export.SpoolSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Spool} kept as an append-only log of segment files in one directory, each record framed by its length
 * and a CRC32C, recovered at open and reclaimed a segment at a time once released.
 *
 * <pre>{@code
 * try (SegmentSpool spool = SegmentSpool.open(new SpoolSettings(Path.of("/var/spool/app/ux"), 256L << 20,
 *         FsyncPolicy.INTERVAL, Duration.ofSeconds(1), "ux-openobserve"))) {
 *     long end = spool.append(bytes, 0, bytes.length);
 *     spool.read((b, at, n) -> send(b, at, n), 1);
 *     spool.release(spool.readPosition());
 * }
 * }</pre>
 *
 * <p>The file layout, the recovery rules and the fsync policies are described in the package documentation.
 */
public final class SegmentSpool implements Spool {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSpool.class);

    /** Bytes before each record: its length, then the CRC32C of the length's four bytes and the record. */
    static final int HEADER_BYTES = 8;
    /** The size past which a new segment is started (a segment always holds at least one record). */
    static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    static final String SEGMENT_SUFFIX = ".seg";
    static final String LOCK_FILE = "lock";
    static final String RELEASED_FILE = "released";
    private static final int READ_CHUNK = 256 << 10;
    private static final int TAIL_BYTES = 1 << 20;
    private static final int RELEASED_MAGIC = 0x5350524c; // "SPRL"

    /** One segment file: its records sit at positions {@code base} to {@code end}. */
    private static final class Segment {
        final long base;
        final Path path;
        /** Not a FileChannel: an interrupted caller would close a channel for every thread. */
        final RandomAccessFile file;
        /** The position just after its last byte. */
        long end;
        /** Where reading this segment stops: {@code end}, or earlier when recovery found no record past it. */
        long readableEnd;
        /** The file pointer's offset when known, else -1: a write there needs no seek. */
        long pointer = -1;

        Segment(long base, Path path, RandomAccessFile file, long end) {
            this.base = base;
            this.path = path;
            this.file = file;
            this.end = end;
            this.readableEnd = end;
        }
    }

    private final Path directory;
    private final SpoolSettings settings;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final RandomAccessFile releasedFile;
    /** Segments by base position; guarded by {@code this}. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final CRC32C crc = new CRC32C();
    private final Object forceLock = new Object();
    private final Thread flusher;
    private final long recovered;
    /** Reads of positions before this do not count corrupt records again: open counted them. */
    private final long recoveredEnd;

    private volatile Segment active;
    /** The position just after the last record appended. */
    private volatile long appended;
    /** Every position before this is on the device. */
    private volatile long durable;
    private volatile long released;
    private volatile boolean releasedDirty;
    private volatile long corrupt;
    /** How many times a segment was forced by awaitDurable or the flusher. */
    private volatile long forces;
    private volatile boolean closed;
    private long readPosition;
    private int releasedSlot;

    /** A copy of the active segment's last records, from {@code tailStart}: where a reader that keeps up reads. */
    private final byte[] tail = new byte[TAIL_BYTES];
    private long tailStart;
    private int tailLength;
    private byte[] readChunk = new byte[READ_CHUNK];
    /** The bytes {@link #parse} looks at: {@link #tail} or {@link #readChunk}, holding the segment's bytes from
     * {@code viewStart}. */
    private byte[] view;
    private Segment viewSegment;
    private long viewStart;
    private int viewLength;

    /** Opens (creating it when missing) the spool in {@code settings.directory()}: see {@link #open(SpoolSettings, long)}. */
    public static SegmentSpool open(SpoolSettings settings) throws IOException {
        return open(settings, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * Opens the spool, locking its directory, and recovers what an earlier process left: every segment is scanned
     * from the released position, its records' checksums verified; a record cut short at the end of the last
     * segment is truncated away.
     *
     * @throws IOException when the directory cannot be used, or another process holds its lock (named)
     */
    public static SegmentSpool open(SpoolSettings settings, long segmentBytes) throws IOException {
        if (segmentBytes < HEADER_BYTES + 1) {
            throw new IllegalArgumentException("segmentBytes must be at least " + (HEADER_BYTES + 1) + ", was "
                    + segmentBytes);
        }
        Path directory = settings.directory();
        Files.createDirectories(directory);
        Path lockPath = directory.resolve(LOCK_FILE);
        FileChannel lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(lockPath), StandardCharsets.UTF_8).trim();
            lockChannel.close();
            throw new IOException("the spool directory " + directory + " is in use by "
                    + (holder.isEmpty() ? "another process" : "process " + holder) + " (it holds " + lockPath
                    + "); give each process its own SPOOL_DIR");
        }
        try {
            lockChannel.truncate(0);
            writeFully(lockChannel, ByteBuffer.wrap((holder() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            lockChannel.force(false);
            return new SegmentSpool(settings, segmentBytes, lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private SegmentSpool(SpoolSettings settings, long segmentBytes, FileChannel lockChannel, FileLock lock)
            throws IOException {
        this.settings = settings;
        this.directory = settings.directory();
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.releasedFile = new RandomAccessFile(directory.resolve(RELEASED_FILE).toFile(), "rw");
        try {
            this.released = readReleased();
            this.recovered = recover();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        this.recoveredEnd = appended;
        this.durable = appended;
        if (settings.fsync() == FsyncPolicy.INTERVAL) {
            flusher = new Thread(this::flushEveryInterval, "eventsink-spool-flush-" + settings.name());
            flusher.setDaemon(true);
            flusher.start();
        } else {
            flusher = null;
        }
        if (recovered > 0 || corrupt > 0) {
            LOG.info("{}: spool {} recovered {} records ({} bytes) from an earlier run, {} corrupt records skipped",
                    settings.name(), directory, recovered, appended - readPosition, corrupt);
        }
    }

    /** Reads the released position: the larger of the two slots whose checksum holds, or 0. */
    private long readReleased() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        int got;
        while (buffer.hasRemaining()
                && (got = releasedFile.read(buffer.array(), buffer.position(), buffer.remaining())) > 0) {
            buffer.position(buffer.position() + got);
        }
        long best = 0;
        for (int slot = 0; slot < 2; slot++) {
            if (buffer.position() < (slot + 1) * 16) {
                break;
            }
            long position = buffer.getLong(slot * 16);
            int sum = buffer.getInt(slot * 16 + 8);
            int magic = buffer.getInt(slot * 16 + 12);
            if (magic == RELEASED_MAGIC && sum == checksum(position) && position >= best) {
                best = position;
                releasedSlot = 1 - slot;
            }
        }
        return best;
    }

    private static int checksum(long value) {
        CRC32C sum = new CRC32C();
        sum.update(ByteBuffer.allocate(8).putLong(0, value));
        return (int) sum.getValue();
    }

    /** Scans the segments; returns how many intact unreleased records they hold. */
    private long recover() throws IOException {
        List<Long> bases = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SEGMENT_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String digits = name.substring(0, name.length() - SEGMENT_SUFFIX.length());
                if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
                    LOG.warn("{}: ignoring {} in the spool directory: not a segment name", settings.name(), file);
                    continue;
                }
                bases.add(Long.parseLong(digits));
            }
        }
        bases.sort(null);
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            Path path = segmentPath(base);
            boolean last = i == bases.size() - 1;
            if (!last && bases.get(i + 1) <= released) {
                Files.delete(path); // fully released; left by a crash before it was deleted
                continue;
            }
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
            Segment segment = new Segment(base, path, file, base + file.length());
            segments.put(base, segment);
        }
        long intact = 0;
        for (Segment segment : segments.values()) {
            long from = Math.max(segment.base, released);
            long position = from;
            while (position < segment.end) {
                long size = parse(segment, position, segment.end);
                if (size == 0) {
                    corrupt++;
                    LOG.warn("{}: spool segment {}: {} bytes from offset {} hold no intact record (cut short or"
                                    + " overwritten); skipped", settings.name(), segment.path,
                            segment.end - position, position - segment.base);
                    break;
                }
                if (size < 0) {
                    corrupt++;
                    LOG.warn("{}: spool segment {}: the record at offset {} fails its checksum; skipped",
                            settings.name(), segment.path, position - segment.base);
                    position -= size;
                } else {
                    intact++;
                    position += size;
                }
            }
            segment.readableEnd = Math.max(position, from);
        }
        viewSegment = null; // the scan read bytes past the intact records, which appends now replace
        Segment last = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (last != null && last.readableEnd < last.end && last.readableEnd >= last.base) {
            last.file.setLength(last.readableEnd - last.base);
            last.end = last.readableEnd;
        }
        if (last == null || last.end < released) {
            active = createSegment(Math.max(released, last == null ? 0 : last.end));
            if (last != null) {
                deleteSegment(last);
            }
        } else {
            active = last;
        }
        appended = active.end;
        resetTail(appended);
        Segment first = segments.firstEntry().getValue();
        readPosition = Math.max(released, first.base);
        return intact;
    }

    private Path segmentPath(long base) {
        return directory.resolve(String.format("%020d%s", base, SEGMENT_SUFFIX));
    }

    private Segment createSegment(long base) throws IOException {
        Path path = segmentPath(base);
        Files.createFile(path);
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        if (settings.fsync() != FsyncPolicy.NEVER) {
            forceDirectory();
        }
        Segment segment = new Segment(base, path, file, base);
        segments.put(base, segment);
        return segment;
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot force a directory; the segment's own force still holds its bytes.
            LOG.debug("{}: cannot force the spool directory {}: {}", settings.name(), directory, e.toString());
        }
    }

    private void deleteSegment(Segment segment) throws IOException {
        segments.remove(segment.base);
        if (viewSegment == segment) {
            viewSegment = null;
        }
        segment.file.close();
        Files.deleteIfExists(segment.path);
    }

    /**
     * Looks at the record at {@code position}, leaving it in {@link #view}.
     *
     * @return its size with the header; the negative size when its checksum fails; 0 when no record can start
     *     there (the bytes left are too few, or its length does not fit before {@code limit})
     */
    private long parse(Segment segment, long position, long limit) throws IOException {
        if (limit - position < HEADER_BYTES || !fill(segment, position, HEADER_BYTES, limit)) {
            return 0;
        }
        int length = intAt(view, (int) (position - viewStart));
        if (length < 1 || length > limit - position - HEADER_BYTES) {
            return 0;
        }
        if (!fill(segment, position, HEADER_BYTES + length, limit)) {
            return 0;
        }
        int at = (int) (position - viewStart);
        crc.reset();
        crc.update(view, at, 4);
        crc.update(view, at + HEADER_BYTES, length);
        long size = HEADER_BYTES + (long) length;
        return (int) crc.getValue() == intAt(view, at + 4) ? size : -size;
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | bytes[at + 3] & 0xff;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    /**
     * Makes bytes {@code position} to {@code position + n} of the segment be in {@link #view}: from the copy of the
     * active segment's tail kept in memory when they are there (a reader that keeps up never reads the file), else
     * read from the file, a chunk at a time.
     */
    private boolean fill(Segment segment, long position, int n, long limit) throws IOException {
        if (viewSegment == segment && position >= viewStart && position + n <= viewStart + viewLength) {
            return true;
        }
        if (segment == active && position >= tailStart && position + n <= tailStart + tailLength) {
            view = tail;
            viewStart = tailStart;
            viewLength = tailLength;
            viewSegment = segment;
            return true;
        }
        int want = (int) Math.min(Math.max(READ_CHUNK, n), limit - position);
        if (readChunk.length < want) {
            readChunk = new byte[want];
        } else if (readChunk.length > READ_CHUNK && want <= READ_CHUNK) {
            readChunk = new byte[READ_CHUNK]; // let a huge record's buffer go
        }
        viewSegment = null;
        segment.pointer = -1;
        segment.file.seek(position - segment.base);
        int filled = 0;
        while (filled < want) {
            int got = segment.file.read(readChunk, filled, want - filled);
            if (got < 0) {
                break;
            }
            filled += got;
        }
        view = readChunk;
        viewStart = position;
        viewLength = filled;
        viewSegment = segment;
        return filled >= n;
    }

    /** Forgets the tail kept in memory, which starts at {@code position} from now on. */
    private void resetTail(long position) {
        if (view == tail) {
            viewSegment = null;
        }
        tailStart = position;
        tailLength = 0;
    }

    @Override
    public long recoveredRecords() {
        return recovered;
    }

    @Override
    public synchronized long append(byte[] record, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException(settings.name() + ": the spool is closed");
        }
        if (length < 1) {
            throw new IllegalArgumentException("a record must hold at least one byte");
        }
        long size = HEADER_BYTES + (long) length;
        if (appended - released + size > settings.maxBytes()) {
            return -1;
        }
        Segment segment = active;
        if (segment.end > segment.base && segment.end - segment.base + size > segmentBytes) {
            segment = roll(segment);
        }
        // The frame is built in the tail kept in memory, for the reader, unless it is too large for it.
        byte[] frame;
        int at;
        if (size <= tail.length) {
            if (tailStart + tailLength != segment.end || tailLength + size > tail.length) {
                resetTail(segment.end);
            }
            frame = tail;
            at = tailLength;
        } else {
            resetTail(segment.end + size);
            frame = new byte[(int) size];
            at = 0;
        }
        putInt(frame, at, length);
        System.arraycopy(record, offset, frame, at + HEADER_BYTES, length);
        crc.reset();
        crc.update(frame, at, 4);
        crc.update(frame, at + HEADER_BYTES, length);
        putInt(frame, at + 4, (int) crc.getValue());
        long fileOffset = segment.end - segment.base;
        try {
            if (segment.pointer != fileOffset) {
                segment.file.seek(fileOffset);
            }
            segment.pointer = -1;
            segment.file.write(frame, at, (int) size);
            segment.pointer = fileOffset + size;
        } catch (IOException e) {
            try {
                segment.file.setLength(fileOffset); // no half record in front of the next one
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        if (frame == tail) {
            tailLength += (int) size;
        }
        segment.end += size;
        segment.readableEnd = segment.end;
        appended = segment.end;
        return appended;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Starts a new segment after {@code full}, which is forced first unless the policy is never. */
    private Segment roll(Segment full) throws IOException {
        if (settings.fsync() != FsyncPolicy.NEVER) {
            full.file.getFD().sync();
        }
        Segment next = createSegment(full.end);
        active = next;
        resetTail(next.base);
        return next;
    }

    @Override
    public void awaitDurable(long position) throws IOException {
        if (settings.fsync() == FsyncPolicy.ALWAYS && durable < position) {
            force(position);
        }
    }

    /** Forces what was appended; callers that wait for the lock meanwhile find their records forced by it. */
    private void force(long position) throws IOException {
        synchronized (forceLock) {
            if (durable >= position) {
                return;
            }
            long target = appended; // read before active: a roll forces the older segment before publishing
            Segment segment = active;
            try {
                if (Thread.currentThread() == flusher) {
                    // fdatasync: the data and the file's size, not its times. Through the channel, which only this
                    // daemon thread uses and nothing interrupts.
                    segment.file.getChannel().force(false);
                } else {
                    segment.file.getFD().sync(); // a caller's thread, which may be interrupted: no channel
                }
                forces++;
            } catch (IOException e) {
                if (!closed && segment == active) {
                    throw e;
                }
                return; // closed or rolled since: close or the roll forced it
            }
            if (target > durable) {
                durable = target;
            }
        }
    }

    private void flushEveryInterval() {
        long intervalNanos = Math.max(1, settings.fsyncInterval().toNanos());
        while (!closed) {
            synchronized (forceLock) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(forceLock, intervalNanos);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (closed) {
                return;
            }
            try {
                force(appended);
                if (releasedDirty) {
                    releasedDirty = false;
                    releasedFile.getChannel().force(false);
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.warn("{}: cannot force the spool {} to the device: {}", settings.name(), directory,
                        e.toString());
            }
        }
    }

    @Override
    public synchronized int read(RecordReader reader, int count) throws IOException {
        int handed = 0;
        while (handed < count && readPosition < appended) {
            Map.Entry<Long, Segment> entry = segments.floorEntry(readPosition);
            if (entry == null) {
                readPosition = segments.firstKey();
                continue;
            }
            Segment segment = entry.getValue();
            long limit = segment == active ? appended : segment.readableEnd;
            if (readPosition >= limit) {
                Long next = segments.higherKey(segment.base);
                if (next == null) {
                    break;
                }
                readPosition = next;
                continue;
            }
            long size = parse(segment, readPosition, limit);
            if (size == 0) {
                countCorrupt(segment, "holds no intact record to its end");
                readPosition = limit;
            } else if (size < 0) {
                countCorrupt(segment, "fails its checksum");
                readPosition -= size;
            } else {
                reader.accept(view, (int) (readPosition - viewStart) + HEADER_BYTES,
                        (int) size - HEADER_BYTES);
                readPosition += size;
                handed++;
            }
        }
        return handed;
    }

    private void countCorrupt(Segment segment, String what) {
        if (readPosition >= recoveredEnd) {
            corrupt++;
            LOG.warn("{}: spool segment {}: the record at offset {} {}; skipped", settings.name(), segment.path,
                    readPosition - segment.base, what);
        }
    }

    @Override
    public synchronized long readPosition() {
        return readPosition;
    }

    @Override
    public synchronized void release(long position) throws IOException {
        if (position <= released) {
            return;
        }
        if (position > readPosition) {
            throw new IllegalArgumentException("release(" + position + ") is beyond what was read, "
                    + readPosition);
        }
        released = position;
        ByteBuffer slot = ByteBuffer.allocate(16).putLong(position).putInt(checksum(position))
                .putInt(RELEASED_MAGIC).flip();
        releasedFile.seek(releasedSlot * 16L);
        releasedFile.write(slot.array(), 0, 16);
        releasedSlot = 1 - releasedSlot;
        releasedDirty = true;
        Iterator<Segment> it = segments.values().iterator();
        Segment previous = null;
        List<Segment> done = new ArrayList<>();
        while (it.hasNext()) {
            Segment segment = it.next();
            if (previous != null && segment.base <= released) {
                done.add(previous);
            }
            if (segment.base > released) {
                break;
            }
            previous = segment;
        }
        for (Segment segment : done) {
            deleteSegment(segment);
        }
    }

    @Override
    public long bytes() {
        return appended - released;
    }

    @Override
    public long corruptRecords() {
        return corrupt;
    }

    /** How many times {@code awaitDurable} or the flusher forced a segment to the device. */
    long forces() {
        return forces;
    }

    /** How many segment files the spool has now. */
    synchronized int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (flusher != null) {
            synchronized (forceLock) {
                forceLock.notifyAll();
            }
            try {
                flusher.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            IOException failure = null;
            try {
                active.file.getFD().sync();
                releasedFile.getFD().sync();
                durable = appended;
            } catch (IOException e) {
                failure = e;
            }
            closeQuietly();
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void closeQuietly() {
        for (Segment segment : segments.values()) {
            try {
                segment.file.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", segment.path, e.toString());
            }
        }
        try {
            releasedFile.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("closing the spool lock {}: {}", directory, e.toString());
        }
    }

    private static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }

    @Override
    public String toString() {
        return "SegmentSpool[" + directory + ", " + settings.fsync().name().toLowerCase() + "]";
    }
}
