package dev.eventsink.cli;

import dev.eventsink.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level command: global options, and usage when no subcommand is given. */
@Command(name = "eventsink",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Records UX actions and simulation events and delivers them to pluggable sinks.",
            "Configuration comes from the environment, then .env in the working directory "
                    + "(UX_EVENT_SINK_* and SIM_EVENT_SINK_* keys)."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  the command ran and something was not delivered, was bad, or failed a check",
            "  2  usage or configuration error",
            "",
            "Start with: eventsink demo"})
final class EventsinkCommand implements Callable<Integer> {

    final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Option(names = "--env-file", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "Read configuration from this dotenv file instead of ./.env "
                    + "(the environment still comes first).")
    Path envFile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log the SDK's diagnostics at DEBUG to stderr.")
    boolean verbose;

    EventsinkCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return Main.USAGE;
    }

    /**
     * The configuration for a command: the environment then {@code .env}, or the {@code --env-file}.
     *
     * @param command the running subcommand, for usage errors
     * @throws ParameterException when {@code --env-file} names no file
     */
    ConfigSource config(CommandSpec command) {
        if (envFile != null && !Files.isRegularFile(envFile)) {
            throw new ParameterException(command.commandLine(), "--env-file " + envFile + ": no such file");
        }
        return env.config(envFile);
    }
}
