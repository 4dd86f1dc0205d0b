package dev.eventsink.cli;

import dev.eventsink.openobserve.server.ForegroundServer;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink serve-openobserve}: the OpenObserve-compatible server in the foreground, for local development,
 * until Ctrl-C or SIGTERM, as a {@link ForegroundServer} (which {@code OpenObserveServerMain} runs too).
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

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ForegroundServer.DEFAULT_PORT,
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
        if (user.isEmpty() || user.contains(":") || !Printable.escape(user).equals(user)) {
            throw new ParameterException(spec.commandLine(), "--user must be an email without ':' or control "
                    + "characters, was " + Printable.quote(user));
        }
        if (!Printable.escape(password).equals(password)) {
            throw new ParameterException(spec.commandLine(), "--password must not contain control characters");
        }
        CliEnvironment.StopSignal stop = root.env.stopSignal();
        ForegroundServer running;
        try {
            running = ForegroundServer.start(port, user, password, root.env.out());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (UncheckedIOException e) {
            root.env.err().println(e.getMessage());
            return Main.FAILED;
        }
        try {
            stop.await();
        } finally {
            running.close();
            stop.stopped();
        }
        return Main.OK;
    }
}
