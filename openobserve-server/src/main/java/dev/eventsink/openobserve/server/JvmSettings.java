package dev.eventsink.openobserve.server;

/**
 * The JVM-wide settings for a program that serves with {@link OpenObserveServer}. The JDK's HTTP server reads
 * them once per JVM, when its first server is created, so they belong to the program, not to a library: only
 * {@code main} entry points call {@link #apply()}, first thing.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     JvmSettings.apply();
 *     ...
 * }
 * }</pre>
 */
public final class JvmSettings {

    /** The system property that switches off Nagle's algorithm on the JDK server's sockets. */
    public static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private JvmSettings() {}

    /**
     * Sets {@value #NO_DELAY}{@code =true} unless it is set already. The JDK server writes an answer's headers and
     * its body as two TCP segments; with Nagle's algorithm on, the body waits for the client's delayed
     * acknowledgement of the headers, which caps a client that sends request after request. Has no effect once an
     * {@code HttpServer} was created in this JVM.
     */
    public static void apply() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }
}
