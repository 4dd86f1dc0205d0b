package dev.eventsink;

import dev.eventsink.internal.Quoting;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event sink providers found with {@link ServiceLoader}, by type. A provider that fails to load is
 * reported and skipped; two providers with one type make that type unusable until one is removed.
 * For example {@code ProviderRegistry.load(classLoader).find("mock", "UX_EVENT_SINK_TYPE")}.
 */
final class ProviderRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    private static final int MAX_LOAD_FAILURES = 100;

    private final Map<String, List<EventSinkProvider>> byType;
    private final List<String> loadFailures;

    private ProviderRegistry(Map<String, List<EventSinkProvider>> byType, List<String> loadFailures) {
        this.byType = byType;
        this.loadFailures = loadFailures;
    }

    /** Finds every provider visible to {@code classLoader}. */
    public static ProviderRegistry load(ClassLoader classLoader) {
        Map<String, List<EventSinkProvider>> byType = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Iterator<EventSinkProvider> it = ServiceLoader.load(EventSinkProvider.class, classLoader).iterator();
        while (failures.size() < MAX_LOAD_FAILURES) {
            EventSinkProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                String failure = e instanceof ServiceConfigurationError
                        ? e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")")
                        : "a provider class could not be linked: " + e;
                failures.add(failure);
                LOG.warn("An event sink provider failed to load and is skipped: {}", failure);
                continue;
            }
            String type;
            try {
                type = provider.type();
            } catch (RuntimeException e) {
                failures.add(provider.getClass().getName() + ".type() threw " + e);
                LOG.warn("Event sink provider {} is skipped: type() threw {}", provider.getClass().getName(), e.toString());
                continue;
            }
            if (type == null || type.isBlank() || !type.equals(type.trim().toLowerCase(Locale.ROOT))) {
                failures.add(provider.getClass().getName() + " has type '" + type
                        + "', which is not a lowercase non-blank name");
                LOG.warn("Event sink provider {} is skipped: its type '{}' is not a lowercase non-blank name",
                        provider.getClass().getName(), type);
                continue;
            }
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(provider);
        }
        if (failures.size() >= MAX_LOAD_FAILURES) {
            LOG.warn("Stopped looking for event sink providers after {} failures to load", MAX_LOAD_FAILURES);
        }
        byType.forEach((type, providers) -> {
            if (providers.size() > 1) {
                LOG.warn("{}; they were loaded from {}", duplicateMessage(type, providers),
                        providers.stream().map(ProviderRegistry::location).collect(Collectors.joining(" and ")));
            }
        });
        return new ProviderRegistry(byType, List.copyOf(failures));
    }

    /** The types found, sorted. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    /** What failed to load, one description each. */
    public List<String> loadFailures() {
        return loadFailures;
    }

    /** Every provider by type, including types claimed twice. */
    public Map<String, List<EventSinkProvider>> providers() {
        Map<String, List<EventSinkProvider>> copy = new LinkedHashMap<>();
        byType.forEach((type, providers) -> copy.put(type, List.copyOf(providers)));
        return copy;
    }

    /**
     * The provider of {@code type}, matched trimmed and ignoring case.
     *
     * @param type the configured value, or {@code null} when unset
     * @param key  the full key it was read from, for messages
     * @throws ConfigurationException when the type is unset, unknown or claimed by two providers
     */
    public EventSinkProvider find(String type, String key) {
        if (type == null || type.isBlank()) {
            throw problem(key, key + " is not set. Set it to the sink type to use" + availableSuffix());
        }
        String normalized = type.trim().toLowerCase(Locale.ROOT);
        List<EventSinkProvider> providers = byType.get(normalized);
        if (providers == null) {
            String message = "Unknown event sink type '" + Quoting.quote(type.trim()) + "' in " + key
                    + ". Available: " + (byType.isEmpty() ? "none" : String.join(", ", byType.keySet()))
                    + ". Check the spelling, or add the jar that provides the type to the class path";
            throw problem(key, message + failuresSuffix());
        }
        if (providers.size() > 1) {
            throw problem(key, duplicateMessage(normalized, providers));
        }
        return providers.get(0);
    }

    /** Where a provider's class was loaded from: its jar or class folder, or {@code unknown}. */
    public static String location(EventSinkProvider provider) {
        CodeSource source = provider.getClass().getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "unknown" : source.getLocation().toString();
    }

    private String availableSuffix() {
        if (byType.isEmpty()) {
            return ", but no event sink provider is on the class path; add the jar of a sink to it"
                    + failuresSuffix();
        }
        return ". Available: " + String.join(", ", byType.keySet()) + failuresSuffix();
    }

    private String failuresSuffix() {
        if (loadFailures.isEmpty()) {
            return "";
        }
        return ". " + loadFailures.size() + " provider(s) failed to load: " + String.join("; ", loadFailures);
    }

    private static String duplicateMessage(String type, List<EventSinkProvider> providers) {
        return "Event sink type '" + type + "' is provided by more than one class: "
                + providers.stream()
                        .map(p -> p.getClass().getName())
                        .collect(Collectors.joining(" and "))
                + ". Remove one of them from the class path";
    }

    private static ConfigurationException problem(String key, String message) {
        return ConfigurationException.of(List.of(new ConfigurationException.Problem(key, message)));
    }
}
