package com.example.eventsink.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.EventTracker;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

    private static final Instant NOON = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    private EventSink create(Map<String, String> keys) {
        return new JsonLinesSinkProvider().create(SinkConfig.of(Channel.UX, keys));
    }

    private static Event event(int n) {
        return Event.uxAction().id(new UUID(0, n)).timestamp(NOON).userId("u1").put("button", "buy").put("n", n)
                .build();
    }

    @Test
    void eachEventBecomesOneLineOfCanonicalJson() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (EventSink sink = create(Map.of("UX_EVENT_SINK_PATH", file.toString()))) {
            sink.sendEvent(event(1)).join();
            sink.sendEvent(event(2)).join();
        }

        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"id\":\"00000000-0000-0000-0000-000000000001\",\"timestamp\":\"2026-11-28T12:00:00.000Z\","
                        + "\"eventType\":\"ux_action\",\"userId\":\"u1\",\"payload\":{\"button\":\"buy\",\"n\":1}}",
                EventJson.toJson(event(2)));
        assertThat(EventJson.fromJson(Files.readAllLines(file).get(0))).isEqualTo(event(1));
    }

    @Test
    void anInterruptedWriterFailsOnlyItsOwnEventAndTheSinkKeepsWriting() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (EventSink sink = create(Map.of("UX_EVENT_SINK_PATH", file.toString()))) {
            Thread.currentThread().interrupt();
            CompletableFuture<Void> interrupted = sink.sendEvent(event(1));
            assertThat(Thread.interrupted()).as("the interrupt status is kept").isTrue();

            assertThat(interrupted).isCompletedExceptionally();
            assertThat(sink.sendEvent(event(2))).isCompleted();
        }
        assertThat(Files.readAllLines(file)).containsExactly(EventJson.toJson(event(2)));
    }

    @Test
    void eventsAreAppendedToAnExistingFile() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");
        try (EventSink sink = create(Map.of("UX_EVENT_SINK_PATH", file.toString(), "UX_EVENT_SINK_FSYNC", "always"))) {
            sink.sendEvent(event(1)).join();
        }

        assertThat(Files.readAllLines(file)).containsExactly("{\"earlier\":true}", EventJson.toJson(event(1)));
    }

    @Test
    void theTypeIsFoundThroughConfigurationAndBothChannelsMayShareAFile() throws Exception {
        Path file = dir.resolve("shared.jsonl");
        Map<String, String> keys = new HashMap<>();
        for (Channel channel : Channel.values()) {
            keys.put(channel.key("TYPE"), "jsonl");
            keys.put(channel.key("PATH"), file.toString());
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (EventTracker tracker = EventTracker.create(ConfigSource.fromMap(keys))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean ux = t % 2 == 0;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 200; i++) {
                        Event event = (ux ? Event.uxAction() : Event.simulationEvent()).put("i", i).build();
                        synchronized (futures) {
                            futures.add(tracker.track(event));
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(800);
        assertThat(lines.stream().map(EventJson::fromJson).map(Event::id).distinct()).hasSize(800);
        assertThat(EventSinkFactory.availableTypes()).contains("jsonl");
    }

    @Test
    void aFileAtItsSizeLimitRejectsEventsNamingTheKey() throws IOException {
        Path file = dir.resolve("events.jsonl");
        int lineLength = EventJson.toJson(event(1)).length() + 1;
        try (EventSink sink = create(Map.of("UX_EVENT_SINK_PATH", file.toString(),
                "UX_EVENT_SINK_MAX_FILE_SIZE", String.valueOf(lineLength + 10)))) {
            sink.sendEvent(event(1)).join();

            assertThatThrownBy(() -> sink.sendEvent(event(2)).join()).cause()
                    .isInstanceOf(DeliveryException.class)
                    .hasMessage("rejected: " + file + " would grow past UX_EVENT_SINK_MAX_FILE_SIZE (" + (lineLength + 10)
                            + " bytes) with this " + lineLength + "-byte line");
            assertThat(sink.stats().delivered()).isEqualTo(1);
            assertThat(sink.stats().failedTotal()).isEqualTo(1);
            assertThat(sink.stats().bytesSent()).isEqualTo(lineLength);
        }
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void aMissingPathIsReportedWithTheOtherProblems() {
        assertThatThrownBy(() -> create(Map.of("UX_EVENT_SINK_FSYNC", "sometimes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("2 configuration problems:" + System.lineSeparator()
                        + "  - UX_EVENT_SINK_PATH is required: the file to append JSON lines to, such as "
                        + "/var/log/app/events.jsonl" + System.lineSeparator()
                        + "  - UX_EVENT_SINK_FSYNC='sometimes' is not a valid choice; allowed: always, flush, never");
    }

    @Test
    void aFileThatCannotBeOpenedNamesTheKey() {
        Path missing = dir.resolve("no-such-dir").resolve("events.jsonl");

        assertThatThrownBy(() -> create(Map.of("UX_EVENT_SINK_PATH", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("UX_EVENT_SINK_PATH='" + missing + "' cannot be opened for appending "
                        + "(java.nio.file.NoSuchFileException: " + missing + "); allowed: a file path whose directory "
                        + "exists and is writable, such as /var/log/app/events.jsonl")
                .satisfies(e -> assertThat(((ConfigurationException) e).keys()).containsExactly("UX_EVENT_SINK_PATH"));
    }

    @Test
    void closeIsIdempotentAndLaterEventsFail() throws IOException {
        Path file = dir.resolve("events.jsonl");
        EventSink sink = create(Map.of("UX_EVENT_SINK_PATH", file.toString(), "UX_EVENT_SINK_FSYNC", "never"));
        sink.sendEvent(event(1)).join();
        sink.close();
        sink.close();

        assertThatThrownBy(() -> sink.sendEvent(event(2)).join()).cause()
                .isInstanceOf(DeliveryException.class).hasMessage("undelivered: sink is closed");
        assertThat(sink).hasToString("JsonLinesSink{path=" + file + ", fsync=never, written=1, closed}");
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void aNullEventFailsTheFuture() {
        try (EventSink sink = create(Map.of("UX_EVENT_SINK_PATH", dir.resolve("e.jsonl").toString()))) {
            assertThatThrownBy(() -> sink.sendEvent(null).join()).cause()
                    .isInstanceOf(NullPointerException.class).hasMessage("event must not be null");
        }
    }
}
