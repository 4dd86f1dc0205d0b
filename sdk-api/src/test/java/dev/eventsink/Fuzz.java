package dev.eventsink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A seeded fuzzing loop and the mutations it feeds: each case gets its own {@link Random}, derived from the run's
 * seed and the case's number, and runs on a worker thread under a deadline, so that a crash, a wrong outcome or a
 * hang fails the test with the seed and case that reproduce it. Shared with other modules' tests through sdk-api's
 * test-jar.
 *
 * <pre>{@code
 * Fuzz.run("EventJson", Fuzz.cases(2_000), Duration.ofSeconds(5), (random, index) -> {
 *     byte[] input = Fuzz.mutate(random, Fuzz.pick(random, samples));
 *     ...   // throw an AssertionError naming Fuzz.describe(input) when the property does not hold
 * });
 * }</pre>
 *
 * <p>The seed is random unless {@code -Deventsink.fuzz.seed=N} sets it, and {@code -Deventsink.fuzz.case=I} runs
 * only case {@code I}; {@code -Deventsink.fuzz.cases=N} overrides the number of cases. Each run prints its target,
 * seed and case count to stdout.
 */
public final class Fuzz {

    public static final String SEED = "eventsink.fuzz.seed";
    public static final String CASE = "eventsink.fuzz.case";
    public static final String CASES = "eventsink.fuzz.cases";
    /** The number of cases of a long run ({@code @Tag("long")}): {@value}. */
    public static final int LONG_RUN_CASES = 100_000;

