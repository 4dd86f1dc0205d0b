package dev.eventsink.spool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from the test's class path running one main class, whose output lines are collected as they come.
 *
 * <pre>{@code
 * ChildJvm child = ChildJvm.start(LockHolder.class, Map.of(), dir.toString());
 * child.awaitLine("locked", Duration.ofSeconds(20));
 * }</pre>
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread pump;

    private ChildJvm(Process process) {
        this.process = process;
        this.pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child was killed: its output ends here
            }
            lines.add(END);
        }, "child-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Marks the end of the child's output in {@link #nextLine}. */
    static final String END = "\u0000end";

    static ChildJvm start(Class<?> main, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().keySet().removeIf(k -> k.startsWith("UX_EVENT_SINK_") || k.startsWith("SIM_EVENT_SINK_"));
        builder.environment().putAll(env);
        return new ChildJvm(builder.start());
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** The next line, waiting up to {@code timeoutMillis}; null when none came, {@link #END} when the output ended. */
    String nextLine(long timeoutMillis) throws InterruptedException {
        return lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits for a line equal to {@code expected}; fails when the output ends or the time is up. */
    void awaitLine(String expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            String line = left > 0 ? nextLine(left) : null;
            if (line == null || line.equals(END)) {
                throw new AssertionError("the child did not print \"" + expected + "\" ("
                        + (line == null ? "timed out" : "it ended, exit " + process.waitFor()) + ")");
            }
            if (line.equals(expected)) {
                return;
            }
        }
    }

    /** Kills the child with SIGKILL and waits for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        pump.join(10_000);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
