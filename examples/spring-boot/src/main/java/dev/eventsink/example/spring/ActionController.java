package dev.eventsink.example.spring;

import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Records a UX action per request: {@code POST /actions/click?user=u1&session=s1&target=buy} tracks a
 * {@code ux_action} event with payload {@code {"action":"click","target":"buy"}} and answers {@code 202} with the
 * event's id; an invalid user or session id (blank, or longer than 256 characters) answers {@code 400} with the
 * SDK's message. Tracking never blocks the request: the tracker queues the event and delivers it in the background.
 */
@RestController
public class ActionController {

    private final EventTracker tracker;

    public ActionController(EventTracker tracker) {
        this.tracker = tracker;
    }

    @PostMapping("/actions/{action}")
    public ResponseEntity<Map<String, String>> action(@PathVariable("action") String action,
            @RequestParam("user") String user, @RequestParam(name = "session", required = false) String session,
            @RequestParam(name = "target", required = false) String target) {
        Event.Builder builder = Event.uxAction().userId(user).sessionId(session).put("action", action);
        if (target != null) {
            builder.put("target", target);
        }
        Event event;
        try {
            event = builder.build();
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        tracker.track(event);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", event.id().toString()));
    }
}
