package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    static final String UX = "{\"eventType\":\"ux_action\",\"userId\":\"u1\",\"payload\":{\"action\":\"click\"}}";
    static final String SIM = "{\"eventType\":\"simulation_event\",\"payload\":{\"event\":\"tick\",\"tick\":1}}";

    @TempDir
    Path dir;

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private Path file(String... lines) throws IOException {
        Path path = dir.resolve("events.ndjson");
        Files.writeString(path, String.join("\n", lines) + "\n");
        return path;
    }

    @Test
    void everyValidLineDeliveredExitsZeroWithExactCounts() throws IOException {
        Path path = file(UX, SIM, UX, "", SIM, UX,
                "{\"id\":\"0b6c3a52-3c47-4a8e-9a53-3e1f7f0e8d11\",\"timestamp\":\"" + Instant.now()
                        + "\",\"eventType\":\"ux_action\",\"payload\":{}}");

        Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", path.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Replayed " + path + ": 7 lines",
                "6 events sent, 0 bad lines, 1 blank lines", "Result: every event was delivered.")
                .containsPattern("UX +mock +4 +4 +0 +0 +0")
                .containsPattern("SIM +mock +2 +2 +0 +0 +0");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndSkipped() throws IOException {
        Path path = file(UX, "{not json", SIM, "{\"eventType\":\"page_view\"}", "{\"userId\":\"u1\"}",
                "[1,2]", "{\"eventType\":\"ux_action\",\"colour\":\"red\"}", UX);

        Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", path.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains(
                "line 2: Invalid event JSON: not valid JSON",
                "line 4: Invalid event JSON: Unknown eventType 'page_view'; valid values: ux_action, simulation_event",
                "line 5: Invalid event JSON: eventType is required",
                "line 6: Invalid event JSON: the event must be a JSON object, was array",
                "line 7: Invalid event JSON: unknown field 'colour'");
        assertThat(result.out()).contains("3 events sent, 5 bad lines", "Result: 5 lines were bad.")
                .containsPattern("UX +mock +2 +2 +0 +0 +0")
                .containsPattern("SIM +mock +1 +1 +0 +0 +0");
    }

    @Test
    void strictStopsAtTheFirstBadLine() throws IOException {
        Path path = file(UX, SIM, "{oops", UX, UX);

        Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", "--strict", path.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains("line 3: Invalid event JSON: not valid JSON");
        assertThat(result.out()).contains("Stopped at line 3 (--strict): Invalid event JSON: not valid JSON",
                "2 events sent, 1 bad lines", "Result: 1 line was bad.")
                .containsPattern("UX +mock +1 +1 ");
    }

    @Test
    void readsStdinWithDash() {
        Cli.Result result = Cli.withConfig(Cli.mock()).stdin(UX + "\r\n" + SIM + "\r\n" + SIM)
                .run("replay", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Replayed stdin: 3 lines", "3 events sent");
    }

    @Test
    void rejectedEventsAreGroupedByOpenObserveReason() throws IOException {
        String old = Instant.now().minus(Duration.ofHours(6)).toString();
        String oldUx = "{\"timestamp\":\"" + old + "\",\"eventType\":\"ux_action\",\"payload\":{\"action\":\"click\"}}";
        Path path = file(UX, oldUx, UX, oldUx, SIM, oldUx);
        try (OpenObserveServer server = OpenObserveServer.start()) {
            Cli.Result result = Cli.withConfig(Cli.openObserve(server.url(), server.apiKey()))
                    .run("replay", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out())
                    .containsPattern("UX +openobserve +5 +2 +3 +0 +0")
                    .containsPattern("SIM +openobserve +1 +1 +0 +0 +0")
                    .contains("UX rejected, by reason:")
                    .containsPattern("\\n +3 +Too old data, only last 5 hours data can be ingested\\. Data discarded\\.")
                    .contains("Result: 3 events were not delivered.");
            assertThat(server.recordCount("ux_events")).isEqualTo(2);
        }
    }

    @Test
    void aTimestampBeyondYear9999IsABadLineAndEveryOtherLineIsDelivered() throws IOException {
        String[] lines = new String[1001];
        Arrays.fill(lines, 0, 1000, UX);
        lines[1000] = "{\"timestamp\":\"+300000-01-01T00:00:00Z\",\"eventType\":\"ux_action\",\"payload\":{}}";
        Path path = file(lines);
        try (OpenObserveServer server = OpenObserveServer.start()) {
            Cli.Result result = Cli.withConfig(Cli.openObserve(server.url(), server.apiKey()))
                    .run("replay", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.err()).contains("line 1001: Invalid event JSON: timestamp must be from "
                    + "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, was +300000-01-01T00:00:00Z");
            assertThat(result.out()).contains("1,000 events sent, 1 bad lines")
                    .containsPattern("UX +openobserve +1,000 +1,000 +0 +0 +0");
            assertThat(server.recordCount("ux_events")).isEqualTo(1000);
        }
    }

    @Test
    void aDeadLetterFileIsReplayedOnceTheCauseIsFixed() throws IOException {
        String old = Instant.now().minus(Duration.ofHours(6)).toString();
        String oldUx = "{\"timestamp\":\"" + old + "\",\"eventType\":\"ux_action\",\"payload\":{\"action\":\"click\"}}";
        Path path = file(UX, oldUx, oldUx);
        Path deadLetters = dir.resolve("dead-letters.ndjson");
        try (OpenObserveServer server = OpenObserveServer.start()) {
            Map<String, String> config = new LinkedHashMap<>(Cli.openObserve(server.url(), server.apiKey()));
            config.put("UX_EVENT_SINK_DEAD_LETTER_FILE", deadLetters.toString());
            Cli.Result first = Cli.withConfig(config).run("replay", path.toString());
            assertThat(first.out()).containsPattern("UX +openobserve +3 +1 +2 +0 +0");
            List<String> letters = Files.readAllLines(deadLetters);
            assertThat(letters).hasSize(2).allSatisfy(line -> assertThat(line)
                    .startsWith("{\"deadLetteredAt\":\"")
                    .contains("\"reason\":\"Too old data, only last 5 hours data can be ingested.",
                            "\"sink\":\"ux-openobserve\"", "\"timestamp\":\"" + old + "\""));

            // The cause fixed: OpenObserve stamps arrival time, the event's own time stays in event_time.
            config.remove("UX_EVENT_SINK_DEAD_LETTER_FILE");
            config.put("UX_EVENT_SINK_TIMESTAMP_MODE", "ingestion");
            Cli.Result again = Cli.withConfig(config).run("replay", deadLetters.toString());

            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("2 events sent, 0 bad lines")
                    .containsPattern("UX +openobserve +2 +2 +0 +0 +0");
            assertThat(server.recordCount("ux_events")).isEqualTo(3);
        }
    }

    @Test
    void aDeadLetterWithoutAnEventIsABadLine() throws IOException {
        Path path = file("{\"deadLetteredAt\":\"2026-12-01T00:00:00Z\",\"reason\":\"HTTP 400\"}",
                "{\"deadLetteredAt\":\"2026-12-01T00:00:00Z\",\"event\":", UX);

        Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", path.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(result.err()).contains("line 1: a dead letter needs an object in its field event",
                "line 2: not a valid dead letter: ");
        assertThat(result.out()).contains("1 events sent, 2 bad lines");
    }

    @Test
    void eventsStillPendingAtTheDeadlineCountAsUndelivered() throws IOException {
        Path path = file(UX, SIM);
        OpenObserveServer server = OpenObserveServer.start();
        String url = server.url();
        server.close(); // nothing answers any more: the sink retries until the deadline
        Map<String, String> config = new HashMap<>(Cli.openObserve(url, "root@example.com:x"));
        config.put("UX_EVENT_SINK_RETRY_DEADLINE", "1m");
        config.put("SIM_EVENT_SINK_RETRY_DEADLINE", "1m");

        Cli.Result result = Cli.withConfig(config).run("replay", "--deadline", "300ms", path.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
        assertThat(result.out()).containsPattern("UX +openobserve +1 +0 +0 +0 +1")
                .containsPattern("SIM +openobserve +1 +0 +0 +0 +1")
                .contains("UX undelivered, by reason:", "sink closed before delivery",
                        "Result: 2 events were not delivered.");
    }

    @Test
    void missingFileExitsTwo() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", dir.resolve("nope.ndjson").toString());

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Cannot read " + dir.resolve("nope.ndjson") + ": no such file");
    }

    @Test
    void missingFileArgumentExitsTwo() {
        Cli.Result result = Cli.withConfig(Cli.mock()).run("replay");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Missing required parameter: 'FILE|-'");
    }

    @Test
    void configurationErrorExitsTwo() throws IOException {
        Path path = file(UX);

        Cli.Result result = Cli.withConfig(Map.of("UX_EVENT_SINK_TYPE", "mock")).run("replay", path.toString());

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Configuration error: SIM_EVENT_SINK_TYPE is not set");
    }

    @Test
    void blockOverflowIsTheDefaultForQueueingSinksButNotForMock() {
        Map<String, String> defaults = ReplayCommand.replayDefaults(dev.eventsink.ConfigSource.fromMap(
                Map.of("UX_EVENT_SINK_TYPE", "openobserve", "SIM_EVENT_SINK_TYPE", "mock")));

        assertThat(defaults).isEqualTo(Map.of("UX_EVENT_SINK_OVERFLOW", "block", "UX_EVENT_SINK_BLOCK_TIMEOUT", "10m"));
    }

    @Test
    void userConfiguredOverflowWinsOverTheReplayDefault() throws IOException {
        Path path = file(UX, UX, UX);
        try (OpenObserveServer server = OpenObserveServer.start()) {
            Map<String, String> config = new HashMap<>(Cli.openObserve(server.url(), server.apiKey()));
            config.put("UX_EVENT_SINK_OVERFLOW", "drop_newest");
            config.put("UX_EVENT_SINK_QUEUE_CAPACITY", "1");
            config.put("UX_EVENT_SINK_EXPORT_THREADS", "1");
            server.faults().always(Fault.delay(Duration.ofMillis(300)));

            Cli.Result result = Cli.withConfig(config).run("replay", path.toString());

            // With replay's default (block) nothing would be dropped; how many are depends on scheduling.
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).containsPattern("UX +openobserve +3 +[12] +0 +[12] +0")
                    .contains("UX dropped, by reason:", "queue full (drop_newest)");
        }
    }

    @Nested
    class InvalidUtf8 {

        private static final String PREFIX = "{\"eventType\":\"ux_action\",\"payload\":{\"a\":\"";

        private Path fileWithBytes(byte[]... lines) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (byte[] line : lines) {
                bytes.writeBytes(line);
                bytes.write('\n');
            }
            Path path = dir.resolve("bytes.ndjson");
            Files.write(path, bytes.toByteArray());
            return path;
        }

        private byte[] withBytes(String before, int[] middle, String after) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(before.getBytes(StandardCharsets.UTF_8));
            for (int b : middle) {
                bytes.write(b);
            }
            bytes.writeBytes(after.getBytes(StandardCharsets.UTF_8));
            return bytes.toByteArray();
        }

        @Test
        void lineWithInvalidUtf8IsBadWithTheBytePosition() throws IOException {
            Path path = fileWithBytes(UX.getBytes(StandardCharsets.UTF_8),
                    withBytes(PREFIX, new int[] {0xFF, 0xFE}, "\"}}"), SIM.getBytes(StandardCharsets.UTF_8),
                    withBytes(PREFIX + "é", new int[] {0xC3}, "\"}}"));

            Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", "--no-progress", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.err()).isEqualTo(lines(
                    "line 2: not valid UTF-8 at byte 42",
                    "line 4: not valid UTF-8 at byte 44"));
            assertThat(result.out()).contains("Replayed " + path + ": 4 lines",
                    "2 events sent, 2 bad lines, 0 blank lines", "Result: 2 lines were bad.")
                    .containsPattern("UX +mock +1 +1 +0 +0 +0")
                    .containsPattern("SIM +mock +1 +1 +0 +0 +0");
        }

        @Test
        void strictStopsAtTheFirstLineWithInvalidUtf8() throws IOException {
            Path path = fileWithBytes(UX.getBytes(StandardCharsets.UTF_8),
                    withBytes(PREFIX, new int[] {0xED, 0xA0, 0x80}, "\"}}"), SIM.getBytes(StandardCharsets.UTF_8));

            Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", "--strict", "--no-progress", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.err()).isEqualTo(lines("line 2: not valid UTF-8 at byte 42"));
            assertThat(result.out()).contains("Stopped at line 2 (--strict): not valid UTF-8 at byte 42",
                    "1 events sent, 1 bad lines", "Result: 1 line was bad.");
        }

        @Test
        void readerReportsTheFirstInvalidByteAndReadsOn() throws IOException {
            byte[] input = withBytes("ok\nab", new int[] {0xE2, 0x82}, "c\n\u00e9t\u00e9\n");
            LineReader reader = new LineReader(new ByteArrayInputStream(input), 100);

            assertThat(reader.next()).isEqualTo("ok");
            assertThat(reader.lastLineInvalidUtf8At()).isZero();
            assertThat(reader.next()).isEmpty();
            assertThat(reader.lastLineInvalidUtf8At()).isEqualTo(3);
            assertThat(reader.next()).isEqualTo("été");
            assertThat(reader.lastLineInvalidUtf8At()).isZero();
            assertThat(reader.next()).isNull();
        }
    }

    @Nested
    class BadLinesShownSafely {

        @Test
        void multiMegabyteBadValuesAreCutInTheReport() throws IOException {
            String huge = "y".repeat(3_000_000);
            String[] bad = {
                "{\"eventType\":\"" + huge + "\"}",
                "{\"eventType\":\"ux_action\",\"timestamp\":\"" + huge + "\"}",
                "{\"eventType\":\"ux_action\",\"" + huge + "\":1}"};
            Path path = file(bad[0], UX, bad[1], bad[2]);

            Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", "--no-progress", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.err()).isEqualTo(lines(
                    "line 1: " + Printable.message(sdkMessage(bad[0])),
                    "line 3: " + Printable.message(sdkMessage(bad[1])),
                    "line 4: " + Printable.message(sdkMessage(bad[2]))));
            assertThat(result.err().length()).isLessThan(2_000);
            assertThat(result.out()).contains("1 events sent, 3 bad lines", "Result: 3 lines were bad.");
        }

        @Test
        void strictSummaryCutsTheBadValueToo() throws IOException {
            String line = "{\"eventType\":\"" + "y".repeat(3_000_000) + "\"}";
            Path path = file(line);

            Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", "--strict", "--no-progress", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).contains("  Stopped at line 1 (--strict): " + Printable.message(sdkMessage(line))
                    + System.lineSeparator());
            assertThat(result.out().length()).isLessThan(2_000);
        }

        @Test
        void controlCharactersInABadLineAreEscaped() throws IOException {
            Path path = file("{\"eventType\":\"x\\r\\nResult: every event was delivered.\\u001b[0m\"}");

            Cli.Result result = Cli.withConfig(Cli.mock()).run("replay", "--no-progress", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.err()).isEqualTo(lines("line 1: Invalid event JSON: Unknown eventType "
                    + "'x\\r\\nResult: every event was delivered.\\u001B[0m'; valid values: ux_action, simulation_event"));
        }

        @Test
        void rejectionReasonsFromConfigurationAreEscaped() throws IOException {
            Path path = file(UX);
            Map<String, String> config = new HashMap<>(Cli.mock());
            config.put("UX_EVENT_SINK_FAIL_WITH", "disk\nResult: every event was delivered.");

            Cli.Result result = Cli.withConfig(config).run("replay", "--no-progress", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.out()).contains(lines(
                    "  UX rejected, by reason:",
                    "             1  disk\\nResult: every event was delivered.",
                    "",
                    "Result: 1 event was not delivered."));
            assertThat(result.out().lines()).filteredOn(line -> line.startsWith("Result")).hasSize(1);
        }

        @Test
        void configurationErrorMasksAPasswordWithASlash() throws IOException {
            Path path = file(UX);
            Map<String, String> config = new HashMap<>(Cli.openObserve("http://admin:pa/ss@localhost:5080", "a@b.c:x"));

            Cli.Result result = Cli.withConfig(config).run("replay", "--verbose", path.toString());

            assertThat(result.exitCode()).isEqualTo(Main.USAGE);
            assertThat(result.err()).isEqualTo(lines(
                    "Configuration error: UX_EVENT_SINK_URL='http://****@localhost:5080' is not an http(s) URL with a "
                            + "host; allowed: http:// or https:// base URL such as http://localhost:5080",
                    "Run 'eventsink doctor' to check the configuration."));
            assertThat(result.everything()).doesNotContain("pa/ss");
        }

        private String sdkMessage(String line) {
            try {
                dev.eventsink.EventJson.fromJson(line, java.time.Clock.systemUTC());
                throw new AssertionError("the line is valid");
            } catch (dev.eventsink.EventJsonException e) {
                return e.getMessage();
            }
        }
    }

    @Nested
    class ProgressOutput {

        @Test
        void plainLineHasCountPercentRateDeliveredAndEta() {
            AtomicLong bytes = new AtomicLong(250);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            dev.eventsink.cli.Progress progress = new dev.eventsink.cli.Progress(
                    new PrintStream(err, true, StandardCharsets.UTF_8), false, true, 1000, Duration.ofSeconds(5),
                    bytes::get, () -> 2500, () -> 2000);

            progress.render();

            assertThat(err.toString(StandardCharsets.UTF_8))
                    .matches("replay: 2,500 lines \\(25%\\), [\\d,.]+ lines/s, 2,000 delivered, ETA \\d+s\\R");
        }

        @Test
        void barIsRedrawnInPlaceAndMessagesPrintAboveIt() {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            dev.eventsink.cli.Progress progress = new dev.eventsink.cli.Progress(
                    new PrintStream(err, true, StandardCharsets.UTF_8), true, true, 1000, Duration.ofSeconds(5),
                    () -> 500, () -> 5000, () -> 4000);

            progress.render();
            progress.message("line 7: bad");
            progress.close();

            String text = err.toString(StandardCharsets.UTF_8);
            assertThat(text).startsWith("\r[===========>            ]  50%  5,000 lines")
                    .contains("4,000 delivered  ETA ", "\rline 7: bad")
                    .endsWith(System.lineSeparator());
        }

        @Test
        void unknownSizeShowsNoPercentOrEta() {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            dev.eventsink.cli.Progress progress = new dev.eventsink.cli.Progress(
                    new PrintStream(err, true, StandardCharsets.UTF_8), false, true, -1, Duration.ofSeconds(5),
                    () -> 500, () -> 10, () -> 3);

            progress.render();

            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: 10 lines, ")
                    .doesNotContain("%").doesNotContain("ETA");
        }

        @Test
        void plainProgressIsPrintedWhileAReplayRunsOffTerminal() throws IOException {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                lines.append(i % 2 == 0 ? UX : SIM).append('\n');
            }
            Path path = dir.resolve("many.ndjson");
            Files.writeString(path, lines);

            Cli.Result result = Cli.withConfig(Cli.mock()).terminal(false)
                    .run("replay", "--progress-interval", "1ms", path.toString());

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("20,000 events sent");
            // Whether a tick fell inside this short run is timing; the format is checked above.
            assertThat(result.err()).doesNotContain("\r");
        }
    }

    @Nested
    class Lines {

        @Test
        void splitsOnLfAndCrLfWithoutATrailingNewlineAndSkipsABom() throws IOException {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] text = "a\r\nb\n\nlast".getBytes(StandardCharsets.UTF_8);
            byte[] input = new byte[bom.length + text.length];
            System.arraycopy(bom, 0, input, 0, 3);
            System.arraycopy(text, 0, input, 3, text.length);
            LineReader reader = new LineReader(new ByteArrayInputStream(input), 100);

            assertThat(reader.next()).isEqualTo("a");
            assertThat(reader.next()).isEqualTo("b");
            assertThat(reader.next()).isEqualTo("");
            assertThat(reader.next()).isEqualTo("last");
            assertThat(reader.next()).isNull();
            assertThat(reader.bytesRead()).isEqualTo(input.length);
        }

        @Test
        void overlongLineIsSkippedAndFlagged() throws IOException {
            String input = "short\n" + "x".repeat(200_000) + "\nafter\n";
            LineReader reader = new LineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 1000);

            assertThat(reader.next()).isEqualTo("short");
            assertThat(reader.lastLineTooLong()).isFalse();
            assertThat(reader.next()).isEmpty();
            assertThat(reader.lastLineTooLong()).isTrue();
            assertThat(reader.next()).isEqualTo("after");
            assertThat(reader.lastLineTooLong()).isFalse();
            assertThat(reader.next()).isNull();
        }

        @Test
        void lineAfterAVeryLongLineIsReadIntact() throws IOException {
            String longLine = "x".repeat(3 << 20);
            String input = longLine + "\nshort after\n";
            LineReader reader = new LineReader(
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 4 << 20);

            assertThat(reader.next()).isEqualTo(longLine);
            assertThat(reader.next()).isEqualTo("short after");
            assertThat(reader.next()).isNull();
        }

        @Test
        void multibyteCharactersAcrossBufferBoundariesSurvive() throws IOException {
            String line = "é".repeat(70_000);
            LineReader reader = new LineReader(
                    new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)), 1 << 20);

            assertThat(reader.next()).isEqualTo(line);
        }
    }
}
