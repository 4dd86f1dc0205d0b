package dev.eventsink.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Receiver} in a JVM of its own, started from this program's class path, on 127.0.0.1.
 *
 * <pre>{@code
 * try (ReceiverProcess receiver = ReceiverProcess.start()) {
 *     String url = receiver.url();
 *     long stored = receiver.count().records();
 * }
 * }</pre>
 *
 * Not thread-safe.
 */
final class ReceiverProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final String url;
    private final String apiKey;

    /** Records accepted so far and the receiver's CPU time. */
    record Count(long records, long cpuNanos) {}

    private ReceiverProcess(Process process, BufferedReader out, PrintStream in, String url, String apiKey) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.url = url;
        this.apiKey = apiKey;
    }

    /** Starts the receiver with a 512 MiB heap and waits until it listens. */
    static ReceiverProcess start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Receiver.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        if (line == null || !line.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("the receiver did not start; it printed: " + line);
        }
        String[] parts = line.split(" ", 3);
        return new ReceiverProcess(process, out, in, parts[1], parts[2]);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    /** {@code email:password}, as {@code *_EVENT_SINK_API_KEY} takes it. */
    String apiKey() {
        return apiKey;
    }

    /** The process id, for the record. */
    long pid() {
        return process.pid();
    }

    Count count() throws IOException {
        in.println("count");
        String line = out.readLine();
        if (line == null || !line.startsWith("COUNT ")) {
            throw new IOException("the receiver answered " + line);
        }
        String[] parts = line.split(" ");
        return new Count(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    /** Asks the receiver to stop, and ends it if it has not within 10 seconds. */
    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
