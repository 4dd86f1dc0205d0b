package dev.eventsink.openobserve;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts an {@link HttpClient} down where the running Java allows it: Java 21 added {@code shutdownNow()} and
 * {@code awaitTermination(Duration)}, found here by reflection since the SDK is compiled for Java 17. On Java 17
 * this does nothing: the client's selector thread ends once the client is garbage-collected.
 *
 * <pre>{@code
 * HttpClients.shutdownNow(client);   // Java 21+: its threads and connections are gone on return
 * }</pre>
 */
final class HttpClients {

    private static final Logger LOG = LoggerFactory.getLogger(HttpClients.class);
    private static final Duration TERMINATION_WAIT = Duration.ofSeconds(1);
    private static final MethodHandle SHUTDOWN_NOW = find("shutdownNow", MethodType.methodType(void.class));
    private static final MethodHandle AWAIT_TERMINATION =
            find("awaitTermination", MethodType.methodType(boolean.class, Duration.class));

    private HttpClients() {}

    /** Whether this Java can shut a client down ({@code shutdownNow}, Java 21 and later). */
    static boolean canShutDown() {
        return SHUTDOWN_NOW != null && AWAIT_TERMINATION != null;
    }

    /** Aborts the client's exchanges, closes its connections and waits briefly for its threads to end. */
    static void shutdownNow(HttpClient client) {
        if (!canShutDown()) {
            return;
        }
        try {
            SHUTDOWN_NOW.invoke(client);
            if (!(boolean) AWAIT_TERMINATION.invoke(client, TERMINATION_WAIT)) {
                LOG.debug("HttpClient {} did not terminate within {}", client, TERMINATION_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            LOG.debug("Shutting down HttpClient {} failed", client, e);
        }
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException notOnThisJava) {
            return null;
        }
    }
}
