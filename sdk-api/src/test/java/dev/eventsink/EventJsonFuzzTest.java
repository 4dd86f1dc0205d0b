package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the canonical-event decoder with mutated valid events, random JSON and random text. Whatever the input,
 * {@link EventJson#fromJson} ends within the deadline and either returns an event that survives encoding and
 * decoding unchanged (and that the fast one-pass decoder, when it accepts the text, decodes alike) or throws an
 * {@link EventJsonException} with a bounded message; nothing else.
 *
 * <p>The default suite runs a short run; the long run ({@value Fuzz#LONG_RUN_CASES} cases) is tagged {@code long}.
 */
class EventJsonFuzzTest {

    private static final Duration PER_CASE = Duration.ofSeconds(10);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final List<byte[]> SAMPLES = samples();

    @Test
    void shortRun() throws InterruptedException {
        Fuzz.run("EventJson", Fuzz.cases(2_000), PER_CASE, EventJsonFuzzTest::fuzzCase);
    }

    @Test
    @Tag("long")
    void longRun() throws InterruptedException {
        Fuzz.run("EventJson", Fuzz.cases(Fuzz.LONG_RUN_CASES), PER_CASE, EventJsonFuzzTest::fuzzCase);
    }

    private static void fuzzCase(Random random, int index) {
        String input = input(random);
        check(input, null);
        check(input, CLOCK);
    }

    private static String input(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> new String(Fuzz.randomBytes(random, 200), StandardCharsets.UTF_8);
            case 1 -> Fuzz.randomJson(random, 4);
            case 2, 3 -> randomEvent(random);
            case 4 -> mutateChars(random, new String(Fuzz.pick(random, SAMPLES), StandardCharsets.UTF_8));
            default -> new String(Fuzz.mutate(random, Fuzz.pick(random, SAMPLES)), StandardCharsets.UTF_8);
        };
    }

    private static void check(String input, Clock fillDefaults) {
        Event event;
        try {
            event = fillDefaults == null ? EventJson.fromJson(input) : EventJson.fromJson(input, fillDefaults);
        } catch (EventJsonException e) {
            String message = e.getMessage();
            if (message == null || !message.startsWith("Invalid event JSON: ") || message.length() > 2_000
                    || e.field() != null && !EventJson.FIELDS.contains(e.field())
                            && !message.startsWith("Invalid event JSON: unknown field")) {
                throw new AssertionError("unclear error for " + Fuzz.describe(input) + ": " + message, e);
            }
            return;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("not an EventJsonException for " + Fuzz.describe(input) + ": " + e, e);
        }
        String json = EventJson.toJson(event);
        Event again = EventJson.fromJson(json);
        if (!again.equals(event) || !EventJson.toJson(again).equals(json)) {
            throw new AssertionError("round trip changed " + Fuzz.describe(input) + ": " + json + " became "
                    + EventJson.toJson(again));
        }
        Event fast = EventJsonReader.read(input, fillDefaults);
        if (fast != null && fillDefaults == null) {
            Event thorough = EventJson.decodeThoroughly(input, null);
            if (!fast.equals(thorough)) {
                throw new AssertionError("the decoders differ on " + Fuzz.describe(input) + ": "
                        + EventJson.toJson(fast) + " vs " + EventJson.toJson(thorough));
            }
        }
    }

    /** Character-level changes that bytes cannot make: lone surrogates, NUL, line separators. */
    private static String mutateChars(Random random, String text) {
        StringBuilder out = new StringBuilder(text);
        int at = random.nextInt(out.length() + 1);
        char c = switch (random.nextInt(4)) {
            case 0 -> (char) (0xD800 + random.nextInt(0x800));
            case 1 -> '\u0000';
            case 2 -> '\u2028';
            default -> (char) random.nextInt(0x10000);
        };
        out.insert(at, c);
        return out.toString();
    }

    /** A random event's canonical JSON, with fields left out or reordered at times. */
    private static String randomEvent(Random random) {
        List<String> fields = new ArrayList<>();
        if (random.nextInt(8) > 0) {
            fields.add("\"id\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\"");
        }
        if (random.nextInt(8) > 0) {
            Instant t = Instant.ofEpochSecond(random.nextLong() % 253_402_300_799L, random.nextInt(1_000_000_000));
            fields.add("\"timestamp\":\"" + t.atOffset(ZoneOffset.UTC).toInstant() + "\"");
        }
        fields.add("\"eventType\":\"" + (random.nextBoolean() ? "ux_action" : "simulation_event") + "\"");
        if (random.nextBoolean()) {
            StringBuilder user = new StringBuilder("\"userId\":");
            Fuzz.quote(Fuzz.randomString(random), user);
            fields.add(user.toString());
        }
        fields.add("\"payload\":" + (random.nextInt(10) == 0 ? Fuzz.randomJson(random, 3) : randomObject(random)));
        if (random.nextInt(4) == 0) {
            java.util.Collections.shuffle(fields, random);
        }
        return "{" + String.join(",", fields) + "}";
    }

    private static String randomObject(Random random) {
        String json;
        do {
            json = Fuzz.randomJson(random, 5);
        } while (!json.startsWith("{"));
        return json;
    }

    private static List<byte[]> samples() {
        Instant t = Instant.parse("2026-11-28T12:00:00.123Z");
        UUID id = UUID.fromString("0b6c2f4e-8d1a-4c3b-9e7f-112233445566");
        Map<String, Object> rich = new LinkedHashMap<>();
        rich.put("button", "buy");
        rich.put("count", 3);
        rich.put("price", 9.5);
        rich.put("big", new BigInteger("123456789012345678901234567890"));
        rich.put("ok", true);
        rich.put("none", null);
        rich.put("tags", List.of("a", "é", "\ud83d\ude00"));
        rich.put("cart", Map.of("items", List.of(Map.of("sku", "A1", "qty", 2))));
        rich.put("text", "line\nbreak \"quoted\" \\ \u2028");
        List<byte[]> samples = new ArrayList<>();
        samples.add(EventJson.toJsonBytes(new Event(id, t, EventType.UX_ACTION, "u1", "s1", rich)));
        samples.add(EventJson.toJsonBytes(new Event(id, t, EventType.SIMULATION_EVENT, null, null, Map.of("x", 1.5))));
        samples.add(EventJson.toJsonBytes(new Event(id, t, EventType.UX_ACTION, null, "s", null)));
        Object deep = 1;
        for (int i = 1; i < Event.MAX_PAYLOAD_DEPTH; i++) {
            deep = Map.of("d", deep);
        }
        samples.add(EventJson.toJsonBytes(new Event(id, t, EventType.UX_ACTION, null, null, Map.of("d", deep))));
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < Event.MAX_PAYLOAD_KEYS; i++) {
            many.put("k" + i, i);
        }
        samples.add(EventJson.toJsonBytes(new Event(id, t, EventType.UX_ACTION, null, null, many)));
        samples.forEach(sample -> assertThat(EventJson.fromJson(new String(sample, StandardCharsets.UTF_8)))
                .isNotNull());
        return samples;
    }
}
