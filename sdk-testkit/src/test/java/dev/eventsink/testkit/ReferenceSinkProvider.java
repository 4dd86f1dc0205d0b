package dev.eventsink.testkit;

import dev.eventsink.Channel;
import dev.eventsink.EventSink;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@link ReferenceSink}, with the {@link Defect} that {@link EventSinkCompatibilityKitTest} sets.
 * Keys: {@code API_KEY} (required), {@code LIMIT} (1 to 1000000, default 1000000), {@code FAIL_WITH}.
 */
public final class ReferenceSinkProvider implements EventSinkProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceSinkProvider.class);

    @Override
    public String type() {
        return defect() == Defect.UPPERCASE_TYPE ? "Reference" : "reference";
    }

    @Override
    public EventSink create(SinkConfig config) {
        Defect defect = defect();
        ConfigReader reader = config.reader();
        String apiKey = reader.required("API_KEY", "any secret");
        int limit;
        if (defect == Defect.WRONG_EXCEPTION_FOR_INVALID_CONFIGURATION) {
            limit = Integer.parseInt(reader.string("LIMIT", "1000000"));
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
        } else {
            limit = reader.integer("LIMIT", 1_000_000, 1, 1_000_000);
        }
        String failWith = reader.string("FAIL_WITH", null);
        if (defect != Defect.ACCEPTS_INVALID_CONFIGURATION) {
            reader.validate();
        }
        if (defect == Defect.SIM_CHANNEL_UNSUPPORTED && config.channel() == Channel.SIM) {
            throw new ConfigurationException("the reference sink serves the UX channel only");
        }
        if (defect == Defect.KEY_IN_LOGS) {
            LOG.debug("created a sink with API key {}", apiKey);
        }
        return new ReferenceSink(defect, apiKey, failWith, limit);
    }

    private static Defect defect() {
        Defect defect = EventSinkCompatibilityKitTest.defect;
        return defect == null ? Defect.NONE : defect;
    }
}
