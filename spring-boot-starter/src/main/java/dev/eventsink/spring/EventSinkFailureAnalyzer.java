package dev.eventsink.spring;

import dev.eventsink.EventSinkFactory;
import dev.eventsink.spi.ConfigurationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns an invalid eventsink configuration into Spring Boot's start-up failure report, naming each property, where
 * its value came from, what is wrong and what is allowed:
 *
 * <pre>
 * Description:
 *
 * The eventsink configuration is invalid:
 *
 *     Property: eventsink.ux.batch-size
 *     Origin: class path resource [application.properties] - 3:24
 *     Reason: eventsink.ux.batch-size='abc' is not a whole number; allowed: 1 to 100000
 *
 * Action:
 *
 * Update your application's configuration ...
 * </pre>
 *
 * A {@link ConfigurationException} the starter did not translate (a malformed {@code .env}) is reported with the
 * SDK's own message.
 */
public final class EventSinkFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EventSinkConfigurationException e) {
                return analysis(e);
            }
            if (t instanceof ConfigurationException e) {
                return new FailureAnalysis("The eventsink configuration is invalid:" + nl() + nl() + "    "
                        + e.getMessage() + nl(), action(), e);
            }
        }
        return null;
    }

    private static FailureAnalysis analysis(EventSinkConfigurationException e) {
        StringBuilder description = new StringBuilder("The eventsink configuration is invalid:").append(nl());
        if (e.problems().isEmpty()) {
            description.append(nl()).append("    ").append(e.getMessage()).append(nl());
        }
        for (EventSinkConfigurationException.Problem p : e.problems()) {
            description.append(nl()).append("    Property: ").append(p.property()).append(nl());
            if (p.origin() != null) {
                description.append("    Origin: ").append(p.origin()).append(nl());
            }
            description.append("    Reason: ").append(p.reason()).append(nl());
        }
        return new FailureAnalysis(description.toString(), action(), e);
    }

    private static String action() {
        return "Update your application's configuration: set each property above to an allowed value (in"
                + " application.properties or application.yaml, or as its environment variable: eventsink.ux.url is"
                + " also read from UX_EVENT_SINK_URL). Sink types on the class path: "
                + String.join(", ", EventSinkFactory.availableTypes()) + ".";
    }

    private static String nl() {
        return System.lineSeparator();
    }
}
