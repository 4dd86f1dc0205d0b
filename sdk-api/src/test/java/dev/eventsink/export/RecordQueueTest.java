package dev.eventsink.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The queue keeps every record's bytes intact and in order, across chunks, evictions and batches. */
class RecordQueueTest {

    private static final long UNBOUNDED = Long.MAX_VALUE / 4;

    @Test
    void recordsOfEverySizeComeOutIntactAndInOrderAcrossChunks() throws Exception {
        RecordQueue queue = new RecordQueue(1_000_000, UNBOUNDED, 50, UNBOUNDED);
        SplittableRandom random = new SplittableRandom(3);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // mostly small, some spanning the rest of a chunk, some larger than a chunk
            int length = i % 97 == 0 ? RecordQueue.CHUNK_BYTES + random.nextInt(5000)
                    : i % 31 == 0 ? random.nextInt(RecordQueue.CHUNK_BYTES / 2) : 31 + random.nextInt(300);
            byte[] record = new byte[length];
            random.nextBytes(record);
            sent.add(record);
            assertThat(queue.offer(new Pending(length), record, length)).isEqualTo(0L);
        }

        List<byte[]> received = new ArrayList<>();
        EventBatch batch = new EventBatch(50);
        List<Pending> taken = new ArrayList<>();
        while (queue.size() > 0) {
            assertThat(queue.takeBatch(batch, taken, 50, UNBOUNDED, 0, () -> false)).isTrue();
            for (int i = 0; i < taken.size(); i++) {
                received.add(recordOf(batch, i));
                assertThat(taken.get(i).length).isEqualTo(received.get(received.size() - 1).length);
            }
        }
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).as("record %d", i).isEqualTo(sent.get(i));
        }
    }

    @Test
    void evictingTheOldestKeepsTheRestIntact() {
        int length = 1000;
        long weight = EventRecords.jsonBound(length);
        RecordQueue queue = new RecordQueue(1_000, 3 * weight, 10, UNBOUNDED);
        List<Pending> pendings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] record = new byte[length];
            Arrays.fill(record, (byte) i);
            Pending pending = new Pending(length);
            pendings.add(pending);
            List<Pending> evicted = queue.offerEvictingOldest(pending, record, length);
            assertThat(evicted).containsExactlyElementsOf(i < 3 ? List.of() : List.of(pendings.get(i - 3)));
        }

        List<Pending> all = queue.drainAll();
        assertThat(all).containsExactly(pendings.get(2), pendings.get(3), pendings.get(4));
    }

    @Test
    void aBatchStopsAtItsByteBoundButTakesAtLeastOneRecord() throws Exception {
        RecordQueue queue = new RecordQueue(100, UNBOUNDED, 100, UNBOUNDED);
        for (int length : new int[] {5000, 100, 100}) {
            queue.offer(new Pending(length), new byte[length], length);
        }
        EventBatch batch = new EventBatch(10);
        List<Pending> taken = new ArrayList<>();

        queue.takeBatch(batch, taken, 100, 1000, 0, () -> false);
        assertThat(taken).extracting(p -> p.length).containsExactly(5000);
        queue.takeBatch(batch, taken, 100, 2 * EventRecords.jsonBound(100), 0, () -> false);
        assertThat(taken).extracting(p -> p.length).containsExactly(100, 100);
    }

    @Test
    void countAndBytesBoundWhatIsQueued() throws Exception {
        RecordQueue byCount = new RecordQueue(2, UNBOUNDED, 10, UNBOUNDED);
        assertThat(byCount.offer(new Pending(10), new byte[10], 10)).isEqualTo(0L);
        assertThat(byCount.offer(new Pending(10), new byte[10], 10)).isEqualTo(0L);
        assertThat(byCount.offer(new Pending(10), new byte[10], 10)).isEqualTo(-1L);

        RecordQueue byBytes = new RecordQueue(100, EventRecords.jsonBound(10) * 2, 10, UNBOUNDED);
        assertThat(byBytes.offer(new Pending(10), new byte[10], 10)).isEqualTo(0L);
        assertThat(byBytes.offer(new Pending(11), new byte[11], 11)).isEqualTo(-1L);
        assertThat(byBytes.offer(new Pending(10), new byte[10], 10)).isEqualTo(0L);
    }

    private static byte[] recordOf(EventBatch batch, int i) {
        return batch.recordBytes(i);
    }
}
