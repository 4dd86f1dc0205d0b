package dev.eventsink.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.LogCapture;
import dev.eventsink.SinkStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MockSinkTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00.123Z");

    private static Event event(int n) {
        return Event.uxAction().id(new UUID(0, n)).timestamp(NOW).put("n", n).build();
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("future did not fail");
    }

    private static SinkStats stats(long accepted, long delivered, Map<String, Long> failed) {
        return SinkStats.builder().accepted(accepted).delivered(delivered).failed(failed).build();
    }

    @Nested
    class Storing {

        @Test
        void keepsEventsInOrderAndCompletesFuturesAtOnce() {
            MockSink sink = new MockSink();

            CompletableFuture<Void> first = sink.sendEvent(event(1));
            CompletableFuture<Void> second = sink.sendEvent(event(2));

            assertThat(first).isCompletedWithValue(null);
            assertThat(second).isCompletedWithValue(null);
            assertThat(sink.events()).containsExactly(event(1), event(2));
            assertThat(sink.size()).isEqualTo(2);
            assertThat(sink.stats()).isEqualTo(stats(2, 2, Map.of()));
        }

        @Test
        void eventsIsAnUnmodifiableSnapshot() {
            MockSink sink = new MockSink();
            sink.sendEvent(event(1));
            List<Event> snapshot = sink.events();

            sink.sendEvent(event(2));

            assertThat(snapshot).containsExactly(event(1));
            assertThatThrownBy(() -> snapshot.add(event(3))).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void fullMockEvictsTheOldestAndCountsIt() {
            MockSink sink = new MockSink("UX", 3);

            for (int n = 1; n <= 5; n++) {
                assertThat(sink.sendEvent(event(n))).isCompletedWithValue(null);
            }

            assertThat(sink.events()).containsExactly(event(3), event(4), event(5));
            assertThat(sink.size()).isEqualTo(3);
            assertThat(sink.evictedCount()).isEqualTo(2);
            assertThat(sink.stats()).isEqualTo(stats(5, 5, Map.of()));
        }

        @Test
        void capacityOfOneKeepsOnlyTheLatest() {
            MockSink sink = new MockSink("SIM", 1);
            sink.sendEvent(event(1));
            sink.sendEvent(event(2));

            assertThat(sink.events()).containsExactly(event(2));
            assertThat(sink.evictedCount()).isEqualTo(1);
        }

        @Test
        void capacityBelowOneIsRejected() {
            assertThatThrownBy(() -> new MockSink("UX", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be at least 1, was 0");
            assertThatThrownBy(() -> new MockSink(null, 1))
                    .isInstanceOf(NullPointerException.class).hasMessage("name must not be null");
        }

        @Test
        void nullEventFailsTheFutureAndIsNotCounted() {
            MockSink sink = new MockSink();

            assertThat(failure(sink.sendEvent(null)))
                    .isInstanceOf(NullPointerException.class).hasMessage("event must not be null");
            assertThat(sink.stats()).isEqualTo(SinkStats.EMPTY);
        }

        @Test
        void resetForgetsEventsAndCountsAndStopsFailing() {
            MockSink sink = new MockSink("UX", 1);
            sink.sendEvent(event(1));
            sink.sendEvent(event(2));
            sink.failAll("down");
            sink.sendEvent(event(3));

            sink.reset();

            assertThat(sink.events()).isEmpty();
            assertThat(sink.evictedCount()).isZero();
            assertThat(sink.stats()).isEqualTo(SinkStats.EMPTY);
            assertThat(sink.sendEvent(event(4))).isCompletedWithValue(null);
            assertThat(sink.stats()).isEqualTo(stats(1, 1, Map.of()));
        }
    }

    @Nested
    class Concurrency {

        private static final int THREADS = 8;
        private static final int PER_THREAD = 2_000;

        private List<Event> sendConcurrently(MockSink sink) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Event> sent = new ArrayList<>();
            List<Future<Long>> results = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    List<Event> mine = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        mine.add(Event.simulationEvent().id(new UUID(t, i)).timestamp(NOW).build());
                    }
                    sent.addAll(mine);
                    results.add(pool.submit(() -> {
                        start.await();
                        long completed = 0;
                        for (Event e : mine) {
                            if (sink.sendEvent(e).isDone()) {
                                completed++;
                            }
                        }
                        return completed;
                    }));
                }
                start.countDown();
                long completed = 0;
                for (Future<Long> result : results) {
                    completed += result.get(30, TimeUnit.SECONDS);
                }
                assertThat(completed).isEqualTo((long) THREADS * PER_THREAD);
            } finally {
                pool.shutdownNow();
            }
            return sent;
        }

        @Test
        void concurrentSendsFromEightThreadsAreAllKept() throws Exception {
            MockSink sink = new MockSink("SIM", THREADS * PER_THREAD);

            List<Event> sent = sendConcurrently(sink);

            assertThat(sink.size()).isEqualTo(THREADS * PER_THREAD);
            assertThat(sink.events()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(sink.evictedCount()).isZero();
            assertThat(sink.stats()).isEqualTo(stats(THREADS * PER_THREAD, THREADS * PER_THREAD, Map.of()));
        }

        @Test
        void concurrentSendsIntoASmallMockEvictExactlyTheOverflow() throws Exception {
            MockSink sink = new MockSink("SIM", 100);

            sendConcurrently(sink);

            List<Event> kept = sink.events();
            assertThat(kept).hasSize(100);
            Set<UUID> ids = kept.stream().map(Event::id).collect(Collectors.toCollection(HashSet::new));
            assertThat(ids).hasSize(100);
            assertThat(sink.evictedCount()).isEqualTo(THREADS * PER_THREAD - 100);
            assertThat(sink.stats()).isEqualTo(stats(THREADS * PER_THREAD, THREADS * PER_THREAD, Map.of()));
        }
    }

    @Nested
    class Failing {

        @Test
        void failNextFailsExactlyThatManyEvents() {
            MockSink sink = new MockSink("UX", 10);
            sink.failNext(2, "backend down");

            Throwable first = failure(sink.sendEvent(event(1)));
            Throwable second = failure(sink.sendEvent(event(2)));
            CompletableFuture<Void> third = sink.sendEvent(event(3));

            assertThat(first).isInstanceOf(DeliveryException.class).hasMessage("rejected: backend down");
            assertThat(((DeliveryException) first).outcome()).isEqualTo(DeliveryException.Outcome.REJECTED);
            assertThat(((DeliveryException) first).reason()).isEqualTo("backend down");
            assertThat(second).isInstanceOf(DeliveryException.class).hasMessage("rejected: backend down");
            assertThat(third).isCompletedWithValue(null);
            assertThat(sink.events()).containsExactly(event(3));
            assertThat(sink.stats()).isEqualTo(SinkStats.builder().accepted(3).delivered(1)
                    .failed(Map.of("backend down", 2L)).rejected(2).build());
        }

        @Test
        void failAllFailsEveryEventUntilSucceed() {
            MockSink sink = new MockSink("UX", 10);
            sink.failAll("maintenance");

            for (int n = 1; n <= 4; n++) {
                assertThat(failure(sink.sendEvent(event(n)))).hasMessage("rejected: maintenance");
            }
            sink.succeed();

            assertThat(sink.sendEvent(event(5))).isCompletedWithValue(null);
            assertThat(sink.events()).containsExactly(event(5));
            assertThat(sink.stats()).isEqualTo(SinkStats.builder().accepted(5).delivered(1)
                    .failed(Map.of("maintenance", 4L)).rejected(4).build());
            assertThat(sink.stats().accepted())
                    .isEqualTo(sink.stats().delivered() + sink.stats().failedTotal() + sink.stats().droppedTotal());
        }

        @Test
        void failuresAreCountedByReason() {
            MockSink sink = new MockSink("UX", 10);
            sink.failNext(1, "timeout");
            sink.sendEvent(event(1));
            sink.failNext(2, "quota");
            sink.sendEvent(event(2));
            sink.sendEvent(event(3));

            assertThat(sink.stats().failed()).isEqualTo(Map.of("timeout", 1L, "quota", 2L));
            assertThat(sink.stats().failedTotal()).isEqualTo(3);
        }

        @Test
        void negativeFailNextIsRejected() {
            assertThatThrownBy(() -> new MockSink().failNext(-1, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("count must not be negative, was -1");
            assertThatThrownBy(() -> new MockSink().failAll(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
        }
    }

    @Nested
    class Closing {

        @Test
        void sendAfterCloseFailsTheFutureAsUndelivered() {
            MockSink sink = new MockSink("SIM", 10);
            sink.sendEvent(event(1));
            sink.close();
            sink.close();

            Throwable failure = failure(sink.sendEvent(event(2)));

            assertThat(failure).isInstanceOf(DeliveryException.class).hasMessage("undelivered: sink is closed");
            assertThat(((DeliveryException) failure).outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
            assertThat(sink.events()).containsExactly(event(1));
            assertThat(sink.stats()).isEqualTo(stats(2, 1, Map.of("sink is closed", 1L)));
        }

        @Test
        void toStringShowsNameCapacityKeptFailingAndClosed() {
            MockSink sink = new MockSink("UX", 3);
            sink.sendEvent(event(1));
            assertThat(sink).hasToString("MockSink{UX, capacity=3, kept=1}");

            sink.failAll("x");
            sink.close();

            assertThat(sink).hasToString("MockSink{UX, capacity=3, kept=1, failing, closed}");
        }
    }

    @Nested
    class Logging {

        @Test
        void logsOneReadableInfoLinePerEvent() {
            MockSink sink = new MockSink("UX", 10);
            Event event = Event.uxAction().id(UUID.fromString("0b6c2f4e-8d1a-4c3b-9e7f-112233445566")).timestamp(NOW)
                    .userId("u1").put("button", "buy").build();
            try (LogCapture log = LogCapture.capture(Level.INFO, MockSink.class.getName())) {
                sink.sendEvent(event);
                sink.sendEvent(event);

                assertThat(log.lines(Level.INFO)).containsExactly(
                        "[mock UX] {\"id\":\"0b6c2f4e-8d1a-4c3b-9e7f-112233445566\",\"timestamp\":\"2026-11-28T12:00:00.123Z\","
                                + "\"eventType\":\"ux_action\",\"userId\":\"u1\",\"payload\":{\"button\":\"buy\"}}",
                        "[mock UX] {\"id\":\"0b6c2f4e-8d1a-4c3b-9e7f-112233445566\",\"timestamp\":\"2026-11-28T12:00:00.123Z\","
                                + "\"eventType\":\"ux_action\",\"userId\":\"u1\",\"payload\":{\"button\":\"buy\"}}");
                assertThat(log.events()).hasSize(2);
            }
        }

        @Test
        void logsOneInfoLinePerFailedEvent() {
            MockSink sink = new MockSink("SIM", 10);
            Event event = Event.simulationEvent().id(new UUID(0, 7)).timestamp(NOW).build();
            sink.failNext(1, "backend down");
            try (LogCapture log = LogCapture.capture(Level.INFO, MockSink.class.getName())) {
                sink.sendEvent(event);
                sink.close();
                sink.sendEvent(event);

                assertThat(log.lines(Level.INFO)).containsExactly(
                        "[mock SIM] failed simulation_event 00000000-0000-0000-0000-000000000007: backend down",
                        "[mock SIM] failed simulation_event 00000000-0000-0000-0000-000000000007: sink is closed");
            }
        }
    }
}
