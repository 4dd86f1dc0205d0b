package dev.eventsink.cli;

import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.spi.ConfigurationException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code eventsink} command. {@link #main} runs it in the real process; {@link #run} runs it against any
 * {@link CliEnvironment} and returns the exit code, which is what tests call:
 * {@code Main.run(new String[] {"send", "button=buy"}, env)} returns {@value #OK} once the event is delivered.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILED} the command ran and found a problem (an event not
 * delivered, a bad line, a failed check), {@value #USAGE} a usage or configuration error. Error messages quote
 * values through {@link Printable}, one problem to a line.
 */
public final class Main {

    /** Success. */
    public static final int OK = 0;
    /** The command ran, and something was not delivered, was bad or failed a check. */
    public static final int FAILED = 1;
    /** A usage error (unknown option, bad value) or a configuration error. */
    public static final int USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        JvmSettings.apply(); // JVM-wide: for the OpenObserve-compatible server of demo and serve-openobserve
        System.exit(run(args, CliEnvironment.system()));
    }

    /** Runs the command line in {@code env} and returns the exit code; never calls {@link System#exit}. */
    public static int run(String[] args, CliEnvironment env) {
        CommandLine commandLine = commandLine(env);
        try {
            return commandLine.execute(args);
        } finally {
            env.out().flush();
            env.err().flush();
            Logging.restore();
        }
    }

    static CommandLine commandLine(CliEnvironment env) {
        EventsinkCommand root = new EventsinkCommand(env);
        CommandLine commandLine = new CommandLine(root);
        commandLine.addSubcommand("demo", new DemoCommand(root));
        commandLine.addSubcommand("send", new SendCommand(root));
        commandLine.addSubcommand("replay", new ReplayCommand(root));
        commandLine.addSubcommand("doctor", new DoctorCommand(root));
        commandLine.addSubcommand("serve-openobserve", new ServeOpenObserveCommand(root));
        commandLine.addSubcommand("relay", new RelayCommand(root));
        commandLine.addSubcommand("serve-kafka", new ServeKafkaCommand(root));
        commandLine.addSubcommand(new CommandLine.HelpCommand());
        commandLine.setOut(new PrintWriter(new java.io.OutputStreamWriter(env.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new java.io.OutputStreamWriter(env.err(), StandardCharsets.UTF_8), true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionStrategy(parseResult -> {
            Logging.configure(root.verbose);
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof ConfigurationException configuration) {
                printConfigurationError(configuration, err);
                return USAGE;
            }
            LOG.debug("{} failed", cmd.getCommandName(), e);
            err.println("eventsink " + cmd.getCommandName() + ": " + Printable.message(e.toString()));
            if (!root.verbose) {
                err.println("Run again with --verbose for details.");
            } else {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILED;
        });
        return commandLine;
    }

    /** The problems one to a line, so that no value they quote can start a line of its own. */
    private static void printConfigurationError(ConfigurationException e, PrintWriter err) {
        List<ConfigurationException.Problem> problems = e.problems();
        if (problems.size() > 1) {
            err.println("Configuration error: " + problems.size() + " configuration problems:");
            problems.forEach(problem -> err.println("  - " + Printable.message(problem.message())));
        } else {
            err.println("Configuration error: " + Printable.message(String.valueOf(e.getMessage())));
        }
        err.println("Run 'eventsink doctor' to check the configuration.");
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(Printable.message(String.valueOf(e.getMessage())));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }
}
