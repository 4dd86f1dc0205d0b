package dev.eventsink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.eventsink.internal.JsonValues;
import dev.eventsink.internal.Quoting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The first step of the thorough decoder: one streaming pass over the text that checks the limits before any tree
 * is built, so that no input, however deep or large, costs more than the pass. It reports, naming the path:
 * the payload's depth and key count ({@link Event#MAX_PAYLOAD_DEPTH}, {@link Event#MAX_PAYLOAD_KEYS}) with the
 * same messages as {@link Event}'s constructor; the reading limits of {@link EventJson#READ_CONSTRAINTS} anywhere
 * (nesting, string, key and number length); and a syntax error, as the tree parser words it.
 *
 * <pre>{@code
 * EventJsonLimits.check(json);   // throws EventJsonException, or returns: the tree may be built
 * }</pre>
 */
final class EventJsonLimits {

    /** As the decoders read: within the read constraints, and a repeated name is a syntax error. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(EventJson.READ_CONSTRAINTS)
            .build();

    private EventJsonLimits() {}

    /**
     * Returns when the text keeps every limit and is valid JSON up to the end of its first value.
     *
     * @throws EventJsonException naming the path where a limit is passed, or the syntax error
     */
    static void check(String json) {
        JsonParser parser = null;
        try {
            parser = JSON.createParser(json);
            walk(parser);
        } catch (StreamConstraintsException e) {
            throw overLimit(parser, e);
        } catch (JsonProcessingException e) {
            throw new EventJsonException(null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the text is in memory
        } finally {
            close(parser);
        }
    }

    private static void walk(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren(); // the limits of the value are checked; the tree decoder names its type
            return;
        }
        boolean inPayload = false;
        int keys = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            JsonStreamContext context = parser.getParsingContext();
            int depth = context.getNestingDepth();
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    if (depth == 2 && token == JsonToken.START_OBJECT
                            && "payload".equals(context.getParent().getCurrentName())) {
                        inPayload = true;
                    }
                    if (inPayload && depth - 1 > Event.MAX_PAYLOAD_DEPTH) {
                        throw new EventJsonException("payload",
                                JsonValues.tooDeep(path(context.getParent()), Event.MAX_PAYLOAD_DEPTH));
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    if (depth == 0) {
                        return; // the root object ended; what follows is for the tree parser to refuse
                    }
                    if (depth == 1) {
                        inPayload = false;
                    }
                }
                case FIELD_NAME -> {
                    if (inPayload && ++keys > Event.MAX_PAYLOAD_KEYS) {
                        throw new EventJsonException("payload",
                                JsonValues.tooManyKeys("payload", Event.MAX_PAYLOAD_KEYS, path(context)));
                    }
                }
                case VALUE_STRING -> parser.getText(); // the length is checked as the text is made
                default -> {
                    // scalars: numbers are checked as they are read
                }
            }
        }
    }

    /** The error for a reading limit passed where the parser stands. */
    private static EventJsonException overLimit(JsonParser parser, StreamConstraintsException e) {
        List<JsonStreamContext> chain = chain(parser.getParsingContext());
        String message = e.getOriginalMessage();
        if (chain.isEmpty() || !chain.get(0).inObject()) {
            String type = chain.isEmpty() ? "a number or string" : "array";
            return new EventJsonException(null, "the event must be a JSON object, was " + type);
        }
        String field = chain.get(0).getCurrentName();
        if (field == null) {
            // a key at the top level too long to be read
            return new EventJsonException(null, "the event has a key of more than "
                    + EventJson.READ_CONSTRAINTS.getMaxNameLength() + " characters");
        }
        if (!EventJson.FIELDS.contains(field)) {
            return EventJson.unknownField(field);
        }
        JsonStreamContext here = parser.getParsingContext();
        // a key too long to be read leaves its object without a current name
        boolean atKey = here.inObject() && here.getCurrentName() == null;
        String path = Quoting.quote(path(atKey ? here.getParent() : here));
        String problem;
        if (message.startsWith("Document nesting depth")) {
            // the context at the error is the new container's, or its parent's: the path ends at the parent
            JsonStreamContext context = parser.getParsingContext();
            JsonStreamContext container = context.getNestingDepth() > EventJson.READ_CONSTRAINTS.getMaxNestingDepth()
                    ? context.getParent() : context;
            problem = JsonValues.tooDeep(path(container), EventJson.READ_CONSTRAINTS.getMaxNestingDepth());
        } else if (message.startsWith("Number value length")) {
            problem = path + " is a number of more than " + EventJson.READ_CONSTRAINTS.getMaxNumberLength()
                    + " digits";
        } else if (atKey && (message.startsWith("String value length") || message.startsWith("Name length"))) {
            problem = path + " has a key of more than " + EventJson.READ_CONSTRAINTS.getMaxNameLength()
                    + " characters";
        } else if (message.startsWith("String value length")) {
            problem = path + " is a string of more than " + EventJson.READ_CONSTRAINTS.getMaxStringLength()
                    + " characters";
        } else {
            problem = path + ": " + message;
        }
        return new EventJsonException(field, problem);
    }

    /** The contexts from the root's (excluded) down to {@code context}. */
    private static List<JsonStreamContext> chain(JsonStreamContext context) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(0, c);
        }
        return chain;
    }

    /**
     * The path to the value {@code context} stands at, in {@link Event}'s form: {@code payload.a.b[2]} (the root
     * object's field first, without a leading dot).
     */
    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : chain(context)) {
            if (c.inObject()) {
                String name = c.getCurrentName();
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(name == null ? "" : name);
            } else {
                path.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
            }
        }
        return path.toString();
    }

    private static void close(JsonParser parser) {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // nothing to release: the text is in memory
            }
        }
    }
}
