package com.example.eventsink.jsonl;

/**
 * When a {@link JsonLinesSink} forces what it wrote from the operating system's cache to the disk
 * ({@code *_EVENT_SINK_FSYNC}). Written lines are readable by other processes at once whatever the policy; the
 * policy decides what survives a power cut. For example {@code UX_EVENT_SINK_FSYNC=always}.
 */
public enum FsyncPolicy {
    /** After every event, before its future completes: nothing acknowledged is lost, at a cost per event. */
    ALWAYS,
    /** On {@code flush()} and {@code close()}: the default. */
    FLUSH,
    /** Never: the operating system writes the cache back in its own time. */
    NEVER
}
