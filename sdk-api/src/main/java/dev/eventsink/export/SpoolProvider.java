package dev.eventsink.export;

import java.io.IOException;

/**
 * Opens {@link Spool}s: found with {@link java.util.ServiceLoader} when a channel's {@code SPOOL_DIR} is set, so
 * that the spool ships as a module of its own and costs nothing to those who do not use it. Registered in
 * {@code META-INF/services/dev.eventsink.export.SpoolProvider}.
 *
 * <pre>{@code
 * public final class SegmentSpoolProvider implements SpoolProvider {
 *     public Spool open(SpoolSettings settings) throws IOException { return SegmentSpool.open(settings); }
 * }
 * }</pre>
 */
public interface SpoolProvider {

    /**
     * Opens the spool in {@code settings.directory()}, recovering what an earlier process left in it, and locks
     * the directory against other processes.
     *
     * @throws IOException when the directory cannot be used, with a message that says why; when another process
     *     holds it, the message names that process if it can
     */
    Spool open(SpoolSettings settings) throws IOException;
}
