package dev.eventsink.kafka;

import dev.eventsink.kafka.broker.KafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one real Kafka broker, with a SASL/PLAIN listener for {@link #USER}, shared by every test class of the
 * run that asks for it (started on first use, stopped when the run ends), so that the module's tests pay for one
 * start.
 */
final class SharedBroker implements ParameterResolver {

    static final String USER = "eventsink";
    static final String PASSWORD = "kafka-test-secret";
    /** The API key of {@link #USER}, as {@code *_EVENT_SINK_API_KEY} takes it. */
    static final String API_KEY = USER + ":" + PASSWORD;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedBroker.class))
                .getOrComputeIfAbsent("broker", key -> new Closing(KafkaBroker.builder()
                        .saslPlainUser(USER, PASSWORD).start()), Closing.class).broker;
    }

    private record Closing(KafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            broker.close();
        }
    }
}
