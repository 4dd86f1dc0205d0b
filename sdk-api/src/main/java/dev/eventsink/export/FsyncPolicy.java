package dev.eventsink.export;

/**
 * When a {@link Spool} forces what it wrote to the storage device ({@code SPOOL_FSYNC}). Every record is in the
 * spool's file when {@code sendEvent} returns, so a crash of the process loses nothing whatever the policy; the
 * policy decides what a crash of the machine (a power loss) may lose.
 */
public enum FsyncPolicy {
    /** Every {@code SPOOL_FSYNC_INTERVAL} (the default): a power loss loses at most that interval. */
    INTERVAL,
    /** Before {@code sendEvent} returns: a power loss loses nothing, at the cost of a device flush per call. */
    ALWAYS,
    /** When the operating system chooses: a power loss may lose what it had not written yet. */
    NEVER
}
