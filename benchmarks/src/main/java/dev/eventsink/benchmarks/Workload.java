package dev.eventsink.benchmarks;

import dev.eventsink.Event;
import dev.eventsink.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The workload, one producer's worth: each {@link #next()} builds an application's own event the way a
 * caller would before handing it to a library: a random UUID, the current time, the type alternating between
 * {@code ux_action} and {@code simulation_event}, a user and a session from small pools, and a payload of five
 * fields (a string, an int, a double, a boolean, a short string), about 250 bytes as canonical JSON.
 *
 * <pre>{@code
 * Workload workload = new Workload(0);
 * Workload.Sample sample = workload.next();
 * tracker.track(sample.toEvent());
 * }</pre>
 *
 * Not thread-safe: one per producer thread.
 */
public final class Workload {

    private static final String[] USERS = pool("user-", 100);
    private static final String[] SESSIONS = pool("session-", 50);
    private static final String[] SCREENS = {"checkout", "cart", "search", "product", "home", "profile", "settings"};
    private static final String[] ACTIONS = {"click", "view", "scroll", "submit"};

    private long counter;

    /** @param seed where the pools' rotation starts, so that producers differ */
    public Workload(int seed) {
        this.counter = seed * 7919L;
    }

    /** An event as the application holds it before it becomes an {@link Event}. */
    public record Sample(UUID id, Instant timestamp, EventType type, String userId, String sessionId,
            Map<String, Object> payload) {

        /** The SDK's event: what every caller of {@code track} does first. */
        public Event toEvent() {
            return new Event(id, timestamp, type, userId, sessionId, payload);
        }
    }

    /** Builds the next event. */
    public Sample next() {
        long n = counter++;
        Map<String, Object> payload = new LinkedHashMap<>(8);
        payload.put("screen", SCREENS[(int) (n % SCREENS.length)]);
        payload.put("item_count", (int) (n % 17));
        payload.put("amount", (n % 10_000) * 0.01 + 0.5);
        payload.put("logged_in", (n & 1) == 0);
        payload.put("action", ACTIONS[(int) (n % ACTIONS.length)]);
        return new Sample(UUID.randomUUID(), Instant.now(),
                (n & 1) == 0 ? EventType.UX_ACTION : EventType.SIMULATION_EVENT,
                USERS[(int) (n % USERS.length)], SESSIONS[(int) (n % SESSIONS.length)], payload);
    }

    private static String[] pool(String prefix, int size) {
        String[] pool = new String[size];
        for (int i = 0; i < size; i++) {
            pool[i] = prefix + i;
        }
        return pool;
    }
}
