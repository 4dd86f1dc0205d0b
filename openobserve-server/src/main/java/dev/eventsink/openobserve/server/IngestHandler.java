package dev.eventsink.openobserve.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Serves {@code POST /api/{org}/{stream}/_json}, in this order:
 * <ol>
 *   <li>the next scripted {@link Fault}, if any (see {@link Fault} for where each kind acts);</li>
 *   <li>authentication and the declared {@code Content-Length}, from the headers alone: a 401 or 413 is answered
 *       without reading the body;</li>
 *   <li>then, holding one of the ingestion slots ({@link OpenObserveServerBuilder#threads}): the body, read under
 *       the client deadline within the payload limit; its decoding, within the decoded-size limit; parsing (invalid
 *       JSON anywhere fails the whole request); ingestion ({@link Ingestor}); and the 200 answer with the
 *       stream's counts.</li>
 * </ol>
 * Thread-safe.
 *
 * <pre>{@code
 * IngestHandler ingest = new IngestHandler(settings, ingestor, faults, authentication, deadlines);
 * ingest.serve(call);   // answers the call, or drops it
 * }</pre>
 */
final class IngestHandler {

    /** serde_json refuses nesting deeper than this (its recursion limit of 128, counted its way). */
    private static final int MAX_NESTING_DEPTH = 127;
    /**
     * The longest number read, in characters. serde_json has no such limit, but turning a whole number of a million
     * digits into a {@code BigInteger} takes minutes of CPU: longer numbers are refused with 400.
     */
    static final int MAX_NUMBER_LENGTH = 1000;

    private final Ingestor ingestor;
    private final Faults faults;
    private final BasicAuthentication authentication;
    private final ClientDeadlines deadlines;
    private final Semaphore slots;
    private final int payloadLimit;
    private final long decodedLimit;
    private final int flattenLevel;
    private final JsonFactory jsonFactory;
    /** Only for the 400 answer to invalid JSON, which keeps the tree parser's words ({@link #treeParseError}). */
    private final ObjectMapper mapper;

    IngestHandler(OpenObserveServerBuilder settings, Ingestor ingestor, Faults faults,
            BasicAuthentication authentication, ClientDeadlines deadlines) {
        this.ingestor = ingestor;
        this.faults = faults;
        this.authentication = authentication;
        this.deadlines = deadlines;
        this.slots = new Semaphore(settings.threads, true);
        this.payloadLimit = settings.payloadLimitBytes;
        this.decodedLimit = settings.decodedLimitBytes;
        this.flattenLevel = settings.flattenLevel;
        this.jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        // no string or key can be longer than the decoded body
                        .maxStringLength((int) Math.min(decodedLimit, Integer.MAX_VALUE))
                        .maxNameLength((int) Math.min(decodedLimit, Integer.MAX_VALUE))
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                // correctly rounded like Double.parseDouble (same values), several times faster
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        this.mapper = new ObjectMapper(jsonFactory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Answers an ingestion request, or drops it as a fault says.
     *
     * @throws InterruptedException when the server is closing (the connection is then dropped)
     */
    void serve(Call call) throws IOException, InterruptedException {
        if (!call.method.equals("POST")) {
            call.answerEmpty(405, Map.of("Allow", "POST"));
            return;
        }
        Fault fault = faults.take();
        if (fault == null && !admitted(call)) {
            return;
        }
        deadlines.serverTurn();
        slots.acquire();
        try {
            boolean forceLoss = false;
            if (fault != null) {
                call.fault(fault);
                if (fault.kind() == Fault.Kind.RESPOND || fault.kind() == Fault.Kind.DROP_CONNECTION) {
                    // as if the server had read the request: the client is not left sending into a closed socket
                    deadlines.clientTurn();
                    RequestBody.discard(call.exchange.getRequestBody(), payloadLimit, call::bodyBytes);
                    deadlines.serverTurn();
                }
                if (!fault.delay().isZero()) {
                    Thread.sleep(fault.delay().toMillis(), fault.delay().toNanosPart() % 1_000_000);
                }
                switch (fault.kind()) {
                    case RESPOND -> {
                        call.answer(fault.status(), null, fault.body(), fault.headers());
                        return;
                    }
                    case DROP_CONNECTION -> {
                        // Closing an exchange whose response headers were never sent closes the socket: the client
                        // reads end-of-stream where the status line should be and fails with an IOException.
                        call.log();
                        return;
                    }
                    case SILENT_LOSS -> forceLoss = true;
                    case PASS -> {
                        // handled normally after the delay
                    }
                }
                if (!admitted(call)) {
                    return;
                }
            }
            ingest(call, forceLoss);
        } finally {
            slots.release();
        }
    }

    /**
     * Authentication and the declared size, from the headers alone: answers 401 or 413 without reading the body.
     *
     * @return whether the request may go on
     */
    private boolean admitted(Call call) throws IOException {
        BasicAuthentication.Verdict verdict = authentication.check(call.header("Authorization"));
        if (verdict != BasicAuthentication.Verdict.ACCEPTED) {
            authentication.refuse(call, verdict);
            return false;
        }
        if (call.declaredLength() > payloadLimit) {
            answerPayloadTooLarge(call);
            return false;
        }
        return true;
    }

    private void ingest(Call call, boolean forceLoss) throws IOException {
        List<String> codings;
        try {
            codings = RequestBody.codings(call.contentEncoding);
        } catch (RequestBody.UnsupportedEncoding e) {
            call.answerError(415, e.getMessage());
            return;
        }
        deadlines.clientTurn();
        byte[] raw = RequestBody.read(call.exchange.getRequestBody(), call.declaredLength(), payloadLimit,
                call::bodyBytes);
        deadlines.serverTurn();
        if (raw == null) {
            answerPayloadTooLarge(call);
            return;
        }
        RequestBody body = new RequestBody(raw, codings, decodedLimit);

        List<FlatRecord> elements;
        try {
            elements = parse(body);
        } catch (RequestBody.DecodedTooLarge e) {
            call.answerError(413, "Payload Too Large: " + e.getMessage());
            return;
        } catch (JsonProcessingException parseError) {
            // OpenObserve decodes the whole body before parsing it: a decoding error anywhere comes first
            if (answeredDecodingError(call, body)) {
                return;
            }
            JsonProcessingException e = treeParseError(body, parseError);
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            call.answerError(400, "SerdeJsonError# " + e.getOriginalMessage() + where);
            return;
        } catch (IOException e) {
            answerDecompressionError(call, e);
            return;
        } catch (OutOfMemoryError e) {
            call.answerError(413, "Payload Too Large: the request body's records do not fit in memory");
            return;
        }
        if (elements == null) {
            call.answerError(400, "SerdeJsonError# EOF while parsing a value" + endPosition(body));
            return;
        }

        Ingestor.Outcome outcome = ingestor.ingest(call.org(), call.stream(), elements, forceLoss);
        call.outcome(outcome);
        StringBuilder json = new StringBuilder(160).append("{\"code\":200,\"status\":[{\"name\":");
        SerdeJson.writeString(call.stream(), json);
        json.append(",\"successful\":").append(outcome.successful())
                .append(",\"failed\":").append(outcome.failed());
        if (outcome.lastError() != null && !outcome.lastError().isEmpty()) {
            json.append(",\"error\":");
            SerdeJson.writeString(outcome.lastError(), json);
        }
        json.append("}]}");
        call.answer(200, Call.JSON, json.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private void answerPayloadTooLarge(Call call) throws IOException {
        call.answerError(413, "Payload Too Large: the request body is larger than the payload limit of "
                + payloadLimit + " bytes (ZO_PAYLOAD_LIMIT)");
    }

    private static void answerDecompressionError(Call call, IOException e) throws IOException {
        call.answerError(400, "Failed to decompress the request body (" + call.contentEncoding + "): "
                + e.getMessage());
    }

    /**
     * Answers the body's decoding error (400, or 413 over the decoded-size limit), if it has one.
     *
     * @return whether it had one
     */
    private static boolean answeredDecodingError(Call call, RequestBody body) throws IOException {
        try {
            body.verifyDecodes();
            return false;
        } catch (RequestBody.DecodedTooLarge e) {
            call.answerError(413, "Payload Too Large: " + e.getMessage());
            return true;
        } catch (IOException e) {
            answerDecompressionError(call, e);
            return true;
        }
    }

    /**
     * The body's records, flattened ({@code null} for an element that is not an object): the elements of an
     * array, or the single value. The whole body is read before anything is ingested, so invalid JSON anywhere
     * fails the whole request.
     *
     * @return {@code null} when the body holds no JSON value at all
     * @throws JsonProcessingException when the body is not one valid JSON value
     * @throws RequestBody.DecodedTooLarge when the decoded body is over the limit
     * @throws IOException when the body cannot be decoded
     */
    private List<FlatRecord> parse(RequestBody body) throws IOException {
        try (JsonParser parser = body.parser(jsonFactory)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Flattener flattener = new Flattener(flattenLevel);
            List<FlatRecord> elements;
            if (first == JsonToken.START_ARRAY) {
                elements = new ArrayList<>(Math.max(16, body.rawLength() / 256));
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(flattener.flatten(parser));
                }
            } else {
                elements = Collections.singletonList(flattener.flatten(parser));
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Trailing token after the value");
            }
            return elements;
        }
    }

    /**
     * The error the tree parser ({@code ObjectMapper.readTree} with {@code FAIL_ON_TRAILING_TOKENS}) reports for
     * an invalid body, so that the 400 answer's message does not depend on how the body was read; {@code
     * fallback} if that parser accepts the body.
     */
    private JsonProcessingException treeParseError(RequestBody body, JsonProcessingException fallback) {
        try (InputStream in = body.open()) {
            mapper.readTree(in);
        } catch (JsonProcessingException e) {
            return e;
        } catch (IOException e) {
            return fallback;
        }
        return fallback;
    }

    /** Where the decoded body ends, as serde_json reports it. */
    private static String endPosition(RequestBody body) throws IOException {
        int line = 1;
        int column = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = body.open()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line++;
                        column = 0;
                    } else {
                        column++;
                    }
                }
            }
        }
        return " at line " + line + " column " + column;
    }
}
