package dev.eventsink.testkit;

import dev.eventsink.ConfigSource;
import dev.eventsink.openobserve.server.OpenObserveServer;
import dev.eventsink.openobserve.server.OpenObserveServerBuilder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts an {@link OpenObserveServer} (the OpenObserve-compatible server of {@code eventsink-openobserve-server}, on
 * 127.0.0.1 and a free port) for a test class, stops it after the class, and injects what a test needs to use it:
 *
 * <pre>{@code
 * @ExtendWith(OpenObserveServerExtension.class)
 * class DeliveryTest {
 *     @Test
 *     void eventsReachOpenObserve(ConfigSource config, StoredRecords records) {
 *         try (EventTracker tracker = EventTracker.create(config)) {
 *             tracker.track(Event.uxAction().userId("u1").put("button", "buy").build());
 *             tracker.flush(Duration.ofSeconds(5));
 *         }
 *         assertThat(records).stream("ux_events").hasRecordCount(1).containsRecordWith("payload_button", "buy");
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters it resolves:
 * <ul>
 *   <li>{@link OpenObserveServer}: the server itself, to inject faults ({@code server.faults()}), read requests,
 *       or read any organisation's records;</li>
 *   <li>{@link OpenObserveConnection}: URL, email, password, API key and the organisation to use;</li>
 *   <li>{@link ConfigSource}: both channels' {@code openobserve} sinks pointed at the server: {@code TYPE},
 *       {@code URL}, {@code API_KEY}, {@code ORG} (see {@link OpenObserveConnection#configuration()});</li>
 *   <li>{@link StoredRecords}: what the server stored for that organisation.</li>
 * </ul>
 *
 * <p><b>Each test has its own organisation</b> ({@code test1}, {@code test2}, …; OpenObserve creates organisations
 * on first ingestion), which the injected connection, configuration and records all use. So tests that run in
 * parallel against the class's one server never see each other's records. Parameters resolved outside a test
 * ({@code @BeforeAll}) use organisation {@code default}, which {@code assertThat(server).stream(…)} reads.
 *
 * <p><b>Faults</b> belong to the server, not to a test: they are cleared after each test, and a test that
 * injects them should not run concurrently with other tests of its class.
 *
 * <p>Registered with {@code @ExtendWith} or on a static field, the server serves the whole class (and its
 * {@code @Nested} classes). Registered on an instance field with {@code @RegisterExtension}, each test gets a
 * server of its own, faults included. A builder configures the server:
 * {@code @RegisterExtension static OpenObserveServerExtension server =
 * new OpenObserveServerExtension(OpenObserveServer.builder().flattenLevel(2));}
 *
 * <p>The {@link EventTrackerExtension} also resolves {@link ConfigSource}: a test class that registers both
 * should not take a {@code ConfigSource} parameter.
 */
public final class OpenObserveServerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(OpenObserveServerExtension.class);
    private static final String SERVER = "server";

    private final OpenObserveServerBuilder builder;

    /** Starts servers with OpenObserve's defaults. */
    public OpenObserveServerExtension() {
        this(OpenObserveServer.builder());
    }

    /** Starts servers from this builder. */
    public OpenObserveServerExtension(OpenObserveServerBuilder builder) {
        this.builder = Objects.requireNonNull(builder, "builder must not be null");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (find(context) == null) {
            context.getStore(NAMESPACE).put(SERVER, new Running(builder.start()));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (find(context) == null) {
            // Registered on an instance field: no class-level server, so this test gets its own.
            context.getStore(NAMESPACE).put(SERVER, new Running(builder.start()));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Running running = find(context);
        if (running != null) {
            running.server.faults().clear();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == OpenObserveServer.class || type == OpenObserveConnection.class || type == ConfigSource.class
                || type == StoredRecords.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Running running = find(extensionContext);
        if (running == null) {
            throw new ParameterResolutionException("No OpenObserve server is running for "
                    + parameterContext.getDeclaringExecutable() + ": the OpenObserveServerExtension starts it before"
                    + " all tests (when registered with @ExtendWith or on a static field) or before each test (on an"
                    + " instance field); it cannot be injected into a constructor");
        }
        Class<?> type = parameterContext.getParameter().getType();
        if (type == OpenObserveServer.class) {
            return running.server;
        }
        OpenObserveServer server = running.server;
        String org = org(extensionContext, running);
        if (type == StoredRecords.class) {
            return new StoredRecords(server, org);
        }
        OpenObserveConnection connection = new OpenObserveConnection(server.url(), server.email(), server.password(),
                org);
        return type == ConfigSource.class ? connection.configSource() : connection;
    }

    /** The test's own organisation, or {@code default} outside a test. */
    private static String org(ExtensionContext context, Running running) {
        if (context.getTestMethod().isEmpty()) {
            return OpenObserveServer.DEFAULT_ORG;
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("org " + context.getUniqueId(),
                k -> "test" + running.orgs.incrementAndGet(), String.class);
    }

    private static Running find(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SERVER, Running.class);
    }

    /** A started server, closed by JUnit with the context that holds it. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final OpenObserveServer server;
        final AtomicInteger orgs = new AtomicInteger();

        Running(OpenObserveServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
