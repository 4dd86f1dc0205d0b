package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve-kafka} and {@code demo --via kafka}: each starts a real broker of its own. */
class KafkaCommandsTest {

    @TempDir
    Path dir;

    @Test
    void serveKafkaRunsABrokerUntilStoppedPrintingTheEnvLinesAndKeepsItsDirectory() throws Exception {
        int port = freePort();
        Cli.TestStopSignal stop = new Cli.TestStopSignal();
        Path data = dir.resolve("kafka-data");
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.unconfigured().stopSignal(stop)
                .run("serve-kafka", "--port", String.valueOf(port), "--dir", data.toString(), "--partitions", "2"));
        assertThat(stop.awaitWaiting(Duration.ofSeconds(60))).as("the broker started").isTrue();

        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + port);
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            written = producer.send(new ProducerRecord<>("dev-topic", "k", "v")).get(30, TimeUnit.SECONDS);
        }
        stop.request();
        Cli.Result result = run.get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(written.topic()).isEqualTo("dev-topic");
        assertThat(written.partition()).isBetween(0, 1);
        assertThat(result.out()).contains(
                "Kafka broker (KRaft, single node) listening on 127.0.0.1:" + port + ", data in " + data,
                "UX_EVENT_SINK_TYPE=kafka", "UX_EVENT_SINK_BOOTSTRAP_SERVERS=127.0.0.1:" + port,
                "SIM_EVENT_SINK_TYPE=kafka", "SIM_EVENT_SINK_BOOTSTRAP_SERVERS=127.0.0.1:" + port,
                "eventsink --env-file relay.env relay --bootstrap-servers 127.0.0.1:" + port,
                "Press Ctrl-C to stop.", "Stopped. The data stays in " + data + ".");
        assertThat(stop.stopped.getCount()).as("the command said it had stopped").isZero();
        assertThat(Files.isRegularFile(data.resolve("server.properties"))).isTrue();
        assertThat(portOpen(port)).as("the broker's port after the stop").isFalse();
    }

    @Test
    void serveKafkaOnAPortInUseFailsWithExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result result = Cli.unconfigured().run("serve-kafka", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILED);
            assertThat(result.err()).contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ",
                    "Is another broker running there? Choose another port.");
        }
    }

    @Test
    void demoViaKafkaShowsTheWholePathWithNoConfiguration() {
        Cli.Result result = Cli.unconfigured().run("demo", "--via", "kafka", "--ticks", "20", "--rate", "0",
                "--seed", "7");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Path: simulation → kafka sink → Kafka → relay (group eventsink-demo) → "
                + "openobserve sink → server", "All ", " events were delivered.");
        Matcher relay = Pattern.compile("Relay: ([0-9,]+) of the ([0-9,]+) events in Kafka were delivered to the "
                + "server.").matcher(result.out());
        assertThat(relay.find()).as(result.out()).isTrue();
        assertThat(relay.group(1)).isEqualTo(relay.group(2));
        Matcher stored = Pattern.compile("stream simulation_events \\(([0-9,]+) records\\)").matcher(result.out());
        assertThat(stored.find()).as(result.out()).isTrue();
        Matcher sim = Pattern.compile("  SIM +kafka +([0-9,]+) +([0-9,]+) +0 +0").matcher(result.out());
        assertThat(sim.find()).as(result.out()).isTrue();
        assertThat(stored.group(1)).as("simulation events stored, as sent through Kafka").isEqualTo(sim.group(2));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
