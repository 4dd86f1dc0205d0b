package dev.eventsink.cli;

import dev.eventsink.testkit.openobserve.OpenObserveServer;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink serve-openobserve}: the testkit's OpenObserve-compatible server in the foreground, for local
 * development, until Ctrl-C or SIGTERM. It counts records without keeping them, so it can run for long.
 */
@Command(name = "serve-openobserve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs an OpenObserve-compatible ingestion server on 127.0.0.1 for local development, until Ctrl-C.",
            "It prints its URL and the .env lines that point both channels at it. It implements "
                    + "POST /api/{org}/{stream}/_json (Basic auth) and GET /healthz, answering as OpenObserve does; "
                    + "records are counted, not kept, and there is no search or UI."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  stopped cleanly", "  1  could not listen (port in use)", "  2  usage error"})
final class ServeOpenObserveCommand implements Callable<Integer> {

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5080",
            description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}, OpenObserve's).")
    int port;

    @Option(names = "--user", paramLabel = "EMAIL", defaultValue = OpenObserveServer.DEFAULT_EMAIL,
            description = "The user's email (default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password", paramLabel = "PASS", defaultValue = OpenObserveServer.DEFAULT_PASSWORD,
            description = "The user's password (default OpenObserve's documented one, Complexpass#123).")
    String password;

    ServeOpenObserveCommand(EventsinkCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, was " + port);
        }
        if (user.isEmpty() || user.contains(":") || !Printable.escape(user).equals(user)) {
            throw new ParameterException(spec.commandLine(), "--user must be an email without ':' or control "
                    + "characters, was " + Printable.quote(user));
        }
        if (!Printable.escape(password).equals(password)) {
            throw new ParameterException(spec.commandLine(), "--password must not contain control characters");
        }
        PrintStream out = root.env.out();
        CliEnvironment.StopSignal stop = root.env.stopSignal();
        OpenObserveServer server;
        try {
            server = OpenObserveServer.builder().port(port).user(user, password).retainRecords(false).start();
        } catch (UncheckedIOException e) {
            root.env.err().println("Cannot listen on 127.0.0.1:" + port + ": " + e.getCause().getMessage()
                    + ". Is another server running there? Choose another port with --port (0 picks a free one).");
            return Main.FAILED;
        }
        try {
            out.println("OpenObserve-compatible server listening on " + server.url() + " (user " + server.email()
                    + ")");
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
            stop.await();
        } finally {
            server.close();
            long total = 0;
            StringBuilder streams = new StringBuilder();
            for (String org : server.orgs()) {
                for (String stream : server.streams(org)) {
                    long count = server.recordCount(org, stream);
                    total += count;
                    streams.append(streams.length() == 0 ? "" : ", ").append(Printable.value(org)).append('/')
                            .append(Printable.value(stream)).append(' ').append(Text.count(count));
                }
            }
            out.println("Stopped. Accepted " + Text.count(total) + " records"
                    + (streams.length() > 0 ? " (" + streams + ")" : "") + ".");
            out.flush();
            stop.stopped();
        }
        return Main.OK;
    }

    /** A .env value, quoted: dotenv ends an unquoted value at '#', and the default password has one. */
    static String dotenvQuote(String value) {
        return value.indexOf('"') < 0 ? '"' + value + '"' : '\'' + value + '\'';
    }
}
