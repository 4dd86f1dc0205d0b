package dev.eventsink.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Keeps the checks of {@link EventSinkCompatibilityKit} as the kit wrote them, whatever extensions the test class
 * that extends the kit registers: the kit registers it on itself, so it comes before any of the subclass's.
 * For example, a subclass annotated {@code @ExtendWith(SkipEverything.class)}, whose interceptor skips every test
 * method, still gets every check run, and one that fails is reported as failed.
 *
 * <ul>
 *   <li>It invokes each check itself, past every interceptor registered after it: none can skip or replace it.
 *       A check that an earlier interceptor skipped fails, saying so.</li>
 *   <li>A check's failure that an exception handler swallowed (or turned into an abort) is reported again.</li>
 *   <li>A check or group of checks that a condition disabled fails the test class, naming them.</li>
 *   <li>A nested class of the subclass named as one of the kit's groups, which JUnit would run in that group's
 *       place, fails the test class before any check runs.</li>
 * </ul>
 *
 * <p>Not public API: the kit's only extension.
 */
final class ChecksRunAsWritten implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback,
        InvocationInterceptor, AfterTestExecutionCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            ChecksRunAsWritten.class);
    private static final String FAILURE = "failure";
    private static final String INVOKED = "invoked";

    /** Per test class: the checks and groups of checks due to run, and those that started. */
    private static final class Ledger {
        final Map<String, String> due = new ConcurrentHashMap<>();
        final Set<String> started = ConcurrentHashMap.newKeySet();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (isCheck(context) || isGroup(context)) {
            ledger(context).due.put(context.getUniqueId(), label(context));
        }
        return ConditionEvaluationResult.enabled("the compatibility kit's checks always run");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (isGroup(context)) {
            ledger(context).started.add(context.getUniqueId());
        } else if (isTopLevel(context)) {
            refuseGroupsOfTheSameName(context.getRequiredTestClass());
        }
    }

    /**
     * JUnit knows a nested class by its simple name, so a nested class of the subclass named as one of the kit's
     * groups would take that group's place.
     */
    private static void refuseGroupsOfTheSameName(Class<?> testClass) {
        Set<String> groups = new TreeSet<>();
        for (Class<?> type : EventSinkCompatibilityKit.class.getDeclaredClasses()) {
            if (isGroup(type)) {
                groups.add(type.getSimpleName());
            }
        }
        List<String> clashes = new ArrayList<>();
        for (Class<?> type = testClass; type != EventSinkCompatibilityKit.class; type = type.getSuperclass()) {
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (nested.isAnnotationPresent(Nested.class) && groups.contains(nested.getSimpleName())) {
                    clashes.add(nested.getName());
                }
            }
        }
        if (!clashes.isEmpty()) {
            clashes.sort(null);
            throw new AssertionError("The compatibility kit's checks cannot be replaced, but " + testClass.getName()
                    + " declares " + clashes + ", named as the kit's own group of checks " + groups
                    + ", which JUnit would run in its place; rename it");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (isCheck(context)) {
            ledger(context).started.add(context.getUniqueId());
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        if (!isCheck(context)) {
            invocation.proceed();
            return;
        }
        invocation.skip();
        context.getStore(NAMESPACE).put(INVOKED, Boolean.TRUE);
        try {
            call.getExecutable().invoke(call.getTarget().orElseThrow(), call.getArguments().toArray());
        } catch (InvocationTargetException e) {
            context.getStore(NAMESPACE).put(FAILURE, e.getCause());
            throw e.getCause();
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (!isCheck(context)) {
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Optional<Throwable> reported = context.getExecutionException();
        if (store.get(INVOKED) == null) {
            if (reported.isEmpty()) {
                throw new AssertionError("An interceptor registered before the compatibility kit skipped this check;"
                        + " the kit's checks cannot be skipped");
            }
            return;
        }
        Throwable failure = store.get(FAILURE, Throwable.class);
        if (failure == null) {
            return;
        }
        boolean hidden = reported.isEmpty()
                || reported.get() != failure && reported.get() instanceof TestAbortedException;
        if (hidden) {
            throw new AssertionError("An extension of " + top(context).getRequiredTestClass().getName()
                    + " swallowed what this check threw; the compatibility kit's checks cannot be silenced."
                    + " The check threw: " + failure, failure);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!isTopLevel(context)) {
            return;
        }
        Ledger ledger = ledger(context);
        List<String> skipped = new ArrayList<>();
        ledger.due.forEach((id, label) -> {
            if (!ledger.started.contains(id)) {
                skipped.add(label);
            }
        });
        if (!skipped.isEmpty()) {
            skipped.sort(null);
            throw new AssertionError("The compatibility kit's checks cannot be switched off, but a condition of "
                    + context.getRequiredTestClass().getName() + " disabled " + skipped);
        }
    }

    /** A method of one of the kit's groups of checks. */
    private static boolean isCheck(ExtensionContext context) {
        return context.getTestMethod().map(method -> isGroup(method.getDeclaringClass())).orElse(false);
    }

    /** The container of one of the kit's groups of checks. */
    private static boolean isGroup(ExtensionContext context) {
        return context.getTestMethod().isEmpty() && context.getTestClass().map(ChecksRunAsWritten::isGroup)
                .orElse(false);
    }

    private static boolean isGroup(Class<?> type) {
        return type.getEnclosingClass() == EventSinkCompatibilityKit.class && type.isAnnotationPresent(Nested.class);
    }

    /** The test class that extends the kit: the outermost context with a test class. */
    private static boolean isTopLevel(ExtensionContext context) {
        return context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty();
    }

    private static ExtensionContext top(ExtensionContext context) {
        ExtensionContext top = context;
        while (!isTopLevel(top)) {
            top = top.getParent().orElseThrow();
        }
        return top;
    }

    private static Ledger ledger(ExtensionContext context) {
        return top(context).getStore(NAMESPACE).getOrComputeIfAbsent(Ledger.class, type -> new Ledger(), Ledger.class);
    }

    /** "lifecycle" for a group, "lifecycle > no thread of the sink survives close" for a check. */
    private static String label(ExtensionContext context) {
        return isCheck(context)
                ? context.getParent().map(ExtensionContext::getDisplayName).orElse("") + " > "
                        + context.getDisplayName()
                : context.getDisplayName();
    }
}