    private static final byte[][] TOKENS = bytes(
            "{", "}", "[", "]", "\"", ":", ",", "\\", "null", "true", "false", "0", "-0", "-", "1e999999", "-1e-999999",
            "1.5", "9223372036854775808", "-9223372036854775809", "1".repeat(1001), "0." + "5".repeat(1200), "NaN",
            "Infinity", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\\u", "\"\\x\"", "\u2028", "\u00e9",
            "\ud83d\ude00", "\"payload\":", "\"id\":", "\"timestamp\":", "\"eventType\":", "\"userId\":",
            "\"sessionId\":", "\"ux_action\"", "\"simulation_event\"", "\"2026-02-30T00:00:00Z\"",
            "\"0000-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999999999Z\"",
            "\"2026-11-28T12:00:00.123+25:00\"", " ", "\t", "\r\n", "/*", "//", "'", "\u0000", "\u007f");
    private static final byte[][] INVALID_UTF8 = {
        {(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

    private Fuzz() {}

    /** One case: the property for the input made from {@code random}; an exception or error fails the run. */
    @FunctionalInterface
    public interface Case {
        void run(Random random, int index) throws Exception;
    }

    /** {@code cases}, or the number {@code -Deventsink.fuzz.cases} sets. */
    public static int cases(int cases) {
        String set = System.getProperty(CASES);
        return set == null || set.isBlank() ? cases : Integer.parseInt(set.trim());
    }

    /**
     * Runs {@code cases} cases of {@code body}, each within {@code perCase}; fails on the first case that throws
     * or overruns, naming the target, the seed and the case.
     */
    public static void run(String target, int cases, Duration perCase, Case body) throws InterruptedException {
        String seedText = System.getProperty(SEED);
        long seed = seedText == null || seedText.isBlank() ? new Random().nextLong() : Long.parseLong(seedText.trim());
        String only = System.getProperty(CASE);
        int first = only == null || only.isBlank() ? 0 : Integer.parseInt(only.trim());
        int last = only == null || only.isBlank() ? cases - 1 : first;
        System.out.printf("fuzz %s: seed %d, cases %d to %d (replay: -D%s=%d -D%s=<case>)%n", target, seed, first, last,
                SEED, seed, CASE);
        ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fuzz-" + target);
            thread.setDaemon(true);
            return thread;
        });
        Thread[] workerThread = new Thread[1];
        try {
            for (int i = first; i <= last; i++) {
                int index = i;
                Random random = new Random(caseSeed(seed, index));
                Future<?> future = worker.submit(() -> {
                    workerThread[0] = Thread.currentThread();
                    body.run(random, index);
                    return null;
                });
                try {
                    future.get(perCase.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError(where(target, seed, index) + " failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    AssertionError hang = new AssertionError(where(target, seed, index) + " did not end within "
                            + perCase + "; the worker was at:");
                    Thread stuck = workerThread[0];
                    if (stuck != null) {
                        hang.setStackTrace(stuck.getStackTrace());
                    }
                    future.cancel(true);
                    throw hang;
                }
            }
        } finally {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static String where(String target, long seed, int index) {
        return "fuzz " + target + " case " + index + " (-D" + SEED + "=" + seed + " -D" + CASE + "=" + index + ")";
    }

    private static long caseSeed(long seed, int index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One of {@code samples}, at random. */
    public static <T> T pick(Random random, List<T> samples) {
        return samples.get(random.nextInt(samples.size()));
    }

    /**
     * {@code sample} changed by one to four mutations: bit flips, bytes set to JSON's special characters, truncation,
     * insertion of tokens (huge numbers, escapes, field names, deep nesting), deletion, duplication and invalid
     * UTF-8.
     */
    public static byte[] mutate(Random random, byte[] sample) {
        byte[] data = sample;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            data = mutateOnce(random, data);
        }
        return data;
    }

    private static byte[] mutateOnce(Random random, byte[] data) {
        int at = data.length == 0 ? 0 : random.nextInt(data.length + 1);
        switch (random.nextInt(9)) {
            case 0 -> { // flip a bit
                if (data.length == 0) {
                    return TOKENS[random.nextInt(TOKENS.length)];
                }
                byte[] copy = data.clone();
                int i = random.nextInt(copy.length);
                copy[i] ^= (byte) (1 << random.nextInt(8));
                return copy;
            }
            case 1 -> { // set a byte to a structural character or a random byte
                if (data.length == 0) {
                    return data;
                }
                byte[] copy = data.clone();
                byte[] token = TOKENS[random.nextInt(8)];
                copy[random.nextInt(copy.length)] = random.nextBoolean() ? token[0] : (byte) random.nextInt(256);
                return copy;
            }
            case 2 -> { // truncate
                return Arrays.copyOf(data, random.nextInt(data.length + 1));
            }
            case 3 -> { // insert a token
                return insert(data, at, TOKENS[random.nextInt(TOKENS.length)]);
            }
            case 4 -> { // delete a range
                if (data.length == 0) {
                    return data;
                }
                int from = random.nextInt(data.length);
                int to = Math.min(data.length, from + 1 + random.nextInt(16));
                byte[] out = new byte[data.length - (to - from)];
                System.arraycopy(data, 0, out, 0, from);
                System.arraycopy(data, to, out, from, data.length - to);
                return out;
            }
            case 5 -> { // duplicate a range
                if (data.length == 0) {
                    return data;
                }
                int from = random.nextInt(data.length);
                int to = Math.min(data.length, from + 1 + random.nextInt(64));
                return insert(data, at, Arrays.copyOfRange(data, from, to));
            }
            case 6 -> { // deep nesting
                int depth = random.nextInt(4) == 0 ? 1 + random.nextInt(5_000) : 1 + random.nextInt(70);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                byte[] nest = open.repeat(depth).getBytes(StandardCharsets.US_ASCII);
                return insert(data, at, nest);
            }
            case 7 -> { // invalid UTF-8
                return insert(data, at, INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
            }
            default -> { // random bytes
                byte[] noise = new byte[1 + random.nextInt(8)];
                random.nextBytes(noise);
                return insert(data, at, noise);
            }
        }
    }

    private static byte[] insert(byte[] data, int at, byte[] piece) {
        at = Math.min(at, data.length);
        byte[] out = new byte[data.length + piece.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(data, at, out, at + piece.length, data.length - at);
        return out;
    }

    /** Up to {@code length} random bytes, often mostly printable ASCII. */
    public static byte[] randomBytes(Random random, int length) {
        byte[] out = new byte[random.nextInt(length + 1)];
        if (random.nextBoolean()) {
            random.nextBytes(out);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (0x20 + random.nextInt(0x5F));
            }
        }
        return out;
    }

    /** A random JSON value (objects, arrays, strings, numbers, literals), at most {@code depth} levels deep. */
    public static String randomJson(Random random, int depth) {
        StringBuilder out = new StringBuilder();
        randomJson(random, depth, out);
        return out.toString();
    }

    private static void randomJson(Random random, int depth, StringBuilder out) {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        switch (kind) {
            case 0 -> out.append("null");
            case 1 -> out.append(random.nextBoolean());
            case 2 -> out.append(random.nextLong());
            case 3 -> out.append(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4 -> out.append(random.nextBoolean() ? "1" + "0".repeat(random.nextInt(30)) : "-1e" + random.nextInt(400));
            case 5, 6 -> quote(randomString(random), out);
            case 7 -> {
                out.append('[');
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    out.append(i > 0 ? "," : "");
                    randomJson(random, depth - 1, out);
                }
                out.append(']');
            }
            default -> {
                out.append('{');
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    out.append(i > 0 ? "," : "");
                    quote(random.nextInt(3) == 0 ? randomString(random) : "k" + i, out);
                    out.append(':');
                    randomJson(random, depth - 1, out);
                }
                out.append('}');
            }
        }
    }

    /** A short random string: ASCII, control characters, non-Latin letters, surrogates (paired or not). */
    public static String randomString(Random random) {
        int n = random.nextInt(12);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> s.append((char) random.nextInt(0x20));
                case 1 -> s.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> s.append((char) (0xD800 + random.nextInt(0x800)));
                case 3 -> s.append("\ud83d\ude00");
                default -> s.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return s.toString();
    }

    /** A JSON string literal of {@code s}, control characters and lone surrogates escaped. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** An input as a test message shows it: escaped, and cut to 300 characters. */
    public static String describe(byte[] input) {
        return describe(new String(input, StandardCharsets.ISO_8859_1)) + " (" + input.length + " bytes)";
    }

    /** As {@link #describe(byte[])}, for text. */
    public static String describe(String input) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(input.length(), 300);
        for (int i = 0; i < shown; i++) {
            char c = input.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return "'" + out + (shown < input.length() ? "…" : "") + "'";
    }

    private static byte[][] bytes(String... texts) {
        byte[][] out = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            out[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
