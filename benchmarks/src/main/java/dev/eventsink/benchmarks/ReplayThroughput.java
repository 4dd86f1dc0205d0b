package dev.eventsink.benchmarks;

import dev.eventsink.Channel;
import dev.eventsink.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code eventsink replay} throughput: writes an NDJSON file of the workload's events in the canonical schema,
 * starts the receiver in a JVM of its own, and runs the CLI's shaded jar ({@code java -jar
 * cli/target/eventsink-cli-all.jar replay --no-progress FILE}, both channels {@code openobserve} with their
 * defaults, which replay sets to {@code OVERFLOW=block}) in another, once per run. Prints lines per second over
 * the whole process (JVM start included) and as replay reports it, and the median of the runs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.eventsink.benchmarks.ReplayThroughput --events 1000000 --runs 3
 * </pre>
 *
 * <p>Options: {@code --events N} (1,000,000), {@code --runs N} (3), {@code --cli-jar PATH}
 * ({@code cli/target/eventsink-cli-all.jar}, built by {@code mvn -pl cli -am package}), {@code --jvm-arg ARG}
 * (an option for replay's JVM, such as {@code -XX:StartFlightRecording=filename=replay.jfr}; repeatable).
 */
public final class ReplayThroughput {

    private static final Pattern RATE = Pattern.compile("lines in .*\\(([\\d,.]+) events/s\\)");

    private ReplayThroughput() {}

    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int runs = 3;
        Path cliJar = Path.of("cli/target/eventsink-cli-all.jar");
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--events" -> events = EndToEnd.positive(args[i], value);
                case "--runs" -> runs = EndToEnd.positive(args[i], value);
                case "--cli-jar" -> cliJar = Path.of(EndToEnd.required(args[i], value));
                case "--jvm-arg" -> jvmArgs.add(EndToEnd.required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --events N, --runs N, --cli-jar PATH, --jvm-arg ARG");
            }
        }
        if (!Files.isRegularFile(cliJar)) {
            throw new IllegalArgumentException("--cli-jar: no file at " + cliJar.toAbsolutePath()
                    + "; build it with: mvn -B -q -pl cli -am package -DskipTests");
        }
        Path dir = Files.createTempDirectory("eventsink-replay");
        Path file = dir.resolve("events.ndjson");
        writeEvents(file, events);
        System.out.printf(Locale.ROOT, "%,d events, %.1f MB of NDJSON in %s%n", events, Files.size(file) / 1e6, file);
        double[] wholeProcess = new double[runs];
        try (ReceiverProcess receiver = ReceiverProcess.start()) {
            for (int run = 0; run < runs; run++) {
                long before = receiver.count().records();
                List<String> command = new ArrayList<>();
                command.add(ReceiverProcess.javaExecutable());
                command.addAll(jvmArgs);
                command.addAll(List.of("-jar", cliJar.toAbsolutePath().toString(), "replay", "--no-progress",
                        file.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectErrorStream(true);
                Map<String, String> env = builder.environment();
                env.keySet().removeIf(key -> key.contains("_EVENT_SINK_"));
                for (Channel channel : Channel.values()) {
                    env.put(channel.key("TYPE"), "openobserve");
                    env.put(channel.key("URL"), receiver.url());
                    env.put(channel.key("API_KEY"), receiver.apiKey());
                }
                long start = System.nanoTime();
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int exit = process.waitFor();
                double seconds = (System.nanoTime() - start) / 1e9;
                long stored = receiver.count().records() - before;
                wholeProcess[run] = events / seconds;
                Matcher rate = RATE.matcher(output);
                System.out.printf(Locale.ROOT, "  run %d: exit %d, %,d stored, %.1f s: %,.0f lines/s for the whole"
                                + " process; replay itself reports %s events/s%n", run + 1, exit, stored, seconds,
                        wholeProcess[run], rate.find() ? rate.group(1) : "(no rate line)");
                if (exit != 0 || stored != events) {
                    System.out.println(output);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        System.out.printf(Locale.ROOT, "median of %d runs: %,.0f lines/s, JVM start included (target: at least"
                + " 150,000)%n", runs, EndToEnd.median(wholeProcess));
    }

    private static void writeEvents(Path file, int events) throws IOException {
        Workload workload = new Workload(0);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                out.write(EventJson.toJson(workload.next().toEvent()));
                out.write('\n');
            }
        }
    }
}
