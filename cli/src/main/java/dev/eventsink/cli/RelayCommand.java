package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.EventTracker;
import dev.eventsink.spi.Secrets;
import dev.eventsink.spi.SinkConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink relay}: consumes the event topics as a member of a Kafka consumer group and delivers each event
 * to the sink of its channel, configured as usual; see {@link Relay} for the guarantees.
 */
@Command(name = "relay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Consumes events from Kafka topics, as a member of a consumer group, and delivers each to the sink of "
                    + "its channel, configured as usual by UX_EVENT_SINK_* and SIM_EVENT_SINK_* (openobserve, in "
                    + "practice). Start several with the same --group: Kafka shares the partitions among them.",
            "At-least-once: a record's offset is committed only once it and every record before it were delivered "
                    + "or dead-lettered; a relay killed at any moment loses nothing. Records that are not events, "
                    + "and events their sink rejected, go to the dead-letter topic with their topic, partition, "
                    + "offset and reason.",
            "Runs until Ctrl-C or SIGTERM, or with --until-idle until no record arrived for that long; then "
                    + "prints per channel the records consumed, delivered, rejected and dead-lettered."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  every record consumed was delivered",
            "  1  some record was dead-lettered, or still undelivered when the relay stopped",
            "  2  usage or configuration error"})
final class RelayCommand implements Callable<Integer> {

