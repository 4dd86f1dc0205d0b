package dev.eventsink.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.EventType;
import dev.eventsink.spi.SinkConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code eventsink send}: one event, built from options, delivered and confirmed. For example
 * {@code eventsink send --user u1 action=click} prints {@code Delivered ux_action …} and the event's JSON.
 */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sends one event through the configured sink of its channel and waits until it is delivered.",
            "The payload is --payload '{json}' and/or KEY=VALUE pairs; a VALUE that parses as JSON is taken as "
                    + "JSON (42, true, [1,2], {\"a\":1}, \"quoted\"), anything else as a string."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  eventsink send --type ux_action --user u1 --session s1 action=click target=buy_button",
            "  eventsink send --type simulation_event --payload '{\"event\":\"collision\",\"tick\":7}'",
            "",
            "Exit codes:",
            "  0  the event was delivered",
            "  1  it was not delivered (the reason is printed) or not within --timeout",
            "  2  usage or configuration error"})
final class SendCommand implements Callable<Integer> {

    /** Reads values within the limits of event JSON ({@link EventJson#MAX_NESTING_DEPTH} and the others). */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(EventJson.MAX_NESTING_DEPTH)
                            .maxNumberLength(EventJson.MAX_NUMBER_LENGTH)
                            .maxStringLength(EventJson.MAX_STRING_LENGTH)
                            .maxNameLength(EventJson.MAX_STRING_LENGTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "ux_action",
            converter = EventTypeConverter.class,
            description = "ux_action or simulation_event (default ${DEFAULT-VALUE}).")
    EventType type;

    @Option(names = {"-u", "--user"}, paramLabel = "ID", description = "The user id.")
    String user;

    @Option(names = {"-s", "--session"}, paramLabel = "ID", description = "The session id.")
    String session;

    @Option(names = {"-p", "--payload"}, paramLabel = "JSON", description = "The payload as a JSON object.")
    String payload;

    @Option(names = "--id", paramLabel = "UUID", description = "The event id (default: a random UUID).")
    UUID id;

    @Option(names = "--timestamp", paramLabel = "ISO-8601",
            description = "The event time, e.g. 2026-11-28T12:00:00Z (default: now).")
    String timestamp;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s", converter = Durations.class,
            description = "How long to wait for delivery (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Payload entries.")
    List<String> params = new ArrayList<>();

    SendCommand(EventsinkCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        Event event = buildEvent();
        PrintStream out = root.env.out();
        ConfigSource source = root.config(spec);
        Channel channel = event.eventType().channel();
        String sinkType = Printable.value(SinkConfig.of(channel, source).type().orElse("?"));
        long start = System.nanoTime();
        EventSink sink = EventSinkFactory.create(channel, source);
        Duration closeTimeout = Duration.ofSeconds(5);
        try {
            CompletableFuture<Void> future = sink.sendEvent(event);
            sink.flush(timeout);
            long left = Math.max(0, timeout.toNanos() - (System.nanoTime() - start));
            try {
                future.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                closeTimeout = Duration.ofMillis(500); // the user's wait is over: do not wait again at close
                out.println("Not delivered within " + Durations.compact(timeout) + ": event " + event.id()
                        + " is still pending in the " + channel + " sink (" + sinkType + ").");
                return Main.FAILED;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String reason = cause instanceof DeliveryException d
                        ? d.outcome().name().toLowerCase() + ": " + d.reason() : String.valueOf(cause);
                out.println("Not delivered: " + Printable.message(reason));
                out.println("  event " + Printable.message(EventJson.toJson(event)));
                return Main.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.println("Interrupted before delivery of event " + event.id());
                return Main.FAILED;
            }
            out.printf("Delivered %s %s to the %s sink (%s) in %s%n", event.eventType(), event.id(), channel,
                    sinkType, Durations.human(Duration.ofNanos(System.nanoTime() - start)));
            out.println("  " + Printable.message(EventJson.toJson(event)));
            return Main.OK;
        } finally {
            sink.close(closeTimeout);
        }
    }

    private Event buildEvent() {
        try {
            return buildEventOrFail();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParameterException(spec.commandLine(), "Invalid event: " + e.getMessage());
        }
    }

    private Event buildEventOrFail() {
        Map<String, Object> values = new LinkedHashMap<>();
        if (payload != null) {
            JsonNode node = parse(payload, "payload");
            if (node == null || !node.isObject()) {
                throw new ParameterException(spec.commandLine(),
                        "--payload must be a JSON object such as '{\"button\":\"buy\"}', was: "
                                + Printable.quote(payload));
            }
            values.putAll(toMap(node));
        }
        for (String param : params) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "Payload entries are KEY=VALUE, was: " + Printable.quote(param));
            }
            String key = param.substring(0, eq);
            values.put(key, value(param.substring(eq + 1), "payload." + key));
        }
        Event.Builder builder = Event.builder(type).clock(root.env.clock()).userId(user).sessionId(session);
        if (id != null) {
            builder.id(id);
        }
        if (timestamp != null) {
            builder.timestamp(parseTimestamp(timestamp));
        }
        return builder.payload(values).build();
    }

    private Instant parseTimestamp(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ParameterException(spec.commandLine(),
                        "--timestamp " + Printable.quote(text) + " is not an ISO-8601 instant such as "
                                + "2026-11-28T12:00:00Z");
            }
        }
    }

    /**
     * A VALUE parsed as JSON when it is JSON, else the text itself.
     *
     * @throws IllegalArgumentException naming {@code path} when the value is JSON past a limit of event JSON
     */
    static Object value(String text, String path) {
        JsonNode node = parse(text, path);
        if (node == null) {
            return text;
        }
        return JSON.convertValue(node, Object.class);
    }

    /**
     * The JSON of {@code text}, or {@code null} when it is not JSON.
     *
     * @throws IllegalArgumentException naming {@code path} when it is JSON past a limit: such a value is not taken
     *     as a string, which would hide the mistake
     */
    private static JsonNode parse(String text, String path) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (StreamConstraintsException e) {
            String problem = e.getOriginalMessage();
            if (problem.startsWith("Document nesting depth")) {
                throw new IllegalArgumentException(path + " nests deeper than " + Event.MAX_PAYLOAD_DEPTH + " levels");
            }
            if (problem.startsWith("Number value length")) {
                throw new IllegalArgumentException(path + " is a number of more than " + EventJson.MAX_NUMBER_LENGTH
                        + " digits");
            }
            throw new IllegalArgumentException(path + ": " + problem);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }

    /** {@code ux_action} / {@code simulation_event}, as JSON writes them (enum names work too). */
    static final class EventTypeConverter implements ITypeConverter<EventType> {
        @Override
        public EventType convert(String value) {
            try {
                return EventType.fromWireName(value);
            } catch (IllegalArgumentException e) {
                try {
                    return EventType.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e2) {
                    throw new TypeConversionException(Printable.quote(value) + " is not an event type; use "
                            + "ux_action or simulation_event");
                }
            }
        }
    }
}
