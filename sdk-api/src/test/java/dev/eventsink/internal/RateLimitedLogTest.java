package dev.eventsink.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RateLimitedLogTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long INTERVAL = SECONDS.toNanos(5);

    /** A start far from zero, so that the arithmetic must be overflow-safe. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - SECONDS.toNanos(2));
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Logger logger;
    private RateLimitedLog log;

    @BeforeEach
    void captureALoggerOfOurOwn() {
        logger = (Logger) LoggerFactory.getLogger("test.RateLimitedLogTest." + SEQUENCE.incrementAndGet());
        logger.setAdditive(false);
        logger.setLevel(Level.WARN);
        lines.start();
        logger.addAppender(lines);
        log = new RateLimitedLog(logger, INTERVAL, now::get);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        lines.stop();
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    @Test
    void theFirstOccurrenceIsLoggedAtOnceAsAWarning() {
        log.warn("{}: dropped event {}", "ux", 1);

        assertThat(messages()).containsExactly("ux: dropped event 1");
        assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(lines.list.get(0).getLoggerName()).isEqualTo(logger.getName());
    }

    @Test
    void occurrencesWithinTheIntervalAreSuppressedAndCountedInTheNextLine() {
        log.warn("dropped {}", 1);
        advance(SECONDS.toNanos(1));
        log.warn("dropped {}", 2);
        advance(SECONDS.toNanos(3));
        log.warn("dropped {}", 3);
        advance(SECONDS.toNanos(1) - 1); // 1 ns before the interval ends
        log.warn("dropped {}", 4);
        assertThat(messages()).containsExactly("dropped 1");

        advance(1); // exactly one interval after the first line
        log.warn("dropped {}", 5);

        assertThat(messages()).containsExactly("dropped 1", "dropped 5 (4 occurrences since the last message)");
    }

    @Test
    void theIntervalStartsAgainAtEachLine() {
        log.warn("x {}", 1);
        advance(INTERVAL + SECONDS.toNanos(2));
        log.warn("x {}", 2); // logged: a new interval starts here, not at the old boundary
        advance(SECONDS.toNanos(4));
        log.warn("x {}", 3);
        advance(SECONDS.toNanos(1));
        log.warn("x {}", 4);

        assertThat(messages()).containsExactly("x 1", "x 2", "x 4 (2 occurrences since the last message)");
    }

    @Test
    void aLoneOccurrenceAfterTheIntervalHasNoCount() {
        log.warn("failed: {}", "a");
        advance(INTERVAL * 3);
        log.warn("failed: {}", "b");

        assertThat(messages()).containsExactly("failed: a", "failed: b");
    }

    @Test
    void aThrowableArgumentStaysTheLinesThrowable() {
        log.warn("failed: {}", "a");
        log.warn("failed: {}", "b");
        advance(INTERVAL);
        IllegalStateException boom = new IllegalStateException("boom");

        log.warn("failed: {}", "c", boom);

        assertThat(messages()).containsExactly("failed: a", "failed: c (2 occurrences since the last message)");
        assertThat(lines.list.get(1).getThrowableProxy().getMessage()).isEqualTo("boom");
    }

    @Test
    void theRealClockConstructorLogsTheFirstOccurrence() {
        RateLimitedLog real = new RateLimitedLog(logger, 1, TimeUnit.HOURS);

        real.warn("first");
        real.warn("second");

        assertThat(messages()).containsExactly("first");
    }

    @Test
    void concurrentOccurrencesAreEachCountedOnce() throws Exception {
        int threads = 8;
        int each = 1_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    log.warn("burst");
                }
            });
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join(5_000);
            assertThat(worker.isAlive()).isFalse();
        }
        assertThat(messages()).as("one line for a burst within one interval").hasSize(1);

        advance(INTERVAL);
        log.warn("burst");

        assertThat(messages()).hasSize(2);
        long represented = messages().stream().mapToLong(RateLimitedLogTest::represented).sum();
        assertThat(represented).as("occurrences the lines stand for").isEqualTo((long) threads * each + 1);
    }

    private static long represented(String message) {
        Matcher m = Pattern.compile("\\((\\d+) occurrences since the last message\\)$").matcher(message);
        return m.find() ? Long.parseLong(m.group(1)) : 1;
    }
}
