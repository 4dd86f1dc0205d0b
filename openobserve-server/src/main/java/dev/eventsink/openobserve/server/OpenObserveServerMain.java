package dev.eventsink.openobserve.server;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link OpenObserveServer} on its own for local development, until Ctrl-C or SIGTERM, as a
 * {@link ForegroundServer}:
 *
 * <pre>
 * java -cp ... dev.eventsink.openobserve.server.OpenObserveServerMain --port 5080 \
 *      --user root@example.com --password 'Complexpass#123'
 * </pre>
 *
 * Options: {@code --port} (default 5080, OpenObserve's; 0 picks a free port), {@code --user} and
 * {@code --password} (default OpenObserve's documented root user), {@code --help}. Exit code 1 when the port
 * cannot be bound, 2 for a bad argument.
 */
public final class OpenObserveServerMain {

    private OpenObserveServerMain() {}

    /** Starts the server, prints where it is, and waits until the JVM is asked to stop. */
    public static void main(String[] args) throws InterruptedException {
        JvmSettings.apply();
        ForegroundServer running;
        try {
            running = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        if (running == null) {
            return; // --help
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "openobserve-server-shutdown"));
        stopped.await();
    }

    /**
     * Parses the arguments and starts the server, printing to {@code out}.
     *
     * @return the running server, or {@code null} after {@code --help}
     * @throws IllegalArgumentException for bad arguments
     * @throws UncheckedIOException when the port cannot be bound
     */
    static ForegroundServer start(String[] args, PrintStream out) {
        int port = ForegroundServer.DEFAULT_PORT;
        String user = OpenObserveServer.DEFAULT_EMAIL;
        String password = OpenObserveServer.DEFAULT_PASSWORD;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    usage(out);
                    return null;
                }
                case "--port", "--user", "--password" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args[++i];
                    if (arg.equals("--port")) {
                        try {
                            port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--port must be a number, was '" + value + "'");
                        }
                    } else if (arg.equals("--user")) {
                        user = value;
                    } else {
                        password = value;
                    }
                }
                default -> throw new IllegalArgumentException("Unknown argument: " + arg);
            }
        }
        return ForegroundServer.start(port, user, password, out);
    }

    private static void usage(PrintStream out) {
        out.println("Usage: OpenObserveServerMain [--port 5080] [--user EMAIL] [--password PASSWORD]");
        out.println("Runs an OpenObserve-compatible ingestion server on 127.0.0.1 until Ctrl-C.");
    }
}
