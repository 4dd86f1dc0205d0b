package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventTest {

    private static final UUID ID = UUID.fromString("0b6c2f4e-8d1a-4c3b-9e7f-112233445566");
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00.123Z");

    private static Event withPayload(Map<String, Object> payload) {
        return new Event(ID, NOW, EventType.UX_ACTION, null, null, payload);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> raw(Map map) {
        return (Map<String, Object>) map;
    }

    /** A payload whose maps nest {@code levels} deep, the payload itself being level 1. */
    private static Map<String, Object> nested(int levels) {
        Map<String, Object> inner = new HashMap<>();
        inner.put("leaf", true);
        for (int i = 1; i < levels; i++) {
            Map<String, Object> outer = new HashMap<>();
            outer.put("a", inner);
            inner = outer;
        }
        return inner;
    }

    @Nested
    class RequiredFields {

        @Test
        void nullIdIsRejectedByName() {
            assertThatThrownBy(() -> new Event(null, NOW, EventType.UX_ACTION, null, null, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("id must not be null");
        }

        @Test
        void nullTimestampIsRejectedByName() {
            assertThatThrownBy(() -> new Event(ID, null, EventType.UX_ACTION, null, null, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("timestamp must not be null");
        }

        @Test
        void nullEventTypeIsRejectedByName() {
            assertThatThrownBy(() -> new Event(ID, NOW, null, null, null, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("eventType must not be null");
            assertThatThrownBy(() -> Event.builder(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("eventType must not be null");
        }

        @Test
        void aTimestampOutsideYears1To9999IsRejectedByName() {
            for (String outside : List.of("+300000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
                assertThatThrownBy(() -> new Event(ID, Instant.parse(outside), EventType.UX_ACTION, null, null, null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("timestamp must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z,"
                                + " was " + outside);
            }
            assertThatThrownBy(() -> new Event(ID, Instant.MAX, EventType.UX_ACTION, null, null, null))
                    .hasMessageStartingWith("timestamp must be from ");
        }

        @Test
        void theFirstAndLastInstantsOfTheRangeAreAccepted() {
            assertThat(new Event(ID, Event.MIN_TIMESTAMP, EventType.UX_ACTION, null, null, null).timestamp())
                    .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
            assertThat(new Event(ID, Event.MAX_TIMESTAMP, EventType.UX_ACTION, null, null, null).timestamp())
                    .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999999Z"));
        }

        @Test
        void nullPayloadBecomesAnEmptyMap() {
            assertThat(withPayload(null).payload()).isEmpty();
        }
    }

    @Nested
    class UserAndSessionIds {

        @Test
        void blankUserIdIsRejected() {
            assertThatThrownBy(() -> Event.uxAction().userId(" \t").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("userId must be null or non-blank");
        }

        @Test
        void emptySessionIdIsRejected() {
            assertThatThrownBy(() -> Event.uxAction().sessionId("").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("sessionId must be null or non-blank");
        }

        @Test
        void userIdLongerThanTheBoundIsRejectedWithItsLength() {
            assertThatThrownBy(() -> Event.uxAction().userId("u".repeat(Event.MAX_ID_LENGTH + 1)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("userId must be at most 256 characters, was 257");
        }

        @Test
        void sessionIdLongerThanTheBoundIsRejectedWithItsLength() {
            assertThatThrownBy(() -> Event.uxAction().sessionId("s".repeat(1000)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sessionId must be at most 256 characters, was 1000");
        }

        @Test
        void idsAtTheBoundAreKeptAsGiven() {
            Event event = Event.uxAction().userId("u".repeat(256)).sessionId(" s1 ").build();

            assertThat(event.userId()).hasSize(256);
            assertThat(event.sessionId()).isEqualTo(" s1 ");
        }
    }

    @Nested
    class PayloadValues {

        @Test
        void nanIsRejectedNamingThePath() {
            assertThatThrownBy(() -> Event.uxAction().put("ratio", Double.NaN).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.ratio must be a finite number, was NaN");
        }

        @Test
        void infinityIsRejectedNamingThePath() {
            assertThatThrownBy(() -> Event.uxAction().put("speed", Double.POSITIVE_INFINITY).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.speed must be a finite number, was Infinity");
        }

        @Test
        void nonFiniteFloatInsideAListIsRejectedNamingTheIndex() {
            assertThatThrownBy(() -> Event.uxAction().put("xs", List.of(1.0f, Float.NEGATIVE_INFINITY)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.xs[1] must be a finite number, was -Infinity");
        }

        @Test
        void nonStringKeyIsRejected() {
            Map<Object, Object> payload = new LinkedHashMap<>();
            payload.put(42, "answer");

            assertThatThrownBy(() -> withPayload(raw(payload)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload has a non-String key 42 (java.lang.Integer); JSON object keys must be Strings");
        }

        @Test
        void nonStringKeyInANestedMapIsRejectedNamingThePath() {
            Map<Object, Object> inner = new HashMap<>();
            inner.put(null, "x");

            assertThatThrownBy(() -> Event.uxAction().put("outer", inner).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.outer has a non-String key null (null); JSON object keys must be Strings");
        }

        @Test
        void nonStringKeyGivenToTheBuilderIsRejectedByName() {
            Map<Object, Object> payload = new HashMap<>();
            payload.put(42, "answer");

            assertThatThrownBy(() -> Event.uxAction().payload(raw(payload)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload has a non-String key 42 (java.lang.Integer); JSON object keys must be Strings");
        }

        @Test
        void unsupportedObjectIsRejectedListingWhatIsAllowed() {
            assertThatThrownBy(() -> Event.uxAction().put("worker", new Thread()).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.worker has unsupported type java.lang.Thread; allowed: null, Boolean,"
                            + " finite Number, String, List, Map with String keys");
        }

        @Test
        void unsupportedObjectDeepInsideIsRejectedNamingItsPath() {
            Map<String, Object> payload = Map.of("a", List.of(Map.of("b", List.of("ok", new Object()))));

            assertThatThrownBy(() -> withPayload(payload))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.a[0].b[1] has unsupported type java.lang.Object; allowed: null, Boolean,"
                            + " finite Number, String, List, Map with String keys");
        }

        @Test
        void unsupportedNumberTypeIsRejected() {
            assertThatThrownBy(() -> Event.uxAction().put("n", new AtomicInteger(1)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.n has unsupported number type java.util.concurrent.atomic.AtomicInteger;"
                            + " allowed: Integer, Long, Short, Byte, Float, Double, BigInteger, BigDecimal");
        }

        @Test
        void everyJsonValueTypeIsAcceptedWithNumbersNormalisedAsJsonDecodingGivesThemBack() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("s", "text");
            payload.put("i", 1);
            payload.put("l", 2L);
            payload.put("sh", (short) 3);
            payload.put("b", (byte) 4);
            payload.put("f", 1.5f);
            payload.put("d", 2.5);
            payload.put("bi", BigInteger.TEN);
            payload.put("bd", new BigDecimal("1.10"));
            payload.put("t", true);
            payload.put("n", null);
            payload.put("list", List.of(1, "two"));
            payload.put("map", Map.of("k", "v"));
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("s", "text");
            expected.put("i", 1L);
            expected.put("l", 2L);
            expected.put("sh", 3L);
            expected.put("b", 4L);
            expected.put("f", 1.5);
            expected.put("d", 2.5);
            expected.put("bi", 10L);
            expected.put("bd", 1.1);
            expected.put("t", true);
            expected.put("n", null);
            expected.put("list", List.of(1L, "two"));
            expected.put("map", Map.of("k", "v"));

            assertThat(withPayload(payload).payload()).containsExactlyEntriesOf(expected);
        }

        @Test
        void nestingUpToTheBoundIsAccepted() {
            assertThatNoException().isThrownBy(() -> withPayload(nested(Event.MAX_PAYLOAD_DEPTH)));
        }

        @Test
        void nestingDeeperThanTheBoundIsRejected() {
            assertThatThrownBy(() -> withPayload(nested(Event.MAX_PAYLOAD_DEPTH + 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload" + ".a".repeat(32) + " nests deeper than 32 levels");
        }

        @Test
        void listsCountAsNestingLevels() {
            Object value = "leaf";
            for (int i = 0; i < 32; i++) {
                value = List.of(value);
            }
            Object tooDeep = value;

            assertThatThrownBy(() -> Event.uxAction().put("l", tooDeep).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload.l" + "[0]".repeat(31) + " nests deeper than 32 levels");
        }
    }

    @Nested
    class PayloadCopy {

        @Test
        void payloadIsDeepCopiedFromTheSource() {
            List<Object> tags = new ArrayList<>(List.of("a"));
            Map<String, Object> inner = new HashMap<>(Map.of("k", 1));
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("tags", tags);
            source.put("inner", inner);
            Event event = withPayload(source);

            tags.add("b");
            inner.put("k", 2);
            source.put("extra", true);

            assertThat(event.payload()).isEqualTo(Map.of("tags", List.of("a"), "inner", Map.of("k", 1L)));
        }

        @Test
        void builderDoesNotShareItsPayloadWithBuiltEvents() {
            Event.Builder builder = Event.uxAction().put("a", 1);
            Event first = builder.build();
            builder.put("b", 2);

            assertThat(first.payload()).isEqualTo(Map.of("a", 1L));
            assertThat(builder.build().payload()).isEqualTo(Map.of("a", 1L, "b", 2L));
        }

        @Test
        void payloadIsImmutableAtEveryLevel() {
            Event event = Event.uxAction()
                    .put("list", new ArrayList<>(List.of(1)))
                    .put("map", new HashMap<>(Map.of("k", "v")))
                    .build();
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) event.payload().get("list");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) event.payload().get("map");

            assertThatThrownBy(() -> event.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> map.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void nullValuesAreKept() {
            Event event = Event.uxAction().put("gone", null).build();

            assertThat(event.payload()).containsEntry("gone", null).hasSize(1);
        }

        @Test
        void insertionOrderIsKept() {
            Event event = Event.uxAction().put("zulu", 1).put("alpha", 2).put("mike", 3).build();

            assertThat(event.payload().keySet()).containsExactly("zulu", "alpha", "mike");
        }
    }

    @Nested
    class Builders {

        private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        @Test
        void uxActionBuilderFillsIdAndTimestampFromTheClock() {
            Event event = Event.uxAction().clock(clock).userId("u1").sessionId("s1").put("button", "buy").build();

            assertThat(event.eventType()).isEqualTo(EventType.UX_ACTION);
            assertThat(event.timestamp()).isEqualTo(NOW);
            assertThat(event.id()).isNotNull();
            assertThat(event.id().version()).isEqualTo(4);
            assertThat(event.userId()).isEqualTo("u1");
            assertThat(event.sessionId()).isEqualTo("s1");
            assertThat(event.payload()).isEqualTo(Map.of("button", "buy"));
        }

        @Test
        void simulationEventBuilderFillsIdAndTimestampFromTheClock() {
            Event event = Event.simulationEvent().clock(clock).build();

            assertThat(event.eventType()).isEqualTo(EventType.SIMULATION_EVENT);
            assertThat(event.timestamp()).isEqualTo(NOW);
            assertThat(event.userId()).isNull();
            assertThat(event.sessionId()).isNull();
            assertThat(event.payload()).isEmpty();
        }

        @Test
        void eachBuildGetsAFreshId() {
            Event.Builder builder = Event.uxAction().clock(clock);

            assertThat(builder.build().id()).isNotEqualTo(builder.build().id());
        }

        @Test
        void explicitIdAndTimestampWinOverTheFilledOnes() {
            Event event = Event.builder(EventType.SIMULATION_EVENT).clock(clock)
                    .id(ID).timestamp(Instant.EPOCH).build();

            assertThat(event).isEqualTo(new Event(ID, Instant.EPOCH, EventType.SIMULATION_EVENT, null, null, Map.of()));
        }

        @Test
        void builderRejectsNullsByName() {
            Event.Builder builder = Event.uxAction();

            assertThatThrownBy(() -> builder.clock(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("clock must not be null");
            assertThatThrownBy(() -> builder.id(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("id must not be null");
            assertThatThrownBy(() -> builder.timestamp(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("timestamp must not be null");
            assertThatThrownBy(() -> builder.put(null, 1))
                    .isInstanceOf(NullPointerException.class).hasMessage("payload key must not be null");
            assertThatThrownBy(() -> builder.payload(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("payload must not be null");
        }

        @Test
        void payloadAddsAllEntriesInOrder() {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("b", 1);
            values.put("a", 2);

            Event event = Event.uxAction().put("c", 0).payload(values).build();

            assertThat(event.payload().keySet()).containsExactly("c", "b", "a");
        }
    }
}
