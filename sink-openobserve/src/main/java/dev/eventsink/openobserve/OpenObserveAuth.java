package dev.eventsink.openobserve;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code Authorization} header the openobserve sink sends for an {@code *_EVENT_SINK_API_KEY}, shared with
 * tools that talk to OpenObserve the same way (the CLI's {@code doctor}):
 * {@code basicAuthorization("root@example.com:Complexpass#123")} holds
 * {@code Basic cm9vdEBleGFtcGxlLmNvbTpDb21wbGV4cGFzcyMxMjM=}.
 */
public final class OpenObserveAuth {

    private OpenObserveAuth() {}

    /**
     * {@code Basic base64(email:passcode)} for a key of the form {@code email:passcode}; {@code Basic <key>} for a
     * key that is already the base64 of such a pair (a leading {@code Basic } is accepted); empty for anything
     * else, a Bearer token included, which OpenObserve does not accept.
     */
    public static Optional<String> basicAuthorization(String apiKey) {
        String key = apiKey.trim();
        if (key.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        if (key.regionMatches(true, 0, "Basic ", 0, 6)) {
            key = key.substring(6).trim();
        }
        if (key.indexOf(':') > 0) {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(key), StandardCharsets.UTF_8);
            if (decoded.indexOf(':') > 0) {
                return Optional.of("Basic " + key);
            }
        } catch (IllegalArgumentException notBase64) {
            // neither form
        }
        return Optional.empty();
    }
}
