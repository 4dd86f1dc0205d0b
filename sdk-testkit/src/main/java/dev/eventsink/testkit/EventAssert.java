package dev.eventsink.testkit;

import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventType;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.MapAssert;

/**
 * Assertions on one {@link Event}; get one with {@link EventAssertions#assertThat(Event)}. Every failure says
 * what was expected, what was found, and shows the event as canonical JSON:
 *
 * <pre>
 * Expected payload entry "button": "buy" but was "sell" in event {"id":"…","eventType":"ux_action",…}
 * </pre>
 *
 * Payload values are compared as JSON: numbers by value, so {@code hasPayloadEntry("qty", 2)} matches the
 * {@code 2L} the event stores.
 */
public final class EventAssert extends AbstractObjectAssert<EventAssert, Event> {

    EventAssert(Event actual) {
        super(actual, EventAssert.class);
    }

    /** The event's type is {@code expected}. */
    public EventAssert hasType(EventType expected) {
        isNotNull();
        if (actual.eventType() != expected) {
            throw fail("Expected eventType " + expected + " but was " + actual.eventType());
        }
        return this;
    }

    /** The event's id is {@code expected}. */
    public EventAssert hasId(UUID expected) {
        isNotNull();
        if (!actual.id().equals(expected)) {
            throw fail("Expected id " + expected + " but was " + actual.id());
        }
        return this;
    }

    /** The event's timestamp is {@code expected}. */
    public EventAssert hasTimestamp(Instant expected) {
        isNotNull();
        if (!actual.timestamp().equals(expected)) {
            throw fail("Expected timestamp " + expected + " but was " + actual.timestamp());
        }
        return this;
    }

    /** The event's user id is {@code expected}; {@code null} expects none. */
    public EventAssert hasUserId(String expected) {
        isNotNull();
        if (!Objects.equals(actual.userId(), expected)) {
            throw fail("Expected userId " + Values.render(expected) + " but was " + Values.render(actual.userId()));
        }
        return this;
    }

    /** The event's session id is {@code expected}; {@code null} expects none. */
    public EventAssert hasSessionId(String expected) {
        isNotNull();
        if (!Objects.equals(actual.sessionId(), expected)) {
            throw fail("Expected sessionId " + Values.render(expected) + " but was "
                    + Values.render(actual.sessionId()));
        }
        return this;
    }

    /** The payload has a top-level entry {@code key} whose value equals {@code expected} as JSON. */
    public EventAssert hasPayloadEntry(String key, Object expected) {
        isNotNull();
        Objects.requireNonNull(key, "key must not be null");
        String expectation = "Expected payload entry " + Values.render(key) + ": " + Values.render(expected);
        if (!actual.payload().containsKey(key)) {
            throw fail(expectation + " but the payload has no key " + Values.render(key) + " (keys: "
                    + actual.payload().keySet() + ")");
        }
        Object value = actual.payload().get(key);
        if (!Values.jsonEquals(expected, value)) {
            throw fail(expectation + " but was " + Values.render(value));
        }
        return this;
    }

    /** The payload has no top-level entry {@code key}. */
    public EventAssert doesNotHavePayloadEntry(String key) {
        isNotNull();
        if (actual.payload().containsKey(key)) {
            throw fail("Expected no payload entry " + Values.render(key) + " but found "
                    + Values.render(actual.payload().get(key)));
        }
        return this;
    }

    /**
     * The nested payload value at {@code path} equals {@code expected} as JSON. A path names keys separated by
     * dots and list indexes in brackets: {@code cart.items[0].sku}.
     *
     * @throws IllegalArgumentException when the path is malformed
     */
    public EventAssert hasPayloadPath(String path, Object expected) {
        isNotNull();
        PayloadPath parsed = PayloadPath.parse(path);
        String expectation = "Expected payload path " + parsed + ": " + Values.render(expected);
        PayloadPath.Resolution found = parsed.resolve(actual.payload());
        if (!found.found()) {
            throw fail(expectation + " but " + found.problem());
        }
        if (!Values.jsonEquals(expected, found.value())) {
            throw fail(expectation + " but was " + Values.render(found.value()));
        }
        return this;
    }

    /** The payload has a value (possibly {@code null}) at {@code path}. */
    public EventAssert hasPayloadPath(String path) {
        isNotNull();
        PayloadPath parsed = PayloadPath.parse(path);
        PayloadPath.Resolution found = parsed.resolve(actual.payload());
        if (!found.found()) {
            throw fail("Expected payload path " + parsed + " to exist but " + found.problem());
        }
        return this;
    }

    /** The payload has nothing at {@code path}. */
    public EventAssert doesNotHavePayloadPath(String path) {
        isNotNull();
        PayloadPath parsed = PayloadPath.parse(path);
        PayloadPath.Resolution found = parsed.resolve(actual.payload());
        if (found.found()) {
            throw fail("Expected no payload path " + parsed + " but found " + Values.render(found.value()));
        }
        return this;
    }

    /** The whole payload equals {@code expected} as JSON. */
    public EventAssert hasPayload(Map<String, ?> expected) {
        isNotNull();
        if (!Values.jsonEquals(expected, actual.payload())) {
            throw fail("Expected payload " + Values.render(expected) + " but was " + Values.render(actual.payload()));
        }
        return this;
    }

    /** AssertJ's map assertions on the payload, for anything the methods above do not cover. */
    public MapAssert<String, Object> payload() {
        isNotNull();
        return Assertions.assertThat(actual.payload());
    }

    private AssertionError fail(String message) {
        return failure("%s", message + " in event " + EventJson.toJson(actual));
    }
}
