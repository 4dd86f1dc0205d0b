package dev.eventsink.openobserve.server;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenObserve's reading of {@code _timestamp} ({@code config::utils::time}), returning microseconds since the
 * epoch.
 *
 * <p>Integers: {@code 0} means now; otherwise the unit is guessed against 1971-01-01T00:00:00Z: above it in
 * nanoseconds → divided by 1000; above it in microseconds → kept; above it in milliseconds → ×1000; otherwise
 * seconds → ×1 000 000. Floats are truncated to an integer first. Strings: an integer string is read as an
 * integer; then a float string; then, after trimming {@code "} from both ends:
 * <ul>
 *   <li>containing a space and 19 characters long: {@code YYYY-MM-DD HH:MM:SS}, UTC;</li>
 *   <li>containing {@code T} and no space: 19 characters → {@code YYYY-MM-DDTHH:MM:SS} (UTC); with a fraction
 *       of exactly 3 or 6 digits and no zone → {@code .fff}/{@code .ffffff} (UTC); anything else → RFC 3339;</li>
 *   <li>anything else: RFC 2822 ({@code Wed, 8 Mar 2023 16:46:51 CST}).</li>
 * </ul>
 * A string result goes through the unit guess once more, as in OpenObserve. Anything that fails is
 * {@code Can't parse timestamp}.
 */
final class Timestamps {

    static final String CANT_PARSE = "Can't parse timestamp";

    private static final long BASE_SECONDS = 31_536_000L; // 1971-01-01T00:00:00Z
    private static final long BASE_MILLIS = BASE_SECONDS * 1_000L;
    private static final long BASE_MICROS = BASE_SECONDS * 1_000_000L;
    private static final long BASE_NANOS = BASE_SECONDS * 1_000_000_000L;

    /** Thrown when a value cannot be read as a timestamp. */
    static final class UnparseableTimestamp extends Exception {
        private static final long serialVersionUID = 1L;

        UnparseableTimestamp() {
            super(CANT_PARSE, null, false, false);
        }
    }

    private Timestamps() {}

    /** Microseconds of a stored {@code _timestamp} value (a String, Long, BigInteger, Double or Boolean). */
    static long toMicros(Object value, long nowMicros) throws UnparseableTimestamp {
        if (value instanceof Long l) {
            return normalise(l, nowMicros);
        }
        if (value instanceof BigInteger big) {
            return normalise(big.longValue(), nowMicros); // u64 read "as i64", as OpenObserve does
        }
        if (value instanceof Double d) {
            return normalise((long) d.doubleValue(), nowMicros); // Rust's `as i64` saturates like Java's cast
        }
        if (value instanceof String s) {
            return normalise(parseString(s, nowMicros), nowMicros);
        }
        throw new UnparseableTimestamp();
    }

    /** {@code parse_i64_to_timestamp_micros}: the unit guess. Overflow wraps, as in a Rust release build. */
    static long normalise(long v, long nowMicros) {
        if (v == 0) {
            return nowMicros;
        }
        if (v > BASE_NANOS) {
            return v / 1_000;
        }
        if (v > BASE_MICROS) {
            return v;
        }
        if (v > BASE_MILLIS) {
            return v * 1_000;
        }
        return v * 1_000_000;
    }

    private static long parseString(String s, long nowMicros) throws UnparseableTimestamp {
        Long integer = parseRustI64(s);
        if (integer != null) {
            return normalise(integer, nowMicros);
        }
        Double number = parseRustF64(s);
        if (number != null) {
            return normalise((long) number.doubleValue(), nowMicros);
        }
        String t = trimQuotes(s);
        try {
            if (t.indexOf(' ') >= 0 && t.length() == 19) {
                return naive(t, ' ', 0);
            }
            if (t.indexOf('T') >= 0 && t.indexOf(' ') < 0) {
                if (t.length() == 19) {
                    return naive(t, 'T', 0);
                }
                int dot = t.lastIndexOf('.');
                if (dot >= 0) {
                    String fraction = t.substring(dot + 1);
                    boolean zoneLess = allDigits(fraction);
                    if (zoneLess && (fraction.length() == 3 || fraction.length() == 6)) {
                        if (dot != 19) {
                            throw new UnparseableTimestamp();
                        }
                        long micros = Long.parseLong(fraction) * (fraction.length() == 3 ? 1_000 : 1);
                        return naive(t.substring(0, 19), 'T', micros);
                    }
                }
                return rfc3339(t);
            }
            return rfc2822(t);
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new UnparseableTimestamp();
        }
    }

    /** Rust's {@code str::parse::<i64>}: an optional sign and ASCII digits, nothing else. */
    static Long parseRustI64(String s) {
        int n = s.length();
        if (n == 0 || n > 20) {
            return null;
        }
        int i = (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (i == n) {
            return null;
        }
        for (int j = i; j < n; j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Rust's {@code str::parse::<f64>}: optional sign, then {@code inf}, {@code infinity} or {@code nan} (any
     * case), or digits with an optional fraction (one side may be empty) and an optional exponent. No spaces.
     */
    static Double parseRustF64(String s) {
        int n = s.length();
        if (n == 0) {
            return null;
        }
        int i = (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        String rest = s.substring(i).toLowerCase(Locale.ROOT);
        boolean negative = s.charAt(0) == '-';
        if (rest.equals("inf") || rest.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (rest.equals("nan")) {
            return Double.NaN;
        }
        int digits = 0;
        int j = i;
        while (j < n && isDigit(s.charAt(j))) {
            j++;
            digits++;
        }
        if (j < n && s.charAt(j) == '.') {
            j++;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            j++;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int expDigits = 0;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
                expDigits++;
            }
            if (expDigits == 0) {
                return null;
            }
        }
        if (j != n) {
            return null;
        }
        return Double.parseDouble(s);
    }

    private static String trimQuotes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '"') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '"') {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code YYYY-MM-DD?HH:MM:SS} (19 characters, {@code ?} the separator) in UTC, plus microseconds. */
    private static long naive(String t, char separator, long micros) throws UnparseableTimestamp {
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != separator
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            throw new UnparseableTimestamp();
        }
        LocalDateTime dateTime = LocalDateTime.of(num(t, 0, 4), num(t, 5, 7), num(t, 8, 10),
                num(t, 11, 13), num(t, 14, 16), num(t, 17, 19));
        return Math.addExact(Math.multiplyExact(dateTime.toEpochSecond(ZoneOffset.UTC), 1_000_000L), micros);
    }

    /**
     * RFC 3339 as chrono reads it: {@code YYYY-MM-DDTHH:MM:SS}, an optional fraction of any length (digits past
     * the microsecond are dropped), then {@code Z} or a {@code ±HH:MM} offset.
     */
    private static long rfc3339(String t) throws UnparseableTimestamp {
        if (t.length() < 20) {
            throw new UnparseableTimestamp();
        }
        char sep = t.charAt(10);
        if (sep != 'T' && sep != 't') {
            throw new UnparseableTimestamp();
        }
        long base = naive(t.substring(0, 10) + 'T' + t.substring(11, 19), 'T', 0);
        int i = 19;
        long micros = 0;
        if (t.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
            }
            int count = i - start;
            if (count == 0) {
                throw new UnparseableTimestamp();
            }
            String six = (t.substring(start, Math.min(i, start + 6)) + "00000").substring(0, 6);
            micros = Long.parseLong(six);
        }
        if (i >= t.length()) {
            throw new UnparseableTimestamp();
        }
        String zone = t.substring(i);
        long offsetSeconds;
        if (zone.equals("Z") || zone.equals("z")) {
            offsetSeconds = 0;
        } else if ((zone.length() == 6 && zone.charAt(3) == ':') || zone.length() == 5) {
            char sign = zone.charAt(0);
            if (sign != '+' && sign != '-') {
                throw new UnparseableTimestamp();
            }
            int minutesAt = zone.length() == 6 ? 4 : 3;
            int hours = num(zone, 1, 3);
            int minutes = num(zone, minutesAt, minutesAt + 2);
            if (hours > 23 || minutes > 59) {
                throw new UnparseableTimestamp();
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
        } else {
            throw new UnparseableTimestamp();
        }
        return base + micros - offsetSeconds * 1_000_000L;
    }

    // RFC 2822 is the rare path, so a pattern is fine here:
    // [Day,] D Mon YYYY HH:MM[:SS] zone — zone being ±hhmm, UT, GMT, a US zone or a military letter.
    private static final Pattern RFC2822 = Pattern.compile(
            "^\\s*(?:([A-Za-z]{3})\\s*,\\s*)?(\\d{1,2})\\s+([A-Za-z]{3})\\s+(\\d{2,4})\\s+(\\d{2}):(\\d{2})"
                    + "(?::(\\d{2}))?\\s+([+-]\\d{4}|[A-Za-z]{1,3})\\s*(?:\\(.*\\)\\s*)?$");
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("UT", 0), Map.entry("GMT", 0), Map.entry("EST", -5), Map.entry("EDT", -4),
            Map.entry("CST", -6), Map.entry("CDT", -5), Map.entry("MST", -7), Map.entry("MDT", -6),
            Map.entry("PST", -8), Map.entry("PDT", -7));
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
            "nov", "dec"};

    private static long rfc2822(String t) throws UnparseableTimestamp {
        Matcher m = RFC2822.matcher(t);
        if (!m.matches()) {
            throw new UnparseableTimestamp();
        }
        int month = -1;
        String monthName = m.group(3).toLowerCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(monthName)) {
                month = i + 1;
            }
        }
        if (month < 0) {
            throw new UnparseableTimestamp();
        }
        String yearText = m.group(4);
        int year = Integer.parseInt(yearText);
        if (yearText.length() == 2) {
            year += year < 50 ? 2000 : 1900; // RFC 2822 obsolete two-digit years
        } else if (yearText.length() == 3) {
            year += 1900;
        }
        LocalDate date = LocalDate.of(year, month, Integer.parseInt(m.group(2)));
        if (m.group(1) != null) {
            DayOfWeek expected = date.getDayOfWeek();
            if (!expected.name().substring(0, 3).equalsIgnoreCase(m.group(1))) {
                throw new UnparseableTimestamp();
            }
        }
        int seconds = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
        LocalDateTime dateTime = date.atTime(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), seconds);
        String zone = m.group(8);
        long offsetSeconds;
        if (zone.charAt(0) == '+' || zone.charAt(0) == '-') {
            int hours = num(zone, 1, 3);
            int minutes = num(zone, 3, 5);
            if (minutes > 59) {
                throw new UnparseableTimestamp();
            }
            offsetSeconds = (zone.charAt(0) == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
        } else {
            Integer hours = ZONES.get(zone.toUpperCase(Locale.ROOT));
            if (hours == null && zone.length() != 1) {
                throw new UnparseableTimestamp();
            }
            offsetSeconds = hours == null ? 0 : hours * 3600L; // military zones read as -0000, as RFC 2822 says
        }
        return (dateTime.toEpochSecond(ZoneOffset.UTC) - offsetSeconds) * 1_000_000L;
    }

    private static int num(String s, int from, int to) throws UnparseableTimestamp {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                throw new UnparseableTimestamp();
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
