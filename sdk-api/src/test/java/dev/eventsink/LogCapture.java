package dev.eventsink;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what some loggers write, from the moment it is opened until it is closed: attaches a
 * {@link ListAppender}, lowers the loggers' level and stops them from also writing to the console.
 * Closing restores each logger as it was. Shared with other modules' tests through sdk-api's test-jar.
 */
public final class LogCapture implements AutoCloseable {

    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> savedLevels = new ArrayList<>();
    private final List<Boolean> savedAdditivity = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Level level, String... loggerNames) {
        appender.start();
        for (String name : loggerNames) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            loggers.add(logger);
            savedLevels.add(logger.getLevel());
            savedAdditivity.add(logger.isAdditive());
            logger.setLevel(level);
            logger.setAdditive(false);
            logger.addAppender(appender);
        }
    }

    /** Captures the named loggers (and their descendants) at {@code level} and above. */
    public static LogCapture capture(Level level, String... loggerNames) {
        return new LogCapture(level, loggerNames);
    }

    /** Captures everything the SDK logs ({@code dev.eventsink} and below), DEBUG and above. */
    public static LogCapture sdk() {
        return capture(Level.DEBUG, "dev.eventsink");
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** The formatted messages logged at exactly {@code level}, in order. */
    public List<String> lines(Level level) {
        return appender.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    /** Every captured line with its level, logger and any exception with its causes, as one text. */
    public String everything() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent e : appender.list) {
            text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
                    .append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            Logger logger = loggers.get(i);
            logger.detachAppender(appender);
            logger.setLevel(savedLevels.get(i));
            logger.setAdditive(savedAdditivity.get(i));
        }
        appender.stop();
    }
}
