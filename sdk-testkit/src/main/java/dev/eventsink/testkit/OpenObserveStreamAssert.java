package dev.eventsink.testkit;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;
import org.assertj.core.api.MapAssert;

/**
 * Assertions on the records one stream of an {@link OpenObserveServer} stored; get one with
 * {@code assertThat(server).stream("ux_events")} or {@code assertThat(storedRecords).stream("ux_events")}.
 * Fields are named as OpenObserve stores them: lowercase, flattened ({@code payload_button}). Values are compared
 * as JSON, numbers by value. Failures list the stream's records (the first {@value Values#MAX_LISTED}).
 * These assertions do not wait: flush the sink, or call {@link StoredRecords#awaitRecords}, first.
 */
public final class OpenObserveStreamAssert
        extends AbstractObjectAssert<OpenObserveStreamAssert, List<Map<String, Object>>> {

    private final OpenObserveServer server;
    private final String org;
    private final String stream;

    OpenObserveStreamAssert(OpenObserveServer server, String org, String stream) {
        super(server.records(org, stream), OpenObserveStreamAssert.class);
        this.server = server;
        this.org = org;
        this.stream = stream;
    }

    /** The stream accepted exactly {@code count} records. */
    public OpenObserveStreamAssert hasRecordCount(long count) {
        long stored = server.recordCount(org, stream);
        if (stored != count) {
            throw fail("Expected " + name() + " to have " + Values.count(count, "record") + " but it had "
                    + (stored == actual.size() ? had(actual) : stored + " (" + actual.size() + " kept)"
                            + (actual.isEmpty() ? "" : Values.listing(actual))));
        }
        return this;
    }

    /** Some record has {@code field} equal to {@code expected}, such as {@code ("event_type", "ux_action")}. */
    public OpenObserveStreamAssert containsRecordWith(String field, Object expected) {
        Objects.requireNonNull(field, "field must not be null");
        if (actual.stream().noneMatch(r -> r.containsKey(field) && Values.jsonEquals(expected, r.get(field)))) {
            throw fail("Expected " + name() + " to contain a record with " + field + ": " + Values.render(expected)
                    + " but " + (actual.isEmpty() ? "it has no records"
                            : "none of its " + Values.count(actual.size(), "record") + " had it"
                                    + Values.listing(actual)));
        }
        return this;
    }

    /** Some record matches {@code predicate}. */
    public OpenObserveStreamAssert containsRecordMatching(Predicate<? super Map<String, Object>> predicate) {
        return containsRecordMatching(predicate, "the given predicate");
    }

    /** Some record matches {@code predicate}, described for the message. */
    public OpenObserveStreamAssert containsRecordMatching(Predicate<? super Map<String, Object>> predicate,
            String description) {
        Objects.requireNonNull(predicate, "predicate must not be null");
        if (actual.stream().noneMatch(predicate)) {
            throw fail("Expected " + name() + " to contain a record matching " + description + " but "
                    + (actual.isEmpty() ? "it has no records"
                            : "none of its " + Values.count(actual.size(), "record") + " matched"
                                    + Values.listing(actual)));
        }
        return this;
    }

    /** Every record has {@code field} equal to {@code expected} (and there is at least one record). */
    public OpenObserveStreamAssert allRecordsHave(String field, Object expected) {
        Objects.requireNonNull(field, "field must not be null");
        String expectation = "Expected every record of " + name() + " to have " + field + ": "
                + Values.render(expected);
        if (actual.isEmpty()) {
            throw fail(expectation + " but it has no records");
        }
        List<Map<String, Object>> others = actual.stream()
                .filter(r -> !r.containsKey(field) || !Values.jsonEquals(expected, r.get(field)))
                .toList();
        if (!others.isEmpty()) {
            throw fail(expectation + " but " + others.size() + " of its " + Values.count(actual.size(), "record")
                    + " did not" + Values.listing(others));
        }
        return this;
    }

    /** AssertJ's map assertions on the record at {@code index}, oldest first. */
    public MapAssert<String, Object> record(int index) {
        if (index < 0 || index >= actual.size()) {
            throw fail("Expected " + name() + " to have a record at index " + index + " but it has "
                    + had(actual));
        }
        return Assertions.assertThat(actual.get(index));
    }

    /** AssertJ's list assertions on the records. */
    public ListAssert<Map<String, Object>> records() {
        return Assertions.assertThat(actual);
    }

    private String name() {
        return "stream " + stream + " of org " + org;
    }

    static String had(List<Map<String, Object>> records) {
        return records.isEmpty() ? "none" : records.size() + Values.listing(records);
    }

    private AssertionError fail(String message) {
        return failure("%s", message);
    }
}
