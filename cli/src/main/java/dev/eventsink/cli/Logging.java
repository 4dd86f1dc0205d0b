package dev.eventsink.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logging switch. logback.xml sends WARN and above to stderr; {@code --verbose} turns the
 * {@code dev.eventsink} loggers to DEBUG for the run, and {@link #restore()} puts them back (so that in-process
 * runs, as in tests, do not leak the level): {@code Logging.configure(verbose)} before the command runs,
 * {@code Logging.restore()} after it.
 */
final class Logging {

    static final String SDK_LOGGER = "dev.eventsink";
    private static Level saved;
    private static boolean changed;

    private Logging() {}

    static synchronized void configure(boolean verbose) {
        if (!verbose || !(LoggerFactory.getLogger(SDK_LOGGER) instanceof Logger logger)) {
            return;
        }
        if (!changed) {
            saved = logger.getLevel();
            changed = true;
        }
        logger.setLevel(Level.DEBUG);
    }

    static synchronized void restore() {
        if (changed && LoggerFactory.getLogger(SDK_LOGGER) instanceof Logger logger) {
            logger.setLevel(saved);
        }
        changed = false;
        saved = null;
    }
}
