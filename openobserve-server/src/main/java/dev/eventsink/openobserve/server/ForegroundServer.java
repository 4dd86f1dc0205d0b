package dev.eventsink.openobserve.server;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link OpenObserveServer} run in the foreground for local development, as {@code eventsink
 * serve-openobserve} and {@link OpenObserveServerMain} run it: it counts records without keeping them (so it can
 * run for long), prints its URL and the {@code .env} lines that point both channels at it, and on
 * {@link #close()} prints how many records each stream accepted.
 *
 * <pre>{@code
 * try (ForegroundServer running = ForegroundServer.start(5080, OpenObserveServer.DEFAULT_EMAIL,
 *         OpenObserveServer.DEFAULT_PASSWORD, System.out)) {
 *     stopRequested.await();   // Ctrl-C
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class ForegroundServer implements AutoCloseable {

    /** OpenObserve's port. */
    public static final int DEFAULT_PORT = 5080;

    private final OpenObserveServer server;
    private final PrintStream out;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ForegroundServer(OpenObserveServer server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /**
     * Starts a server on {@code 127.0.0.1:port} accepting one user, and prints where it is to {@code out}.
     *
     * @param port 0 to 65535; 0 picks a free port
     * @throws IllegalArgumentException when {@code port} is out of range or {@code email} is empty or holds a
     *     {@code :}; the message names the option ({@code --port}, {@code --user})
     * @throws UncheckedIOException when the port cannot be bound; the message says what to do
     */
    public static ForegroundServer start(int port, String email, String password, PrintStream out) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, was " + port);
        }
        if (email.isEmpty() || email.contains(":")) {
            throw new IllegalArgumentException("--user must be an email without ':', was '" + email + "'");
        }
        OpenObserveServer server;
        try {
            server = OpenObserveServer.builder().port(port).user(email, password).retainRecords(false).start();
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getCause().getMessage()
                    + ". Is another server running there? Choose another port with --port (0 picks a free one).",
                    e.getCause());
        }
        ForegroundServer running = new ForegroundServer(server, out);
        running.printWelcome();
        return running;
    }

    /** The running server. */
    public OpenObserveServer server() {
        return server;
    }

    private void printWelcome() {
        out.println("OpenObserve-compatible server listening on " + server.url() + " (user " + server.email() + ")");
        out.println();
        out.println("# .env lines that point both channels at it:");
        for (String channel : new String[] {"UX", "SIM"}) {
            out.println(channel + "_EVENT_SINK_TYPE=openobserve");
            out.println(channel + "_EVENT_SINK_URL=" + server.url());
            out.println(channel + "_EVENT_SINK_API_KEY=" + dotenvQuote(server.apiKey()));
        }
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /**
     * Stops the server and prints what it accepted: {@code Stopped. Accepted 1,204 records (default/ux_events
     * 1,000, default/simulation_events 204).} Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        long total = 0;
        StringBuilder streams = new StringBuilder();
        for (String org : server.orgs()) {
            for (String stream : server.streams(org)) {
                long count = server.recordCount(org, stream);
                total += count;
                // Names come from clients' URLs: escaped, so that none can forge a line of this output.
                streams.append(streams.length() == 0 ? "" : ", ").append(escape(org)).append('/')
                        .append(escape(stream)).append(' ').append(count(count));
            }
        }
        out.println("Stopped. Accepted " + count(total) + " records"
                + (streams.length() > 0 ? " (" + streams + ")" : "") + ".");
        out.flush();
    }

    /** {@code text} with CR, LF, tab and other control characters escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A {@code .env} value, quoted: dotenv ends an unquoted value at {@code #}, and the default password has one. */
    static String dotenvQuote(String value) {
        return value.indexOf('"') < 0 ? '"' + value + '"' : '\'' + value + '\'';
    }
}
