package dev.eventsink.testkit;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on what an {@link OpenObserveServer} stored for one organisation; get one with
 * {@link EventAssertions#assertThat(OpenObserveServer)} (organisation {@code default}) or
 * {@link EventAssertions#assertThat(StoredRecords)} (the records' organisation):
 * {@code assertThat(server).stream("ux_events").hasRecordCount(3)}.
 */
public final class OpenObserveServerAssert extends AbstractObjectAssert<OpenObserveServerAssert, OpenObserveServer> {

    private final String org;

    OpenObserveServerAssert(OpenObserveServer actual, String org) {
        super(actual, OpenObserveServerAssert.class);
        this.org = org;
    }

    /** Assertions on one stream of this organisation, named as written or as OpenObserve normalises it. */
    public OpenObserveStreamAssert stream(String stream) {
        isNotNull();
        return new OpenObserveStreamAssert(actual, org, stream);
    }

    /** Assertions on one stream of another organisation. */
    public OpenObserveStreamAssert stream(String org, String stream) {
        isNotNull();
        return new OpenObserveStreamAssert(actual, org, stream);
    }

    /** Exactly these streams of this organisation received records. */
    public OpenObserveServerAssert hasStreams(String... streams) {
        isNotNull();
        Set<String> expected = new TreeSet<>(Arrays.asList(streams));
        Set<String> found = actual.streams(org);
        if (!found.equals(expected)) {
            throw failure("%s", "Expected org " + org + " to have streams " + expected + " but it had " + found);
        }
        return this;
    }
}
