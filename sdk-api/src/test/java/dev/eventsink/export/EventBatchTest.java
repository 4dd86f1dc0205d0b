package dev.eventsink.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** A batch reads and writes each event's fields exactly as the event has them, with nothing decoded. */
class EventBatchTest {

    private static final String LONG_ID = "user \"quoted\" \\ é 日 😀 \n".repeat(8); // over 127 bytes escaped

    private final Event full = new Event(UUID.fromString("0b6c2f4e-8d1a-4c3b-9e7f-112233445566"),
            Instant.parse("2026-11-28T12:00:00.123456Z"), EventType.SIMULATION_EVENT, LONG_ID, "s\t1",
            Map.of("button", "buy", "n", 3));
    private final Event bare = new Event(new UUID(0, 0), Instant.parse("1969-12-31T23:59:59Z"), EventType.UX_ACTION,
            null, null, null);
    private final EventBatch batch = EventBatch.of(List.of(full, bare));

    @Test
    void readsEveryFieldBack() {
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.id(0)).isEqualTo(full.id());
        assertThat(batch.timestamp(0)).isEqualTo(full.timestamp());
        assertThat(batch.epochMicros(0)).isEqualTo(1_795_867_200_123_456L);
        assertThat(batch.epochMicros(1)).isEqualTo(-1_000_000L);
        assertThat(batch.eventType(0)).isEqualTo(EventType.SIMULATION_EVENT);
        assertThat(batch.userId(0)).isEqualTo(LONG_ID);
        assertThat(batch.sessionId(0)).isEqualTo("s\t1");
        assertThat(batch.hasUserId(1)).isFalse();
        assertThat(batch.userId(1)).isNull();
        assertThat(batch.hasPayload(0)).isTrue();
        assertThat(batch.hasPayload(1)).isFalse();
        assertThat(batch.event(0)).isEqualTo(full);
        assertThat(batch.events()).containsExactly(full, bare);
    }

    @Test
    void writesTheCanonicalJsonOfEachEventAsEventJsonDoes() {
        assertThat(batch.canonicalJson(0)).isEqualTo(EventJson.toJsonBytes(full));
        assertThat(batch.canonicalJson(1)).isEqualTo(EventJson.toJsonBytes(bare));
        assertThat(written(batch::writeCanonicalJson, 0)).isEqualTo(EventJson.toJson(full));
    }

    @Test
    void writesEachFieldAsJson() {
        assertThat(written(batch::writeIdJson, 0)).isEqualTo("\"0b6c2f4e-8d1a-4c3b-9e7f-112233445566\"");
        assertThat(written(batch::writeTimestampJson, 0)).isEqualTo("\"2026-11-28T12:00:00.123456Z\"");
        assertThat(written(batch::writeEventTypeJson, 0)).isEqualTo("\"simulation_event\"");
        assertThat(written(batch::writeSessionIdJson, 0)).isEqualTo("\"s\\t1\"");
        assertThat(written(batch::writePayloadJson, 0)).isIn("{\"button\":\"buy\",\"n\":3}", "{\"n\":3,\"button\":\"buy\"}");
        assertThat(written(batch::writePayloadJson, 1)).isEqualTo("{}");
        assertThatThrownBy(() -> batch.writeUserIdJson(1, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessage("event 1 has no userId");
    }

    @Test
    void slicesAndSelectionsHoldTheSameRecords() {
        assertThat(batch.slice(1, 2).events()).containsExactly(bare);
        assertThat(batch.select(List.of(1, 0)).events()).containsExactly(bare, full);
    }

    @Test
    void anIndexOutsideTheBatchIsRefused() {
        assertThatThrownBy(() -> batch.id(2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("event 2 of a batch of 2");
    }

    private static String written(BiConsumer<Integer, java.io.OutputStream> writer, int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.accept(i, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
