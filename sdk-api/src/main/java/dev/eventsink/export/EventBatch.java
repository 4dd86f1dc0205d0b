package dev.eventsink.export;

import dev.eventsink.Event;
import dev.eventsink.EventType;
import dev.eventsink.internal.ByteBuf;
import dev.eventsink.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The events of one batch, as a {@link BatchExporter} receives them: kept in the compact form the pipeline queues,
 * and written out field by field as JSON with nothing decoded, or decoded into {@link Event}s on demand.
 *
 * <pre>{@code
 * for (int i = 0; i < batch.size(); i++) {
 *     out.write('{');
 *     writeName(out, "id");
 *     batch.writeIdJson(i, out);            // "0b6c5c3e-…"
 *     writeName(out, "payload");
 *     batch.writePayloadJson(i, out);       // {"button":"buy"}
 *     out.write('}');
 * }
 * }</pre>
 *
 * <p>A batch is valid only during the {@link BatchExporter#export} call it is given to: the pipeline reuses it.
 * Indexes run from 0 to {@link #size()} - 1. Not thread-safe.
 */
public final class EventBatch {

    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuf(64));

    private final ByteBuf data;
    private int[] offsets;
    private int[] lengths;
    private int size;
    /** The field offsets of the record {@link #laidOut} (see {@link EventRecords#layout}). */
    private final int[] fields = new int[5];
    private int laidOut = -1;
    /** With a spool, where the batch's records start in it. */
    long spoolFrom;

    EventBatch(int expectedSize) {
        data = new ByteBuf(Math.max(1024, expectedSize * 256));
        offsets = new int[Math.max(8, expectedSize)];
        lengths = new int[offsets.length];
    }

    /** A batch of the given events, as the pipeline would hand them over: for tests of exporters. */
    public static EventBatch of(List<Event> events) {
        EventBatch batch = new EventBatch(events.size());
        ByteBuf record = new ByteBuf(256);
        for (Event event : events) {
            record.reset();
            EventRecords.encode(Objects.requireNonNull(event, "events must not contain null"), record);
            batch.add(record.array(), 0, record.size());
        }
        return batch;
    }

    // ------------------------------------------------------------------------------------------------ filling

    void clear() {
        size = 0;
        laidOut = -1;
        data.reset(4 * 1024 * 1024); // keeps the memory of ordinary batches, gives back that of huge ones
    }

    /** Appends one record, copied from {@code source}. */
    void add(byte[] source, int offset, int length) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        offsets[size] = data.size();
        lengths[size] = length;
        data.write(source, offset, length);
        size++;
    }

    /** A new batch holding the records {@code [from, to)} of this one. */
    EventBatch slice(int from, int to) {
        EventBatch slice = new EventBatch(to - from);
        for (int i = from; i < to; i++) {
            slice.add(data.array(), offsets[i], lengths[i]);
        }
        return slice;
    }

    /** A new batch holding the records at {@code indexes}, in that order. */
    EventBatch select(List<Integer> indexes) {
        EventBatch selection = new EventBatch(indexes.size());
        for (int i : indexes) {
            selection.add(data.array(), offsets[i], lengths[i]);
        }
        return selection;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** How many events the batch holds. */
    public int size() {
        return size;
    }

    /** The id of event {@code i}. */
    public UUID id(int i) {
        int at = at(i);
        return new UUID(EventRecords.idMostSignificantBits(data.array(), at),
                EventRecords.idLeastSignificantBits(data.array(), at));
    }

    /** The time of event {@code i}. */
    public Instant timestamp(int i) {
        int at = at(i);
        return Instant.ofEpochSecond(EventRecords.epochSecond(data.array(), at), EventRecords.nano(data.array(), at));
    }

    /** The time of event {@code i} in microseconds since the epoch. */
    public long epochMicros(int i) {
        int at = at(i);
        return Json.epochMicros(EventRecords.epochSecond(data.array(), at), EventRecords.nano(data.array(), at));
    }

    /** The type of event {@code i}. */
    public EventType eventType(int i) {
        return EventRecords.eventType(data.array(), at(i));
    }

    /** Whether event {@code i} has a user id. */
    public boolean hasUserId(int i) {
        return EventRecords.hasUserId(data.array(), at(i));
    }

    /** Whether event {@code i} has a session id. */
    public boolean hasSessionId(int i) {
        return EventRecords.hasSessionId(data.array(), at(i));
    }

    /** The user id of event {@code i}, or {@code null}. */
    public String userId(int i) {
        layOut(i);
        return fields[1] < 0 ? null : EventRecords.string(data.array(), fields[0], fields[1]);
    }

    /** The session id of event {@code i}, or {@code null}. */
    public String sessionId(int i) {
        layOut(i);
        return fields[3] < 0 ? null : EventRecords.string(data.array(), fields[2], fields[3]);
    }

    /** Whether the payload of event {@code i} has at least one entry. */
    public boolean hasPayload(int i) {
        layOut(i);
        return at(i) + lengths[i] - fields[4] > 2;
    }

    /** Event {@code i}, decoded. */
    public Event event(int i) {
        return EventRecords.decode(data.array(), at(i), lengths[i]);
    }

    /** Every event, decoded when read: for exporters that work on {@link Event}s. */
    public List<Event> events() {
        return new AbstractList<>() {
            @Override
            public Event get(int index) {
                return event(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes the id of event {@code i} as a quoted JSON string: {@code "0b6c5c3e-7f0a-4c2e-9a53-2f4f1d0c8e11"}. */
    public void writeIdJson(int i, OutputStream out) {
        int at = at(i);
        ByteBuf buf = target(out);
        Json.writeUuid(buf, EventRecords.idMostSignificantBits(data.array(), at),
                EventRecords.idLeastSignificantBits(data.array(), at));
        flush(buf, out);
    }

    /** Writes the time of event {@code i} as a quoted ISO-8601 string: {@code "2026-11-28T12:00:00.123Z"}. */
    public void writeTimestampJson(int i, OutputStream out) {
        int at = at(i);
        ByteBuf buf = target(out);
        Json.writeTimestamp(buf, EventRecords.epochSecond(data.array(), at), EventRecords.nano(data.array(), at));
        flush(buf, out);
    }

    /** Writes the type of event {@code i} as its quoted wire name: {@code "ux_action"}. */
    public void writeEventTypeJson(int i, OutputStream out) {
        ByteBuf buf = target(out);
        buf.write('"');
        buf.ascii(eventType(i).wireName());
        buf.write('"');
        flush(buf, out);
    }

    /**
     * Writes the user id of event {@code i} as a quoted JSON string.
     *
     * @throws IllegalStateException when the event has none ({@link #hasUserId})
     */
    public void writeUserIdJson(int i, OutputStream out) {
        layOut(i);
        if (fields[1] < 0) {
            throw new IllegalStateException("event " + i + " has no userId");
        }
        writeQuoted(fields[0], fields[1], out);
    }

    /**
     * Writes the session id of event {@code i} as a quoted JSON string.
     *
     * @throws IllegalStateException when the event has none ({@link #hasSessionId})
     */
    public void writeSessionIdJson(int i, OutputStream out) {
        layOut(i);
        if (fields[3] < 0) {
            throw new IllegalStateException("event " + i + " has no sessionId");
        }
        writeQuoted(fields[2], fields[3], out);
    }

    /** Writes the payload of event {@code i} as a compact JSON object; {@code {}} when it is empty. */
    public void writePayloadJson(int i, OutputStream out) {
        layOut(i);
        write(out, data.array(), fields[4], at(i) + lengths[i] - fields[4]);
    }

    /** Writes event {@code i} in the canonical JSON schema, as {@link dev.eventsink.EventJson} does. */
    public void writeCanonicalJson(int i, OutputStream out) {
        ByteBuf buf = target(out);
        buf.ascii("{\"id\":");
        int at = at(i);
        Json.writeUuid(buf, EventRecords.idMostSignificantBits(data.array(), at),
                EventRecords.idLeastSignificantBits(data.array(), at));
        buf.ascii(",\"timestamp\":");
        Json.writeTimestamp(buf, EventRecords.epochSecond(data.array(), at), EventRecords.nano(data.array(), at));
        buf.ascii(",\"eventType\":\"");
        buf.ascii(eventType(i).wireName());
        layOut(i);
        if (fields[1] >= 0) {
            buf.ascii("\",\"userId\":\"");
            buf.write(data.array(), fields[0], fields[1]);
        }
        if (fields[3] >= 0) {
            buf.ascii("\",\"sessionId\":\"");
            buf.write(data.array(), fields[2], fields[3]);
        }
        buf.ascii("\",\"payload\":");
        buf.write(data.array(), fields[4], at + lengths[i] - fields[4]);
        buf.write('}');
        flush(buf, out);
    }

    /** Event {@code i}'s canonical JSON, as {@link #writeCanonicalJson} writes it. */
    public byte[] canonicalJson(int i) {
        ByteBuf buf = new ByteBuf(lengths[i] + EventRecords.JSON_OVERHEAD);
        writeCanonicalJson(i, buf);
        return buf.toByteArray();
    }

    /** The record of event {@code i}, copied: for tests of the pipeline's queue. */
    byte[] recordBytes(int i) {
        int at = at(i);
        return Arrays.copyOfRange(data.array(), at, at + lengths[i]);
    }

    /** An upper bound of the size of event {@code i} in any of its JSON forms, in bytes. */
    public long jsonSizeBound(int i) {
        checkIndex(i);
        return EventRecords.jsonBound(lengths[i]);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private int at(int i) {
        checkIndex(i);
        return offsets[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of a batch of " + size);
        }
    }

    private void layOut(int i) {
        if (laidOut != i) {
            EventRecords.layout(data.array(), at(i), fields);
            laidOut = i;
        }
    }

    private void writeQuoted(int from, int length, OutputStream out) {
        ByteBuf buf = target(out);
        buf.ensure(length + 2);
        buf.put((byte) '"');
        buf.write(data.array(), from, length);
        buf.put((byte) '"');
        flush(buf, out);
    }

    /** Where to format: {@code out} itself when it is one of the SDK's buffers, else a scratch buffer. */
    private static ByteBuf target(OutputStream out) {
        if (out instanceof ByteBuf) {
            return (ByteBuf) out;
        }
        ByteBuf scratch = SCRATCH.get();
        scratch.reset(64 * 1024);
        return scratch;
    }

    private static void flush(ByteBuf buf, OutputStream out) {
        if (buf != out) {
            write(out, buf.array(), 0, buf.size());
        }
    }

    private static void write(OutputStream out, byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "EventBatch[" + size + " events]";
    }
}
