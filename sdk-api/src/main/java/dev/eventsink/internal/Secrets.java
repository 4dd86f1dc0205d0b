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

    /** The value as it may be shown for {@code key}: masked when the key holds a secret. */
    public static String display(String key, String value) {
        return isSecretKey(key) ? MASK : value;
    }
}
