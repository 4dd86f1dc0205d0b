package dev.eventsink.testkit;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The records an {@link OpenObserveServer} stored for one organisation, as OpenObserve would store them
 * (normalised, flattened keys such as {@code payload_button}; {@code _timestamp} in microseconds). The
 * {@link OpenObserveServerExtension} injects one per test, for the test's own organisation, so that tests running
 * in parallel against one server do not see each other's records. Assert on it with
 * {@code assertThat(records).stream("ux_events").hasRecordCount(3)}. Thread-safe; every read is a snapshot.
 */
public final class StoredRecords {

    private final OpenObserveServer server;
    private final String org;

    /** The records {@code server} stored for {@code org}. */
    public StoredRecords(OpenObserveServer server, String org) {
        this.server = Objects.requireNonNull(server, "server must not be null");
        this.org = Objects.requireNonNull(org, "org must not be null");
    }

    /** The server that stores the records. */
    public OpenObserveServer server() {
        return server;
    }

    /** The organisation whose records these are. */
    public String org() {
        return org;
    }

    /** The records of a stream, oldest first (the stream name normalised as OpenObserve does). */
    public List<Map<String, Object>> records(String stream) {
        return server.records(org, stream);
    }

    /** How many records a stream accepted. */
    public long count(String stream) {
        return server.recordCount(org, stream);
    }

    /** The streams that received records, sorted. */
    public Set<String> streams() {
        return server.streams(org);
    }

    /**
     * Waits until a stream has accepted at least {@code count} records, and returns its records.
     *
     * @throws AssertionError when fewer arrived within {@code timeout}, or the thread was interrupted (its
     *                        interrupt status is kept), listing what did arrive
     */
    public List<Map<String, Object>> awaitRecords(String stream, long count, Duration timeout) {
        try {
            if (server.awaitRecordCount(org, stream, count, timeout)) {
                return records(stream);
            }
            throw new AssertionError("Expected stream " + stream + " of org " + org + " to receive at least "
                    + Values.count(count, "record") + " within " + Values.duration(timeout) + " but it has "
                    + OpenObserveStreamAssert.had(records(stream)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + Values.count(count, "record")
                    + " in stream " + stream + " of org " + org, e);
        }
    }

    @Override
    public String toString() {
        return "StoredRecords{org=" + org + ", streams=" + streams() + ", " + server + "}";
    }
}
