package dev.eventsink.export;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link BatchExporter} reports for one batch. Either the whole batch is to be retried, or each
 * record ends in one of three ways:
 * <ul>
 *   <li><b>delivered</b>: the backend accepted it (the default for every index not named otherwise);</li>
 *   <li><b>rejected</b>: the backend refused it for a reason that sending it again will not change
 *       (OpenObserve's {@code Too old data…}, a 401);</li>
 *   <li><b>isolate</b>: the backend refused a request that contained it (a 400 or 413 for the whole batch),
 *       or counted a failure it did not attribute to a record: the pipeline splits these records into
 *       halves and sends them again until each bad record stands alone and fails with the backend's reason.
 *       Re-sending may store a record that was already stored once (at-least-once delivery).</li>
 * </ul>
 *
 * <pre>{@code
 * return ExportResult.perRecord(bytesSent).rejected(2, "Too old data").build();   // the other records delivered
 * }</pre>
 */
public final class ExportResult {

    enum Kind { DELIVERED, RETRY, REJECT_ALL, ISOLATE_ALL, PER_RECORD }

    private final Kind kind;
    private final String reason;
    private final Duration retryAfter;
    private final long bytesSent;
    private final Map<Integer, String> rejected;
    private final Map<Integer, String> isolate;

    private ExportResult(Kind kind, String reason, Duration retryAfter, long bytesSent,
            Map<Integer, String> rejected, Map<Integer, String> isolate) {
        if (bytesSent < 0) {
            throw new IllegalArgumentException("bytesSent must not be negative, was " + bytesSent);
        }
        this.kind = kind;
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.bytesSent = bytesSent;
        this.rejected = rejected;
        this.isolate = isolate;
    }

    /** Every record was delivered. */
    public static ExportResult delivered(long bytesSent) {
        return new ExportResult(Kind.DELIVERED, null, null, bytesSent, Map.of(), Map.of());
    }

    /**
     * Nothing was delivered, and trying again later may succeed: a network error, 408, 429 or 5xx.
     *
     * @param retryAfter how long the backend asked to wait ({@code Retry-After}), or {@code null}
     */
    public static ExportResult retry(String reason, Duration retryAfter, long bytesSent) {
        Objects.requireNonNull(reason, "reason must not be null");
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        return new ExportResult(Kind.RETRY, reason, retryAfter, bytesSent, Map.of(), Map.of());
    }

    /** Every record is rejected for one reason that retrying will not change, such as a 401. */
    public static ExportResult rejectAll(String reason, long bytesSent) {
        Objects.requireNonNull(reason, "reason must not be null");
        return new ExportResult(Kind.REJECT_ALL, reason, null, bytesSent, Map.of(), Map.of());
    }

    /** The request was refused as a whole (a 400 or 413): split the batch to isolate the bad records. */
    public static ExportResult isolateAll(String reason, long bytesSent) {
        Objects.requireNonNull(reason, "reason must not be null");
        return new ExportResult(Kind.ISOLATE_ALL, reason, null, bytesSent, Map.of(), Map.of());
    }

    /** Per-record outcomes: every index not named on the builder was delivered. */
    public static Builder perRecord(long bytesSent) {
        return new Builder(bytesSent);
    }

    Kind kind() {
        return kind;
    }

    /** The reason of a retry, reject-all or isolate-all result; {@code null} otherwise. */
    public String reason() {
        return reason;
    }

    /** The wait the backend asked for, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Request body bytes sent, after compression. */
    public long bytesSent() {
        return bytesSent;
    }

    Map<Integer, String> rejected() {
        return rejected;
    }

    Map<Integer, String> isolate() {
        return isolate;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DELIVERED -> "delivered";
            case RETRY -> "retry(" + reason + (retryAfter != null ? ", after " + retryAfter : "") + ")";
            case REJECT_ALL -> "rejectAll(" + reason + ")";
            case ISOLATE_ALL -> "isolateAll(" + reason + ")";
            case PER_RECORD -> "perRecord(rejected=" + rejected + ", isolate=" + isolate + ")";
        };
    }

    /** Collects per-record outcomes. Not thread-safe. */
    public static final class Builder {
        private final long bytesSent;
        private final Map<Integer, String> rejected = new TreeMap<>();
        private final Map<Integer, String> isolate = new TreeMap<>();

        private Builder(long bytesSent) {
            this.bytesSent = bytesSent;
        }

        /** The record at {@code index} was rejected for {@code reason}. */
        public Builder rejected(int index, String reason) {
            checkIndex(index);
            isolate.remove(index);
            rejected.put(index, Objects.requireNonNull(reason, "reason must not be null"));
            return this;
        }

        /** The record at {@code index} may have failed for {@code reason}: send it again in a smaller batch. */
        public Builder isolate(int index, String reason) {
            checkIndex(index);
            rejected.remove(index);
            isolate.put(index, Objects.requireNonNull(reason, "reason must not be null"));
            return this;
        }

        public ExportResult build() {
            if (rejected.isEmpty() && isolate.isEmpty()) {
                return delivered(bytesSent);
            }
            return new ExportResult(Kind.PER_RECORD, null, null, bytesSent, Map.copyOf(rejected), Map.copyOf(isolate));
        }

        private static void checkIndex(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative, was " + index);
            }
        }
    }
}
