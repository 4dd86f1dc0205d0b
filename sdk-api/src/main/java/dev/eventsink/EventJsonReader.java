package dev.eventsink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eventsink.internal.ByteBuf;
import dev.eventsink.internal.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Decodes valid canonical JSON in one streaming pass: the payload is validated and written straight into the
 * compact form the event keeps, with no tree and no map built. It decides only what it can decide quickly; for
 * anything unusual, invalid input included, it returns {@code null}, and {@link EventJson} decodes the text the
 * thorough way, which gives the exact error.
 *
 * <pre>{@code
 * Event event = EventJsonReader.read(line, clock);   // null: let the thorough decoder explain
 * }</pre>
 */
final class EventJsonReader {

    /**
     * Without Jackson's duplicate detection, which builds a set per object: this reader finds duplicate names itself
     * (a bit per top-level field, a scan of the names of a payload object) and leaves such text to the thorough
     * decoder, which names the duplicate.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(EventJson.READ_CONSTRAINTS)
            .build();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int MAX_KEPT_PAYLOAD_BUFFER = 64 * 1024;
    /** Objects with more names than this are checked for duplicates with a set rather than by scanning. */
    private static final int MAX_SCANNED_NAMES = 32;

    /** One thread's buffers: the payload being written, and the names of the payload objects being read. */
    private static final class Scratch {
        final ByteBuf payload = new ByteBuf(512);
        /** The names of the objects being read, innermost last; each object's start index is kept by its reader. */
        String[] names = new String[64];
        int nameCount;
        /** The payload's keys read so far, at every level. */
        int keys;
    }

    private EventJsonReader() {}

