package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventTracker;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink replay FILE|-}: streams NDJSON events in the canonical schema through the configured
 * tracker. Memory stays bounded whatever the file's size: lines are read one at a time, nothing is kept per
 * event (each future only increments counters when it completes), and the sinks' overflow policy defaults to
 * {@code block} so the reader waits for the pipeline instead of dropping.
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sends every event of an NDJSON file (or stdin with -) through the configured sinks, routed by "
                    + "eventType, and reports what became of them.",
            "Each line is one event in the canonical schema: "
                    + "{\"id\":…,\"timestamp\":…,\"eventType\":\"ux_action\",\"userId\":…,\"sessionId\":…,"
                    + "\"payload\":{…}}; id and timestamp are optional (a random UUID and now).",
            "Lines of a dead-letter file (*_EVENT_SINK_DEAD_LETTER_FILE: {\"deadLetteredAt\":…,\"reason\":…,"
                    + "\"sink\":…,\"event\":{…}}) are read as their event, so that a file of rejected events can be "
                    + "sent again once the cause is fixed.",
            "Bad lines (not valid UTF-8, not an event) are reported with their number and skipped (or stop the "
                    + "replay with --strict). "
                    + "Unless configured otherwise, the sinks block the reader when their queue is full "
                    + "(*_EVENT_SINK_OVERFLOW=block, *_EVENT_SINK_BLOCK_TIMEOUT=10m) instead of dropping."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  every valid line was delivered, and there was no bad line",
            "  1  some event was rejected, dropped or undelivered at the deadline, or some line was bad",
            "  2  usage or configuration error (including a missing FILE)"})
final class ReplayCommand implements Callable<Integer> {

    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    static final int MAX_REPORTED_BAD_LINES = 100;
    /** Pipeline keys replay sets, under the user's configuration, for each channel (by suffix). */
    static final Map<String, String> REPLAY_DEFAULTS = Map.of("OVERFLOW", "block", "BLOCK_TIMEOUT", "10m");

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|-", description = "NDJSON file to replay, or - for stdin.")
    String input;

    @Option(names = "--strict", description = "Stop at the first bad line (exit 1).")
    boolean strict;

    @Option(names = "--deadline", paramLabel = "TIME", defaultValue = "60s", converter = Durations.class,
            description = "How long to wait, after the last line, for delivery (default ${DEFAULT-VALUE}); "
                    + "what is still pending then counts as undelivered.")
    Duration deadline;

    @Option(names = "--no-progress", description = "Print no progress.")
    boolean noProgress;

    @Option(names = "--progress-interval", paramLabel = "TIME", defaultValue = "5s", converter = Durations.class,
            description = "How often a plain progress line is printed when stderr is not a terminal "
                    + "(default ${DEFAULT-VALUE}).")
    Duration progressInterval;

    ReplayCommand(EventsinkCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() throws IOException {
        if (progressInterval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--progress-interval must be more than 0");
        }
        String name;
        InputStream stream;
        long totalBytes;
        if (input.equals("-")) {
            name = "stdin";
            stream = root.env.in();
            totalBytes = -1;
        } else {
            Path path = Path.of(input);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ParameterException(spec.commandLine(), "Cannot read " + input + ": "
                        + (Files.exists(path) ? "not a readable file" : "no such file"));
            }
            name = input;
            totalBytes = Files.size(path);
            stream = Files.newInputStream(path);
        }
        ConfigSource userConfig;
        try {
            userConfig = root.config(spec);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        ConfigSource source = userConfig.orElse(ConfigSource.fromMap(replayDefaults(userConfig)));
        Map<Channel, String> sinkTypes = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            sinkTypes.put(channel, SinkConfig.of(channel, source).type().orElse("?"));
        }
        try (LineReader reader = new LineReader(stream, MAX_LINE_BYTES);
                EventTracker tracker = EventTracker.create(source)) {
            return replay(name, reader, totalBytes, tracker, sinkTypes);
        }
    }

