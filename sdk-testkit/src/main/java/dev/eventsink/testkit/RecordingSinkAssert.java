package dev.eventsink.testkit;

import dev.eventsink.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on what a {@link RecordingSink} recorded; get one with
 * {@link EventAssertions#assertThat(RecordingSink)}. Each assertion reads one snapshot of the events and, when it
 * fails, lists them (the first {@value Values#MAX_LISTED}) as canonical JSON:
 *
 * <pre>
 * Expected recorder ux to have received 3 events but it received 2:
 *   {"id":"…","eventType":"ux_action",…}
 *   {"id":"…","eventType":"ux_action",…}
 * </pre>
 *
 * These assertions do not wait: for events tracked on other threads, call
 * {@link RecordingSink#awaitEvents} first.
 */
public final class RecordingSinkAssert extends AbstractObjectAssert<RecordingSinkAssert, RecordingSink> {

    RecordingSinkAssert(RecordingSink actual) {
        super(actual, RecordingSinkAssert.class);
    }

    /** Exactly {@code count} events were recorded. */
    public RecordingSinkAssert hasReceived(int count) {
        List<Event> events = snapshot();
        if (events.size() != count) {
            throw fail("Expected recorder " + actual.name() + " to have received " + Values.count(count, "event")
                    + " but it received " + received(events));
        }
        return this;
    }

    /** No event was recorded. */
    public RecordingSinkAssert hasReceivedNothing() {
        List<Event> events = snapshot();
        if (!events.isEmpty()) {
            throw fail("Expected recorder " + actual.name() + " to have received no events but it received "
                    + received(events));
        }
        return this;
    }

    /** At least one recorded event matches {@code predicate}. */
    public RecordingSinkAssert containsEventMatching(Predicate<? super Event> predicate) {
        return containsEventMatching(predicate, "the given predicate");
    }

    /** At least one recorded event matches {@code predicate}, described for the message, such as {@code "button = buy"}. */
    public RecordingSinkAssert containsEventMatching(Predicate<? super Event> predicate, String description) {
        Objects.requireNonNull(predicate, "predicate must not be null");
        List<Event> events = snapshot();
        if (events.stream().noneMatch(predicate)) {
            throw fail("Expected recorder " + actual.name() + " to have received an event matching " + description
                    + " but " + (events.isEmpty() ? "it received none"
                            : "none of its " + Values.count(events.size(), "event") + " matched"
                                    + Values.listing(events)));
        }
        return this;
    }

    /** No recorded event matches {@code predicate}. */
    public RecordingSinkAssert doesNotContainEventMatching(Predicate<? super Event> predicate) {
        return doesNotContainEventMatching(predicate, "the given predicate");
    }

    /** No recorded event matches {@code predicate}, described for the message. */
    public RecordingSinkAssert doesNotContainEventMatching(Predicate<? super Event> predicate, String description) {
        Objects.requireNonNull(predicate, "predicate must not be null");
        List<Event> events = snapshot();
        List<Event> matching = events.stream().filter(predicate).toList();
        if (!matching.isEmpty()) {
            throw fail("Expected recorder " + actual.name() + " to have received no event matching " + description
                    + " but " + matching.size() + " of its " + Values.count(events.size(), "event") + " matched"
                    + Values.listing(matching));
        }
        return this;
    }

    /**
     * At least one recorded event satisfies {@code requirements}, a block of assertions such as
     * {@code e -> assertThat(e).hasUserId("u1").hasPayloadEntry("button", "buy")}.
     */
    public RecordingSinkAssert containsEventSatisfying(Consumer<? super Event> requirements) {
        Objects.requireNonNull(requirements, "requirements must not be null");
        List<Event> events = snapshot();
        List<String> failures = new ArrayList<>();
        for (Event event : events) {
            try {
                requirements.accept(event);
                return this;
            } catch (AssertionError e) {
                failures.add(String.valueOf(e.getMessage()).strip());
            }
        }
        StringBuilder message = new StringBuilder("Expected recorder " + actual.name()
                + " to have received an event satisfying the requirements but ");
        if (events.isEmpty()) {
            message.append("it received none");
        } else {
            message.append("none of its ").append(Values.count(events.size(), "event")).append(" did:");
            for (int i = 0; i < Math.min(failures.size(), Values.MAX_LISTED); i++) {
                message.append("\n  ").append(failures.get(i).replace("\n", "\n    "));
            }
            if (failures.size() > Values.MAX_LISTED) {
                message.append("\n  … and ").append(failures.size() - Values.MAX_LISTED).append(" more");
            }
        }
        throw fail(message.toString());
    }

    /** Exactly one event was recorded; assertions on it follow. */
    public EventAssert singleEvent() {
        List<Event> events = snapshot();
        if (events.size() != 1) {
            throw fail("Expected recorder " + actual.name() + " to have received exactly 1 event but it received "
                    + received(events));
        }
        return new EventAssert(events.get(0));
    }

    /** Assertions on the recorded event at {@code index}, oldest first. */
    public EventAssert event(int index) {
        List<Event> events = snapshot();
        if (index < 0 || index >= events.size()) {
            throw fail("Expected recorder " + actual.name() + " to have an event at index " + index
                    + " but it received " + received(events));
        }
        return new EventAssert(events.get(index));
    }

    /** Assertions on the most recently recorded event. */
    public EventAssert lastEvent() {
        List<Event> events = snapshot();
        if (events.isEmpty()) {
            throw fail("Expected recorder " + actual.name() + " to have received an event but it received none");
        }
        return new EventAssert(events.get(events.size() - 1));
    }

    /** AssertJ's list assertions on a snapshot of the recorded events. */
    public ListAssert<Event> events() {
        return Assertions.assertThat(snapshot());
    }

    private List<Event> snapshot() {
        isNotNull();
        return actual.events();
    }

    private static String received(List<Event> events) {
        return events.isEmpty() ? "none" : events.size() + Values.listing(events);
    }

    private AssertionError fail(String message) {
        return failure("%s", message);
    }
}
