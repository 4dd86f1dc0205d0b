package dev.eventsink.testkit;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach an {@link dev.eventsink.openobserve.server.OpenObserveServer}: its URL, the user's credentials,
 * and the organisation to ingest into. {@link #toString()} masks the password.
 *
 * @param url      the base URL, such as {@code http://127.0.0.1:43117}
 * @param email    the user's email
 * @param password the user's password
 * @param org      the organisation, {@code default} or a test's own
 */
public record OpenObserveConnection(String url, String email, String password, String org) {

    public OpenObserveConnection {
        Objects.requireNonNull(url, "url must not be null");
        Objects.requireNonNull(email, "email must not be null");
        Objects.requireNonNull(password, "password must not be null");
        Objects.requireNonNull(org, "org must not be null");
    }

    /** {@code email:password}, the form {@code *_EVENT_SINK_API_KEY} takes. */
    public String apiKey() {
        return email + ":" + password;
    }

    /** The value of a valid {@code Authorization} header. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(apiKey().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Keys that point both channels' {@code openobserve} sinks at the server: {@code TYPE}, {@code URL},
     * {@code API_KEY} and {@code ORG} for {@code UX_EVENT_SINK_} and {@code SIM_EVENT_SINK_}. Streams keep their
     * defaults, {@code ux_events} and {@code simulation_events}.
     */
    public Map<String, String> configuration() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            keys.put(channel.key("TYPE"), "openobserve");
            keys.put(channel.key("URL"), url);
            keys.put(channel.key("API_KEY"), apiKey());
            keys.put(channel.key("ORG"), org);
        }
        return Map.copyOf(keys);
    }

    /**
     * An explicit configuration source with {@link #configuration()}; to add keys, put yours first:
     * {@code ConfigSource.fromMap(Map.of("UX_EVENT_SINK_LINGER", "10ms")).orElse(connection.configSource())}.
     */
    public ConfigSource configSource() {
        return ConfigSource.fromMap(configuration());
    }

    @Override
    public String toString() {
        return "OpenObserveConnection[url=" + url + ", email=" + email + ", password=****, org=" + org + "]";
    }
}
