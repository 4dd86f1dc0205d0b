package dev.eventsink.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.SinkStats;
import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's promise through the whole SDK: a child JVM sends events through the openobserve sink with
 * {@code UX_EVENT_SINK_SPOOL_DIR} set, printing each id once {@code sendEvent} returned; it is killed with SIGKILL at
 * a moment drawn from a printed seed, restarted on the same directory, and every id it printed must then be stored
 * in the OpenObserve-compatible server. Also: a backend outage at 20,000 events/s loses nothing.
 */
class SpoolCrashTest {

    private static OpenObserveServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        server = OpenObserveServer.builder().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private Map<String, String> sinkKeys(String stream) {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_TYPE", "openobserve");
        keys.put("UX_EVENT_SINK_URL", server.url());
        keys.put("UX_EVENT_SINK_API_KEY", server.apiKey());
        keys.put("UX_EVENT_SINK_STREAM", stream);
        keys.put("UX_EVENT_SINK_SPOOL_DIR", dir.toString());
        keys.put("UX_EVENT_SINK_LINGER", "50ms");
        return keys;
    }

    @Test
    void sendersKilledAtRandomMomentsLoseNothingTheyAccepted() throws Exception {
        killRounds(2, "crash_short");
    }

    @Test
    @Tag("long")
    void twentyKillsLoseNothing() throws Exception {
        killRounds(20, "crash_long");
    }

