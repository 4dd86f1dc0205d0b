package dev.eventsink.cli;

import dev.eventsink.ConfigSource;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Everything a command reads from or writes to the outside world: its configuration, its standard streams,
 * whether it talks to a terminal, its clock, and how it learns that the user wants it to stop. {@link #system()}
 * is the real process; tests build their own with {@link #builder()}, so no command touches the process
 * environment, a real {@code .env} or the real standard streams. Immutable.
 *
 * <pre>{@code
 * CliEnvironment env = CliEnvironment.builder().config(ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "mock")))
 *         .out(new PrintStream(stdout, true, UTF_8)).build();
 * }</pre>
 */
public final class CliEnvironment {

    /** How a long-running command (serve-openobserve) learns that it should stop. */
    public interface StopSignal {
        /** Blocks until the user asks the program to stop (Ctrl-C, SIGTERM, or a test). */
        void await() throws InterruptedException;

        /** Says that the command has finished stopping, so that the process may exit. */
        void stopped();
    }

    private final Function<Path, ConfigSource> configLoader;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Clock clock;
    private final StopSignal stopSignal;

    private CliEnvironment(Builder b) {
        this.configLoader = Objects.requireNonNull(b.configLoader, "configLoader");
        this.in = Objects.requireNonNull(b.in, "in");
        this.out = Objects.requireNonNull(b.out, "out");
        this.err = Objects.requireNonNull(b.err, "err");
        this.terminal = b.terminal;
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.stopSignal = Objects.requireNonNull(b.stopSignal, "stopSignal");
    }

    /**
     * The real process: configuration from the environment then {@code .env} in the working directory (or the
     * file given with {@code --env-file}), {@code System.in/out/err}, a terminal when {@link System#console()}
     * exists, the system clock, and Ctrl-C or SIGTERM as the stop signal.
     */
    public static CliEnvironment system() {
        return builder()
                .configLoader(envFile -> envFile == null ? ConfigSource.environment() : ConfigSource.environment(envFile))
                .in(System.in)
                .out(System.out)
                .err(System.err)
                .terminal(System.console() != null)
                .stopSignal(new ShutdownHookSignal())
                .build();
    }

    /** A builder whose defaults are an empty configuration, empty input, discarded output and no terminal. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration commands use.
     *
     * @param envFile the dotenv file given with {@code --env-file}, or {@code null} for the default
     * @throws dev.eventsink.spi.ConfigurationException when a dotenv file exists but is malformed
     */
    public ConfigSource config(Path envFile) {
        return configLoader.apply(envFile);
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Whether standard error is an interactive terminal, where a redrawn progress bar makes sense. */
    public boolean terminal() {
        return terminal;
    }

    public Clock clock() {
        return clock;
    }

    public StopSignal stopSignal() {
        return stopSignal;
    }

    /** Builds a {@link CliEnvironment}. Not thread-safe. */
    public static final class Builder {
        private Function<Path, ConfigSource> configLoader =
                envFile -> envFile == null ? ConfigSource.fromMap(java.util.Map.of()) : ConfigSource.dotenv(envFile);
        private InputStream in = InputStream.nullInputStream();
        private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
        private PrintStream err = new PrintStream(java.io.OutputStream.nullOutputStream());
        private boolean terminal;
        private Clock clock = Clock.systemUTC();
        private StopSignal stopSignal = new ShutdownHookSignal();

        private Builder() {}

        /**
         * A fixed configuration; with {@code --env-file PATH} the file is read after it, as the process
         * environment comes before {@code .env} in the real program.
         */
        public Builder config(ConfigSource source) {
            Objects.requireNonNull(source, "source");
            this.configLoader = envFile -> envFile == null ? source : source.orElse(ConfigSource.dotenv(envFile));
            return this;
        }

        /** How the configuration is loaded, given the {@code --env-file} path or {@code null}. */
        public Builder configLoader(Function<Path, ConfigSource> loader) {
            this.configLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        public Builder in(InputStream in) {
            this.in = in;
            return this;
        }

        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        public Builder err(PrintStream err) {
            this.err = err;
            return this;
        }

        public Builder terminal(boolean terminal) {
            this.terminal = terminal;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder stopSignal(StopSignal signal) {
            this.stopSignal = signal;
            return this;
        }

        public CliEnvironment build() {
            return new CliEnvironment(this);
        }
    }

    /**
     * Ctrl-C and SIGTERM: a shutdown hook releases {@link #await()} and then holds the JVM until the command
     * calls {@link #stopped()} (at most 10 seconds), so the command can close what it opened and say so.
     */
    static final class ShutdownHookSignal implements StopSignal {
        private final CountDownLatch requested = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);

        @Override
        public void await() throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                requested.countDown();
                try {
                    finished.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "eventsink-stop"));
            requested.await();
        }

        @Override
        public void stopped() {
            finished.countDown();
        }
    }
}
