package dev.eventsink.testkit;

// The README's example of "Testing code that emits events", exactly as written there (between the markers), so
// that it keeps compiling and passing; Checkout, below the example, plays the user's code under test. The
// example uses only the public API, as a downstream test would.

import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import dev.eventsink.EventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// README example begins
import static dev.eventsink.testkit.EventAssertions.assertThat;
@ExtendWith(EventTrackerExtension.class)
class CheckoutTest {
    @Test
    void buyingEmitsOneUxAction(EventTracker tracker, @Ux RecordingSink ux, @Sim RecordingSink sim) {
        new Checkout(tracker).buy("u1", "A1");        // your code, given the tracker

        assertThat(ux).singleEvent()
                .hasType(EventType.UX_ACTION)
                .hasUserId("u1")
                .hasPayloadEntry("button", "buy")
                .hasPayloadPath("cart.items[0].sku", "A1");
        assertThat(sim).hasReceivedNothing();
    }
}
// README example ends

/** The code under test of the README example: it emits one UX action per purchase. */
final class Checkout {

    private final EventTracker tracker;

    Checkout(EventTracker tracker) {
        this.tracker = tracker;
    }

    void buy(String userId, String sku) {
        tracker.track(Event.uxAction()
                .userId(userId)
                .put("button", "buy")
                .put("cart", Map.of("items", List.of(Map.of("sku", sku, "qty", 1))))
                .build());
    }
}
