package dev.eventsink.cli;

import dev.eventsink.kafka.broker.KafkaBroker;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink serve-kafka}: a real single-node Kafka broker (Apache Kafka's own server, KRaft mode) on
 * 127.0.0.1 in the foreground, for local development, until Ctrl-C or SIGTERM; a {@link KafkaBroker}.
 */
@Command(name = "serve-kafka",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a real single-node Apache Kafka broker (KRaft mode, broker and controller in one process) on "
                    + "127.0.0.1 for local development, until Ctrl-C. It is Apache Kafka's own server, from its "
                    + "Maven artifacts: no Docker, no download.",
            "It prints the .env lines that point both channels' kafka sinks at it, and the relay command that "
                    + "moves the events on. Topics are created on first use, with --partitions partitions."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  stopped cleanly", "  1  could not start (port in use, directory not writable)",
            "  2  usage error"})
final class ServeKafkaCommand implements Callable<Integer> {

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + KafkaBroker.DEFAULT_PORT,
            description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}, Kafka's).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory for the broker's data, kept after the stop (a later run on it keeps the "
                    + "topics); default a temporary directory, deleted at the stop.")
    Path dir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + KafkaBroker.DEFAULT_PARTITIONS,
            description = "Partitions of each topic created on first use (default ${DEFAULT-VALUE}).")
    int partitions;

    ServeKafkaCommand(EventsinkCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, was " + port);
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new ParameterException(spec.commandLine(), "--partitions must be 1 to 10000, was " + partitions);
        }
        CliEnvironment.StopSignal stop = root.env.stopSignal();
        PrintStream out = root.env.out();
        out.println("Starting a Kafka broker on 127.0.0.1:" + port + "…");
        out.flush();
        KafkaBroker broker;
        try {
            KafkaBroker.Builder builder = KafkaBroker.builder().port(port).partitions(partitions);
            if (dir != null) {
                builder.dir(dir);
            }
            broker = builder.start();
        } catch (UncheckedIOException | IllegalStateException e) {
            root.env.err().println(Printable.message(String.valueOf(e.getMessage())));
            return Main.FAILED;
        }
        try {
            printWelcome(broker, out);
            stop.await();
        } finally {
            broker.close();
            out.println("Stopped." + (dir != null ? " The data stays in " + Printable.value(dir.toString()) + "." : ""));
            out.flush();
            stop.stopped();
        }
        return Main.OK;
    }

    private void printWelcome(KafkaBroker broker, PrintStream out) {
        out.println("Kafka broker (KRaft, single node) listening on " + broker.bootstrapServers() + ", data in "
                + Printable.value(broker.dir().toString()) + (dir == null ? " (deleted at the stop)" : ""));
        out.println();
        out.println("# .env lines that point both channels at it through the kafka sink:");
        for (String channel : new String[] {"UX", "SIM"}) {
            out.println(channel + "_EVENT_SINK_TYPE=kafka");
            out.println(channel + "_EVENT_SINK_BOOTSTRAP_SERVERS=" + broker.bootstrapServers());
        }
        out.println();
        out.println("# and a relay that moves the events on to the sinks its own configuration names (openobserve):");
        out.println("#   eventsink --env-file relay.env relay --bootstrap-servers " + broker.bootstrapServers());
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
