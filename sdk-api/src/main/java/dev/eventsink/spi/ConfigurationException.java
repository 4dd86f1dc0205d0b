package dev.eventsink.spi;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Configuration that cannot work: a missing or invalid key, an unknown sink type, a malformed {@code .env}.
 * Thrown at start-up, never from the send path. The message names every offending key with what is
 * allowed; secret values are masked, for example
 * {@code UX_EVENT_SINK_OVERFLOW='sometimes' is not a valid choice; allowed: drop_newest, drop_oldest, block}.
 */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One problem with one key. */
    public record Problem(String key, String message) {
        public Problem {
            Objects.requireNonNull(key, "key must not be null");
            Objects.requireNonNull(message, "message must not be null");
        }
    }

    private final transient List<Problem> problems;

    public ConfigurationException(String message) {
        this(message, List.of(), null);
    }

    public ConfigurationException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public ConfigurationException(String message, List<Problem> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /** One exception that lists every problem, one per line, each naming its key. */
    public static ConfigurationException of(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems must not be empty");
        }
        String message = problems.size() == 1
                ? problems.get(0).message()
                : problems.size() + " configuration problems:" + problems.stream()
                        .map(p -> System.lineSeparator() + "  - " + p.message())
                        .collect(Collectors.joining());
        return new ConfigurationException(message, problems, null);
    }

    /** The problems found, each with its full key; empty when the problem is not about one key. */
    public List<Problem> problems() {
        return problems == null ? List.of() : problems;
    }

    /** The full keys named by {@link #problems()}, in order. */
    public List<String> keys() {
        return problems().stream().map(Problem::key).collect(Collectors.toList());
    }
}
