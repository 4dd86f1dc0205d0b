package dev.eventsink.testkit;

import static dev.eventsink.testkit.EventAssertions.assertThat;

import dev.eventsink.Event;
import dev.eventsink.EventTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Both extensions keep tests apart when JUnit runs them concurrently ({@code junit-platform.properties} enables
 * parallel execution; only these methods opt in). Each test sends events marked with its own id and must find
 * exactly those. The class itself runs in sequence with the other classes, so that its server's threads do not
 * disturb tests that count threads.
 */
@ExtendWith({EventTrackerExtension.class, OpenObserveServerExtension.class})
@Execution(ExecutionMode.SAME_THREAD)
class ExtensionsInParallelTest {

    private static final AtomicInteger running = new AtomicInteger();
    private static final CountDownLatch twoRanAtOnce = new CountDownLatch(1);

    @BeforeEach
    void enter() throws InterruptedException {
        if (running.incrementAndGet() >= 2) {
            twoRanAtOnce.countDown();
        }
        // Give another test the chance to start beside this one; never fails by itself.
        twoRanAtOnce.await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void leave() {
        running.decrementAndGet();
    }

    @AfterAll
    static void testsRanConcurrently() {
        assertThat(twoRanAtOnce.getCount()).as("whether two tests ever ran at once").isZero();
    }

    @RepeatedTest(4)
    @Execution(ExecutionMode.CONCURRENT)
    void eachTestRecordsOnlyItsOwnEvents(EventTracker tracker, @Ux RecordingSink ux, @Sim RecordingSink sim) {
        String marker = UUID.randomUUID().toString();
        for (int i = 0; i < 50; i++) {
            tracker.track(Event.uxAction().userId(marker).put("n", i).build());
            tracker.track(Event.simulationEvent().sessionId(marker).build());
        }

        assertThat(ux).hasReceived(50).doesNotContainEventMatching(e -> !marker.equals(e.userId()), "another test's");
        assertThat(sim).hasReceived(50).doesNotContainEventMatching(e -> !marker.equals(e.sessionId()), "another's");
    }

    @RepeatedTest(4)
    @Execution(ExecutionMode.CONCURRENT)
    void eachTestStoresOnlyItsOwnRecords(OpenObserveConnection connection, StoredRecords records) {
        String marker = UUID.randomUUID().toString();
        long micros = Instant.now().toEpochMilli() * 1000;
        String batch = IntStream.range(0, 20)
                .mapToObj(i -> "{\"_timestamp\":" + micros + ",\"marker\":\"" + marker + "\",\"n\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(Ingest.post(connection, "ux_events", batch)).isEqualTo(200);

        records.awaitRecords("ux_events", 20, Duration.ofSeconds(5));
        assertThat(records).stream("ux_events").hasRecordCount(20).allRecordsHave("marker", marker);
    }
}
