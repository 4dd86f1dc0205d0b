package dev.eventsink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A test sink that keeps what it receives and counts how often it was closed. */
final class RecordingSink implements EventSink {

    private final String description;
    private final List<Event> events = new ArrayList<>();
    private final AtomicInteger sendCalls = new AtomicInteger();
    private final AtomicInteger closeCalls = new AtomicInteger();

    RecordingSink(String description) {
        this.description = description;
    }

    @Override
    public synchronized CompletableFuture<Void> sendEvent(Event event) {
        sendCalls.incrementAndGet();
        events.add(event);
        return CompletableFuture.completedFuture(null);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    int sendCalls() {
        return sendCalls.get();
    }

    int closeCalls() {
        return closeCalls.get();
    }

    @Override
    public void close() {
        closeCalls.incrementAndGet();
    }

    @Override
    public String toString() {
        return "RecordingSink{" + description + "}";
    }
}
