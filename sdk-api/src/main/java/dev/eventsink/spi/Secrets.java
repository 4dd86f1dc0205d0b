package dev.eventsink.spi;

import java.util.Locale;

/**
 * Decides which configuration keys hold secrets, and masks secrets in what may be shown: the values of secret
 * keys whole, and the credentials of URLs in any value. For example {@code display("UX_EVENT_SINK_URL",
 * "http://admin:pa/ss@localhost:5080")} is {@code http://****@localhost:5080}.
 */
public final class Secrets {

    /** What every secret value is shown as. */
    public static final String MASK = "****";

    private static final String[] MARKERS = {"API_KEY", "PASSWORD", "PASSCODE", "SECRET", "TOKEN", "CREDENTIAL",
        "AUTHORIZATION", "PRIVATE_KEY", "JAAS", "KEYSTORE.KEY", "KEYSTORE_KEY"};

    private Secrets() {}

    /** Whether a key (or any text naming one) holds a secret: it mentions an API key, password, token… */
    public static boolean isSecretKey(String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (upper.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value as it may be shown for {@code key}: masked when the key holds a secret, and with the user
     * information of a URL ({@code http://user:password@host}) masked whatever the key.
     */
    public static String display(String key, String value) {
        return isSecretKey(key) ? MASK : maskUrlCredentials(value);
    }

    /**
     * The text with the credentials of every URL in it masked: from the {@code ://} after a scheme to the last
     * {@code @} that follows, so {@code http://user:password@host/…} becomes {@code http://****@host/…}. Other
     * text is unchanged.
     *
     * <p>The mask reaches the last {@code @} rather than the end of the authority as {@link java.net.URI} parses
     * it, because a password may hold any character: {@code http://admin:1234/abc@host} is, to {@code URI}, host
     * {@code admin}, port {@code 1234} and path {@code /abc@host}, and {@code http://admin:pa ss@host} is no URI
     * at all. What follows the {@code ://} of a URL up to an {@code @} may always be a password, so it is masked;
     * a URL whose path or query holds an {@code @} is shown masked up to it.
     */
    public static String maskUrlCredentials(String text) {
        int scheme = text.indexOf("://");
        if (scheme < 0) {
            return text;
        }
        int authority = scheme + 3;
        int at = text.lastIndexOf('@');
        if (at < authority) {
            return text;
        }
        return text.substring(0, authority) + MASK + text.substring(at);
    }
}
