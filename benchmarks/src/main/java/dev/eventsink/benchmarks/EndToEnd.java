package dev.eventsink.benchmarks;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.EventTracker;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end measurement: one producer thread builds events in a tight loop and tracks them through
 * the {@code openobserve} sink (both channels, default settings unless a mode changes one) into the
 * OpenObserve-compatible server, which runs in a JVM of its own ({@link ReceiverProcess}) on 127.0.0.1. In the
 * same run and process it measures building the events alone and the hand-written {@link PlainLoop}, and prints
 * every figure beside them as a ratio, per run and as the median of the runs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.eventsink.benchmarks.EndToEnd --events 1000000 --runs 3
 * </pre>
 *
 * <p>Options: {@code --events N} (1,000,000), {@code --runs N} (3), {@code --warmup N} events per variant before
 * the runs (200,000), {@code --modes default,block,none} (the eventsink variants: defaults; {@code OVERFLOW=block}
 * with {@code BLOCK_TIMEOUT=10m}; {@code COMPRESSION=none}), {@code --set SUFFIX=VALUE} (a key for both channels
 * of every eventsink variant, such as {@code BATCH_SIZE=1000}; repeatable), {@code --only-eventsink} (no
 * baselines and no ratios: for profiling the SDK alone).
 */
public final class EndToEnd {

    private static final Map<String, Map<String, String>> MODES = new LinkedHashMap<>();
    /** Keys given with {@code --set}, by suffix, for every eventsink variant. */
    private static final Map<String, String> EXTRA = new LinkedHashMap<>();

    static {
        MODES.put("default", Map.of());
        MODES.put("block", Map.of("OVERFLOW", "block", "BLOCK_TIMEOUT", "10m"));
        MODES.put("none", Map.of("COMPRESSION", "none"));
    }

    private EndToEnd() {}

