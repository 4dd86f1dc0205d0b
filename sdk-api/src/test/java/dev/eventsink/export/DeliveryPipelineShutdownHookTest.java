package dev.eventsink.export;

import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.SinkConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.Event;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SHUTDOWN_HOOK, observed from outside: a child JVM starts a pipeline with a 5-minute LINGER, hands it one event
 * and lets {@code main} return. Only a registered hook closes the pipeline on the way out, which delivers the
 * event and closes the exporter; the child prints what its exporter saw.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryPipelineShutdownHookTest {

    @Test
    void withShutdownHookTrueTheJvmExitClosesTheSinkAndDeliversWhatIsPending() throws Exception {
        assertThat(runChild("true")).containsExactly("main returns", "exported 1 event", "exporter closed");
    }

    @Test
    void withoutShutdownHookNothingRunsAtExit() throws Exception {
        assertThat(runChild("false")).containsExactly("main returns");
    }

    @Test
    void aSinkClosedBeforeExitIsNotClosedAgainByItsHook() throws Exception {
        assertThat(runChild("true", "close-first"))
                .containsExactly("exported 1 event", "exporter closed", "main returns");
    }

    private static List<String> runChild(String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Child.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .directory(new File(System.getProperty("java.io.tmpdir")))
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(30, SECONDS)).as("child JVM exited").isTrue();
        assertThat(child.exitValue()).as("child exit status; output:%n%s", output).isZero();
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    /** The child JVM: {@code main <SHUTDOWN_HOOK> [close-first]}. */
    public static final class Child {
        public static void main(String[] args) {
            SinkConfig sinkConfig = SinkConfig.of(Channel.UX, Map.of(
                    "UX_EVENT_SINK_SHUTDOWN_HOOK", args[0],
                    "UX_EVENT_SINK_LINGER", "5m",
                    "UX_EVENT_SINK_CLOSE_TIMEOUT", "10s"));
            ConfigReader reader = sinkConfig.reader();
            PipelineConfig config = PipelineConfig.read(reader);
            reader.validate();
            DeliveryPipeline sink = DeliveryPipeline.start("hook", new BatchExporter() {
                @Override
                public ExportResult export(EventBatch batch) {
                    System.out.println("exported " + batch.size() + " event" + (batch.size() == 1 ? "" : "s"));
                    return ExportResult.delivered(0);
                }

                @Override
                public void close() {
                    System.out.println("exporter closed");
                }
            }, config);
            sink.sendEvent(Event.uxAction().put("label", "pending").build());
            if (args.length > 1 && args[1].equals("close-first")) {
                sink.close();
            }
            System.out.println("main returns");
        }
    }
}
