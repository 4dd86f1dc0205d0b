package dev.eventsink.openobserve.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON text the way OpenObserve's {@code serde_json::Value::to_string()} does, which is how nested arrays
 * and too-deep objects end up stored: compact, object keys sorted (serde_json's {@code Map} is a
 * {@code BTreeMap}), keys and nulls inside kept as sent, only {@code "}, {@code &#92;} and control characters
 * escaped (as {@code &#92;u00xx}, lowercase hex), floats in Rust's shortest form ({@code 2.0}, {@code 1e20},
 * {@code 1.5e-7}).
 */
final class SerdeJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private SerdeJson() {}

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(64);
        write(node, out);
        return out.toString();
    }

    static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> entries = sortedFields(node);
                out.append('{');
                for (int i = 0; i < entries.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(entries.get(i).getKey(), out);
                    out.append(':');
                    write(entries.get(i).getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case BOOLEAN -> out.append(node.booleanValue());
            case NUMBER -> out.append(numberText(node));
            default -> out.append("null");
        }
    }

    /** The fields of an object node in the order OpenObserve walks them (see {@link Names#UTF8_ORDER}). */
    static List<Map.Entry<String, JsonNode>> sortedFields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        if (entries.size() > 1) {
            entries.sort(Map.Entry.comparingByKey(Names.UTF8_ORDER));
        }
        return entries;
    }

    private static String numberText(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return Long.toString(node.longValue());
            }
            BigInteger big = node.bigIntegerValue();
            if (big.signum() > 0 && big.compareTo(U64_MAX) <= 0) {
                return big.toString();
            }
            // serde_json (without arbitrary_precision) reads integers outside i64/u64 as f64
            return formatDouble(big.doubleValue());
        }
        return formatDouble(node.doubleValue());
    }

    /** Java value of an integer as OpenObserve keeps it: i64 ({@link Long}), u64 ({@link BigInteger}), else f64. */
    static Object integerValue(BigInteger big) {
        if (big.bitLength() < 64) {
            return big.longValue();
        }
        if (big.signum() > 0 && big.compareTo(U64_MAX) <= 0) {
            return big;
        }
        return big.doubleValue();
    }

    /** Text of a stored scalar as serde_json prints it (used when a value is cast to {@code Utf8}). */
    static String scalarText(Object value) {
        if (value instanceof Double d) {
            return formatDouble(d);
        }
        return String.valueOf(value);
    }

    static void writeString(String s, StringBuilder out) {
        out.append('"');
        int start = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, start, s.length()).append('"');
    }

    /**
     * A finite double as Rust's {@code ryu} prints it for serde_json: the shortest digits that read back to the
     * same value, in plain notation while the decimal point is within 16 digits of them, otherwise in
     * scientific notation without a {@code +} ({@code 0.0}, {@code 1.5}, {@code 100.0}, {@code 1e16},
     * {@code 1.5e-7}).
     */
    static String formatDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null"; // serde_json cannot hold them; they never come out of a JSON parser
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal decimal = shortest(Math.abs(value));
        String digits = decimal.unscaledValue().toString();
        int length = digits.length();
        int exponent = -decimal.scale();
        int kk = length + exponent;
        StringBuilder out = new StringBuilder(length + 8);
        if (value < 0) {
            out.append('-');
        }
        if (exponent >= 0 && kk <= 16) {
            out.append(digits).append("0".repeat(exponent)).append(".0");
        } else if (kk > 0 && kk <= 16) {
            out.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (kk > -5 && kk <= 0) {
            out.append("0.").append("0".repeat(-kk)).append(digits);
        } else if (length == 1) {
            out.append(digits).append('e').append(kk - 1);
        } else {
            out.append(digits.charAt(0)).append('.').append(digits, 1, length).append('e').append(kk - 1);
        }
        return out.toString();
    }

    /**
     * The shortest decimal that reads back as {@code value} (the closest one among equally short ones), as ryu
     * finds it. JDK 17's {@code Double.toString} is not always the shortest, so the digits are searched for.
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
