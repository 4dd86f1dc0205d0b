package dev.eventsink.testkit;

import dev.eventsink.ConfigSource;
import dev.eventsink.EventTracker;
import java.lang.reflect.Parameter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test an {@link EventTracker} whose two channels record into {@link RecordingSink}s, and injects them:
 *
 * <pre>{@code
 * @ExtendWith(EventTrackerExtension.class)
 * class CheckoutTest {
 *     @Test
 *     void buyingEmitsOneUxAction(EventTracker tracker, @Ux RecordingSink ux, @Sim RecordingSink sim) {
 *         new Checkout(tracker).buy("u1", "A1");
 *         assertThat(ux).singleEvent().hasUserId("u1");
 *         assertThat(sim).hasReceivedNothing();
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters it resolves, in test methods and {@code @BeforeEach}/{@code @AfterEach} methods (all of one test
 * share one set):
 * <ul>
 *   <li>{@link EventTracker}: built with {@link EventTracker#create(ConfigSource)} from an explicit configuration
 *       ({@code *_EVENT_SINK_TYPE=recording} with this test's {@code *_EVENT_SINK_RECORDER_ID}), so it goes
 *       through provider discovery as production code does, and never reads the process environment;</li>
 *   <li>{@link RecordingSink} annotated {@link Ux @Ux} or {@link Sim @Sim}: that channel's recorder;</li>
 *   <li>{@link Recorders}: both recorders;</li>
 *   <li>{@link ConfigSource}: the same configuration, for code under test that builds its own tracker; every
 *       tracker built from it records into the same two recorders.</li>
 * </ul>
 *
 * <p>Each test gets its own recorders with a random id, so tests are isolated from one another, also when JUnit
 * runs them in parallel. After each test the tracker is closed. Resolved in a {@code @BeforeAll} method or a
 * constructor, the parameters belong to the test class instead and are closed after its last test.
 *
 * <p>The {@link OpenObserveServerExtension} also resolves {@link ConfigSource}: a test class that registers both
 * should not take a {@code ConfigSource} parameter.
 */
public final class EventTrackerExtension implements ParameterResolver, AfterEachCallback {

    private static final Namespace NAMESPACE = Namespace.create(EventTrackerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EventTracker.class || type == RecordingSink.class || type == Recorders.class
                || type == ConfigSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        if (type == RecordingSink.class) {
            boolean ux = parameterContext.isAnnotated(Ux.class);
            boolean sim = parameterContext.isAnnotated(Sim.class);
            if (ux == sim) {
                throw new ParameterResolutionException("The RecordingSink parameter '" + parameter.getName()
                        + "' of " + parameterContext.getDeclaringExecutable() + " must be annotated with "
                        + (ux ? "only one of @Ux and @Sim" : "@Ux or @Sim") + " to say which channel it records");
            }
            Recorders recorders = fixture(extensionContext).recorders;
            return ux ? recorders.ux() : recorders.sim();
        }
        Fixture fixture = fixture(extensionContext);
        if (type == EventTracker.class) {
            return fixture.tracker;
        }
        if (type == Recorders.class) {
            return fixture.recorders;
        }
        return fixture.recorders.configSource();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Fixture fixture = context.getStore(NAMESPACE).remove(key(context), Fixture.class);
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Fixture fixture(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(key(context), k -> Fixture.open(), Fixture.class);
    }

    /** One key per context: a test's fixture is its own, never its class's found by a store lookup. */
    private static String key(ExtensionContext context) {
        return "fixture " + context.getUniqueId();
    }

    /** One test's recorders and tracker. */
    private static final class Fixture implements ExtensionContext.Store.CloseableResource {
        final Recorders recorders;
        final EventTracker tracker;

        private Fixture(Recorders recorders, EventTracker tracker) {
            this.recorders = recorders;
            this.tracker = tracker;
        }

        static Fixture open() {
            Recorders recorders = Recorders.open();
            try {
                // The testkit's own class loader sees the recording provider, whatever the context class loader is.
                return new Fixture(recorders, EventTracker.create(recorders.configSource(),
                        EventTrackerExtension.class.getClassLoader()));
            } catch (RuntimeException | Error e) {
                recorders.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                tracker.close();
            } finally {
                recorders.close();
            }
        }
    }
}
