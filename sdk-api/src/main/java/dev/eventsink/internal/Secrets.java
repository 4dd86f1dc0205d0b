package dev.eventsink.internal;

import java.util.Locale;

/** Decides which configuration keys hold secrets and masks their values. */
public final class Secrets {

    /** What every secret value is shown as. */
    public static final String MASK = "****";

    private static final String[] MARKERS = {"API_KEY", "PASSWORD", "PASSCODE", "SECRET", "TOKEN", "CREDENTIAL",
        "AUTHORIZATION", "PRIVATE_KEY"};

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

    /** {@code scheme://user:password@host/…} becomes {@code scheme://****@host/…}; other text is unchanged. */
    public static String maskUrlCredentials(String value) {
        int scheme = value.indexOf("://");
        if (scheme < 0) {
            return value;
        }
        int authorityEnd = value.indexOf('/', scheme + 3);
        String authority = authorityEnd < 0 ? value.substring(scheme + 3) : value.substring(scheme + 3, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        return value.substring(0, scheme + 3) + MASK + value.substring(scheme + 3 + at);
    }
}