    /**
     * The event, or {@code null} when the text is not plainly valid canonical JSON.
     *
     * @param fillDefaults the clock for a missing timestamp, also allowing a missing id; {@code null} requires both
     */
    static Event read(String json, Clock fillDefaults) {
        Scratch scratch = SCRATCH.get();
        ByteBuf payload = scratch.payload;
        payload.reset();
        scratch.nameCount = 0;
        scratch.keys = 0;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            String timestamp = null;
            String type = null;
            String userId = null;
            String sessionId = null;
            boolean hasPayload = false;
            int seen = 0;
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                if (!field.equals("payload") && token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                    return null;
                }
                int bit = 1 << fieldIndex(field);
                if ((seen & bit) != 0) {
                    return null; // a duplicate field
                }
                seen |= bit;
                switch (field) {
                    case "id" -> id = string(parser, token);
                    case "timestamp" -> timestamp = string(parser, token);
                    case "eventType" -> type = string(parser, token);
                    case "userId" -> userId = string(parser, token);
                    case "sessionId" -> sessionId = string(parser, token);
                    case "payload" -> {
                        if (token == JsonToken.START_OBJECT) {
                            if (!copyObject(parser, payload, 1, scratch)) {
                                return null;
                            }
                            hasPayload = true;
                        } else if (token != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (parser.nextToken() != null || type == null
                    || fillDefaults == null && (id == null || timestamp == null)) {
                return null;
            }
            UUID uuid = id == null ? UUID.randomUUID() : uuid(id);
            Instant instant = timestamp == null ? fillDefaults.instant() : instant(timestamp);
            EventType eventType = eventType(type);
            if (uuid == null || instant == null || eventType == null) {
                return null;
            }
            PayloadMap map = hasPayload ? PayloadMap.ofValidatedJson(payload.toByteArray()) : PayloadMap.EMPTY;
            return new Event(uuid, instant, eventType, userId, sessionId, map);
        } catch (IOException | RuntimeException unusual) {
            return null;
        } finally {
            payload.reset(MAX_KEPT_PAYLOAD_BUFFER);
            java.util.Arrays.fill(scratch.names, 0, scratch.nameCount, null);
        }
    }

    /** The bit of a top-level field (any unknown field is refused by the switch that follows). */
    private static int fieldIndex(String field) {
        return switch (field) {
            case "id" -> 0;
            case "timestamp" -> 1;
            case "eventType" -> 2;
            case "userId" -> 3;
            case "sessionId" -> 4;
            case "payload" -> 5;
            default -> 6;
        };
    }

    /** The string value, or null for JSON null. */
    private static String string(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    /**
     * Copies the object the parser is at into {@code out} in the compact form {@link Event} keeps, checking the
     * payload's rules; false when a value breaks one (the thorough decoder then names it).
     *
     * @param keys the payload's keys so far, in its one element
     */
    private static boolean copyObject(JsonParser parser, ByteBuf out, int depth, Scratch scratch)
            throws IOException {
        if (depth > Event.MAX_PAYLOAD_DEPTH) {
            return false;
        }
        out.write('{');
        int start = scratch.nameCount;
        java.util.Set<String> many = null;
        boolean first = true;
        String key;
        while ((key = parser.nextFieldName()) != null) {
            if (many == null && scratch.nameCount - start == MAX_SCANNED_NAMES) {
                many = new java.util.HashSet<>(java.util.Arrays.asList(scratch.names).subList(start, scratch.nameCount));
            }
            if (++scratch.keys > Event.MAX_PAYLOAD_KEYS) {
                return false;
            }
            if (many != null ? !many.add(key) : isDuplicate(scratch, start, key)) {
                return false;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            Json.writeString(out, key);
            out.write(':');
            if (!copyValue(parser, parser.nextToken(), out, depth, scratch)) {
                return false;
            }
        }
        java.util.Arrays.fill(scratch.names, start, scratch.nameCount, null);
        scratch.nameCount = start;
        out.write('}');
        return true;
    }

    /** Whether {@code key} is among the names read since {@code start}; if not, it is added to them. */
    private static boolean isDuplicate(Scratch scratch, int start, String key) {
        String[] names = scratch.names;
        for (int i = start; i < scratch.nameCount; i++) {
            if (names[i].equals(key)) {
                return true;
            }
        }
        if (scratch.nameCount == names.length) {
            scratch.names = names = java.util.Arrays.copyOf(names, names.length * 2);
        }
        names[scratch.nameCount++] = key;
        return false;
    }

    private static boolean copyValue(JsonParser parser, JsonToken token, ByteBuf out, int depth, Scratch scratch)
            throws IOException {
        switch (token) {
            case START_OBJECT:
                return copyObject(parser, out, depth + 1, scratch);
            case START_ARRAY: {
                if (depth + 1 > Event.MAX_PAYLOAD_DEPTH) {
                    return false;
                }
                out.write('[');
                boolean first = true;
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    if (!copyValue(parser, next, out, depth + 1, scratch)) {
                        return false;
                    }
                }
                out.write(']');
                return true;
            }
            case VALUE_STRING:
                Json.writeString(out, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                return true;
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    out.ascii(parser.getBigIntegerValue().toString());
                } else {
                    out.decimal(parser.getLongValue());
                }
                return true;
            case VALUE_NUMBER_FLOAT: {
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    return false;
                }
                Json.writeDouble(out, value);
                return true;
            }
            case VALUE_TRUE:
                out.ascii("true");
                return true;
            case VALUE_FALSE:
                out.ascii("false");
                return true;
            case VALUE_NULL:
                out.ascii("null");
                return true;
            default:
                return false;
        }
    }

    /** A canonical UUID (8-4-4-4-12 hex digits, any case), or null. */
    private static UUID uuid(String text) {
        if (text.length() != 36) {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return null;
            }
        }
        return UUID.fromString(text);
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} with a valid date and time of day, or null for any other text. */
    private static Instant instant(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int digits = n - 21;
            if (text.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            nano = digits(text, 20, digits);
            if (nano < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                nano *= 10;
            }
        }
        long days = daysFromCivil(year, month, day);
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nano);
    }

    /** The decimal value of {@code count} ASCII digits, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a date, after Howard Hinnant's days_from_civil. */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** The event type of an exact wire name, or null (the thorough decoder handles case and spaces). */
    private static EventType eventType(String text) {
        for (EventType type : EventType.values()) {
            if (type.wireName().equals(text)) {
                return type;
            }
        }
        return null;
    }
}
