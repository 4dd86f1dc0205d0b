package dev.eventsink.example.spring;

import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves one agent around a 24 by 16 grid, bouncing off its walls, and records a {@code simulation_event}
 * {@code agent_moved} each tick ({@code example.simulation.interval}, 1 s by default):
 * {@code {"event":"agent_moved","agent":1,"tick":7,"x":7,"y":7}}.
 */
@Component
public class SimulationJob {

    static final int WIDTH = 24;
    static final int HEIGHT = 16;

    private final EventTracker tracker;
    private long tick;
    private int x;
    private int y;
    private int dx = 1;
    private int dy = 1;

    public SimulationJob(EventTracker tracker) {
        this.tracker = tracker;
    }

    @Scheduled(fixedRateString = "${example.simulation.interval:1s}")
    public synchronized void step() {
        tick++;
        if (x + dx < 0 || x + dx >= WIDTH) {
            dx = -dx;
        }
        if (y + dy < 0 || y + dy >= HEIGHT) {
            dy = -dy;
        }
        x += dx;
        y += dy;
        tracker.track(Event.simulationEvent()
                .put("event", "agent_moved").put("agent", 1).put("tick", tick).put("x", x).put("y", y)
                .build());
    }
}
