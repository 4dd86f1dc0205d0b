package dev.eventsink.spring;

import dev.eventsink.spi.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SDK's {@link ConfigurationException}, told in Spring's terms: each problem names the property
 * ({@code eventsink.ux.batch-size}) instead of the SDK key ({@code UX_EVENT_SINK_BATCH_SIZE}), and where Spring
 * found its value. {@link EventSinkFailureAnalyzer} shows it when start-up fails.
 *
 * <pre>{@code
 * throw EventSinkConfigurationException.of(sdkException, configSource);
 * }</pre>
 */
final class EventSinkConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Pattern SDK_KEY = Pattern.compile("\\b(?:UX|SIM)_EVENT_SINK_[A-Z0-9_]*[A-Z0-9]");

    /** One problem: the property, the SDK key it stands for, where its value came from, and what is wrong. */
    record Problem(String property, String sdkKey, String origin, String reason) {}

    private final transient List<Problem> problems;

    private EventSinkConfigurationException(String message, List<Problem> problems, ConfigurationException cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /** The SDK's exception with every key named as its property, and origins from {@code source}. */
    static EventSinkConfigurationException of(ConfigurationException e, SpringConfigSource source) {
        List<Problem> problems = new ArrayList<>();
        for (ConfigurationException.Problem p : e.problems()) {
            String property = SinkProperties.propertyName(p.key());
            String origin = source.get(p.key()).isPresent() ? source.origin(p.key()) : null;
            problems.add(new Problem(property != null ? property : p.key(), p.key(), origin, inSpringTerms(p.message())));
        }
        String message = problems.isEmpty()
                ? "Invalid eventsink configuration: " + inSpringTerms(String.valueOf(e.getMessage()))
                : "Invalid eventsink configuration:" + problems.stream()
                        .map(p -> System.lineSeparator() + "  - " + p.reason())
                        .collect(Collectors.joining());
        return new EventSinkConfigurationException(message, problems, e);
    }

    /** The text with every SDK key replaced by its property: {@code UX_EVENT_SINK_URL} by {@code eventsink.ux.url}. */
    static String inSpringTerms(String text) {
        Matcher m = SDK_KEY.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String property = SinkProperties.propertyName(m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(property != null ? property : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The problems, each naming its property; empty when the SDK named no key. */
    List<Problem> problems() {
        return problems == null ? List.of() : problems;
    }

    /** The SDK's exception. */
    @Override
    public synchronized ConfigurationException getCause() {
        return (ConfigurationException) super.getCause();
    }
}
