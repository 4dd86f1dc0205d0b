package dev.eventsink.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link RecordingSink} parameter as the recorder of the {@link dev.eventsink.Channel#UX} channel, for the
 * {@link EventTrackerExtension}: {@code void test(EventTracker tracker, @Ux RecordingSink ux)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Ux {}
