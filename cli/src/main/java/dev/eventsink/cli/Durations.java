package dev.eventsink.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the configuration keys take them: a whole number with {@code ms}, {@code s}, {@code m} or
 * {@code h} ({@code 500ms}, {@code 10s}, {@code 2m}), or ISO-8601 ({@code PT10S}). Also picocli's converter.
 */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Duration parsed = parse(value);
        if (parsed == null) {
            throw new TypeConversionException("'" + value + "' is not a duration; use for example 500ms, 10s, 2m or PT10S");
        }
        return parsed;
    }

    /** The duration, or {@code null} when the text is not one (negative durations are not). */
    static Duration parse(String value) {
        String text = value == null ? "" : value.trim();
        if (text.regionMatches(true, 0, "P", 0, 1)) {
            try {
                Duration parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
                return parsed.isNegative() ? null : parsed;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = SIMPLE.matcher(text.toLowerCase(Locale.ROOT));
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

    /** A short human form: {@code 850 ms}, {@code 12.3 s}, {@code 4m05s}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** As the keys are written: {@code 60s}, {@code 500ms}, {@code 2m}. */
    static String compact(Duration d) {
        long ms = d.toMillis();
        if (ms > 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms > 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
