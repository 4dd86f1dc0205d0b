package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1,000,000-line replay into the OpenObserve-compatible server completes with the
 * exact counts in the summary. The server counts records without keeping them, the reader streams the file and
 * keeps nothing per event, and the sinks block the reader instead of dropping, so memory stays bounded.
 * Tagged {@code large}: the default build leaves it out, {@code ./mvnw verify -Plong} runs it.
 */
@Tag("large")
class ReplayMillionLinesTest {

    static final int LINES = 1_000_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replaysAMillionLinesIntoTheCompatibleServerWithExactCounts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("million.ndjson");
        writeEvents(file, LINES);

        try (OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).maxLoggedRequests(0)
                .start()) {
            long start = System.nanoTime();
            Map<String, String> config = new HashMap<>(Cli.openObserve(server.url(), server.apiKey()));
            // Client and server share the machine over loopback: gzip would spend CPU for nothing. Every other
            // pipeline setting is the default.
            config.put("UX_EVENT_SINK_COMPRESSION", "none");
            config.put("SIM_EVENT_SINK_COMPRESSION", "none");
            Cli.Result result = Cli.withConfig(config).run("replay", file.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("1,000,000-line replay: %.1f s, %,.0f events/s%n", seconds, LINES / seconds);

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("Replayed " + file + ": 1,000,000 lines",
                    "1,000,000 events sent, 0 bad lines, 0 blank lines", "Result: every event was delivered.")
                    .containsPattern("UX +openobserve +500,000 +500,000 +0 +0 +0")
                    .containsPattern("SIM +openobserve +500,000 +500,000 +0 +0 +0");
            assertThat(server.recordCount("ux_events")).isEqualTo(LINES / 2);
            assertThat(server.recordCount("simulation_events")).isEqualTo(LINES / 2);
        }
    }

    /** Alternating UX actions and simulation events without id or timestamp (replay fills them). */
    static void writeEvents(Path file, int lines) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(200);
            for (int i = 0; i < lines; i++) {
                line.setLength(0);
                if (i % 2 == 0) {
                    line.append("{\"eventType\":\"ux_action\",\"userId\":\"user-").append(i % 97)
                            .append("\",\"sessionId\":\"session-").append(i % 1009)
                            .append("\",\"payload\":{\"action\":\"click\",\"target\":\"button-").append(i % 7)
                            .append("\",\"x\":").append(i % 800).append(",\"y\":").append(i % 600).append("}}");
                } else {
                    line.append("{\"eventType\":\"simulation_event\",\"sessionId\":\"session-").append(i % 1009)
                            .append("\",\"payload\":{\"event\":\"agent_moved\",\"tick\":").append(i / 32)
                            .append(",\"agent_id\":\"agent-").append(i % 32).append("\",\"position\":{\"x\":")
                            .append(i % 24).append(",\"y\":").append(i % 16).append("}}}");
                }
                out.append(line).append('\n');
            }
        }
    }
}
