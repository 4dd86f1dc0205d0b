package dev.eventsink.testkit;

import static dev.eventsink.testkit.EventSinkCompatibilityKitTest.runKit;
import static dev.eventsink.testkit.EventSinkCompatibilityKitTest.throwable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.testkit.EventSinkCompatibilityKitTest.ReferenceKit;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.TestAbortedException;

/**
 * A test class that extends the compatibility kit can neither override nor silence its checks. Each run below
 * points a subclass of the kit at a sink whose second {@code close()} throws, and the subclass tries to get the
 * lifecycle check "close is idempotent and bounded in time" past the kit: by declaring a method of that name,
 * with an extension that skips test methods, swallows their failures or disables them. The check fails every time.
 */
@Isolated
class CompatibilityKitIntegrityTest {

    private static final String CHECK = "close is idempotent and bounded in time";
    private static final String ITS_FAILURE = "close() after close(500ms) threw java.lang.IllegalStateException: "
            + "already closed";
    private static final List<String> HOOKS = List.of("provider", "validConfiguration", "invalidConfiguration",
            "invalidKey", "apiKey", "deliveredEventIds", "failingConfiguration", "channel", "classLoader", "timeout",
            "threadGrace", "isIgnoredThread", "event");

    @TempDir
    static Path services;

    /** Where {@link ReferenceKit} writes the services file that registers the reference sink's provider. */
    @BeforeAll
    static void shareTheServicesDirectory() {
        EventSinkCompatibilityKitTest.services = services;
    }

    @AfterAll
    static void stopSharingIt() {
        EventSinkCompatibilityKitTest.services = null;
    }

