package dev.eventsink.spring;

import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.util.concurrent.CompletableFuture;

/** Type {@code capturing}: a sink that keeps the configuration it was created from, to assert how keys arrive. */
public final class CapturingSinkProvider implements EventSinkProvider {

    @Override
    public String type() {
        return "capturing";
    }

    @Override
    public EventSink create(SinkConfig config) {
        return new CapturingSink(config);
    }

    /** Refuses every event; only its configuration matters. */
    public static final class CapturingSink implements EventSink {
        private final SinkConfig config;

        CapturingSink(SinkConfig config) {
            this.config = config;
        }

        public SinkConfig config() {
            return config;
        }

        @Override
        public CompletableFuture<Void> sendEvent(Event event) {
            return CompletableFuture.failedFuture(
                    new DeliveryException(DeliveryException.Outcome.REJECTED, "capturing sink sends nothing"));
        }

        @Override
        public void close() {}
    }
}
