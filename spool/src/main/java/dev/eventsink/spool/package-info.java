/**
 * A crash-safe disk spool for the delivery pipeline of {@code dev.eventsink.export}: add this module to the class
 * path and set a channel's {@code SPOOL_DIR}, and every event {@code sendEvent} accepts is in a file before the call
 * returns, delivered after a crash or restart.
 *
 * <h2>Files</h2>
 * A spool directory holds:
 * <ul>
 *   <li>segment files {@code NNNNNNNNNNNNNNNNNNNN.seg}, named by the position (a byte count over the spool's whole
 *       life) of their first record; each record is framed as {@code int length, int crc32c, bytes}, the CRC32C
 *       covering the length's four bytes and the record. A new segment starts when the next record would take the
 *       current one past 64 MiB.</li>
 *   <li>{@code released}: the position before which everything is settled, written to one of two 16-byte slots in
 *       turn ({@code long position, int crc32c, int magic}); the valid slot with the larger position wins.</li>
 *   <li>{@code lock}: locked with {@link java.nio.channels.FileChannel#tryLock()} while a process has the spool open,
 *       and holding {@code pid@host} of that process, so that a second process is told who holds it.</li>
 * </ul>
 *
 * <h2>Recovery</h2>
 * At open, segments fully before the released position are deleted; the others are scanned from it and every
 * record's checksum verified. A record whose checksum fails is skipped and counted; where no record can start
 * (a length that does not fit the file, or fewer bytes than a header), the rest of that segment is skipped and
 * counted as one corrupt record, and, in the last segment, truncated away so that appends follow the last intact
 * record. Reading then hands over exactly the intact records counted, in order, before any appended since.
 *
 * <h2>Fsync</h2>
 * {@code always}: {@code awaitDurable} forces the active segment; callers that arrive while a force runs wait for
 * it and one more force covers them all (group commit). {@code interval}: a daemon thread forces the active
 * segment and the released file ({@code fdatasync}) every {@code SPOOL_FSYNC_INTERVAL}. {@code never}: only
 * {@code close} forces. A segment is forced before the next one starts (except with {@code never}), and the
 * directory after a segment is created.
 *
 * <h2>Interrupts</h2>
 * Segments and the released file are read and written through {@link java.io.RandomAccessFile}, forced with
 * {@link java.io.FileDescriptor#sync()}: a {@link java.nio.channels.FileChannel} is closed for every thread when a
 * thread with its interrupt flag set uses it, and an application thread may call {@code sendEvent} so.
 */
package dev.eventsink.spool;
