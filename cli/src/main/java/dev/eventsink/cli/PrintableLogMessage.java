package dev.eventsink.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %printableMessage} of the command's logback.xml: a log message as the command prints any text it
 * did not write ({@link Printable}), so that a logged configuration value can neither start a line of its own nor
 * show a URL's credentials. For example a warning about {@code UX_EVENT_SINK_STREAM='a\nb'} stays on one line,
 * with {@code \n} written as two characters. Messages longer than {@value #MAX} characters are cut.
 */
public final class PrintableLogMessage extends ClassicConverter {

    /** Characters of a log message shown at most. */
    static final int MAX = 2_000;

    @Override
    public String convert(ILoggingEvent event) {
        return Printable.message(event.getFormattedMessage(), MAX);
    }
}
