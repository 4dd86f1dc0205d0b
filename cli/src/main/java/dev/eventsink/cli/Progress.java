package dev.eventsink.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Replay progress on stderr. On a terminal, a bar redrawn in place five times a second:
 * {@code [=========>          ]  45%  450,000 lines  98,000 lines/s  ETA 6s}; elsewhere (a pipe, a log file,
 * CI), a plain line every few seconds. {@link #message} prints a line above the bar. Thread-safe.
 */
final class Progress implements AutoCloseable {

    private static final int BAR_WIDTH = 24;
    private static final long BAR_REFRESH_MILLIS = 200;

    private final PrintStream err;
    private final boolean bar;
    private final boolean enabled;
    private final long totalBytes;
    private final Duration interval;
    private final LongSupplier bytes;
    private final LongSupplier lines;
    private final LongSupplier delivered;
    private final long startNanos = System.nanoTime();
    private ScheduledExecutorService timer;
    private int lastLength;
    private boolean closed;

    /**
     * @param bar        redraw a bar (on a terminal) rather than print plain lines
     * @param enabled    false prints nothing but {@link #message}s
     * @param totalBytes the input's size, or -1 when unknown (stdin): no percentage or ETA then
     * @param interval   how often a plain line is printed
     */
    Progress(PrintStream err, boolean bar, boolean enabled, long totalBytes, Duration interval, LongSupplier bytes,
            LongSupplier lines, LongSupplier delivered) {
        this.err = err;
        this.bar = bar;
        this.enabled = enabled;
        this.totalBytes = totalBytes;
        this.interval = interval;
        this.bytes = bytes;
        this.lines = lines;
        this.delivered = delivered;
    }

    void start() {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventsink-progress");
            t.setDaemon(true);
            return t;
        });
        long period = bar ? BAR_REFRESH_MILLIS : Math.max(1, interval.toMillis());
        timer.scheduleAtFixedRate(this::render, period, period, TimeUnit.MILLISECONDS);
    }

    /** Prints one line (such as a bad line's report) without garbling the bar. */
    synchronized void message(String text) {
        clearBar();
        err.println(text);
        if (bar && enabled && !closed) {
            drawBar();
        }
        err.flush();
    }

    synchronized void render() {
        if (closed) {
            return;
        }
        if (bar) {
            drawBar();
        } else {
            err.println("replay: " + status(true));
        }
        err.flush();
    }

    /** Stops the timer; a bar gets its final state and a line end. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (enabled && bar) {
                drawBar();
                err.println();
            }
            closed = true;
            err.flush();
        }
    }

    private void drawBar() {
        String line = barLine();
        StringBuilder text = new StringBuilder("\r").append(line);
        if (line.length() < lastLength) {
            text.append(" ".repeat(lastLength - line.length()));
        }
        lastLength = line.length();
        err.print(text);
    }

    private void clearBar() {
        if (bar && enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
    }

    String barLine() {
        StringBuilder line = new StringBuilder();
        double fraction = fraction();
        if (fraction >= 0) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            line.append('[');
            for (int i = 0; i < BAR_WIDTH; i++) {
                line.append(i < filled - 1 || filled == BAR_WIDTH ? '=' : i == filled - 1 ? '>' : ' ');
            }
            line.append("] ").append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100))).append("  ");
        }
        return line.append(status(false)).toString();
    }

    /** {@code 450,000 lines (45%), 98,000 lines/s, 440,000 delivered, ETA 6s}. */
    String status(boolean withPercent) {
        long deliveredNow = delivered.getAsLong(); // before the line count, so it never shows more
        long n = lines.getAsLong();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double fraction = fraction();
        StringBuilder s = new StringBuilder(Text.count(n)).append(" lines");
        if (withPercent && fraction >= 0) {
            s.append(String.format(Locale.ROOT, " (%d%%)", (int) Math.floor(fraction * 100)));
        }
        s.append(withPercent ? ", " : "  ").append(Text.rate(n / seconds)).append(" lines/s");
        s.append(withPercent ? ", " : "  ").append(Text.count(deliveredNow)).append(" delivered");
        if (fraction > 0 && fraction < 1) {
            long eta = (long) (seconds * (1 - fraction) / fraction);
            s.append(withPercent ? ", " : "  ").append("ETA ").append(eta(eta));
        }
        return s.toString();
    }

    private double fraction() {
        if (totalBytes <= 0) {
            return totalBytes == 0 ? 1 : -1;
        }
        return Math.min(1.0, bytes.getAsLong() / (double) totalBytes);
    }

    static String eta(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
