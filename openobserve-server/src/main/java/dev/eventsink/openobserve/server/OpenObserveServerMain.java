package dev.eventsink.openobserve.server;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link OpenObserveServer} on its own for local development, until Ctrl-C or SIGTERM:
 *
 * <pre>
 * java -cp ... dev.eventsink.openobserve.server.OpenObserveServerMain --port 5080 \
 *      --user root@example.com --password 'Complexpass#123'
 * </pre>
 *
 * It prints its URL and the {@code .env} lines that point both channels at it. Options: {@code --port} (default
 * 5080, OpenObserve's; 0 picks a free port), {@code --user} and {@code --password} (default OpenObserve's
 * documented root user), {@code --help}. Records are counted but not kept, so it can run for long.
 */
public final class OpenObserveServerMain {

    private OpenObserveServerMain() {}

    /** Starts the server, prints where it is, and waits until the JVM is asked to stop. */
    public static void main(String[] args) throws InterruptedException {
        OpenObserveServer server;
        try {
            server = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            System.exit(1);
            return;
        }
        if (server == null) {
            return; // --help
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "openobserve-server-shutdown"));
        stopped.await();
    }

    /**
     * Parses the arguments, starts the server and prints its URL and .env lines to {@code out}.
     *
     * @return the running server, or {@code null} after {@code --help}
     * @throws IllegalArgumentException for bad arguments
     */
    static OpenObserveServer start(String[] args, PrintStream out) {
        int port = 5080;
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
                            throw new IllegalArgumentException("--port must be a number: " + value);
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

        OpenObserveServer server =
                OpenObserveServer.builder().port(port).user(user, password).retainRecords(false).start();
        out.println("OpenObserve stand-in listening on " + server.url() + " (Ctrl-C to stop)");
        out.println();
        out.println("# .env lines pointing both channels at it:");
        for (String channel : new String[] {"UX", "SIM"}) {
            out.println(channel + "_EVENT_SINK_TYPE=openobserve");
            out.println(channel + "_EVENT_SINK_URL=" + server.url());
            out.println(channel + "_EVENT_SINK_API_KEY=" + dotenvQuote(server.apiKey()));
        }
        out.flush();
        return server;
    }

    /**
     * Quotes a .env value: dotenv-java ends an unquoted value at {@code #}, and the default password has one.
     */
    static String dotenvQuote(String value) {
        return value.indexOf('"') < 0 ? '"' + value + '"' : '\'' + value + '\'';
    }

    private static void usage(PrintStream out) {
        out.println("Usage: OpenObserveServerMain [--port 5080] [--user EMAIL] [--password PASSWORD]");
        out.println("Runs an OpenObserve-compatible ingestion server on 127.0.0.1 until Ctrl-C.");
    }
}
