package dev.eventsink.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventType;
import dev.eventsink.internal.ByteBuf;
import dev.eventsink.internal.Json;
import dev.eventsink.internal.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * The compact form in which the pipeline keeps an event from {@code sendEvent} until it is settled: a fixed
 * header with the id, time and type, then the user and session ids and the payload as the JSON text they will be
 * sent as. Any JSON record form can be written from it by copying, with nothing to parse:
 *
 * <pre>
 * byte 0      format version (1)
 * byte 1      event type: 0 ux_action, 1 simulation_event
 * byte 2      flags: 1 has userId, 2 has sessionId
 * bytes 3-18  id, most then least significant bits, big-endian
 * bytes 19-26 epoch second, big-endian
 * bytes 27-30 nanosecond of the second, big-endian
 * then        userId: varint length, then its JSON string content (escaped, without quotes), when present
 * then        sessionId: the same, when present
 * then        the payload's compact JSON object, to the end of the record
 * </pre>
 */
final class EventRecords {

    static final int VERSION = 1;
    static final int HEADER_BYTES = 31;
    /**
     * What a record's JSON forms (canonical, or a backend's record such as OpenObserve's) take at most beyond
     * the record's own bytes: field names, quotes, the id and time as text, a separator. So the JSON size of an
     * event is at most its record's size plus this, which is how the pipeline counts bytes.
     */
    static final int JSON_OVERHEAD = 180;

    private static final int HAS_USER = 1;
    private static final int HAS_SESSION = 2;
    private static final JsonFactory JSON = new JsonFactory();
    private static final EventType[] TYPES = {EventType.UX_ACTION, EventType.SIMULATION_EVENT};

    private EventRecords() {}

    /** Appends {@code event}'s record to {@code out}. */
    static void encode(Event event, ByteBuf out) {
        out.ensure(HEADER_BYTES);
        out.put((byte) VERSION);
        out.put((byte) (event.eventType() == EventType.UX_ACTION ? 0 : 1));
        out.put((byte) ((event.userId() != null ? HAS_USER : 0) | (event.sessionId() != null ? HAS_SESSION : 0)));
        UUID id = event.id();
        out.int64(id.getMostSignificantBits());
        out.int64(id.getLeastSignificantBits());
        Instant timestamp = event.timestamp();
        out.int64(timestamp.getEpochSecond());
        out.int32(timestamp.getNano());
        if (event.userId() != null) {
            writeString(out, event.userId());
        }
        if (event.sessionId() != null) {
            writeString(out, event.sessionId());
        }
        EventJson.writePayloadTo(event, out);
    }

    /** A string's escaped JSON content, after its length as a varint. */
    private static void writeString(ByteBuf out, String value) {
        int lengthAt = out.size();
        out.varint(0); // a placeholder of one byte, widened below when the content is 128 bytes or more
        int start = out.size();
        Json.writeStringContent(out, value);
        int length = out.size() - start;
        if (length < 0x80) {
            out.array()[lengthAt] = (byte) length;
            return;
        }
        byte[] content = Arrays.copyOfRange(out.array(), start, out.size());
        out.truncate(lengthAt);
        out.varint(length);
        out.write(content, 0, content.length);
    }

    /** The JSON size of a record's event, at most: what the pipeline's byte bounds count. */
    static long jsonBound(int recordLength) {
        return (long) recordLength + JSON_OVERHEAD;
    }

    // ------------------------------------------------------------------------------------------------ reading

    static EventType eventType(byte[] data, int at) {
        return TYPES[data[at + 1]];
    }

    static long idMostSignificantBits(byte[] data, int at) {
        return int64(data, at + 3);
    }

    static long idLeastSignificantBits(byte[] data, int at) {
        return int64(data, at + 11);
    }

    static long epochSecond(byte[] data, int at) {
        return int64(data, at + 19);
    }

    static int nano(byte[] data, int at) {
        return (data[at + 27] & 0xFF) << 24 | (data[at + 28] & 0xFF) << 16 | (data[at + 29] & 0xFF) << 8
                | data[at + 30] & 0xFF;
    }

    static boolean hasUserId(byte[] data, int at) {
        return (data[at + 2] & HAS_USER) != 0;
    }

    static boolean hasSessionId(byte[] data, int at) {
        return (data[at + 2] & HAS_SESSION) != 0;
    }

    /**
     * Where the fields after the header lie: {@code [userStart, userLength, sessionStart, sessionLength,
     * payloadStart]} as offsets into {@code data}; a missing id has length -1.
     */
    static void layout(byte[] data, int at, int[] into) {
        int p = at + HEADER_BYTES;
        int flags = data[at + 2];
        into[0] = -1;
        into[1] = -1;
        into[2] = -1;
        into[3] = -1;
        if ((flags & HAS_USER) != 0) {
            int length = 0;
            int shift = 0;
            byte b;
            do {
                b = data[p++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            into[0] = p;
            into[1] = length;
            p += length;
        }
        if ((flags & HAS_SESSION) != 0) {
            int length = 0;
            int shift = 0;
            byte b;
            do {
                b = data[p++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            into[2] = p;
            into[3] = length;
            p += length;
        }
        into[4] = p;
    }

    /** The string whose escaped JSON content lies at {@code [from, from + length)}. */
    static String string(byte[] data, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (data[i] == '\\') {
                return unescape(data, from, length);
            }
        }
        return new String(data, from, length, StandardCharsets.UTF_8);
    }

    private static String unescape(byte[] data, int from, int length) {
        byte[] quoted = new byte[length + 2];
        quoted[0] = '"';
        System.arraycopy(data, from, quoted, 1, length);
        quoted[length + 1] = '"';
        try (JsonParser parser = JSON.createParser(quoted)) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt event record", e);
        }
    }

    /** The event a record holds, decoded. */
    static Event decode(byte[] data, int at, int length) {
        int[] fields = new int[5];
        layout(data, at, fields);
        String userId = fields[1] < 0 ? null : string(data, fields[0], fields[1]);
        String sessionId = fields[3] < 0 ? null : string(data, fields[2], fields[3]);
        byte[] payload = Arrays.copyOfRange(data, fields[4], at + length);
        return new Event(new UUID(idMostSignificantBits(data, at), idLeastSignificantBits(data, at)),
                Instant.ofEpochSecond(epochSecond(data, at), nano(data, at)), eventType(data, at), userId, sessionId,
                JsonValues.decodeObject(payload));
    }

    private static long int64(byte[] data, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (data[at + i] & 0xFF);
        }
        return value;
    }
}
