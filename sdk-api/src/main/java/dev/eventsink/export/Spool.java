package dev.eventsink.export;

import java.io.IOException;

/**
 * A durable, append-only log of event records: where a {@link DeliveryPipeline} keeps the events it accepted,
 * when a channel's {@code SPOOL_DIR} is set, until each is settled, so that they survive a crash of the process.
 * Records are opaque bytes to it; each is identified by its position, a number that grows with every record.
 *
 * <pre>{@code
 * long end = spool.append(record, 0, length);   // a caller: the record is in the spool's file on return
 * spool.awaitDurable(end);                      // forced to the device, with FsyncPolicy.ALWAYS
 * spool.read((bytes, at, n) -> batch.add(bytes, at, n), 500);   // a worker
 * spool.release(settledUpTo);                   // after delivery: space is reclaimed, nothing is sent again
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #append} writes the record to the spool's file before it returns (into the operating system's page
 *       cache at least): a crash of the process after that loses nothing. It returns the position just after the
 *       record, or -1, writing nothing, when the spool holds {@code maxBytes} already.</li>
 *   <li>{@link #read} hands over records in the order they were appended, records recovered at
 *       {@code open} first, each once, and never blocks. A record found corrupt (its checksum does not match, or
 *       it was cut short by a crash) is skipped, counted in {@link #corruptRecords()} and logged.</li>
 *   <li>{@link #release} says that every record before a position is settled (delivered, rejected or dropped): the
 *       spool will not hand them over again, even after a restart, and may delete the files that hold only
 *       such records. Records read but not released are read again after a restart: delivery is at least
 *       once.</li>
 *   <li>The caller serialises {@code append} with itself and {@code read} with itself and with
 *       {@code append}; {@link #awaitDurable}, {@link #release} and the getters may be called from any thread.</li>
 * </ul>
 */
public interface Spool extends AutoCloseable {

    /** Receives the bytes of one record; valid only during the call. */
    @FunctionalInterface
    interface RecordReader {
        void accept(byte[] bytes, int offset, int length);
    }

    /**
     * How many intact records the spool held, unreleased, when it was opened: {@link #read} hands over exactly
     * these first, before any record appended since. Records found corrupt at open are not counted here.
     */
    long recoveredRecords();

    /**
     * Appends a record.
     *
     * @return the position just after it, or -1 when the spool is full (then nothing was written)
     * @throws IOException when it cannot be written
     */
    long append(byte[] record, int offset, int length) throws IOException;

    /**
     * Waits until every record before {@code position} is on the storage device, when the fsync policy is
     * {@link FsyncPolicy#ALWAYS} (callers waiting at once share one flush); returns at once otherwise.
     */
    void awaitDurable(long position) throws IOException;

    /**
     * Hands the next {@code count} records to {@code reader}, oldest first, or as many as there are. Never blocks.
     *
     * @return how many records it handed over; 0 when there is none to read
     */
    int read(RecordReader reader, int count) throws IOException;

    /** The position just after the last record {@link #read} handed over (or skipped). */
    long readPosition();

    /** Every record before {@code position} is settled and may be forgotten. Positions only grow. */
    void release(long position) throws IOException;

    /** Bytes the spool's records occupy now, released ones not counted. */
    long bytes();

    /** Records found corrupt and skipped since the spool was opened. */
    long corruptRecords();

    /** Forces what was written, remembers what was released, and unlocks the directory. Idempotent. */
    @Override
    void close() throws IOException;
}
