package dev.eventsink.openobserve.server;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of OpenObserve's {@code _json} ingestion after the body is parsed: per-record flattening and
 * timestamp checks, the request's column limit, the stream schema with its casts, and the store.
 *
 * <p>Order of work, as in OpenObserve (which decides which error is the "last" one):
 * <ol>
 *   <li>Each element, in order: flatten (a non-object fails with {@code flatten value must be an object}), read
 *       {@code _timestamp} ({@code Can't parse timestamp}), check the window ({@code Too old data, ...} /
 *       {@code Too far data, ...}).</li>
 *   <li>The survivors as one batch: infer the batch's schema (see {@link FieldType#coerce}); when it has more
 *       fields than the column limit (or the silent-loss fault is on), nothing is written, the survivors are
 *       counted in neither {@code successful} nor {@code failed}, and the error is only logged.</li>
 *   <li>Fields the stream does not know yet are added to its schema with the batch's type; then each survivor,
 *       in order, is cast to the stream's types; a record with a failing field fails
 *       ({@code Failed to cast ...}); the others are stored.</li>
 * </ol>
 * Thread-safe: steps 1 and 2 touch only the request; step 3 holds the stream's lock.
 */
final class Ingestor {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);
    static final String TIMESTAMP = "_timestamp";
    private static final long HOUR_MICROS = 3_600_000_000L;

    /** The outcome of one request's records. */
    record Outcome(int records, int successful, int failed, int lost, String lastError) {}

    /** One org/stream: its schema, its kept records and how many it accepted. Guarded by itself. */
    static final class StreamState {
        final Map<String, FieldType> schema = new LinkedHashMap<>();
        final List<Map<String, Object>> records = new ArrayList<>();
        long accepted;
    }

    private final Clock clock;
    private final long allowedUptoHours;
    private final long allowedInFutureHours;
    private final int colsPerRecordLimit;
    private final int maxRetainedPerStream;
    private final ConcurrentMap<String, ConcurrentMap<String, StreamState>> orgs = new ConcurrentHashMap<>();

    Ingestor(Clock clock, long allowedUptoHours, long allowedInFutureHours, int colsPerRecordLimit,
            int maxRetainedPerStream) {
        this.clock = clock;
        this.allowedUptoHours = allowedUptoHours;
        this.allowedInFutureHours = allowedInFutureHours;
        this.colsPerRecordLimit = colsPerRecordLimit;
        this.maxRetainedPerStream = maxRetainedPerStream;
    }

    String tooOldMessage() {
        return "Too old data, only last " + allowedUptoHours + " hours data can be ingested. Data discarded."
                + " You can adjust ingestion max time by setting the environment variable"
                + " ZO_INGEST_ALLOWED_UPTO=<max_hours>";
    }

    /**
     * The doc elides this one with "..."; OpenObserve's source ({@code get_future_discard_error}) has exactly
     * this sentence, the analogue of {@link #tooOldMessage()} with {@code ZO_INGEST_ALLOWED_IN_FUTURE}.
     */
    String tooFarMessage() {
        return "Too far data, only future " + allowedInFutureHours + " hours data can be ingested. Data discarded."
                + " You can adjust ingestion max time by setting the environment variable"
                + " ZO_INGEST_ALLOWED_IN_FUTURE=<max_hours>";
    }

    /**
     * Ingests the parsed body into a stream: {@code elements} are the array's elements (or the single value)
     * flattened by {@link Flattener}, {@code null} for an element that is not an object.
     */
    Outcome ingest(String org, String stream, List<FlatRecord> elements, boolean forceLoss) {
        Instant now = clock.instant();
        long nowMicros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        long minTs = nowMicros - allowedUptoHours * HOUR_MICROS;
        long maxTs = nowMicros + allowedInFutureHours * HOUR_MICROS;
        int failed = 0;
        String lastError = null;
        List<FlatRecord> survivors = new ArrayList<>(elements.size());
        for (FlatRecord record : elements) {
            if (record == null) {
                failed++;
                lastError = Flattener.NOT_AN_OBJECT;
                continue;
            }
            Object raw = record.get(TIMESTAMP);
            long ts;
            if (raw == null) {
                ts = nowMicros;
            } else {
                try {
                    ts = Timestamps.toMicros(raw, nowMicros);
                } catch (Timestamps.UnparseableTimestamp e) {
                    failed++;
                    lastError = Timestamps.CANT_PARSE;
                    continue;
                }
            }
            if (ts < minTs) {
                failed++;
                lastError = tooOldMessage();
                continue;
            }
            if (ts > maxTs) {
                failed++;
                lastError = tooFarMessage();
                continue;
            }
            record.put(TIMESTAMP, ts);
            survivors.add(record);
        }
        if (survivors.isEmpty()) {
            // OpenObserve's "if no data, fast return": its stream status as it stands. So `[]` answers
            // {"code":200,"status":[{"name":"<stream>","successful":0,"failed":0}]} — the doc's "200 with 0/0".
            return new Outcome(elements.size(), 0, failed, 0, lastError);
        }

        Map<String, FieldType> inferred = new LinkedHashMap<>();
        // Records of a batch usually share their keys and value types: a record whose keys (the same instances,
        // in the same order) and types match the one before cannot change the inferred types — once a field's
        // type has absorbed a type, coercion only moves it further towards Utf8, which still absorbs it.
        String[] shapeKeys = new String[0];
        FieldType[] shapeTypes = new FieldType[0];
        for (FlatRecord record : survivors) {
            int size = record.size();
            boolean sameShape = size == shapeKeys.length;
            for (int i = 0; sameShape && i < size; i++) {
                sameShape = record.key(i) == shapeKeys[i] && FieldType.of(record.value(i)) == shapeTypes[i];
            }
            if (sameShape) {
                continue;
            }
            shapeKeys = new String[size];
            shapeTypes = new FieldType[size];
            for (int i = 0; i < size; i++) {
                FieldType type = FieldType.of(record.value(i));
                shapeKeys[i] = record.key(i);
                shapeTypes[i] = type;
                FieldType known = inferred.putIfAbsent(record.key(i), type);
                if (known != null && known != type) {
                    inferred.put(record.key(i), FieldType.coerce(known, type));
                }
            }
        }
        if (forceLoss || inferred.size() > colsPerRecordLimit) {
            // OpenObserve only logs this (get_request_columns_limit_error) and answers 200.
            LOG.warn("Got {} columns for stream {}/logs/{}, only {} columns accept. Data discarded. You can adjust"
                            + " ingestion columns limit by setting the environment variable"
                            + " ZO_COLS_PER_RECORD_LIMIT=<max_columns>{}",
                    inferred.size(), org, stream, colsPerRecordLimit, forceLoss ? " (injected silent loss)" : "");
            return new Outcome(elements.size(), 0, failed, survivors.size(), lastError);
        }

        int successful = 0;
        StreamState state = stream(org, stream);
        synchronized (state) {
            for (Map.Entry<String, FieldType> field : inferred.entrySet()) {
                state.schema.putIfAbsent(field.getKey(), field.getValue());
            }
            // The schema does not change below: look up each field's type once per shape of record.
            String[] columnKeys = new String[0];
            FieldType[] columnTypes = new FieldType[0];
            for (FlatRecord record : survivors) {
                int size = record.size();
                boolean sameShape = size == columnKeys.length;
                for (int i = 0; sameShape && i < size; i++) {
                    sameShape = record.key(i) == columnKeys[i];
                }
                if (!sameShape) {
                    columnKeys = new String[size];
                    columnTypes = new FieldType[size];
                    for (int i = 0; i < size; i++) {
                        columnKeys[i] = record.key(i);
                        columnTypes[i] = state.schema.get(record.key(i));
                    }
                }
                StringBuilder error = null;
                for (int i = 0; i < size; i++) {
                    FieldType type = columnTypes[i];
                    Object value = record.value(i);
                    Object cast = type.cast(value);
                    if (cast == FieldType.FAILED) {
                        if (error == null) {
                            error = new StringBuilder();
                        }
                        // OpenObserve's set_parsing_error, trailing space included.
                        error.append("Failed to cast ").append(record.key(i)).append(" to type ")
                                .append(type.arrowName()).append(' ');
                    } else if (cast != value) {
                        record.setValue(i, cast);
                    }
                }
                if (error != null) {
                    failed++;
                    lastError = error.toString();
                    continue;
                }
                successful++;
                state.accepted++;
                if (state.records.size() < maxRetainedPerStream) {
                    state.records.add(Collections.unmodifiableMap(record.toMap()));
                }
            }
        }
        return new Outcome(elements.size(), successful, failed, 0, lastError);
    }

    private StreamState stream(String org, String stream) {
        return orgs.computeIfAbsent(org, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(stream, s -> new StreamState());
    }

    private StreamState existing(String org, String stream) {
        Map<String, StreamState> streams = orgs.get(org);
        return streams == null ? null : streams.get(stream);
    }

    List<Map<String, Object>> records(String org, String stream) {
        StreamState state = existing(org, stream);
        if (state == null) {
            return List.of();
        }
        synchronized (state) {
            return List.copyOf(state.records);
        }
    }

    long recordCount(String org, String stream) {
        StreamState state = existing(org, stream);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            return state.accepted;
        }
    }

    Map<String, String> schema(String org, String stream) {
        StreamState state = existing(org, stream);
        if (state == null) {
            return Map.of();
        }
        Map<String, String> types = new LinkedHashMap<>();
        synchronized (state) {
            state.schema.forEach((field, type) -> types.put(field, type.arrowName()));
        }
        return Collections.unmodifiableMap(types);
    }

    Set<String> streams(String org) {
        Map<String, StreamState> streams = orgs.get(org);
        return streams == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(streams.keySet()));
    }

    Set<String> orgs() {
        return Collections.unmodifiableSet(new TreeSet<>(orgs.keySet()));
    }

    void clear() {
        orgs.clear();
    }
}