    @Test
    void everyCheckIsAMemberOfAFinalInnerClassAndOnlyTheHooksCanBeOverridden() {
        Class<?> kit = EventSinkCompatibilityKit.class;
        List<Class<?>> groups = Arrays.stream(kit.getDeclaredClasses())
                .filter(type -> type.isAnnotationPresent(Nested.class))
                .toList();

        assertThat(groups).extracting(type -> type.getAnnotation(DisplayName.class).value())
                .containsExactlyInAnyOrder("discovery and configuration", "delivery", "concurrency", "lifecycle",
                        "secrets");
        assertThat(groups).allSatisfy(group -> assertThat(group.getModifiers())
                .as("modifiers of %s", group).matches(m -> Modifier.isFinal(m) && !Modifier.isStatic(m)));
        assertThat(groups.stream().flatMap(group -> tests(group.getDeclaredMethods())))
                .extracting(method -> method.getAnnotation(DisplayName.class).value())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Defect.values())
                        .filter(defect -> defect.check != null).map(defect -> defect.check).distinct().toList());
        assertThat(tests(kit.getDeclaredMethods())).as("test methods the kit declares outside its groups").isEmpty();
        assertThat(Arrays.stream(kit.getDeclaredMethods())
                .filter(m -> !m.isSynthetic())
                .filter(m -> !Modifier.isPrivate(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !Modifier.isFinal(m.getModifiers()))
                .map(Method::getName))
                .as("methods of the kit that a subclass can override")
                .containsExactlyInAnyOrderElementsOf(HOOKS);
    }

    @Test
    void aMethodOfTheSameNameDoesNotReplaceTheCheck() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, DeclaresTheCheck.class, Map.of());

        assertOnlyTheCheckFailed(results, 12, ITS_FAILURE);
        assertThat(failed(results).get(0).getTestDescriptor().getUniqueId().toString())
                .endsWith("/[nested-class:Lifecycle]/[method:closeIsIdempotentAndBoundedInTime()]");
    }

    @Test
    void aNestedClassNamedAsAGroupOfChecksFailsTheTestClassBeforeAnyCheckRuns() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, DeclaresTheGroup.class, Map.of());

        assertThat(results.testEvents().started().count()).isZero();
        assertThat(failedContainers(results)).containsExactly("CompatibilityKitIntegrityTest$DeclaresTheGroup: "
                + "java.lang.AssertionError: The compatibility kit's checks cannot be replaced, but "
                + DeclaresTheGroup.class.getName() + " declares [" + DeclaresTheGroup.Lifecycle.class.getName()
                + "], named as the kit's own group of checks [Concurrency, Delivery, DiscoveryAndConfiguration,"
                + " Lifecycle, Secrets], which JUnit would run in its place; rename it");
    }

    @Test
    void anInterceptorOfTheSubclassThatSkipsTestMethodsDoesNotSkipTheCheck() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, SkipsTestMethods.class, Map.of());

        assertOnlyTheCheckFailed(results, 11, ITS_FAILURE);
    }

    @Test
    void aFailureThatAnExceptionHandlerSwallowedIsReportedAgain() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, SwallowsFailures.class, Map.of());

        assertOnlyTheCheckFailed(results, 11, "An extension of " + SwallowsFailures.class.getName()
                + " swallowed what this check threw; the compatibility kit's checks cannot be silenced. The check"
                + " threw: java.lang.AssertionError: " + ITS_FAILURE);
    }

    @Test
    void aFailureThatAnExceptionHandlerTurnedIntoAnAbortIsReportedAgain() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, AbortsOnFailure.class, Map.of());

        assertOnlyTheCheckFailed(results, 11, "An extension of " + AbortsOnFailure.class.getName()
                + " swallowed what this check threw; the compatibility kit's checks cannot be silenced. The check"
                + " threw: java.lang.AssertionError: " + ITS_FAILURE);
    }

    @Test
    void aCheckThatAConditionDisabledFailsTheTestClass() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, DisablesTheCheck.class, Map.of());

        assertThat(results.testEvents().skipped().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                .containsExactly(CHECK);
        assertThat(results.testEvents().failed().count()).isZero();
        assertThat(failedContainers(results)).containsExactly("CompatibilityKitIntegrityTest$DisablesTheCheck"
                + ": java.lang.AssertionError: The compatibility kit's checks cannot be switched off, but a condition"
                + " of " + DisablesTheCheck.class.getName() + " disabled [lifecycle > " + CHECK + "]");
    }

    @Test
    void aGroupOfChecksThatAConditionDisabledFailsTheTestClass() {
        EngineExecutionResults results = runKit(Defect.CLOSE_NOT_IDEMPOTENT, DisablesTheGroup.class, Map.of());

        assertThat(results.testEvents().succeeded().count()).isEqualTo(9);
        assertThat(results.testEvents().failed().count()).isZero();
        assertThat(failedContainers(results)).containsExactly("CompatibilityKitIntegrityTest$DisablesTheGroup"
                + ": java.lang.AssertionError: The compatibility kit's checks cannot be switched off, but a condition"
                + " of " + DisablesTheGroup.class.getName() + " disabled [lifecycle]");
    }

    /** An interceptor registered before the kit's own, here by ServiceLoader for the whole run. */
    @Nested
    class AnInterceptorRegisteredBeforeTheKit {

        @TempDir
        Path extensions;
        private ClassLoader saved;

        @BeforeEach
        void registerItForAutodetection() throws IOException {
            Path file = extensions.resolve("META-INF/services/" + Extension.class.getName());
            Files.createDirectories(file.getParent());
            Files.writeString(file, SkipTestMethods.class.getName() + "\n");
            saved = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(
                    new URLClassLoader(new URL[] {extensions.toUri().toURL()}, saved));
        }

        @AfterEach
        void restoreTheClassLoader() {
            Thread.currentThread().setContextClassLoader(saved);
        }

        @Test
        void failsEveryCheckItSkipped() {
            EngineExecutionResults results = runKit(Defect.NONE, ReferenceKit.class,
                    Map.of("junit.jupiter.extensions.autodetection.enabled", "true"));

            assertThat(results.testEvents().failed().list()).hasSize(12).allSatisfy(e -> assertThat(throwable(e))
                    .hasMessage("An interceptor registered before the compatibility kit skipped this check; the kit's"
                            + " checks cannot be skipped"));
        }
    }

    private static void assertOnlyTheCheckFailed(EngineExecutionResults results, int succeeded, String message) {
        List<Event> failed = failed(results);
        assertThat(failed).as("failed checks: %s", failed.stream().map(EventSinkCompatibilityKitTest::describe)
                .toList()).extracting(e -> e.getTestDescriptor().getDisplayName()).containsExactly(CHECK);
        assertThat(throwable(failed.get(0))).hasMessage(message);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(succeeded);
        assertThat(results.testEvents().skipped().count()).isZero();
        assertThat(results.testEvents().aborted().count()).isZero();
        assertThat(failedContainers(results)).isEmpty();
    }

    private static List<Event> failed(EngineExecutionResults results) {
        return results.testEvents().failed().list();
    }

    private static List<String> failedContainers(EngineExecutionResults results) {
        return results.containerEvents().failed().stream().map(EventSinkCompatibilityKitTest::describe).toList();
    }

    private static Stream<Method> tests(Method[] methods) {
        return Arrays.stream(methods).filter(method -> method.isAnnotationPresent(Test.class));
    }

    // ---------------------------------------------------------------- subclasses that try to get past the check

    /** Declares a test method named as the check. */
    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    static class DeclaresTheCheck extends ReferenceKit {

        @Test
        @DisplayName("a method of the subclass named as the check")
        public void closeIsIdempotentAndBoundedInTime() {
            // passes, beside the kit's own check
        }
    }

    /** Declares a nested class named as the check's group, with a test method named as the check. */
    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    static class DeclaresTheGroup extends ReferenceKit {

        @Nested
        class Lifecycle {

            @Test
            @DisplayName(CHECK)
            public void closeIsIdempotentAndBoundedInTime() {
                // would pass in place of the kit's own check
            }
        }
    }

    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    @ExtendWith(SkipTestMethods.class)
    static class SkipsTestMethods extends ReferenceKit {
    }

    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    @ExtendWith(SwallowFailures.class)
    static class SwallowsFailures extends ReferenceKit {
    }

    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    @ExtendWith(AbortOnFailure.class)
    static class AbortsOnFailure extends ReferenceKit {
    }

    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    @ExtendWith(DisableByDisplayName.class)
    static class DisablesTheCheck extends ReferenceKit {
        static final String DISABLED = CHECK;
    }

    @EnabledIf("dev.eventsink.testkit.EventSinkCompatibilityKitTest#kitRunUnderWay")
    @ExtendWith(DisableByDisplayName.class)
    static class DisablesTheGroup extends ReferenceKit {
        static final String DISABLED = "lifecycle";
    }

    /** Skips every test method instead of running it. */
    public static final class SkipTestMethods implements InvocationInterceptor {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                ExtensionContext context) {
            invocation.skip();
        }
    }

    static final class SwallowFailures implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable throwable) {
            // swallowed
        }
    }

    static final class AbortOnFailure implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable throwable) {
            throw new TestAbortedException("not today");
        }
    }

    /** Disables the kit's check or group that the test class names in its {@code DISABLED}. */
    static final class DisableByDisplayName implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            ExtensionContext top = context;
            while (top.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
                top = top.getParent().orElseThrow();
            }
            String disabled = top.getRequiredTestClass() == DisablesTheCheck.class
                    ? DisablesTheCheck.DISABLED : DisablesTheGroup.DISABLED;
            return context.getDisplayName().equals(disabled)
                    ? ConditionEvaluationResult.disabled("switched off by the subclass")
                    : ConditionEvaluationResult.enabled("not the switched-off one");
        }
    }
}
