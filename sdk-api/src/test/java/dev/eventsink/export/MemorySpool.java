package dev.eventsink.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Spool} in memory that outlives the pipelines that open it, as a directory outlives a process: opened
 * again on the same directory, it holds what was not released. Registered for sdk-api's tests as a
 * {@link SpoolProvider}. A record's position is its index plus one.
 */
final class MemorySpool implements Spool {

    /** The spools by directory: what "the disk" holds. */
    static final Map<Path, MemorySpool> DISK = new ConcurrentHashMap<>();

    /** Opens spools for the pipeline; a directory named {@code locked} is held by another process. */
    public static final class Provider implements SpoolProvider {
        @Override
        public Spool open(SpoolSettings settings) throws IOException {
            if (settings.directory().getParent() != null
                    && settings.directory().getParent().getFileName().toString().equals("locked")) {
                throw new IOException("the directory is locked by process 4242@build-host");
            }
            MemorySpool spool = DISK.computeIfAbsent(settings.directory(), d -> new MemorySpool());
            spool.open(settings);
            return spool;
        }
    }

    private final List<byte[]> records = new ArrayList<>();
    /** Indexes of records that a reader finds corrupt. */
    final Set<Integer> corrupt = new HashSet<>();
    private long released;
    private long readAt;
    private long maxBytes;
    private long recovered;
    private long corruptSeen;
    private boolean open;
    volatile SpoolSettings settings;
    final List<Long> durableWaits = new ArrayList<>();

    private synchronized void open(SpoolSettings settings) throws IOException {
        if (open) {
            throw new IOException("already open");
        }
        open = true;
        this.settings = settings;
        maxBytes = settings.maxBytes();
        readAt = released;
        recovered = 0;
        for (long i = released; i < records.size(); i++) {
            if (!corrupt.contains((int) i)) {
                recovered++;
            }
        }
    }

    /** Adds a record as an earlier process would have left it. */
    synchronized void leave(byte[] record) {
        records.add(record.clone());
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** Records appended and not released. */
    synchronized long unreleased() {
        return records.size() - released;
    }

    @Override
    public synchronized long recoveredRecords() {
        return recovered;
    }

    @Override
    public synchronized long append(byte[] record, int offset, int length) throws IOException {
        if (!open) {
            throw new IOException("spool closed");
        }
        if (bytes() + length > maxBytes) {
            return -1;
        }
        records.add(Arrays.copyOfRange(record, offset, offset + length));
        return records.size();
    }

    @Override
    public synchronized void awaitDurable(long position) {
        durableWaits.add(position);
    }

    @Override
    public synchronized int read(RecordReader reader, int count) {
        int handed = 0;
        while (handed < count && readAt < records.size()) {
            int index = (int) readAt++;
            if (corrupt.contains(index)) {
                corruptSeen++;
                continue;
            }
            byte[] record = records.get(index);
            reader.accept(record, 0, record.length);
            handed++;
        }
        return handed;
    }

    @Override
    public synchronized long readPosition() {
        return readAt;
    }

    @Override
    public synchronized void release(long position) {
        if (position > readAt) {
            throw new IllegalStateException("release(" + position + ") beyond what was read, " + readAt);
        }
        released = Math.max(released, position);
    }

    @Override
    public synchronized long bytes() {
        long sum = 0;
        for (int i = (int) released; i < records.size(); i++) {
            sum += records.get(i).length;
        }
        return sum;
    }

    @Override
    public synchronized long corruptRecords() {
        return corruptSeen;
    }

    @Override
    public synchronized void close() {
        open = false;
    }
}
