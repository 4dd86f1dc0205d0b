package dev.eventsink.testkit;

import dev.eventsink.Event;
import dev.eventsink.openobserve.server.OpenObserveServer;
import org.assertj.core.api.Assertions;

/**
 * The entry point to the testkit's AssertJ assertions, and to all of AssertJ's own, with one static import:
 *
 * <pre>{@code
 * import static dev.eventsink.testkit.EventAssertions.assertThat;
 *
 * assertThat(event).hasType(UX_ACTION).hasUserId("u1").hasPayloadEntry("button", "buy")
 *         .hasPayloadPath("cart.items[0].sku", "A1");
 * assertThat(recorder).hasReceived(3).containsEventMatching(e -> "u1".equals(e.userId()));
 * assertThat(server).stream("ux_events").hasRecordCount(3).containsRecordWith("event_type", "ux_action");
 * }</pre>
 *
 * Every failure message says what was expected and what was found.
 */
public class EventAssertions extends Assertions {

    protected EventAssertions() {}

    /** Assertions on one event. */
    public static EventAssert assertThat(Event actual) {
        return new EventAssert(actual);
    }

    /** Assertions on what a recording sink received. */
    public static RecordingSinkAssert assertThat(RecordingSink actual) {
        return new RecordingSinkAssert(actual);
    }

    /** Assertions on what the OpenObserve-compatible server stored for organisation {@code default}. */
    public static OpenObserveServerAssert assertThat(OpenObserveServer actual) {
        return new OpenObserveServerAssert(actual, OpenObserveServer.DEFAULT_ORG);
    }

    /** Assertions on the stored records of one organisation, as the {@link OpenObserveServerExtension} injects them. */
    public static OpenObserveServerAssert assertThat(StoredRecords actual) {
        return new OpenObserveServerAssert(actual == null ? null : actual.server(),
                actual == null ? OpenObserveServer.DEFAULT_ORG : actual.org());
    }
}
