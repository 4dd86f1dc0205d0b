package dev.eventsink;

import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Providers that tests list in a {@link ProviderClassLoader}. They are public with public constructors, as
 * {@link java.util.ServiceLoader} requires, unless a test needs them not to be.
 */
final class TestProviders {

    private TestProviders() {}

    /**
     * The sinks {@link Alpha} created for a configuration with {@code *_EVENT_SINK_INSTANCE} set, keyed by
     * {@code <instance>/<channel>}: how a test reaches a sink the factory created but never returned. Each test
     * uses its own random instance id and removes its entries.
     */
    static final Map<String, RecordingSink> CREATED = new ConcurrentHashMap<>();

    /** Type {@code alpha}: a {@link RecordingSink} that shows its (masked) configuration in toString. */
    public static final class Alpha implements EventSinkProvider {
        @Override
        public String type() {
            return "alpha";
        }

        @Override
        public EventSink create(SinkConfig config) {
            RecordingSink sink = new RecordingSink("alpha, " + config);
            config.get("INSTANCE").ifPresent(id -> CREATED.put(id + "/" + config.channel(), sink));
            return sink;
        }
    }

    /** Claims {@code alpha} too. */
    public static final class AlphaTwin implements EventSinkProvider {
        @Override
        public String type() {
            return "alpha";
        }

        @Override
        public EventSink create(SinkConfig config) {
            return new RecordingSink("alpha twin");
        }
    }

    /** Type {@code beta}. */
    public static final class Beta implements EventSinkProvider {
        @Override
        public String type() {
            return "beta";
        }

        @Override
        public EventSink create(SinkConfig config) {
            return new RecordingSink("beta");
        }
    }

    /** Type {@code Upper}: not lowercase, so skipped. */
    public static final class UpperCaseType implements EventSinkProvider {
        @Override
        public String type() {
            return "Upper";
        }

        @Override
        public EventSink create(SinkConfig config) {
            return new RecordingSink("upper");
        }
    }

    /** {@code type()} throws, so skipped. */
    public static final class TypeThrows implements EventSinkProvider {
        @Override
        public String type() {
            throw new IllegalStateException("no type today");
        }

        @Override
        public EventSink create(SinkConfig config) {
            return new RecordingSink("never");
        }
    }

    /** Has no public no-argument constructor, so it fails to load. */
    public static final class NeedsArgument implements EventSinkProvider {
        public NeedsArgument(String argument) {}

        @Override
        public String type() {
            return "needsargument";
        }

        @Override
        public EventSink create(SinkConfig config) {
            return new RecordingSink("never");
        }
    }

    /** Its constructor throws, so it fails to load. */
    public static final class ThrowsInConstructor implements EventSinkProvider {
        public ThrowsInConstructor() {
            throw new IllegalStateException("cannot start");
        }

        @Override
        public String type() {
            return "throwsinconstructor";
        }

        @Override
        public EventSink create(SinkConfig config) {
            return new RecordingSink("never");
        }
    }

    /** Type {@code exploding}: {@code create} throws an unexpected exception. */
    public static final class Exploding implements EventSinkProvider {
        @Override
        public String type() {
            return "exploding";
        }

        @Override
        public EventSink create(SinkConfig config) {
            throw new IllegalStateException("disk full");
        }
    }

    /**
     * Type {@code strict}: requires {@code URL}, and an {@code API_KEY} starting with {@code sk-}; reports every
     * problem at once through {@link ConfigReader}.
     */
    public static final class Strict implements EventSinkProvider {
        @Override
        public String type() {
            return "strict";
        }

        @Override
        public EventSink create(SinkConfig config) {
            ConfigReader reader = config.reader();
            reader.required("URL", "the backend URL, such as http://localhost:5080");
            String apiKey = reader.string("API_KEY", null);
            if (apiKey != null && !apiKey.startsWith("sk-")) {
                reader.invalid("API_KEY", "does not start with sk-", "allowed: a key such as sk-123");
            }
            reader.integer("BATCH_SIZE", 100, 1, 10_000);
            reader.validate();
            return new RecordingSink("strict, " + config);
        }
    }

    /** The exact exception {@link Rejecting} throws. */
    static final ConfigurationException REJECTION = ConfigurationException.of(
            List.of(new ConfigurationException.Problem("UX_EVENT_SINK_URL", "UX_EVENT_SINK_URL is wrong")));

    /** Type {@code rejecting}: {@code create} throws {@link #REJECTION}. */
    public static final class Rejecting implements EventSinkProvider {
        @Override
        public String type() {
            return "rejecting";
        }

        @Override
        public EventSink create(SinkConfig config) {
            throw REJECTION;
        }
    }

    /** Type {@code nullsink}: {@code create} returns null. */
    public static final class ReturnsNull implements EventSinkProvider {
        @Override
        public String type() {
            return "nullsink";
        }

        @Override
        public EventSink create(SinkConfig config) {
            return null;
        }
    }
}
