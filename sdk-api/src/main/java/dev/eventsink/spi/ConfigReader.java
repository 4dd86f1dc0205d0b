package dev.eventsink.spi;

import dev.eventsink.internal.Quoting;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads typed values from a {@link SinkConfig} and collects every problem, so that one
 * {@link ConfigurationException} can report them all (in the manner of Micrometer's {@code Validated}).
 *
 * <p>Each getter returns the default when a key is unset, and the default too when the value is invalid,
 * after recording the problem; call {@link #validate()} once every value has been read. Problems show the
 * full key, the value (masked when secret) and what is allowed:
 * {@code UX_EVENT_SINK_BATCH_SIZE='abc' is not a whole number; allowed: 1 to 10000}.
 *
 * <p>Not thread-safe: one reader serves one {@link EventSinkProvider#create(SinkConfig)} call.
 */
public final class ConfigReader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib|kb|mb|gb)?");

    private final SinkConfig config;
    private final List<ConfigurationException.Problem> problems = new ArrayList<>();
    private final Set<String> read = new HashSet<>(Set.of("TYPE"));

    ConfigReader(SinkConfig config) {
        this.config = config;
    }

    /** The configuration being read. */
    public SinkConfig config() {
        return config;
    }

    /** The trimmed value, or {@code defaultValue} when unset. */
    public String string(String suffix, String defaultValue) {
        read.add(suffix);
        return config.get(suffix).orElse(defaultValue);
    }

    /**
     * A file system path, or {@code null} when unset. The path need not exist; a value that is not a path on this
     * system, or that holds a control character, is a problem.
     *
     * @param what what the key holds, with an example, for the message
     */
    public java.nio.file.Path path(String suffix, String what) {
        String value = string(suffix, null);
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20 || value.charAt(i) == 0x7f) {
                invalid(suffix, "contains a control character", "allowed: " + what);
                return null;
            }
        }
        try {
            return java.nio.file.Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            invalid(suffix, "is not a path (" + e.getReason() + ")", "allowed: " + what);
            return null;
        }
    }

    /**
     * The trimmed value; when unset, records {@code KEY is required: <what>} and returns {@code null}.
     *
     * @param what what the key holds, with an example, for the message
     */
    public String required(String suffix, String what) {
        read.add(suffix);
        String value = config.get(suffix).orElse(null);
        if (value == null) {
            problem(suffix, config.key(suffix) + " is required: " + what);
        }
        return value;
    }

    /** A whole number in {@code [min, max]}. */
    public int integer(String suffix, int defaultValue, int min, int max) {
        return (int) longValue(suffix, defaultValue, min, max);
    }

    /** A whole number in {@code [min, max]}. */
    public long longValue(String suffix, long defaultValue, long min, long max) {
        String value = string(suffix, null);
        if (value == null) {
            return defaultValue;
        }
        String allowed = "allowed: " + min + " to " + max;
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed < min || parsed > max) {
                return invalid(suffix, "is out of range", allowed, defaultValue);
            }
            return parsed;
        } catch (NumberFormatException e) {
            return invalid(suffix, "is not a whole number", allowed, defaultValue);
        }
    }

    /**
     * A size in bytes in {@code [min, max]}: a plain number of bytes, or a number with a unit:
     * {@code KiB}, {@code MiB}, {@code GiB} (and {@code KB}, {@code MB}, {@code GB} as their 1024-based
     * synonyms), case-insensitive, for example {@code 512KiB}.
     */
    public long bytes(String suffix, long defaultValue, long min, long max) {
        String value = string(suffix, null);
        if (value == null) {
            return defaultValue;
        }
        String allowed = "allowed: bytes or a size such as 512KiB or 4MiB, from " + formatBytes(min)
                + " to " + formatBytes(max);
        Matcher m = BYTES.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return invalid(suffix, "is not a size", allowed, defaultValue);
        }
        try {
            long number = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2);
            long multiplier = switch (unit) {
                case "kib", "kb" -> 1024L;
                case "mib", "mb" -> 1024L * 1024;
                case "gib", "gb" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            long parsed = Math.multiplyExact(number, multiplier);
            if (parsed < min || parsed > max) {
                return invalid(suffix, "is out of range", allowed, defaultValue);
            }
            return parsed;
        } catch (ArithmeticException | NumberFormatException e) {
            return invalid(suffix, "is out of range", allowed, defaultValue);
        }
    }

    /**
     * A duration in {@code [min, max]}: a whole number with a unit {@code ms}, {@code s}, {@code m} or
     * {@code h} ({@code 500ms}, {@code 10s}), or ISO-8601 ({@code PT10S}).
     */
    public Duration duration(String suffix, Duration defaultValue, Duration min, Duration max) {
        String value = string(suffix, null);
        if (value == null) {
            return defaultValue;
        }
        String allowed = "allowed: a duration such as 500ms, 10s, 2m or PT10S, from " + formatDuration(min)
                + " to " + formatDuration(max);
        Duration parsed = parseDuration(value);
        if (parsed == null) {
            return invalid(suffix, "is not a duration", allowed, defaultValue);
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            return invalid(suffix, "is out of range", allowed, defaultValue);
        }
        return parsed;
    }

    /** {@code true} or {@code false}, ignoring case. */
    public boolean bool(String suffix, boolean defaultValue) {
        String value = string(suffix, null);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> invalid(suffix, "is not a boolean", "allowed: true, false", defaultValue);
        };
    }

    /**
     * One of an enum's constants, written as its lowercase name ({@code DROP_NEWEST} as {@code drop_newest});
     * matching ignores case and accepts {@code -} for {@code _}.
     */
    public <E extends Enum<E>> E choice(String suffix, E defaultValue) {
        String value = string(suffix, null);
        if (value == null) {
            return defaultValue;
        }
        Class<E> type = defaultValue.getDeclaringClass();
        String normalized = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalized)) {
                return constant;
            }
        }
        String allowed = "allowed: " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return invalid(suffix, "is not a valid choice", allowed, defaultValue);
    }

    /**
     * Records a problem with a key's value in the standard form:
     * {@code KEY='value' <what is wrong>; <allowed>}, the value masked when the key holds a secret.
     */
    public void invalid(String suffix, String whatIsWrong, String allowed) {
        String shown = config.get(suffix).map(v -> Quoting.quote(Secrets.display(suffix, v))).orElse("");
        problem(suffix, config.key(suffix) + "='" + shown + "' " + whatIsWrong + "; " + allowed);
    }

    /** Records a problem in your own words; the message should name the full key ({@link SinkConfig#key}). */
    public void problem(String suffix, String message) {
        read.add(suffix);
        problems.add(new ConfigurationException.Problem(config.key(suffix), message));
    }

    /** The problems recorded so far. */
    public List<ConfigurationException.Problem> problems() {
        return List.copyOf(problems);
    }

    /**
     * Throws one exception listing every recorded problem. When there is none, logs a warning for each key
     * with this channel's prefix that nothing read, since that is most often a misspelt key.
     *
     * @throws ConfigurationException listing every problem
     */
    public void validate() {
        if (!problems.isEmpty()) {
            throw ConfigurationException.of(problems);
        }
        for (String suffix : config.suffixes()) {
            if (!read.contains(suffix)) {
                LOG.warn("{} is not a key {} reads; it is ignored. Check its spelling.", config.key(suffix),
                        config.type().map(type -> "the '" + type + "' sink").orElse("this sink"));
            }
        }
    }

    private <T> T invalid(String suffix, String whatIsWrong, String allowed, T defaultValue) {
        invalid(suffix, whatIsWrong, allowed);
        return defaultValue;
    }

    /**
     * Parses a duration as the keys take it: a whole number with {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 500ms}, {@code 10s}), or ISO-8601 ({@code PT10S}).
     *
     * @return the duration, or {@code null} when the text is not one (negative durations are not)
     */
    public static Duration parseDuration(String value) {
        String text = value == null ? "" : value.trim();
        if (text.regionMatches(true, 0, "PT", 0, 2) || text.regionMatches(true, 0, "P", 0, 1)) {
            try {
                Duration parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
                return parsed.isNegative() ? null : parsed;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A duration as the keys are written: {@code 2h}, {@code 5m}, {@code 10s}, {@code 500ms}. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static String formatBytes(long bytes) {
        if (bytes >= 1024L * 1024 * 1024 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GiB";
        }
        if (bytes >= 1024L * 1024 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return bytes + " bytes";
    }
}