    /** One variant's figures in one run. */
    record Row(String name, long events, long delivered, long dropped, long failed, long requests, long bodyBytes,
            Meter.Reading cost, long receiverCpuNanos) {

        double perSecond() {
            return delivered / (cost.wallNanos() / 1e9);
        }

        double cpuMicros() {
            return cost.processCpuNanos() / 1e3 / events;
        }

        double callerMicros() {
            return cost.threadCpuNanos() / 1e3 / events;
        }

        double heapMiB() {
            return cost.maxHeapAfterGcBytes() / 1048576.0;
        }

        double gcPercent() {
            return 100.0 * cost.gcPauseMillis() * 1e6 / cost.wallNanos();
        }
    }

    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int runs = 3;
        int warmup = 200_000;
        List<String> modes = new ArrayList<>(MODES.keySet());
        boolean baselines = true;
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--events" -> events = positive(args[i], value);
                case "--runs" -> runs = positive(args[i], value);
                case "--warmup" -> warmup = Integer.parseInt(required(args[i], value));
                case "--modes" -> modes = Arrays.asList(required(args[i], value).split(","));
                case "--set" -> {
                    String[] pair = required(args[i], value).split("=", 2);
                    if (pair.length != 2) {
                        throw new IllegalArgumentException("--set takes SUFFIX=VALUE, such as BATCH_SIZE=1000");
                    }
                    extra.put(pair[0], pair[1]);
                }
                case "--only-eventsink" -> {
                    baselines = false;
                    i--;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --events N, --runs N, --warmup N, --modes default,block,none,"
                        + " --set SUFFIX=VALUE, --only-eventsink");
            }
            i++;
        }
        for (String mode : modes) {
            if (!MODES.containsKey(mode)) {
                throw new IllegalArgumentException("--modes: unknown mode '" + mode + "'; allowed: " + MODES.keySet());
            }
        }
        EXTRA.putAll(extra);
        if (!extra.isEmpty()) {
            System.out.println("every eventsink variant also with: " + extra);
        }
        try (ReceiverProcess receiver = ReceiverProcess.start()) {
            System.out.printf(Locale.ROOT, "receiver: OpenObserve-compatible server at %s, pid %d; this process: "
                            + "java %s, %d CPUs, max heap %d MiB%n", receiver.url(), receiver.pid(),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "workload: one producer, %,d events a run, about %d bytes of JSON each%n",
                    events, dev.eventsink.EventJson.toJsonBytes(new Workload(0).next().toEvent()).length);
            if (warmup > 0) {
                System.out.printf(Locale.ROOT, "warming up: %,d events per variant%n", warmup);
                runAll(receiver, warmup, modes, baselines);
            }
            List<List<Row>> all = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                System.out.printf(Locale.ROOT, "%nrun %d of %d%n", run, runs);
                List<Row> rows = runAll(receiver, events, modes, baselines);
                printTable(rows);
                all.add(rows);
            }
            if (baselines) {
                printSummary(all, modes);
            }
        }
    }

    private static List<Row> runAll(ReceiverProcess receiver, int events, List<String> modes, boolean baselines)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        if (baselines) {
            rows.add(buildOnly(events));
            rows.add(plain(receiver, events));
        }
        for (String mode : modes) {
            rows.add(eventsink(receiver, events, mode));
        }
        return rows;
    }

    /** Building the events and nothing else. */
    private static Row buildOnly(int events) throws InterruptedException {
        settle();
        Workload workload = new Workload(0);
        long blackhole = 0;
        Meter meter = Meter.start();
        for (int i = 0; i < events; i++) {
            Workload.Sample sample = workload.next();
            blackhole += sample.id().getLeastSignificantBits() + sample.payload().size();
        }
        Meter.Reading cost = meter.stop();
        if (blackhole == 42) {
            System.out.println();
        }
        return new Row("building the events alone", events, 0, 0, 0, 0, 0, cost, 0);
    }

    private static Row plain(ReceiverProcess receiver, int events) throws Exception {
        settle();
        PlainLoop loop = new PlainLoop(receiver.url(), receiver.apiKey());
        long receiverCpu = receiver.count().cpuNanos();
        ThreadCpu threads = ThreadCpu.start();
        Meter meter = Meter.start();
        PlainLoop.Result result = loop.run(new Workload(0), events);
        Meter.Reading cost = meter.stop();
        printSplit("plain loop", threads.stop(), cost, events, receiver.count().cpuNanos() - receiverCpu);
        return new Row("plain loop (Jackson, java.net.http, gzip, 1000/request)", events, result.delivered(), 0,
                result.failed(), result.requests(), result.bodyBytes(), cost,
                receiver.count().cpuNanos() - receiverCpu);
    }

    private static Row eventsink(ReceiverProcess receiver, int events, String mode) throws Exception {
        settle();
        Map<String, String> keys = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            keys.put(channel.key("TYPE"), "openobserve");
            keys.put(channel.key("URL"), receiver.url());
            keys.put(channel.key("API_KEY"), receiver.apiKey());
            EXTRA.forEach((suffix, value) -> keys.put(channel.key(suffix), value));
            MODES.get(mode).forEach((suffix, value) -> keys.put(channel.key(suffix), value));
        }
        EventTracker tracker = EventTracker.create(ConfigSource.fromMap(keys));
        ReceiverProcess.Count before = receiver.count();
        Workload workload = new Workload(0);
        ThreadCpu threads = ThreadCpu.start();
        Meter meter = Meter.start();
        for (int i = 0; i < events; i++) {
            tracker.track(workload.next().toEvent());
        }
        long callerCpu = meter.threadCpuNanos();
        FlushResult flush = tracker.flush(Duration.ofMinutes(5));
        Meter.Reading cost = meter.stop(callerCpu);
        Map<String, Long> split = threads.stop();
        ReceiverProcess.Count after = receiver.count();
        long delivered = 0;
        long dropped = 0;
        long failed = 0;
        long requests = 0;
        long bytes = 0;
        for (Channel channel : Channel.values()) {
            SinkStats stats = tracker.stats(channel);
            delivered += stats.delivered();
            dropped += stats.droppedTotal();
            failed += stats.failedTotal();
            requests += stats.batches();
            bytes += stats.bytesSent();
        }
        tracker.close();
        if (flush.undelivered() > 0 || after.records() - before.records() != delivered) {
            System.out.printf(Locale.ROOT, "  note: %d undelivered at the flush deadline; the receiver stored %d,"
                    + " the sinks counted %d delivered%n", flush.undelivered(), after.records() - before.records(),
                    delivered);
        }
        printSplit("eventsink " + mode, split, cost, events, after.cpuNanos() - before.cpuNanos());
        return new Row("eventsink, " + describe(mode), events, delivered, dropped, failed, requests, bytes, cost,
                after.cpuNanos() - before.cpuNanos());
    }

    /** Where the process's CPU went, by thread group, and the receiver's, per event. */
    private static void printSplit(String name, Map<String, Long> split, Meter.Reading cost, int events,
            long receiverCpuNanos) {
        StringBuilder line = new StringBuilder();
        long javaThreads = 0;
        for (Map.Entry<String, Long> group : split.entrySet()) {
            line.append(String.format(Locale.ROOT, "%s %.2f, ", group.getKey(), group.getValue() / 1e3 / events));
            javaThreads += group.getValue();
        }
        System.out.printf(Locale.ROOT, "  %s: CPU µs per event by thread: %sJVM (GC, JIT, ended threads) %.2f;"
                        + " receiver process %.2f%n", name, line, (cost.processCpuNanos() - javaThreads) / 1e3 / events,
                receiverCpuNanos / 1e3 / events);
    }

    private static String describe(String mode) {
        return switch (mode) {
            case "default" -> "defaults (gzip)";
            case "block" -> "OVERFLOW=block";
            case "none" -> "COMPRESSION=none";
            default -> mode;
        };
    }

    /** Collects what the previous phase left, outside any measurement. */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
    }

    private static void printTable(List<Row> rows) {
        System.out.printf(Locale.ROOT, "  %-56s %11s %9s %9s %9s %9s %8s %8s %8s %9s%n", "", "delivered/s", "dropped",
                "CPU µs/ev", "caller µs", "heap MiB", "GC ms", "GC %", "req/1k", "bytes/ev");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "  %-56s %11.0f %9d %9.2f %9.2f %9.0f %8d %8.1f %8.2f %9.1f%n", r.name(),
                    r.perSecond(), r.dropped() + r.failed(), r.cpuMicros(), r.callerMicros(), r.heapMiB(),
                    r.cost().gcPauseMillis(), r.gcPercent(), 1000.0 * r.requests() / r.events(),
                    (double) r.bodyBytes() / r.events());
        }
    }

    private static void printSummary(List<List<Row>> all, List<String> modes) {
        int runs = all.size();
        System.out.printf(Locale.ROOT, "%nmedians of %d runs%n", runs);
        for (int v = 0; v < all.get(0).size(); v++) {
            int variant = v;
            List<Row> of = all.stream().map(rows -> rows.get(variant)).toList();
            System.out.printf(Locale.ROOT, "  %-56s %11.0f %9.0f %9.2f %9.2f %9.0f %8.0f %8.1f%n", of.get(0).name(),
                    median(of, Row::perSecond), median(of, r -> r.dropped() + r.failed()), median(of, Row::cpuMicros),
                    median(of, Row::callerMicros), median(of, Row::heapMiB),
                    median(of, r -> r.cost().gcPauseMillis()), median(of, Row::gcPercent));
        }
        System.out.printf(Locale.ROOT, "%nratios to the plain loop (each run's own, median of %d; the range in"
                + " brackets)%n", runs);
        for (int m = 0; m < modes.size(); m++) {
            int index = 2 + m;
            String name = all.get(0).get(index).name();
            double[] speed = new double[runs];
            double[] cpu = new double[runs];
            double[] caller = new double[runs];
            double[] gc = new double[runs];
            for (int run = 0; run < runs; run++) {
                Row build = all.get(run).get(0);
                Row plain = all.get(run).get(1);
                Row ours = all.get(run).get(index);
                speed[run] = ours.perSecond() / plain.perSecond();
                cpu[run] = (ours.cpuMicros() - build.cpuMicros()) / (plain.cpuMicros() - build.cpuMicros());
                caller[run] = (ours.callerMicros() - build.callerMicros()) * 1000;
                gc[run] = ours.gcPercent();
            }
            System.out.printf(Locale.ROOT, "  %s%n", name);
            System.out.printf(Locale.ROOT, "    delivered/s: %.2fx the plain loop %s (target for gzip: at least 1.5x)%n",
                    median(speed), range(speed, "%.2f"));
            System.out.printf(Locale.ROOT, "    process CPU per event beyond building it: %.2fx the plain loop's %s"
                    + " (target: at most 0.8x)%n", median(cpu), range(cpu, "%.2f"));
            System.out.printf(Locale.ROOT, "    caller thread CPU above building the event: %.0f ns %s (target: at"
                    + " most 300 ns)%n", median(caller), range(caller, "%.0f"));
            System.out.printf(Locale.ROOT, "    GC pauses: %.1f%% of the wall time %s (target: at most 3%%)%n",
                    median(gc), range(gc, "%.1f"));
        }
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> metric) {
        return median(rows.stream().mapToDouble(metric).toArray());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String range(double[] values, String format) {
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(0);
        return "[" + String.format(Locale.ROOT, format, min) + " to " + String.format(Locale.ROOT, format, max) + "]";
    }

    static int positive(String option, String value) {
        int n = Integer.parseInt(required(option, value));
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be more than 0, was " + n);
        }
        return n;
    }

    static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
