package dev.eventsink.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged through SLF4J while open, when logback-classic is the SLF4J binding: attaches a
 * {@code ListAppender} to the root logger (and to every logger that does not pass its events up), lets every
 * level through, and holds back the appenders the root logger had, so the console is not flooded. Closing puts
 * everything back as it was.
 *
 * <p>The testkit does not depend on logback (the sink author's project chooses its SLF4J binding), so logback is
 * reached by reflection. Not thread-safe to open or close concurrently; the compatibility kit runs isolated.
 *
 * <pre>{@code
 * LogbackCapture capture = LogbackCapture.startIfAvailable();   // null without logback-classic
 * ... List<String> lines = capture.lines(); capture.close();
 * }</pre>
 */
final class LogbackCapture implements AutoCloseable {

    private static final String CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private final Object appender;
    private final List<Object> loggers;
    private final Map<Object, Object> savedLevels = new LinkedHashMap<>();
    private final Map<Object, Boolean> attached = new LinkedHashMap<>();
    private final List<Object> heldBack = new ArrayList<>();
    private final Object root;
    private final Method setLevel;
    private final Method addAppender;
    private final Method detachAppender;

    private LogbackCapture(Object context) throws ReflectiveOperationException {
        ClassLoader loader = context.getClass().getClassLoader();
        Class<?> loggerClass = Class.forName("ch.qos.logback.classic.Logger", false, loader);
        Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", false, loader);
        Class<?> appenderType = Class.forName("ch.qos.logback.core.Appender", false, loader);
        Class<?> contextType = Class.forName("ch.qos.logback.core.Context", false, loader);
        Class<?> listAppender = Class.forName("ch.qos.logback.core.read.ListAppender", false, loader);
        setLevel = loggerClass.getMethod("setLevel", levelClass);
        addAppender = loggerClass.getMethod("addAppender", appenderType);
        detachAppender = loggerClass.getMethod("detachAppender", appenderType);
        Method getLevel = loggerClass.getMethod("getLevel");
        Method isAdditive = loggerClass.getMethod("isAdditive");

        appender = listAppender.getConstructor().newInstance();
        listAppender.getMethod("setContext", contextType).invoke(appender, context);
        listAppender.getMethod("setName", String.class).invoke(appender, "eventsink-compatibility-kit");
        listAppender.getMethod("start").invoke(appender);

        root = context.getClass().getMethod("getLogger", String.class).invoke(context, "ROOT");
        @SuppressWarnings("unchecked")
        List<Object> all = new ArrayList<>((List<Object>) context.getClass().getMethod("getLoggerList").invoke(context));
        loggers = all;
        Object levelAll = levelClass.getField("ALL").get(null);
        for (Object logger : loggers) {
            savedLevels.put(logger, getLevel.invoke(logger));
            setLevel.invoke(logger, logger == root ? levelAll : null);
            if (logger != root && !(Boolean) isAdditive.invoke(logger)) {
                addAppender.invoke(logger, appender);
                attached.put(logger, true);
            }
        }
        Iterator<?> rootAppenders = (Iterator<?>) loggerClass.getMethod("iteratorForAppenders").invoke(root);
        rootAppenders.forEachRemaining(heldBack::add);
        for (Object held : heldBack) {
            detachAppender.invoke(root, held);
        }
        addAppender.invoke(root, appender);
    }

    /** Starts capturing, or returns {@code null} when logback-classic is not the SLF4J binding. */
    static LogbackCapture startIfAvailable() {
        Object factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals(CONTEXT)) {
            return null;
        }
        try {
            return new LogbackCapture(factory);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot attach a ListAppender to logback's root logger: " + e, e);
        }
    }

    /**
     * Every captured event as text: level, logger, formatted message, key-value pairs, MDC, and the stack trace
     * of its exception with causes.
     */
    List<String> lines() {
        List<Object> events;
        try {
            synchronized (appender) { // logback appends under the appender's lock
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) appender.getClass().getField("list").get(appender);
                events = new ArrayList<>(list);
            }
            List<String> lines = new ArrayList<>(events.size());
            for (Object event : events) {
                lines.add(describe(event));
            }
            return lines;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read logback's captured events: " + e, e);
        }
    }

    private static String describe(Object event) throws ReflectiveOperationException {
        ClassLoader loader = event.getClass().getClassLoader();
        Class<?> eventType = Class.forName("ch.qos.logback.classic.spi.ILoggingEvent", false, loader);
        StringBuilder text = new StringBuilder();
        text.append(eventType.getMethod("getLevel").invoke(event)).append(' ')
                .append(eventType.getMethod("getLoggerName").invoke(event)).append(' ')
                .append(eventType.getMethod("getFormattedMessage").invoke(event));
        Object pairs = eventType.getMethod("getKeyValuePairs").invoke(event);
        if (pairs != null && !((List<?>) pairs).isEmpty()) {
            text.append(' ').append(pairs);
        }
        Object mdc = eventType.getMethod("getMDCPropertyMap").invoke(event);
        if (mdc != null && !((Map<?, ?>) mdc).isEmpty()) {
            text.append(" mdc=").append(mdc);
        }
        Object proxy = eventType.getMethod("getThrowableProxy").invoke(event);
        if (proxy != null) {
            Class<?> proxyType = Class.forName("ch.qos.logback.classic.spi.IThrowableProxy", false, loader);
            Class<?> util = Class.forName("ch.qos.logback.classic.spi.ThrowableProxyUtil", false, loader);
            text.append('\n').append(util.getMethod("asString", proxyType).invoke(null, proxy));
        }
        return text.toString();
    }

    @Override
    public void close() {
        try {
            detachAppender.invoke(root, appender);
            for (Object logger : attached.keySet()) {
                detachAppender.invoke(logger, appender);
            }
            for (Object held : heldBack) {
                addAppender.invoke(root, held);
            }
            for (Map.Entry<Object, Object> saved : savedLevels.entrySet()) {
                setLevel.invoke(saved.getKey(), saved.getValue());
            }
            appender.getClass().getMethod("stop").invoke(appender);
        } catch (IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalStateException("Cannot restore logback's configuration: " + e, e);
        }
    }
}
