package dev.eventsink.testkit;

import static dev.eventsink.EventType.SIMULATION_EVENT;
import static dev.eventsink.EventType.UX_ACTION;
import static dev.eventsink.testkit.EventAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Event;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventAssertionsTest {

    private static final Instant NOON = Instant.parse("2026-11-28T12:00:00Z");
    private static final UUID ID = new UUID(0, 1);

    static final Event CHECKOUT = Event.uxAction().id(ID).timestamp(NOON).userId("u1").sessionId("s1")
            .put("button", "buy")
            .put("qty", 2)
            .put("cart", Map.of("items", List.of(Map.of("sku", "A1"), Map.of("sku", "B2"))))
            .build();
    static final String JSON = "{\"id\":\"00000000-0000-0000-0000-000000000001\",\"timestamp\":"
            + "\"2026-11-28T12:00:00.000Z\",\"eventType\":\"ux_action\",\"userId\":\"u1\",\"sessionId\":\"s1\","
            + "\"payload\":{\"button\":\"buy\",\"qty\":2,\"cart\":{\"items\":[{\"sku\":\"A1\"},{\"sku\":\"B2\"}]}}}";

    @Nested
    class OnAnEvent {

        @Test
        void passingAssertionsChain() {
            assertThat(CHECKOUT)
                    .hasType(UX_ACTION)
                    .hasId(ID)
                    .hasTimestamp(NOON)
                    .hasUserId("u1")
                    .hasSessionId("s1")
                    .hasPayloadEntry("button", "buy")
                    .hasPayloadEntry("qty", 2L)
                    .hasPayloadPath("cart.items[1].sku", "B2")
                    .hasPayloadPath("cart.items[0]")
                    .doesNotHavePayloadEntry("coupon")
                    .doesNotHavePayloadPath("cart.items[2]")
                    .hasPayload(Map.of("button", "buy", "qty", 2,
                            "cart", Map.of("items", List.of(Map.of("sku", "A1"), Map.of("sku", "B2")))));
            assertThat(CHECKOUT).payload().containsKey("cart");
        }

        @Test
        void numbersCompareByValue() {
            assertThat(CHECKOUT).hasPayloadEntry("qty", 2).hasPayloadEntry("qty", 2.0).hasPayloadEntry("qty", (short) 2);
        }

        @Test
        void aWrongTypeSaysWhichItWas() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasType(SIMULATION_EVENT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected eventType simulation_event but was ux_action in event " + JSON);
        }

        @Test
        void wrongIdsSayWhatTheyWere() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasUserId("u2"))
                    .hasMessage("Expected userId \"u2\" but was \"u1\" in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasSessionId(null))
                    .hasMessage("Expected sessionId null but was \"s1\" in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasId(new UUID(0, 2)))
                    .hasMessage("Expected id 00000000-0000-0000-0000-000000000002 but was "
                            + "00000000-0000-0000-0000-000000000001 in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasTimestamp(NOON.plusSeconds(1)))
                    .hasMessage("Expected timestamp 2026-11-28T12:00:01Z but was 2026-11-28T12:00:00Z in event " + JSON);
        }

        @Test
        void aWrongPayloadEntrySaysWhatItWas() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadEntry("button", "sell"))
                    .hasMessage("Expected payload entry \"button\": \"sell\" but was \"buy\" in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadEntry("qty", "2"))
                    .hasMessage("Expected payload entry \"qty\": \"2\" but was 2 in event " + JSON);
        }

        @Test
        void aMissingPayloadEntryListsTheKeys() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadEntry("coupon", "X1"))
                    .hasMessage("Expected payload entry \"coupon\": \"X1\" but the payload has no key \"coupon\" "
                            + "(keys: [button, qty, cart]) in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).doesNotHavePayloadEntry("button"))
                    .hasMessage("Expected no payload entry \"button\" but found \"buy\" in event " + JSON);
        }

        @Test
        void aWrongPayloadPathValueSaysWhatItWas() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.items[0].sku", "B2"))
                    .hasMessage("Expected payload path cart.items[0].sku: \"B2\" but was \"A1\" in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.items[0]", Map.of("sku", "C3")))
                    .hasMessage("Expected payload path cart.items[0]: {\"sku\":\"C3\"} but was {\"sku\":\"A1\"} in event "
                            + JSON);
        }

        @Test
        void aPayloadPathThatLeadsNowhereSaysWhere() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.items[5].sku", "A1"))
                    .hasMessage("Expected payload path cart.items[5].sku: \"A1\" but cart.items has no index 5 "
                            + "(it has 2 elements) in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.total", 3))
                    .hasMessage("Expected payload path cart.total: 3 but cart has no key \"total\" (keys: [items]) "
                            + "in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("basket.items", 3))
                    .hasMessage("Expected payload path basket.items: 3 but the payload has no key \"basket\" "
                            + "(keys: [button, qty, cart]) in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.items.sku"))
                    .hasMessage("Expected payload path cart.items.sku to exist but cart.items is a list, not an "
                            + "object in event " + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("button[0]", "b"))
                    .hasMessage("Expected payload path button[0]: \"b\" but button is \"buy\", not a list in event "
                            + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart[0]"))
                    .hasMessage("Expected payload path cart[0] to exist but cart is an object, not a list in event "
                            + JSON);
            assertThatThrownBy(() -> assertThat(CHECKOUT).doesNotHavePayloadPath("cart.items[1].sku"))
                    .hasMessage("Expected no payload path cart.items[1].sku but found \"B2\" in event " + JSON);
        }

        @Test
        void aMalformedPathIsAnError() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart..items"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload path 'cart..items' is malformed: a key is missing at position 5; write keys "
                            + "separated by dots and indexes in brackets, such as cart.items[0].sku");
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.items[x]"))
                    .hasMessageStartingWith("payload path 'cart.items[x]' is malformed: 'x' is not a list index");
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart.items[0"))
                    .hasMessageStartingWith("payload path 'cart.items[0' is malformed: '[' at position 10 is not closed");
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayloadPath("cart."))
                    .hasMessageStartingWith("payload path 'cart.' is malformed: it ends with '.'");
        }

        @Test
        void aWrongPayloadShowsBoth() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).hasPayload(Map.of("button", "buy")))
                    .hasMessage("Expected payload {\"button\":\"buy\"} but was {\"button\":\"buy\",\"qty\":2,\"cart\":"
                            + "{\"items\":[{\"sku\":\"A1\"},{\"sku\":\"B2\"}]}} in event " + JSON);
        }

        @Test
        void aDescriptionPrefixesTheMessage() {
            assertThatThrownBy(() -> assertThat(CHECKOUT).as("checkout").hasUserId("u2"))
                    .hasMessage("[checkout] Expected userId \"u2\" but was \"u1\" in event " + JSON);
        }

        @Test
        void aNullEventFailsAsAssertJDoes() {
            assertThatThrownBy(() -> assertThat((Event) null).hasUserId("u1"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting actual not to be null");
        }

        @Test
        void stringsInMessagesAreEscaped() {
            Event event = Event.uxAction().id(ID).timestamp(NOON).put("note", "say \"hi\"\n").build();

            assertThatThrownBy(() -> assertThat(event).hasPayloadEntry("note", "bye"))
                    .hasMessageStartingWith("Expected payload entry \"note\": \"bye\" but was \"say \\\"hi\\\"\\n\" in ");
        }
    }

    @Nested
    class OnARecorder {

        private final RecordingSink recorder = new RecordingSink("ux");

        @Test
        void passingAssertionsChain() {
            recorder.sendEvent(CHECKOUT);
            recorder.sendEvent(RecordingSinkTest.event(2));

            assertThat(recorder)
                    .hasReceived(2)
                    .containsEventMatching(e -> "u1".equals(e.userId()))
                    .containsEventMatching(e -> "u2".equals(e.userId()), "userId = u2")
                    .doesNotContainEventMatching(e -> "u3".equals(e.userId()))
                    .containsEventSatisfying(e -> assertThat(e).hasPayloadEntry("n", 2));
            assertThat(recorder).event(0).hasUserId("u1");
            assertThat(recorder).lastEvent().hasUserId("u2");
            assertThat(recorder).events().extracting(Event::userId).containsExactly("u1", "u2");
        }

        @Test
        void aWrongCountListsTheEvents() {
            recorder.sendEvent(CHECKOUT);

            assertThatThrownBy(() -> assertThat(recorder).hasReceived(3))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected recorder ux to have received 3 events but it received 1:\n  " + JSON);
            assertThatThrownBy(() -> assertThat(new RecordingSink("sim")).hasReceived(1))
                    .hasMessage("Expected recorder sim to have received 1 event but it received none");
            assertThatThrownBy(() -> assertThat(recorder).hasReceivedNothing())
                    .hasMessage("Expected recorder ux to have received no events but it received 1:\n  " + JSON);
        }

        @Test
        void noMatchingEventListsTheEvents() {
            recorder.sendEvent(CHECKOUT);
            recorder.sendEvent(RecordingSinkTest.event(2));

            assertThatThrownBy(() -> assertThat(recorder).containsEventMatching(e -> "u9".equals(e.userId())))
                    .hasMessage("Expected recorder ux to have received an event matching the given predicate but "
                            + "none of its 2 events matched:\n  " + JSON + "\n  " + RecordingSinkTest.json(2));
            assertThatThrownBy(() -> assertThat(new RecordingSink("sim"))
                    .containsEventMatching(e -> true, "anything"))
                    .hasMessage("Expected recorder sim to have received an event matching anything but it received "
                            + "none");
        }

        @Test
        void anUnwantedMatchListsTheMatchingEvents() {
            recorder.sendEvent(CHECKOUT);
            recorder.sendEvent(RecordingSinkTest.event(2));

            assertThatThrownBy(() -> assertThat(recorder)
                    .doesNotContainEventMatching(e -> "u1".equals(e.userId()), "userId = u1"))
                    .hasMessage("Expected recorder ux to have received no event matching userId = u1 but 1 of its "
                            + "2 events matched:\n  " + JSON);
        }

        @Test
        void noSatisfyingEventSaysWhyEachFailed() {
            recorder.sendEvent(CHECKOUT);
            recorder.sendEvent(RecordingSinkTest.event(2));

            assertThatThrownBy(() -> assertThat(recorder).containsEventSatisfying(e -> assertThat(e).hasUserId("u9")))
                    .hasMessage("Expected recorder ux to have received an event satisfying the requirements but none "
                            + "of its 2 events did:\n"
                            + "  Expected userId \"u9\" but was \"u1\" in event " + JSON + "\n"
                            + "  Expected userId \"u9\" but was \"u2\" in event " + RecordingSinkTest.json(2));
        }

        @Test
        void singleEventNeedsExactlyOne() {
            recorder.sendEvent(CHECKOUT);
            recorder.sendEvent(CHECKOUT);

            assertThatThrownBy(() -> assertThat(recorder).singleEvent())
                    .hasMessage("Expected recorder ux to have received exactly 1 event but it received 2:\n  " + JSON
                            + "\n  " + JSON);
            assertThatThrownBy(() -> assertThat(recorder).event(2))
                    .hasMessage("Expected recorder ux to have an event at index 2 but it received 2:\n  " + JSON
                            + "\n  " + JSON);
            assertThatThrownBy(() -> assertThat(new RecordingSink("sim")).lastEvent())
                    .hasMessage("Expected recorder sim to have received an event but it received none");
        }
    }

    @Nested
    class OnTheOpenObserveServer {

        private static OpenObserveServer server;
        private static OpenObserveConnection defaultOrg;
        /** NOON in microseconds. */
        private static final long MICROS = NOON.getEpochSecond() * 1_000_000;
        private static final String FIRST = "{\"_timestamp\":" + MICROS + ",\"event_type\":\"ux_action\","
                + "\"source\":\"kit\",\"payload_qty\":2}";
        private static final String SECOND = "{\"_timestamp\":" + (MICROS + 1) + ",\"event_type\":"
                + "\"simulation_event\",\"source\":\"kit\",\"payload_qty\":3}";

        @BeforeAll
        static void startServerWithRecords() {
            server = OpenObserveServer.builder().clock(Clock.fixed(NOON, ZoneOffset.UTC)).start();
            defaultOrg = new OpenObserveConnection(server.url(), server.email(), server.password(), "default");
            assertThat(Ingest.post(defaultOrg, "ux_events", "[" + FIRST + "," + SECOND + "]")).isEqualTo(200);
            assertThat(Ingest.post(new OpenObserveConnection(server.url(), server.email(), server.password(), "other"),
                    "ux_events", "[" + FIRST + "]")).isEqualTo(200);
            assertThat(server.recordCount("ux_events")).isEqualTo(2);
        }

        @AfterAll
        static void stopServer() {
            server.close();
        }

        @Test
        void passingAssertionsChain() {
            assertThat(server).hasStreams("ux_events");
            assertThat(server).stream("ux_events")
                    .hasRecordCount(2)
                    .containsRecordWith("event_type", "ux_action")
                    .containsRecordWith("payload_qty", 3)
                    .containsRecordMatching(r -> r.containsKey("payload_qty"), "a quantity")
                    .allRecordsHave("source", "kit")
                    .records().hasSize(2);
        }

        @Test
        void aWrongCountListsTheRecords() {
            assertThatThrownBy(() -> assertThat(server).stream("ux_events").hasRecordCount(3))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected stream ux_events of org default to have 3 records but it had 2:\n  " + FIRST
                            + "\n  " + SECOND);
            assertThatThrownBy(() -> assertThat(server).stream("sim_events").hasRecordCount(1))
                    .hasMessage("Expected stream sim_events of org default to have 1 record but it had none");
        }

        @Test
        void noRecordWithTheFieldListsTheRecords() {
            assertThatThrownBy(() -> assertThat(server).stream("ux_events").containsRecordWith("event_type", "click"))
                    .hasMessage("Expected stream ux_events of org default to contain a record with event_type: "
                            + "\"click\" but none of its 2 records had it:\n  " + FIRST + "\n  " + SECOND);
            assertThatThrownBy(() -> assertThat(server).stream("other", "empty").containsRecordWith("a", 1))
                    .hasMessage("Expected stream empty of org other to contain a record with a: 1 but it has no "
                            + "records");
        }

        @Test
        void aRecordWithoutTheValueIsListed() {
            assertThatThrownBy(() -> assertThat(server).stream("ux_events").allRecordsHave("event_type", "ux_action"))
                    .hasMessage("Expected every record of stream ux_events of org default to have event_type: "
                            + "\"ux_action\" but 1 of its 2 records did not:\n  " + SECOND);
            assertThatThrownBy(() -> assertThat(server).stream("ux_events")
                    .containsRecordMatching(r -> false, "nothing"))
                    .hasMessageStartingWith("Expected stream ux_events of org default to contain a record matching "
                            + "nothing but none of its 2 records matched:");
        }

        @Test
        void storedRecordsAreAssertedForTheirOrganisation() {
            StoredRecords other = new StoredRecords(server, "other");

            assertThat(other).stream("ux_events").hasRecordCount(1);
            assertThat(other).hasStreams("ux_events");
            assertThatThrownBy(() -> assertThat(other).hasStreams("ux_events", "simulation_events"))
                    .hasMessage("Expected org other to have streams [simulation_events, ux_events] but it had "
                            + "[ux_events]");
            assertThatThrownBy(() -> assertThat(other).stream("ux_events").record(1))
                    .hasMessage("Expected stream ux_events of org other to have a record at index 1 but it has 1:\n  "
                            + FIRST);
        }
    }
}
