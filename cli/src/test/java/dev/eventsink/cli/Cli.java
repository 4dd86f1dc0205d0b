package dev.eventsink.cli;

import dev.eventsink.ConfigSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the CLI in-process with an injected configuration, stdin and captured stdout/stderr: tests never read
 * the process environment or a real {@code .env}.
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
        int code = Main.run(args, env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
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
