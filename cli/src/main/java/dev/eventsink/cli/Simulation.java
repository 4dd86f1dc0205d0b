package dev.eventsink.cli;

import dev.eventsink.Event;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's world: agents that move on a 2D grid, bounce off its walls and collide, watched by a user who
 * clicks, navigates and sets parameters. Each {@link #tick} returns the events of one step: an
 * {@code agent_moved} simulation event per agent, a {@code collision} per pair of agents that meet in a cell,
 * and now and then a UX action. Payload fields keep one JSON type each (OpenObserve fixes a column's type
 * from its first value). Deterministic for a given seed: {@code new Simulation(16, 42, clock).tick(0)} gives the
 * same events in every run. Not thread-safe.
 */
final class Simulation {

    static final int WIDTH = 24;
    static final int HEIGHT = 16;

    private final Random random;
    private final Clock clock;
    private final String runId;
    private final String userId;
    private final String sessionId;
    private final List<Agent> agents = new ArrayList<>();
    private final UserSession user;
    private long collisions;

    private static final class Agent {
        final String id;
        int x;
        int y;
        int vx;
        int vy;

        Agent(String id, int x, int y, int vx, int vy) {
            this.id = id;
            this.x = x;
            this.y = y;
            this.vx = vx;
            this.vy = vy;
        }
    }

    Simulation(int agentCount, long seed, Clock clock) {
        this.random = new Random(seed);
        this.clock = clock;
        this.runId = String.format("run-%04x", random.nextInt(0x10000));
        this.userId = "demo-user-" + (1 + random.nextInt(99));
        this.sessionId = String.format("session-%08x", random.nextInt());
        for (int i = 1; i <= agentCount; i++) {
            agents.add(new Agent(String.format("agent-%02d", i), random.nextInt(WIDTH), random.nextInt(HEIGHT),
                    randomSpeed(), randomSpeed()));
        }
        this.user = new UserSession(agentCount);
    }

    String runId() {
        return runId;
    }

    String userId() {
        return userId;
    }

    String sessionId() {
        return sessionId;
    }

    long collisions() {
        return collisions;
    }

    /** Advances the world one step and returns its events, UX actions first. */
    List<Event> tick(int tick) {
        List<Event> events = new ArrayList<>(agents.size() + 4);
        user.act(tick, events);
        Map<Long, List<Agent>> cells = new HashMap<>();
        for (Agent a : agents) {
            int fromX = a.x;
            int fromY = a.y;
            a.x += a.vx;
            a.y += a.vy;
            if (a.x < 0 || a.x >= WIDTH) {
                a.vx = -a.vx;
                a.x = Math.max(0, Math.min(WIDTH - 1, a.x));
            }
            if (a.y < 0 || a.y >= HEIGHT) {
                a.vy = -a.vy;
                a.y = Math.max(0, Math.min(HEIGHT - 1, a.y));
            }
            events.add(sim("agent_moved", tick)
                    .put("agent_id", a.id)
                    .put("from", point(fromX, fromY))
                    .put("position", point(a.x, a.y))
                    .put("velocity", point(a.vx, a.vy))
                    .build());
            cells.computeIfAbsent((long) a.x * 1_000_003L + a.y, k -> new ArrayList<>()).add(a);
        }
        for (List<Agent> together : cells.values()) {
            for (int i = 0; i < together.size(); i++) {
                for (int j = i + 1; j < together.size(); j++) {
                    events.add(collide(tick, together.get(i), together.get(j)));
                }
            }
        }
        return events;
    }

    /** Two agents in one cell: an elastic exchange of velocities (with a nudge when they were equal). */
    private Event collide(int tick, Agent a, Agent b) {
        collisions++;
        Map<String, Object> velocityA = point(a.vx, a.vy);
        Map<String, Object> velocityB = point(b.vx, b.vy);
        int vx = a.vx;
        int vy = a.vy;
        a.vx = b.vx;
        a.vy = b.vy;
        b.vx = vx;
        b.vy = vy;
        if (a.vx == b.vx && a.vy == b.vy) {
            a.vx = -a.vx;
            a.vy = -a.vy;
        }
        return sim("collision", tick)
                .put("agent_id", a.id)
                .put("other_agent_id", b.id)
                .put("position", point(a.x, a.y))
                .put("velocity", velocityA)
                .put("other_velocity", velocityB)
                .put("velocity_after", point(a.vx, a.vy))
                .put("other_velocity_after", point(b.vx, b.vy))
                .build();
    }

    private Event.Builder sim(String name, int tick) {
        return Event.simulationEvent().clock(clock).sessionId(sessionId)
                .put("event", name)
                .put("run_id", runId)
                .put("tick", tick);
    }

    private int randomSpeed() {
        int v = random.nextInt(3) - 1;
        return v == 0 ? 1 : v;
    }

    private static Map<String, Object> point(int x, int y) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", x);
        p.put("y", y);
        return p;
    }

    /** The person watching the run: a short script of actions, then clicks and tweaks now and then. */
    private final class UserSession {
        private final int agentCount;
        private String page = "/";
        private double speed = 1.0;
        private double zoom = 1.0;
        private boolean paused;

        UserSession(int agentCount) {
            this.agentCount = agentCount;
        }

        void act(int tick, List<Event> events) {
            switch (tick) {
                case 0 -> {
                    events.add(navigate("/simulations/new"));
                    events.add(setParameter("agent_count", agentCount, 8));
                    events.add(setParameter("grid_width", WIDTH, 32));
                    events.add(click("start_simulation", 640, 410));
                    events.add(navigate("/simulations/" + runId));
                }
                default -> {
                    if (random.nextDouble() >= 0.15) {
                        return;
                    }
                    switch (random.nextInt(5)) {
                        case 0 -> {
                            double previous = speed;
                            speed = speed >= 4 ? 1.0 : speed * 2;
                            events.add(setParameter("speed", speed, previous));
                        }
                        case 1 -> {
                            double previous = zoom;
                            zoom = zoom >= 3 ? 1.0 : zoom + 0.5;
                            events.add(setParameter("zoom", zoom, previous));
                        }
                        case 2 -> {
                            paused = !paused;
                            events.add(click(paused ? "pause" : "resume", 88, 32));
                        }
                        case 3 -> events.add(navigate(page.endsWith("/agents")
                                ? "/simulations/" + runId : "/simulations/" + runId + "/agents"));
                        default -> events.add(click("agent_marker", 20 + random.nextInt(WIDTH * 30),
                                20 + random.nextInt(HEIGHT * 30)));
                    }
                }
            }
        }

        private Event.Builder ux(String action) {
            return Event.uxAction().clock(clock).userId(userId).sessionId(sessionId)
                    .put("action", action)
                    .put("page", page);
        }

        private Event click(String target, int x, int y) {
            return ux("click").put("target", target).put("x", x).put("y", y).build();
        }

        private Event navigate(String to) {
            Event event = ux("navigate").put("to", to).build();
            page = to;
            return event;
        }

        private Event setParameter(String name, double value, double previous) {
            return ux("set_parameter").put("parameter", name).put("value", value).put("previous_value", previous)
                    .build();
        }
    }
}
