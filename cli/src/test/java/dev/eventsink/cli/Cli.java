package dev.eventsink.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.eventsink.ConfigSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Runs the CLI in-process with an injected configuration, stdin and captured stdout/stderr and logs: tests
 * never read the process environment or a real {@code .env}.
 */
final class Cli {

    private final Map<String, String> config = new LinkedHashMap<>();
    private InputStream in = InputStream.nullInputStream();
    private boolean terminal;
    private CliEnvironment.StopSignal stopSignal = new TestStopSignal();

    static Cli withConfig(Map<String, String> values) {
        Cli cli = new Cli();
        cli.config.putAll(values);
        return cli;
    }

    static Cli unconfigured() {
        return new Cli();
    }

    Cli set(String key, String value) {
        config.put(key, value);
        return this;
    }

    Cli stdin(String text) {
        this.in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Cli stdin(byte[] bytes) {
        this.in = new ByteArrayInputStream(bytes);
        return this;
    }

    Cli terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    Cli stopSignal(CliEnvironment.StopSignal signal) {
        this.stopSignal = signal;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = CliEnvironment.builder()
                .config(ConfigSource.fromMap(config))
                .in(in)
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))
                .terminal(terminal)
                .stopSignal(stopSignal)
                .build();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        int code;
        try {
            code = Main.run(args, env);
        } finally {
            root.detachAppender(logs);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                logText(logs));
    }

    private static String logText(ListAppender<ILoggingEvent> logs) {
        List<ILoggingEvent> events;
        synchronized (logs) { // AppenderBase appends under the appender's lock
            events = List.copyOf(logs.list);
        }
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent e : events) {
            text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
                    .append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        return text.toString();
    }

    /** What a run printed and returned, and what it logged (WARN and above, or more with --verbose). */
    record Result(int exitCode, String out, String err, String logs) {
        /** stdout, stderr and the logs together, to check that something appears nowhere. */
        String everything() {
            return out + err + logs;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err + "--- logs\n" + logs;
        }
    }

    /** Both channels to one OpenObserve-compatible server. */
    static Map<String, String> openObserve(String url, String apiKey) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String channel : new String[] {"UX", "SIM"}) {
            values.put(channel + "_EVENT_SINK_TYPE", "openobserve");
            values.put(channel + "_EVENT_SINK_URL", url);
            values.put(channel + "_EVENT_SINK_API_KEY", apiKey);
            values.put(channel + "_EVENT_SINK_LINGER", "20ms");
            values.put(channel + "_EVENT_SINK_RETRY_DEADLINE", "2s");
        }
        return values;
    }

    /** Both channels to the mock sink. */
    static Map<String, String> mock() {
        return Map.of("UX_EVENT_SINK_TYPE", "mock", "SIM_EVENT_SINK_TYPE", "mock");
    }

    /** A stop signal the test pulls: {@link #awaitWaiting} until the command waits, then {@link #request}. */
    static final class TestStopSignal implements CliEnvironment.StopSignal {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch requested = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void await() throws InterruptedException {
            waiting.countDown();
            requested.await();
        }

        @Override
        public void stopped() {
            stopped.countDown();
        }

        boolean awaitWaiting(java.time.Duration timeout) throws InterruptedException {
            return waiting.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        void request() {
            requested.countDown();
        }
    }
}
