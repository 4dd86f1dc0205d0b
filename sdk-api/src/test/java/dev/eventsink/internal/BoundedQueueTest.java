package dev.eventsink.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BoundedQueueTest {

    record Item(String name, long weight) {}

    static final long NO_LINGER = 0;
    static final long LONG_LINGER = SECONDS.toNanos(30);
    static final BooleanSupplier NEVER = () -> false;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** This test's own threads, so that no other thread's state is mistaken for a consumer waiting in the queue. */
    private final String prefix = "bq-" + SEQUENCE.incrementAndGet() + "-";
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        threads.forEach(Thread::interrupt);
    }

    /** Runs {@code task} on a new thread of this test. */
    <T> CompletableFuture<T> async(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, prefix + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return result;
    }

    static BoundedQueue<Item> queue(int capacity, long maxWeight, int batchCount, long batchWeight) {
        return new BoundedQueue<>(capacity, maxWeight, batchCount, batchWeight, Item::weight);
    }

    static Item item(String name) {
        return new Item(name, 1);
    }

    static Item item(String name, long weight) {
        return new Item(name, weight);
    }

    static List<String> names(List<Item> items) {
        return items.stream().map(Item::name).collect(Collectors.toList());
    }

    static List<String> take(BoundedQueue<Item> queue, int maxCount, long maxWeight) throws InterruptedException {
        List<Item> batch = new ArrayList<>();
        assertThat(queue.takeBatch(batch, maxCount, maxWeight, NO_LINGER, NEVER)).isTrue();
        return names(batch);
    }

    @Nested
    class Bounds {

        @Test
        void offerRefusesBeyondTheCapacity() {
            BoundedQueue<Item> queue = queue(2, 1_000, 10, 1_000);

            assertThat(queue.offer(item("a"))).isTrue();
            assertThat(queue.offer(item("b"))).isTrue();
            assertThat(queue.offer(item("c"))).isFalse();

            assertThat(queue.size()).isEqualTo(2);
            assertThat(names(queue.drainAll())).containsExactly("a", "b");
        }

        @Test
        void offerRefusesBeyondTheWeightUpToTheExactBound() {
            BoundedQueue<Item> queue = queue(100, 10, 10, 1_000);

            assertThat(queue.offer(item("a", 4))).isTrue();
            assertThat(queue.offer(item("b", 4))).isTrue();
            assertThat(queue.offer(item("c", 3))).as("4 + 4 + 3 > 10").isFalse();
            assertThat(queue.offer(item("d", 2))).as("4 + 4 + 2 == 10").isTrue();
            assertThat(queue.offer(item("e", 0))).as("weightless, and room by count").isTrue();

            assertThat(names(queue.drainAll())).containsExactly("a", "b", "d", "e");
        }

        @Test
        void anItemHeavierThanTheBoundNeverFits() {
            BoundedQueue<Item> queue = queue(100, 10, 10, 1_000);

            assertThat(queue.offer(item("huge", 11))).isFalse();
            assertThat(queue.size()).isZero();
        }

        @Test
        void takingFreesCountAndWeight() throws Exception {
            BoundedQueue<Item> queue = queue(2, 10, 10, 1_000);
            queue.offer(item("a", 5));
            queue.offer(item("b", 5));
            assertThat(queue.offer(item("c", 1))).isFalse();

            assertThat(take(queue, 1, 1_000)).containsExactly("a");

            assertThat(queue.offer(item("c", 5))).isTrue();
            assertThat(queue.offer(item("d", 0))).isFalse();
        }

        @Test
        void drainAllEmptiesTheQueueAndItsWeight() {
            BoundedQueue<Item> queue = queue(3, 10, 10, 1_000);
            queue.offer(item("a", 5));
            queue.offer(item("b", 5));

            assertThat(names(queue.drainAll())).containsExactly("a", "b");

            assertThat(queue.size()).isZero();
            assertThat(queue.drainAll()).isEmpty();
            assertThat(queue.offer(item("c", 10))).as("the full weight is free again").isTrue();
        }
    }

    @Nested
    class TakeBatch {

        @Test
        void takesAtMostMaxCountInOrder() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 2, 1_000);
            for (String name : List.of("a", "b", "c", "d", "e")) {
                queue.offer(item(name));
            }

            assertThat(take(queue, 2, 1_000)).containsExactly("a", "b");
            assertThat(take(queue, 2, 1_000)).containsExactly("c", "d");
            assertThat(take(queue, 2, 1_000)).containsExactly("e");
            assertThat(queue.size()).isZero();
        }

        @Test
        void takesAtMostMaxWeight() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 100, 5);
            for (String name : List.of("a", "b", "c", "d")) {
                queue.offer(item(name, 3));
            }

            assertThat(take(queue, 100, 7)).as("3 + 3 <= 7 < 3 + 3 + 3").containsExactly("a", "b");
            assertThat(take(queue, 100, 6)).as("exactly the bound").containsExactly("c", "d");
        }

        @Test
        void takesAtLeastOneItemHeavierThanMaxWeight() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 100, 5);
            queue.offer(item("heavy", 10));
            queue.offer(item("light", 1));

            assertThat(take(queue, 100, 5)).containsExactly("heavy");
            assertThat(take(queue, 100, 5)).containsExactly("light");
        }

        @Test
        void lingersWhenTheBatchIsNotFull() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            queue.offer(item("a"));
            List<Item> batch = new ArrayList<>();

            long start = System.nanoTime();
            assertThat(queue.takeBatch(batch, 10, 1_000, MILLISECONDS.toNanos(100), NEVER)).isTrue();

            assertThat(millisSince(start)).isGreaterThanOrEqualTo(100);
            assertThat(names(batch)).containsExactly("a");
        }

        @Test
        void doesNotLingerWhenBatchCountIsReached() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 3, 1_000);
            for (String name : List.of("a", "b", "c")) {
                queue.offer(item(name));
            }
            List<Item> batch = new ArrayList<>();

            long start = System.nanoTime();
            assertThat(queue.takeBatch(batch, 10, 1_000, LONG_LINGER, NEVER)).isTrue();

            assertThat(millisSince(start)).isLessThan(5_000);
            assertThat(names(batch)).containsExactly("a", "b", "c");
        }

        @Test
        void doesNotLingerWhenBatchWeightIsReached() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 100, 10);
            queue.offer(item("a", 6));
            queue.offer(item("b", 4));
            List<Item> batch = new ArrayList<>();

            assertThat(queue.takeBatch(batch, 100, 1_000, LONG_LINGER, NEVER)).isTrue();

            assertThat(names(batch)).containsExactly("a", "b");
        }

        @Test
        void aLingeringConsumerWakesWhenTheBatchFills() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 3, 1_000);
            queue.offer(item("a"));
            List<Item> batch = new ArrayList<>();
            CompletableFuture<Boolean> taken = async(() -> queue.takeBatch(batch, 10, 1_000, LONG_LINGER, NEVER));
            awaitConsumer(Thread.State.TIMED_WAITING);

            queue.offer(item("b"));
            queue.offer(item("c"));

            assertThat(taken.get(5, SECONDS)).isTrue();
            assertThat(names(batch)).containsExactly("a", "b", "c");
        }

        @Test
        void aLingeringConsumerWakesWhenTheBatchWeightIsReached() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 100, 10);
            queue.offer(item("a", 4));
            List<Item> batch = new ArrayList<>();
            CompletableFuture<Boolean> taken = async(() -> queue.takeBatch(batch, 100, 1_000, LONG_LINGER, NEVER));
            awaitConsumer(Thread.State.TIMED_WAITING);

            queue.offer(item("b", 6));

            assertThat(taken.get(5, SECONDS)).isTrue();
            assertThat(names(batch)).containsExactly("a", "b");
        }

        @Test
        void anIdleConsumerWaitsForTheFirstItem() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 1, 1_000);
            List<Item> batch = new ArrayList<>();
            CompletableFuture<Boolean> taken = async(() -> queue.takeBatch(batch, 10, 1_000, NO_LINGER, NEVER));
            awaitConsumer(Thread.State.WAITING);
            assertThat(taken).isNotDone();

            queue.offer(item("a"));

            assertThat(taken.get(5, SECONDS)).isTrue();
            assertThat(names(batch)).containsExactly("a");
        }
    }

    @Nested
    class Hurry {

        @Test
        void hurryWakesALingeringConsumer() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            queue.offer(item("a"));
            List<Item> batch = new ArrayList<>();
            CompletableFuture<Boolean> taken = async(() -> queue.takeBatch(batch, 10, 1_000, LONG_LINGER, NEVER));
            awaitConsumer(Thread.State.TIMED_WAITING);

            queue.hurry();

            assertThat(taken.get(5, SECONDS)).isTrue();
            assertThat(names(batch)).containsExactly("a");
        }

        @Test
        void hurryLastsUntilTheQueueIsEmpty() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            for (String name : List.of("a", "b", "c")) {
                queue.offer(item(name));
            }
            queue.hurry();

            List<Item> first = new ArrayList<>();
            List<Item> second = new ArrayList<>();
            assertThat(queue.takeBatch(first, 2, 1_000, LONG_LINGER, NEVER)).isTrue();
            assertThat(queue.takeBatch(second, 2, 1_000, LONG_LINGER, NEVER)).isTrue();

            assertThat(names(first)).containsExactly("a", "b");
            assertThat(names(second)).containsExactly("c");

            // Emptied: the next item lingers again.
            queue.offer(item("d"));
            List<Item> third = new ArrayList<>();
            long start = System.nanoTime();
            assertThat(queue.takeBatch(third, 2, 1_000, MILLISECONDS.toNanos(100), NEVER)).isTrue();
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(100);
            assertThat(names(third)).containsExactly("d");
        }

        @Test
        void hurryOnAnEmptyQueueDoesNotCarryOverToLaterItems() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            queue.hurry();
            queue.offer(item("a"));
            List<Item> batch = new ArrayList<>();

            long start = System.nanoTime();
            assertThat(queue.takeBatch(batch, 10, 1_000, MILLISECONDS.toNanos(100), NEVER)).isTrue();

            assertThat(millisSince(start)).isGreaterThanOrEqualTo(100);
        }
    }

    @Nested
    class Stop {

        @Test
        void anEmptyStoppedQueueEndsTheConsumer() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            List<Item> batch = new ArrayList<>();

            assertThat(queue.takeBatch(batch, 10, 1_000, LONG_LINGER, () -> true)).isFalse();
            assertThat(batch).isEmpty();
        }

        @Test
        void aStoppedQueueIsDrainedWithoutLingering() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            queue.offer(item("a"));
            queue.offer(item("b"));
            List<Item> batch = new ArrayList<>();

            assertThat(queue.takeBatch(batch, 10, 1_000, LONG_LINGER, () -> true)).isTrue();
            assertThat(names(batch)).containsExactly("a", "b");
            assertThat(queue.takeBatch(new ArrayList<>(), 10, 1_000, LONG_LINGER, () -> true)).isFalse();
        }

        @Test
        void stopAndHurryEndAWaitingConsumer() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 10, 1_000);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Boolean> taken = async(() -> queue.takeBatch(new ArrayList<>(), 10, 1_000, LONG_LINGER,
                    stop::get));
            awaitConsumer(Thread.State.WAITING);

            stop.set(true);
            queue.hurry();

            assertThat(taken.get(5, SECONDS)).isFalse();
        }

        @Test
        void aConsumerThatLingeredWhileAnotherTookEverythingReturnsNoEmptyBatch() throws Exception {
            BoundedQueue<Item> queue = queue(100, 1_000, 2, 1_000);
            AtomicBoolean stop = new AtomicBoolean();
            queue.offer(item("a"));
            List<Item> first = new ArrayList<>();
            List<Item> second = new ArrayList<>();
            CompletableFuture<Boolean> one = async(() -> queue.takeBatch(first, 10, 1_000, LONG_LINGER, stop::get));
            CompletableFuture<Boolean> two = async(() -> queue.takeBatch(second, 10, 1_000, LONG_LINGER, stop::get));
            await("both consumers lingering on a", () -> consumerThreads().stream()
                    .filter(t -> t.getState() == Thread.State.TIMED_WAITING).count() == 2);

            queue.offer(item("b")); // a full batch: one consumer takes a and b

            await("one batch taken", () -> one.isDone() || two.isDone());
            stop.set(true);
            queue.hurry(); // ends the other one, which lingered on items that are gone

            assertThat(List.of(one.get(5, SECONDS), two.get(5, SECONDS))).containsExactlyInAnyOrder(true, false);
            List<Item> taken = one.get() ? first : second;
            List<Item> other = one.get() ? second : first;
            assertThat(names(taken)).containsExactly("a", "b");
            assertThat(other).isEmpty();
        }
    }

    @Nested
    class EvictingOldest {

        @Test
        void evictsTheOldestByCount() {
            BoundedQueue<Item> queue = queue(2, 1_000, 10, 1_000);
            queue.offer(item("a"));
            queue.offer(item("b"));
            List<Item> evicted = queue.offerEvictingOldest(item("c"));

            assertThat(names(evicted)).containsExactly("a");
            assertThat(names(queue.drainAll())).containsExactly("b", "c");
        }

        @Test
        void evictsAsManyAsTheWeightNeeds() {
            BoundedQueue<Item> queue = queue(100, 10, 10, 1_000);
            queue.offer(item("a", 4));
            queue.offer(item("b", 4));
            queue.offer(item("c", 2));
            List<Item> evicted = queue.offerEvictingOldest(item("d", 8)); // 10 + 8: a goes (14), b goes (10)

            assertThat(names(evicted)).containsExactly("a", "b");
            assertThat(names(queue.drainAll())).containsExactly("c", "d");
        }

        @Test
        void evictsNothingWhenTheItemFits() {
            BoundedQueue<Item> queue = queue(3, 10, 10, 1_000);
            queue.offer(item("a", 4));
            List<Item> evicted = queue.offerEvictingOldest(item("b", 6));

            assertThat(evicted).isEmpty();
            assertThat(names(queue.drainAll())).containsExactly("a", "b");
        }

        @Test
        void anItemHeavierThanTheBoundIsEvictedItselfAndTheQueueKept() {
            BoundedQueue<Item> queue = queue(100, 10, 10, 1_000);
            queue.offer(item("a", 4));
            List<Item> evicted = queue.offerEvictingOldest(item("huge", 11));

            assertThat(names(evicted)).containsExactly("huge");
            assertThat(names(queue.drainAll())).containsExactly("a");
        }
    }

    @Nested
    class BlockingOffer {

        @Test
        void timesOutWhenNoRoomAppears() throws Exception {
            BoundedQueue<Item> queue = queue(1, 1_000, 10, 1_000);
            queue.offer(item("a"));

            long start = System.nanoTime();
            boolean added = queue.offer(item("b"), 1, MILLISECONDS.toNanos(50));

            assertThat(added).isFalse();
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(50);
            assertThat(names(queue.drainAll())).containsExactly("a");
        }

        @Test
        void addsAtOnceWhenThereIsRoom() throws Exception {
            BoundedQueue<Item> queue = queue(2, 1_000, 10, 1_000);

            assertThat(queue.offer(item("a"), 1, 0)).isTrue();
            assertThat(queue.size()).isEqualTo(1);
        }

        @Test
        void succeedsWhenAConsumerMakesRoom() throws Exception {
            BoundedQueue<Item> queue = queue(100, 10, 10, 1_000);
            queue.offer(item("a", 8));
            CompletableFuture<Boolean> added = async(() -> queue.offer(item("b", 5), 5, SECONDS.toNanos(5)));
            awaitConsumer(Thread.State.TIMED_WAITING);
            assertThat(added).isNotDone();

            assertThat(take(queue, 10, 1_000)).containsExactly("a");

            assertThat(added.get(5, SECONDS)).isTrue();
            assertThat(names(queue.drainAll())).containsExactly("b");
        }

        @Test
        void succeedsWhenTheQueueIsDrained() throws Exception {
            BoundedQueue<Item> queue = queue(1, 1_000, 10, 1_000);
            queue.offer(item("a"));
            CompletableFuture<Boolean> added = async(() -> queue.offer(item("b"), 1, SECONDS.toNanos(5)));
            awaitConsumer(Thread.State.TIMED_WAITING);

            queue.drainAll();

            assertThat(added.get(5, SECONDS)).isTrue();
            assertThat(names(queue.drainAll())).containsExactly("b");
        }

        @Test
        void anInterruptedWaitThrows() throws Exception {
            BoundedQueue<Item> queue = queue(1, 1_000, 10, 1_000);
            queue.offer(item("a"));
            CompletableFuture<Boolean> added = async(() -> queue.offer(item("b"), 1, SECONDS.toNanos(30)));
            awaitConsumer(Thread.State.TIMED_WAITING);

            threads.get(0).interrupt();

            assertThat(added).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(InterruptedException.class);
            assertThat(queue.size()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ helpers

    static long millisSince(long start) {
        return NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    List<Thread> consumerThreads() {
        return List.copyOf(threads);
    }

    /** Waits until a thread of this test is in {@code state}: waiting inside the queue. */
    void awaitConsumer(Thread.State state) {
        await("a consumer " + state, () -> consumerThreads().stream().anyMatch(t -> t.getState() == state));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after 5 s waiting for " + what);
            }
            LockSupport.parkNanos(MILLISECONDS.toNanos(1));
        }
    }
}