    private void killRounds(int rounds, String stream) throws Exception {
        long seed = Long.getLong("spool.crash.seed", System.nanoTime());
        System.out.println("crash test: " + rounds + " rounds, seed " + seed + " (repeat with -Dspool.crash.seed="
                + seed + ")");
        Random random = new Random(seed);
        Map<String, String> env = sinkKeys(stream);
        Set<String> accepted = new HashSet<>();
        long recoveredTotal = 0;
        for (int round = 1; round <= rounds; round++) {
            long killAfterMillis = 50 + random.nextInt(1500);
            int printedThisRound = 0;
            try (ChildJvm sender = ChildJvm.start(SpoolingSender.class, env, "1000000", "5000")) {
                String started = awaitLineStartingWith(sender, "started ", 60_000);
                recoveredTotal += Long.parseLong(started.substring("started ".length()));
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfterMillis);
                String line;
                while (System.nanoTime() < killAt
                        && (line = sender.nextLine(Math.max(1, (killAt - System.nanoTime()) / 1_000_000))) != null
                        && !line.equals(ChildJvm.END)) {
                    printedThisRound += accept(accepted, line);
                }
                sender.kill();
                while ((line = sender.nextLine(10_000)) != null && !line.equals(ChildJvm.END)) {
                    printedThisRound += accept(accepted, line);
                }
            }
            // Restarted on the same directory: it sends what the spool recovered, then nothing of its own.
            try (ChildJvm restarted = ChildJvm.start(SpoolingSender.class, env, "0", "1")) {
                String started = awaitLineStartingWith(restarted, "started ", 60_000);
                long recovered = Long.parseLong(started.substring("started ".length()));
                recoveredTotal += recovered;
                String drained = awaitLineStartingWith(restarted, "drained ", 90_000);
                assertThat(restarted.process().waitFor()).as("the restarted sender's exit status").isZero();
                String[] counts = drained.split(" ");
                assertThat(counts[3]).as("failed, round " + round + ", seed " + seed).isEqualTo("0");
                assertThat(counts[4]).as("dropped, round " + round + ", seed " + seed).isEqualTo("0");
                assertThat(counts[5]).as("undelivered, round " + round + ", seed " + seed).isEqualTo("0");
                assertThat(recovered).as("recovered events, round " + round + ", seed " + seed)
                        .isGreaterThanOrEqualTo(0);
            }
            Set<String> missing = awaitStored(stream, accepted, Duration.ofSeconds(60));
            System.out.printf("crash round %d: killed after %d ms, %d ids printed; %d accepted in all, %d missing%n",
                    round, killAfterMillis, printedThisRound, accepted.size(), missing.size());
            assertThat(missing).as("ids printed but not stored, round " + round + ", seed " + seed).isEmpty();
        }
        List<Map<String, Object>> records = server.records(stream);
        Set<Object> distinct = new HashSet<>();
        for (Map<String, Object> record : records) {
            distinct.add(record.get("event_id"));
        }
        System.out.printf("crash test, seed %d, %d kills: accepted (printed) %d, stored %d distinct of them, %d"
                        + " records in all, duplicates %d, recovered at restarts %d%n", seed, rounds, accepted.size(),
                countContained(distinct, accepted), records.size(), records.size() - distinct.size(),
                recoveredTotal);
        assertThat(countContained(distinct, accepted)).isEqualTo(accepted.size());
    }

    private static int accept(Set<String> accepted, String line) {
        if (line.length() == 36 && line.charAt(8) == '-') {
            accepted.add(UUID.fromString(line).toString());
            return 1;
        }
        return 0;
    }

    private static long countContained(Set<Object> stored, Set<String> ids) {
        long n = 0;
        for (String id : ids) {
            if (stored.contains(id)) {
                n++;
            }
        }
        return n;
    }

    private static String awaitLineStartingWith(ChildJvm child, String prefix, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            String line = left > 0 ? child.nextLine(left) : null;
            if (line == null || line.equals(ChildJvm.END)) {
                throw new AssertionError("the child did not print \"" + prefix + "...\" ("
                        + (line == null ? "timed out" : "it ended") + ")");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Waits until every id is stored in the stream; returns those still missing at the deadline. */
    private static Set<String> awaitStored(String stream, Set<String> ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> missing = new HashSet<>(ids);
            for (Map<String, Object> record : server.records(stream)) {
                missing.remove(String.valueOf(record.get("event_id")));
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aFiveSecondOutageAtTwentyThousandEventsPerSecondLosesNothing() throws Exception {
        outage(Duration.ofSeconds(5), 20_000, "outage_short");
    }

    @Test
    @Tag("long")
    void aSixtySecondOutageAtTwentyThousandEventsPerSecondLosesNothingAndTheHeapStaysBounded() throws Exception {
        outage(Duration.ofSeconds(60), 20_000, "outage_long");
    }

    /**
     * Sends at {@code rate} for {@code outage} while the server answers 503 to everything, then lets it recover:
     * every event must be delivered once the server is back, none dropped or failed, and the heap in use after a
     * full GC must stay within the in-memory queue's byte bound (QUEUE_BYTES, 64 MiB by default).
     */
    private void outage(Duration outage, int rate, String stream) throws Exception {
        Map<String, String> keys = sinkKeys(stream);
        keys.put("UX_EVENT_SINK_RETRY_MAX_BACKOFF", "500ms");
        keys.put("UX_EVENT_SINK_RETRY_DEADLINE", "10m");
        keys.put("UX_EVENT_SINK_SPOOL_MAX_BYTES", "1024MiB");
        server.faults().always(Fault.error(503, "Service Unavailable"));
        EventSink sink = EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(keys));
        try {
            long heapBefore = usedHeapAfterGc();
            long total = outage.toSeconds() * rate;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * (1e9 / rate));
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
                sink.sendEvent(Event.uxAction().userId("outage").put("seq", i).build());
            }
            double sentSeconds = (System.nanoTime() - start) / 1e9;
            long heapDuring = usedHeapAfterGc();
            SinkStats during = sink.stats();
            server.faults().clear();
            assertThat(server.awaitRecordCount(stream, total, Duration.ofMinutes(5))).as("all stored").isTrue();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (sink.stats().delivered() < total && System.nanoTime() < deadline) {
                Thread.sleep(20); // the server stores a batch a moment before the sink reads its answer
            }
            SinkStats after = sink.stats();
            System.out.printf("outage %d s at %d events/s (sent in %.1f s): %d accepted; during it %d pending, %d"
                            + " dropped, heap after GC +%.1f MiB (%.0f bytes per pending event); after it %d"
                            + " delivered, %d failed, %d dropped, %d stored%n", outage.toSeconds(), rate,
                    sentSeconds, after.accepted(), during.pending(), during.droppedTotal(),
                    (heapDuring - heapBefore) / 1048576.0, (double) (heapDuring - heapBefore) / Math.max(1,
                            during.pending()), after.delivered(), after.failedTotal(), after.droppedTotal(),
                    server.recordCount(stream));
            assertThat(during.droppedTotal()).isZero();
            assertThat(after.accepted()).isEqualTo(total);
            assertThat(after.delivered()).isEqualTo(total);
            assertThat(after.failedTotal()).isZero();
            Set<Object> seqs = new HashSet<>();
            for (Map<String, Object> record : server.records(stream)) {
                seqs.add(record.get("payload_seq"));
            }
            assertThat(seqs).hasSize((int) total);
            assertThat(heapDuring - heapBefore).as("heap growth during the outage").isLessThan(64L << 20);
        } finally {
            server.faults().clear();
            sink.close();
        }
    }

    @Test
    void aFullSpoolDropsTheNewestWithTheReasonCountedAndDeliversTheRestOnceTheBackendIsBack() throws Exception {
        Map<String, String> keys = sinkKeys("spool_full");
        keys.put("UX_EVENT_SINK_SPOOL_MAX_BYTES", "1MiB");
        keys.put("UX_EVENT_SINK_RETRY_MAX_BACKOFF", "200ms");
        server.faults().always(Fault.error(503, "Service Unavailable"));
        EventSink sink = EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(keys));
        try {
            int total = 10_000;
            for (int i = 0; i < total; i++) {
                sink.sendEvent(Event.uxAction().userId("full").put("seq", i).put("pad", "x".repeat(200)).build());
            }
            SinkStats during = sink.stats();
            long dropped = during.dropped().getOrDefault("spool full (SPOOL_MAX_BYTES, drop_newest)", 0L);
            assertThat(dropped).as("dropped because the spool is full: " + during.dropped()).isPositive();
            assertThat(during.droppedTotal()).isEqualTo(dropped);
            long kept = total - dropped;
            assertThat(kept).as("events that fit in 1 MiB of records of ~260 bytes and 8 bytes of header")
                    .isBetween(3800L, 4100L);
            server.faults().clear();
            assertThat(server.awaitRecordCount("spool_full", kept, Duration.ofMinutes(1))).isTrue();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (sink.stats().delivered() < kept && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sink.stats().delivered()).isEqualTo(kept);
            assertThat(sink.stats().failedTotal()).isZero();
            // Released as delivered: the spool has room again.
            sink.sendEvent(Event.uxAction().userId("full").put("seq", total).build()).get(30, TimeUnit.SECONDS);
            assertThat(server.recordCount("spool_full")).isEqualTo(kept + 1);
        } finally {
            server.faults().clear();
            sink.close();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        List<Long> used = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            System.gc();
            used.add(runtime.totalMemory() - runtime.freeMemory());
        }
        return used.stream().mapToLong(Long::longValue).min().orElseThrow();
    }
}
