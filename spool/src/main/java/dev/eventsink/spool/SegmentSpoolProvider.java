package dev.eventsink.spool;

import dev.eventsink.export.Spool;
import dev.eventsink.export.SpoolProvider;
import dev.eventsink.export.SpoolSettings;
import java.io.IOException;

/**
 * Opens a {@link SegmentSpool} for a channel whose {@code SPOOL_DIR} is set: found by the delivery pipeline with
 * {@link java.util.ServiceLoader} once this module's jar is on the class path.
 *
 * <pre>{@code
 * Spool spool = new SegmentSpoolProvider().open(settings);   // what DeliveryPipeline does at start
 * }</pre>
 */
public final class SegmentSpoolProvider implements SpoolProvider {

    @Override
    public Spool open(SpoolSettings settings) throws IOException {
        return SegmentSpool.open(settings);
    }
}
