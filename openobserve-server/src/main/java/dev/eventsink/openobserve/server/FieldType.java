package dev.eventsink.openobserve.server;

import java.math.BigInteger;

/**
 * The column types the fake's per-stream schema knows, named as Arrow (and so OpenObserve's messages) names
 * them, with OpenObserve's {@code cast_to_type} rules for a value that does not match its column.
 *
 * <ul>
 *   <li>{@code Utf8}: anything is accepted; a number or boolean is stored as its JSON text.</li>
 *   <li>{@code Int64}: numbers are accepted (a float is stored truncated toward zero: OpenObserve does not
 *       reject it, what its storage then keeps is unverified); an integer string such as {@code "42"} is
 *       converted; {@code true}/{@code false} become 1/0; any other string fails.</li>
 *   <li>{@code Float64}: numbers are accepted (stored as double); a float string is converted;
 *       {@code true}/{@code false} become 1.0/0.0; any other string fails (as do {@code "NaN"} and
 *       {@code "inf"}, which OpenObserve cannot store either).</li>
 *   <li>{@code Boolean}: a number is {@code n > 0}; exactly {@code "true"} or {@code "false"} is converted;
 *       any other string fails.</li>
 * </ul>
 * A failure is reported as {@code Failed to cast <field> to type <Type> } — with OpenObserve's trailing space,
 * one such sentence per failing field of the record, concatenated.
 */
enum FieldType {
    INT64("Int64"),
    FLOAT64("Float64"),
    BOOLEAN("Boolean"),
    UTF8("Utf8");

    /** Returned by {@link #cast} when the value cannot be cast. */
    static final Object FAILED = new Object();

    private final String arrowName;

    FieldType(String arrowName) {
        this.arrowName = arrowName;
    }

    String arrowName() {
        return arrowName;
    }

    /** The type a value infers: integers Int64, floats Float64, booleans Boolean, strings Utf8. */
    static FieldType of(Object value) {
        if (value instanceof Long || value instanceof BigInteger) {
            return INT64;
        }
        if (value instanceof Double) {
            return FLOAT64;
        }
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        return UTF8;
    }

    /** Arrow's JSON schema inference merging two observed types: Int64 with Float64 is Float64, else Utf8. */
    static FieldType coerce(FieldType a, FieldType b) {
        if (a == b) {
            return a;
        }
        if ((a == INT64 && b == FLOAT64) || (a == FLOAT64 && b == INT64)) {
            return FLOAT64;
        }
        return UTF8;
    }

    /** The value converted to this column type, the same instance when it already fits, or {@link #FAILED}. */
    Object cast(Object value) {
        switch (this) {
            case UTF8:
                return value instanceof String ? value : SerdeJson.scalarText(value);
            case INT64:
                if (value instanceof Long || value instanceof BigInteger) {
                    return value;
                }
                if (value instanceof Double d) {
                    return (long) d.doubleValue();
                }
                if (value instanceof Boolean b) {
                    return b ? 1L : 0L;
                }
                Long parsed = Timestamps.parseRustI64((String) value);
                return parsed == null ? FAILED : parsed;
            case FLOAT64:
                if (value instanceof Double) {
                    return value;
                }
                if (value instanceof Long l) {
                    return l.doubleValue();
                }
                if (value instanceof BigInteger big) {
                    return big.doubleValue();
                }
                if (value instanceof Boolean b) {
                    return b ? 1.0 : 0.0;
                }
                Double number = Timestamps.parseRustF64((String) value);
                return number == null || number.isNaN() || number.isInfinite() ? FAILED : number;
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof Long l) {
                    return l > 0;
                }
                if (value instanceof BigInteger big) {
                    return big.signum() > 0;
                }
                if (value instanceof Double d) {
                    return d > 0;
                }
                if ("true".equals(value)) {
                    return Boolean.TRUE;
                }
                return "false".equals(value) ? Boolean.FALSE : FAILED;
            default:
                throw new AssertionError(this);
        }
    }
}