    /**
     * {@link #REPLAY_DEFAULTS} for every channel whose sink queues events (every type but {@code mock}, which
     * delivers in the caller's thread and would only warn about keys it does not read).
     */
    static Map<String, String> replayDefaults(ConfigSource userConfig) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            String type = SinkConfig.of(channel, userConfig).type().orElse("mock");
            if (!type.equals("mock")) {
                REPLAY_DEFAULTS.forEach((suffix, value) -> defaults.put(channel.key(suffix), value));
            }
        }
        return defaults;
    }

    private int replay(String name, LineReader reader, long totalBytes, EventTracker tracker,
            Map<Channel, String> sinkTypes) throws IOException {
        PrintStream out = root.env.out();
        Clock clock = root.env.clock();
        OutcomeTally tally = new OutcomeTally();
        AtomicLong lineCount = new AtomicLong();
        long blank = 0;
        long bad = 0;
        String stoppedAt = null;
        long start = System.nanoTime();
        long readNanos;
        long totalNanos;
        // Progress shows through the final flush too; it is closed before the summary is printed.
        Progress progress = new Progress(root.env.err(), root.env.terminal(), !noProgress, totalBytes,
                progressInterval, reader::bytesRead, lineCount::get, tally::delivered);
        try {
            progress.start();
            String line;
            long number = 0;
            while ((line = reader.next()) != null) {
                number++;
                lineCount.lazySet(number);
                String problem = null;
                Event event = null;
                if (reader.lastLineTooLong()) {
                    problem = "the line is longer than " + MAX_LINE_BYTES / (1024 * 1024) + " MiB";
                } else if (reader.lastLineInvalidUtf8At() > 0) {
                    problem = "not valid UTF-8 at byte " + reader.lastLineInvalidUtf8At();
                } else if (line.isBlank()) {
                    blank++;
                    continue;
                } else {
                    try {
                        event = EventJson.fromJson(
                                DeadLetterLine.isDeadLetter(line) ? DeadLetterLine.eventJson(line) : line, clock);
                    } catch (IllegalArgumentException e) { // EventJsonException among them
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    bad++;
                    problem = Printable.message(problem);
                    if (bad <= MAX_REPORTED_BAD_LINES) {
                        progress.message("line " + number + ": " + problem);
                    } else if (bad == MAX_REPORTED_BAD_LINES + 1) {
                        progress.message("(more bad lines: counted, not shown)");
                    }
                    if (strict) {
                        stoppedAt = "Stopped at line " + Text.count(number) + " (--strict): " + problem;
                        break;
                    }
                    continue;
                }
                tally.track(event.eventType().channel(), tracker.track(event));
            }
            readNanos = System.nanoTime() - start;
            settle(tracker);
            totalNanos = System.nanoTime() - start;
        } finally {
            progress.close();
        }
        return summary(out, name, lineCount.get(), blank, bad, stoppedAt, tally, sinkTypes, readNanos, totalNanos);
    }

    /** Flushes both sinks within one deadline, then closes the tracker; what is left is failed by the close. */
    private void settle(EventTracker tracker) {
        long end = System.nanoTime() + deadline.toNanos();
        for (Channel channel : Channel.values()) {
            tracker.sink(channel).flush(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        Duration left = Duration.ofNanos(Math.max(0, end - System.nanoTime()));
        tracker.close(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    }

    private int summary(PrintStream out, String name, long lines, long blank, long bad, String stoppedAt,
            OutcomeTally tally, Map<Channel, String> sinkTypes, long readNanos, long totalNanos) {
        double totalSeconds = Math.max(1e-9, totalNanos / 1e9);
        long sent = tally.sent();
        out.printf(Locale.ROOT, "Replayed %s: %s lines in %s (%s events/s)%n", Printable.message(name),
                Text.count(lines), Durations.human(Duration.ofNanos(totalNanos)), Text.rate(sent / totalSeconds));
        out.printf("  %s events sent, %s bad lines, %s blank lines; reading took %s%n", Text.count(sent),
                Text.count(bad), Text.count(blank), Durations.human(Duration.ofNanos(readNanos)));
        if (stoppedAt != null) {
            out.println("  " + stoppedAt);
        }
        out.println();
        tally.print(out, sinkTypes);
        out.println();
        long notDelivered = sent - tally.delivered();
        if (notDelivered == 0 && bad == 0) {
            out.println("Result: every event was delivered.");
            return Main.OK;
        }
        StringBuilder result = new StringBuilder("Result: ");
        if (notDelivered > 0) {
            result.append(Text.count(notDelivered)).append(notDelivered == 1 ? " event was" : " events were")
                    .append(" not delivered");
        }
        if (bad > 0) {
            result.append(notDelivered > 0 ? ", and " : "").append(Text.count(bad))
                    .append(bad == 1 ? " line was bad" : " lines were bad");
        }
        out.println(result.append('.'));
        return Main.FAILED;
    }
}
