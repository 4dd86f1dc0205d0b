package dev.eventsink.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * When {@link EventSinkHealthIndicator} reports {@code DEGRADED}: {@code eventsink.health.window} and
 * {@code eventsink.health.retry-threshold}.
 *
 * <pre>{@code
 * eventsink.health.window=5m
 * eventsink.health.retry-threshold=50
 * }</pre>
 */
@ConfigurationProperties(prefix = "eventsink.health")
public class EventSinkHealthProperties {

    /** How far back the indicator looks for lost events and retries. */
    private Duration window = Duration.ofMinutes(1);

    /** Batch retries of one channel within the window above which it is DEGRADED. */
    private int retryThreshold = 10;

    public Duration getWindow() {
        return window;
    }

    public void setWindow(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("eventsink.health.window must be a positive duration, was " + window);
        }
        this.window = window;
    }

    public int getRetryThreshold() {
        return retryThreshold;
    }

    public void setRetryThreshold(int retryThreshold) {
        if (retryThreshold < 0) {
            throw new IllegalArgumentException(
                    "eventsink.health.retry-threshold must be 0 or more, was " + retryThreshold);
        }
        this.retryThreshold = retryThreshold;
    }
}
