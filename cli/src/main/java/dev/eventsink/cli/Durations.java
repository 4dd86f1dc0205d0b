package dev.eventsink.cli;

import dev.eventsink.spi.ConfigReader;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the configuration keys take them: a whole number with {@code ms}, {@code s}, {@code m} or
 * {@code h} ({@code 500ms}, {@code 10s}, {@code 2m}), or ISO-8601 ({@code PT10S}). Also picocli's converter.
 */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration parsed = parse(value);
        if (parsed == null) {
            throw new TypeConversionException("'" + value + "' is not a duration; use for example 500ms, 10s, 2m or PT10S");
        }
        return parsed;
    }

    /** The duration, or {@code null} when the text is not one: the configuration keys' own parser. */
    static Duration parse(String value) {
        return ConfigReader.parseDuration(value);
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
        return ConfigReader.formatDuration(d);
    }
}
