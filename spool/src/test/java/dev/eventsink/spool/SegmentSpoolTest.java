package dev.eventsink.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.export.FsyncPolicy;
import dev.eventsink.export.Spool;
import dev.eventsink.export.SpoolProvider;
import dev.eventsink.export.SpoolSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentSpoolTest {

    @TempDir
    Path dir;

    private SpoolSettings settings(long maxBytes, FsyncPolicy fsync) {
        return new SpoolSettings(dir, maxBytes, fsync, Duration.ofSeconds(1), "test");
    }

    private SegmentSpool open() throws IOException {
        return SegmentSpool.open(settings(1 << 20, FsyncPolicy.NEVER));
    }

    private SegmentSpool open(long segmentBytes) throws IOException {
        return SegmentSpool.open(settings(1 << 20, FsyncPolicy.NEVER), segmentBytes);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long append(Spool spool, String s) throws IOException {
        byte[] b = bytes(s);
        return spool.append(b, 0, b.length);
    }

    /** Reads every record there is. */
    private static List<String> readAll(Spool spool) throws IOException {
        List<String> out = new ArrayList<>();
        while (spool.read((b, at, n) -> out.add(new String(b, at, n, StandardCharsets.UTF_8)), 7) > 0) {
            // reads on until none is left
        }
        return out;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void isFoundByTheServiceLoader() {
        assertThat(ServiceLoader.load(SpoolProvider.class).stream().map(p -> p.type().getName()))
                .containsExactly(SegmentSpoolProvider.class.getName());
    }

    @Test
    void appendsReadsReleasesAndRecoversWhatWasNotReleased() throws IOException {
        long first;
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isZero();
            first = append(spool, "one");
            assertThat(first).isEqualTo(SegmentSpool.HEADER_BYTES + 3);
            assertThat(append(spool, "two")).isEqualTo(2 * (SegmentSpool.HEADER_BYTES + 3));
            assertThat(append(spool, "three")).isEqualTo(3 * SegmentSpool.HEADER_BYTES + 11);
            assertThat(spool.bytes()).isEqualTo(3 * SegmentSpool.HEADER_BYTES + 11);

            List<String> got = new ArrayList<>();
            assertThat(spool.read((b, at, n) -> got.add(new String(b, at, n, StandardCharsets.UTF_8)), 1))
                    .isEqualTo(1);
            assertThat(got).containsExactly("one");
            assertThat(spool.readPosition()).isEqualTo(first);
            assertThat(readAll(spool)).containsExactly("two", "three");
            assertThat(spool.read((b, at, n) -> got.add("none"), 5)).isZero();
            spool.release(first);
            assertThat(spool.bytes()).isEqualTo(2 * SegmentSpool.HEADER_BYTES + 8);
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isEqualTo(2);
            assertThat(spool.readPosition()).isEqualTo(first);
            append(spool, "four");
            assertThat(readAll(spool)).containsExactly("two", "three", "four");
            assertThat(spool.corruptRecords()).isZero();
        }
    }

    @Test
    void releaseIsRememberedAcrossReopenAndNothingReleasedComesBack() throws IOException {
        try (SegmentSpool spool = open()) {
            for (int i = 0; i < 10; i++) {
                append(spool, "r" + i);
            }
            readAll(spool);
            spool.release(spool.readPosition());
            append(spool, "after");
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isEqualTo(1);
            assertThat(readAll(spool)).containsExactly("after");
            spool.release(spool.readPosition());
            assertThat(spool.bytes()).isZero();
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isZero();
            assertThat(readAll(spool)).isEmpty();
        }
    }

    @Test
    void releaseBeyondWhatWasReadIsRefused() throws IOException {
        try (SegmentSpool spool = open()) {
            long end = append(spool, "x");
            assertThatThrownBy(() -> spool.release(end))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("release(" + end + ") is beyond what was read, 0");
        }
    }

    @Test
    void segmentsRollAndAreDeletedOnceFullyReleased() throws IOException {
        try (SegmentSpool spool = open(66)) {
            for (int i = 0; i < 20; i++) {
                append(spool, "record-%02d-with-some-bytes".formatted(i)); // 25 bytes + 8: two per segment
            }
            assertThat(segmentFiles()).hasSize(10);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                spool.read((b, at, n) -> got.add(new String(b, at, n, StandardCharsets.UTF_8)), 1);
            }
            spool.release(spool.readPosition()); // 9 records: the first four segments and half the fifth
            assertThat(segmentFiles()).hasSize(6);
            assertThat(segmentFiles().get(0).getFileName().toString()).isEqualTo("%020d.seg".formatted(4 * 66));
            got.addAll(readAll(spool));
            assertThat(got).hasSize(20).startsWith("record-00-with-some-bytes").endsWith("record-19-with-some-bytes");
            spool.release(spool.readPosition());
            assertThat(segmentFiles()).hasSize(1);
            assertThat(spool.segmentCount()).isEqualTo(1);
            assertThat(spool.bytes()).isZero();
        }
        try (SegmentSpool spool = open(66)) {
            assertThat(spool.recoveredRecords()).isZero();
            append(spool, "next");
            assertThat(readAll(spool)).containsExactly("next");
        }
    }

    @Test
    void aFullSpoolRefusesAppendsWritingNothingUntilSpaceIsReleased() throws IOException {
        try (SegmentSpool spool = SegmentSpool.open(settings(40, FsyncPolicy.NEVER))) {
            assertThat(append(spool, "0123456789")).isEqualTo(18);
            assertThat(append(spool, "0123456789")).isEqualTo(36);
            assertThat(append(spool, "0123")).isEqualTo(-1); // 36 + 12 > 40
            assertThat(spool.bytes()).isEqualTo(36);
            assertThat(Files.size(segmentFiles().get(0))).isEqualTo(36);
            spool.read((b, at, n) -> { }, 1);
            spool.release(spool.readPosition());
            assertThat(append(spool, "0123")).isEqualTo(48);
            assertThat(readAll(spool)).containsExactly("0123456789", "0123");
        }
    }

    /** Writes records of random sizes and returns where each ends in the (single) segment file. */
    private List<Long> writeRecords(Random random, int count) throws IOException {
        List<Long> ends = new ArrayList<>();
        try (SegmentSpool spool = open()) {
            for (int i = 0; i < count; i++) {
                ends.add(append(spool, "r" + i + "-" + "x".repeat(random.nextInt(60))));
            }
        }
        return ends;
    }

    private static int wholeRecordsBefore(List<Long> ends, long offset) {
        int n = 0;
        while (n < ends.size() && ends.get(n) <= offset) {
            n++;
        }
        return n;
    }

    private static List<String> names(List<String> records) {
        return records.stream().map(r -> r.substring(0, r.indexOf('-'))).toList();
    }

    private static List<String> expectedNames(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add("r" + i);
        }
        return names;
    }

    @Test
    void aTailCutAtAnyOffsetLosesOnlyTheRecordsCutAndAppendsFollowTheLastIntactOne() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 40; round++) {
            deleteSpoolFiles();
            List<Long> ends = writeRecords(random, 30);
            long cut = random.nextLong(ends.get(ends.size() - 1) + 1);
            try (RandomAccessFile file = new RandomAccessFile(segmentFiles().get(0).toFile(), "rw")) {
                file.setLength(cut);
            }
            int intact = wholeRecordsBefore(ends, cut);
            boolean torn = intact == 0 ? cut > 0 : ends.get(intact - 1) < cut;
            try (SegmentSpool spool = open()) {
                String why = "seed " + seed + ", round " + round + ", cut at " + cut;
                assertThat(spool.recoveredRecords()).as(why).isEqualTo(intact);
                assertThat(spool.corruptRecords()).as(why).isEqualTo(torn ? 1 : 0);
                append(spool, "new-record");
                List<String> expected = expectedNames(0, intact);
                expected.add("new");
                assertThat(names(readAll(spool))).as(why).isEqualTo(expected);
            }
            try (SegmentSpool spool = open()) {
                assertThat(spool.recoveredRecords()).isEqualTo(intact + 1);
                assertThat(spool.corruptRecords()).isZero();
            }
        }
    }

    @Test
    void garbageOverATailFromAnyOffsetLosesOnlyTheRecordsFromThereOn() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 40; round++) {
            deleteSpoolFiles();
            List<Long> ends = writeRecords(random, 30);
            long size = ends.get(ends.size() - 1);
            long from = random.nextLong(size);
            byte[] garbage = new byte[(int) (size - from)];
            if (random.nextBoolean()) {
                random.nextBytes(garbage); // else zeros: pages the device never wrote
            }
            try (RandomAccessFile file = new RandomAccessFile(segmentFiles().get(0).toFile(), "rw")) {
                file.seek(from);
                file.write(garbage);
            }
            int intact = wholeRecordsBefore(ends, from);
            try (SegmentSpool spool = open()) {
                String why = "seed " + seed + ", round " + round + ", garbage from " + from;
                assertThat(spool.recoveredRecords()).as(why).isEqualTo(intact);
                assertThat(spool.corruptRecords()).as(why).isPositive();
                append(spool, "new-record");
                List<String> expected = expectedNames(0, intact);
                expected.add("new");
                assertThat(names(readAll(spool))).as(why).isEqualTo(expected);
            }
        }
    }

    @Test
    void aRecordWhoseBytesChangedIsSkippedAndTheOthersAreKept() throws IOException {
        List<Long> ends = writeRecords(new Random(7), 10);
        long start = ends.get(3);
        try (RandomAccessFile file = new RandomAccessFile(segmentFiles().get(0).toFile(), "rw")) {
            file.seek(start + SegmentSpool.HEADER_BYTES + 1); // inside record 4's bytes
            int b = file.read();
            file.seek(start + SegmentSpool.HEADER_BYTES + 1);
            file.write(b ^ 0x20);
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isEqualTo(9);
            assertThat(spool.corruptRecords()).isEqualTo(1);
            List<String> expected = expectedNames(0, 10);
            expected.remove("r4");
            assertThat(names(readAll(spool))).isEqualTo(expected);
            assertThat(spool.corruptRecords()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptReleasedSlotFallsBackToTheOtherOne() throws IOException {
        try (SegmentSpool spool = open()) {
            append(spool, "a");
            append(spool, "b");
            append(spool, "c");
            spool.read((b, at, n) -> { }, 1);
            spool.release(spool.readPosition()); // slot 0
            spool.read((b, at, n) -> { }, 1);
            spool.release(spool.readPosition()); // slot 1
        }
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("released").toFile(), "rw")) {
            file.seek(16 + 3);
            file.write(0x7f); // a torn write of slot 1
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isEqualTo(2); // from the release in slot 0: b is sent again
            assertThat(readAll(spool)).containsExactly("b", "c");
        }
    }

    @Test
    void aSecondOpenInTheSameProcessNamesThisProcess() throws IOException {
        try (SegmentSpool spool = open()) {
            assertThatThrownBy(this::open)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the spool directory " + dir + " is in use by process "
                            + ProcessHandle.current().pid() + "@")
                    .hasMessageEndingWith(" (it holds " + dir.resolve("lock")
                            + "); give each process its own SPOOL_DIR");
            append(spool, "still works");
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isEqualTo(1);
        }
    }

    @Test
    void aDirectoryLockedByAnotherProcessIsRefusedNamingIt() throws Exception {
        try (ChildJvm holder = ChildJvm.start(LockHolder.class, java.util.Map.of(), dir.toString())) {
            holder.awaitLine("locked", 30_000);
            assertThatThrownBy(this::open)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the spool directory " + dir + " is in use by process "
                            + holder.pid() + "@");
            holder.process().getOutputStream().close();
            assertThat(holder.process().waitFor()).isZero();
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isZero();
        }
    }

    @Test
    void alwaysForcesOnceForEveryRecordAppendedBeforeTheWait() throws IOException {
        try (SegmentSpool spool = SegmentSpool.open(settings(1 << 20, FsyncPolicy.ALWAYS))) {
            long a = append(spool, "a");
            long b = append(spool, "b");
            long c = append(spool, "c");
            spool.awaitDurable(c);
            assertThat(spool.forces()).isEqualTo(1);
            spool.awaitDurable(a);
            spool.awaitDurable(b);
            assertThat(spool.forces()).isEqualTo(1);
            spool.awaitDurable(append(spool, "d"));
            assertThat(spool.forces()).isEqualTo(2);
        }
    }

    @Test
    void intervalAndNeverDoNotForceInTheCallersThread() throws IOException, InterruptedException {
        try (SegmentSpool spool = SegmentSpool.open(settings(1 << 20, FsyncPolicy.NEVER))) {
            spool.awaitDurable(append(spool, "a"));
            assertThat(spool.forces()).isZero();
        }
        try (SegmentSpool spool = SegmentSpool.open(new SpoolSettings(dir, 1 << 20, FsyncPolicy.INTERVAL,
                Duration.ofMillis(5), "test"))) {
            spool.awaitDurable(append(spool, "b"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (spool.forces() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(spool.forces()).as("the flusher thread forced the segment").isEqualTo(1);
        }
    }

    @Test
    void anInterruptedCallerDoesNotBreakTheSpoolForOthers() throws Exception {
        try (SegmentSpool spool = SegmentSpool.open(settings(1 << 20, FsyncPolicy.ALWAYS))) {
            Thread.currentThread().interrupt();
            try {
                long end = append(spool, "sent while interrupted");
                spool.awaitDurable(end);
                assertThat(readAll(spool)).containsExactly("sent while interrupted");
                spool.release(spool.readPosition());
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
            } finally {
                Thread.interrupted();
            }
            long end = append(spool, "after");
            spool.awaitDurable(end);
            assertThat(readAll(spool)).containsExactly("after");
            assertThat(spool.forces()).isEqualTo(2);
        }
        try (SegmentSpool spool = open()) {
            assertThat(spool.recoveredRecords()).isEqualTo(1);
            assertThat(readAll(spool)).containsExactly("after");
        }
    }

    @Test
    void aSegmentNameThatIsNotOneIsIgnored() throws IOException {
        Files.writeString(dir.resolve("notes.seg"), "x");
        try (SegmentSpool spool = open()) {
            append(spool, "a");
            assertThat(readAll(spool)).containsExactly("a");
        }
    }

    private void deleteSpoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