    static final String DEFAULT_TOPICS = "ux_events,simulation_events";
    static final String DEFAULT_GROUP = "eventsink-relay";
    static final String DEFAULT_DEAD_LETTER_TOPIC = "eventsink_dead_letters";

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
            description = "Kafka brokers, host:port pairs separated by commas.")
    String bootstrapServers;

    @Option(names = "--topics", paramLabel = "TOPICS", defaultValue = DEFAULT_TOPICS, split = ",",
            description = "Topics to consume, separated by commas (default ${DEFAULT-VALUE}).")
    List<String> topics;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = DEFAULT_GROUP,
            description = "Consumer group; relays of one group share the partitions (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", defaultValue = DEFAULT_DEAD_LETTER_TOPIC,
            description = "Where records that are not events, and rejected events, go (default ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--until-idle", paramLabel = "TIME", converter = Durations.class,
            description = "Stop once no record has arrived for this long and every record is done, e.g. 30s.")
    Duration untilIdle;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client setting for the consumer and the dead-letter producer (each takes those it "
                    + "knows), e.g. security.protocol=SASL_SSL or session.timeout.ms=10000; repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "10000",
            description = "Events handed to the sinks and not yet done at most; consuming pauses beyond "
                    + "(default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--deadline", paramLabel = "TIME", defaultValue = "60s", converter = Durations.class,
            description = "On stop, how long to wait for events in flight (default ${DEFAULT-VALUE}); their records "
                    + "are not committed, and the next relay reads them again.")
    Duration deadline;

    @Option(names = "--no-progress", description = "Print no progress line.")
    boolean noProgress;

    @Option(names = "--progress-interval", paramLabel = "TIME", defaultValue = "5s", converter = Durations.class,
            description = "How often a progress line is printed to stderr (default ${DEFAULT-VALUE}).")
    Duration progressInterval;

    RelayCommand(EventsinkCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        validate();
        ConfigSource userConfig = root.config(spec);
        ConfigSource source = userConfig.orElse(ConfigSource.fromMap(ReplayCommand.replayDefaults(userConfig)));
        Map<Channel, String> sinkTypes = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            SinkConfig config = SinkConfig.of(channel, source);
            sinkTypes.put(channel, config.type().orElse("?"));
            String topic = config.get("TOPIC").orElse(KafkaTopics.of(channel));
            if (config.type().filter("kafka"::equals).isPresent() && topics.contains(topic)) {
                throw new ParameterException(spec.commandLine(), channel.key("TYPE") + "=kafka writes to topic "
                        + Printable.quote(topic) + ", which this relay reads: it would relay its own output for ever. "
                        + "Point " + channel.key("TYPE") + " at the backend the events should reach (openobserve)");
            }
        }
        PrintStream err = root.env.err();
        Relay.Settings settings = new Relay.Settings(bootstrapServers, List.copyOf(topics), group, deadLetterTopic,
                Map.copyOf(kafkaProperties), untilIdle, maxInFlight, noProgress ? null : progressInterval);
        long start = System.nanoTime();
        try (EventTracker tracker = EventTracker.create(source)) {
            Relay relay;
            try {
                relay = new Relay(settings, tracker, line -> err.println(line));
            } catch (KafkaException e) {
                throw new ParameterException(spec.commandLine(), "Kafka refused the client settings: "
                        + Printable.message(masked(String.valueOf(e.getCause() != null ? e.getCause().getMessage()
                                : e.getMessage()))));
            }
            err.println("relay: consuming " + String.join(", ", topics) + " from " + bootstrapServers + " as group "
                    + Printable.quote(group) + (untilIdle != null ? ", until idle for " + Durations.compact(untilIdle)
                    : ", until Ctrl-C"));
            Thread stopper = stopper(relay);
            boolean allDone;
            try {
                allDone = relay.run(deadline);
            } finally {
                stopper.interrupt();
                relay.close();
            }
            tracker.close(Duration.ofSeconds(5));
            int code = summary(relay, sinkTypes, allDone, Duration.ofNanos(System.nanoTime() - start));
            root.env.stopSignal().stopped();
            return code;
        }
    }

    private void validate() {
        if (bootstrapServers.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--bootstrap-servers must name at least one host:port");
        }
        topics = topics.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        if (topics.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--topics must name at least one topic");
        }
        if (topics.contains(deadLetterTopic)) {
            throw new ParameterException(spec.commandLine(), "--dead-letter-topic " + Printable.quote(deadLetterTopic)
                    + " is one of --topics: dead letters would be read again");
        }
        if (maxInFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--max-in-flight must be at least 1, was " + maxInFlight);
        }
        if (progressInterval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--progress-interval must be more than 0");
        }
        for (String key : kafkaProperties.keySet()) {
            if (!ConsumerConfig.configNames().contains(key) && !ProducerConfig.configNames().contains(key)) {
                throw new ParameterException(spec.commandLine(), "--kafka-property " + Printable.quote(key)
                        + " is not a setting of Kafka's consumer or producer");
            }
            if (Relay.consumerPropertiesSetHere(key)) {
                throw new ParameterException(spec.commandLine(), "--kafka-property " + key + " is set by the relay"
                        + " itself (use --bootstrap-servers and --group)");
            }
        }
    }

    /** A thread that stops the relay on Ctrl-C or SIGTERM. */
    private Thread stopper(Relay relay) {
        Thread stopper = new Thread(() -> {
            try {
                root.env.stopSignal().await();
                relay.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eventsink-relay-stop");
        stopper.setDaemon(true);
        stopper.start();
        return stopper;
    }

    private String masked(String message) {
        String text = message;
        for (Map.Entry<String, String> e : kafkaProperties.entrySet()) {
            if (Secrets.isSecretKey(e.getKey()) && !e.getValue().isEmpty()) {
                text = text.replace(e.getValue(), Secrets.MASK);
            }
        }
        return text;
    }

    private int summary(Relay relay, Map<Channel, String> sinkTypes, boolean allDone, Duration took) {
        PrintStream out = root.env.out();
        long consumed = relay.unreadable().consumed.sum();
        long problems = relay.unreadable().deadLettered.sum();
        Text.Table table = new Text.Table("channel", "sink", "consumed", "delivered", "rejected", "dead-lettered",
                "resent").alignRight(2, 3, 4, 5, 6);
        for (Channel channel : Channel.values()) {
            Relay.Counts c = relay.counts(channel);
            consumed += c.consumed.sum();
            problems += c.deadLettered.sum();
            table.row(channel.name(), Printable.value(sinkTypes.get(channel)), Text.count(c.consumed.sum()),
                    Text.count(c.delivered.sum()), Text.count(c.rejected.sum()), Text.count(c.deadLettered.sum()),
                    Text.count(c.resent.sum()));
        }
        Relay.Counts u = relay.unreadable();
        table.row("(no event)", "", Text.count(u.consumed.sum()), "-", "-", Text.count(u.deadLettered.sum()), "-");
        double seconds = Math.max(1e-9, took.toNanos() / 1e9);
        out.printf(Locale.ROOT, "Relayed %s records from %s in %s (%s records/s)%n", Text.count(consumed),
                String.join(", ", topics), Durations.human(took), Text.rate(consumed / seconds));
        out.println();
        table.print(out, "  ");
        out.println();
        List<String> result = new ArrayList<>();
        if (problems > 0) {
            result.add(Text.count(problems) + (problems == 1 ? " record was" : " records were") + " dead-lettered to "
                    + Printable.quote(deadLetterTopic));
        }
        if (!allDone) {
            result.add(Text.count(relay.inFlight()) + " events were still in flight at the stop; their records are "
                    + "not committed and will be read again");
        }
        if (result.isEmpty()) {
            out.println("Result: every record consumed was delivered.");
            return Main.OK;
        }
        out.println("Result: " + String.join("; ", result) + ".");
        return Main.FAILED;
    }
}
