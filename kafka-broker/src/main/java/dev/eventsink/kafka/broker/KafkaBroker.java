package dev.eventsink.kafka.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run in this JVM on
 * {@code 127.0.0.1}: Apache Kafka's own server, started as {@code kafka-storage.sh format} and
 * {@code kafka-server-start.sh} start it, for local development ({@code eventsink serve-kafka}) and for tests.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder().start()) {     // a temporary directory, free ports
 *     broker.createTopic("ux_events", 4);
 *     producerProperties.put("bootstrap.servers", broker.bootstrapServers());   // 127.0.0.1:<port>
 *     ...
 *     broker.stop();      // as a crash or maintenance would; producers retry
 *     broker.start();     // the same ports and data
 * }                       // stops the broker and deletes the temporary directory
 * }</pre>
 *
 * <p>The package documentation lists the broker's settings. Thread-safe.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Kafka's port. */
    public static final int DEFAULT_PORT = 9092;
    /** The partitions of a topic created on first use, unless the builder says otherwise. */
    public static final int DEFAULT_PARTITIONS = 4;

    private static final int BIND_ATTEMPTS = 5;

    private final Path dir;
    private final boolean temporary;
    private final int requestedPort;
    private final int partitions;
    private final String saslUser;
    private final String saslPassword;
    private final Map<String, String> overrides;
    private final String clusterId = Uuid.randomUuid().toString();

    private int port;
    private int saslPort;
    private int controllerPort;
    private boolean formatted;
    private KafkaRaftServer server;
    /** The thread groups of every start: some of Kafka's threads (its metrics' ticks) outlive a stop. */
    private final List<ThreadGroup> threadGroups = new ArrayList<>();
    private boolean closed;

    private KafkaBroker(Builder b) throws IOException {
        this.temporary = b.dir == null;
        this.dir = temporary ? Files.createTempDirectory("eventsink-kafka-") : b.dir.toAbsolutePath();
        this.requestedPort = b.port;
        this.partitions = b.partitions;
        this.saslUser = b.saslUser;
        this.saslPassword = b.saslPassword;
        this.overrides = Map.copyOf(b.overrides);
    }

    /** A builder: a temporary directory, free ports, no SASL listener. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker, or starts it again after {@link #stop()} on the same ports and with the same data. Returns
     * once it accepts clients.
     *
     * @throws UncheckedIOException when a port cannot be bound (the message names it) or the directory cannot be
     *     written
     * @throws IllegalStateException when the broker is running or closed
     */
    public synchronized KafkaBroker start() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        if (server != null) {
            throw new IllegalStateException("the broker is running on " + bootstrapServers());
        }
        boolean firstStart = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (firstStart) {
                port = requestedPort == 0 ? freePort() : requestedPort;
                saslPort = saslUser == null ? 0 : freePort();
            }
            controllerPort = freePort();
            try {
                startServer();
                return this;
            } catch (RuntimeException e) {
                boolean bindFailure = causes(e).anyMatch(BindException.class::isInstance);
                if (!bindFailure) {
                    throw e;
                }
                boolean portsOfOurChoice = firstStart && requestedPort == 0;
                if (attempt >= BIND_ATTEMPTS || !portsOfOurChoice && !isControllerBind(e)) {
                    throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + rootMessage(e)
                            + ". Is another broker running there? Choose another port.",
                            new IOException(rootMessage(e), e));
                }
            }
        }
    }

    private boolean isControllerBind(RuntimeException e) {
        return rootMessage(e).contains(String.valueOf(controllerPort));
    }

    private void startServer() {
        Properties properties = properties();
        if (!formatted) {
            format(properties);
            formatted = true;
        }
        ThreadGroup group = new ThreadGroup("kafka-broker-" + port);
        threadGroups.add(group);
        CompletableFuture<KafkaRaftServer> started = new CompletableFuture<>();
        // Started from a thread of its own group, so that every thread the broker starts belongs to that group.
        Thread starter = new Thread(group, () -> {
            KafkaRaftServer raft = null;
            try {
                raft = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
                raft.startup();
                started.complete(raft);
            } catch (Throwable e) {
                if (raft != null) {
                    shutdown(raft);
                }
                started.completeExceptionally(e);
            }
        }, "kafka-broker-" + port + "-start");
        starter.start();
        try {
            server = started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker started", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException("the broker did not start: "
                    + cause, cause);
        }
    }

    /** Formats the storage directory as {@code kafka-storage.sh format} does. */
    private void format(Properties properties) {
        Path file = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "eventsink kafka-broker: the configuration the storage was formatted with");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config", file.toString(),
                "--ignore-formatted"}, print);
        }
        if (status != 0) {
            throw new IllegalStateException("Formatting the broker's storage in " + dir + " failed (status " + status
                    + "): " + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    /** The broker's configuration, as a {@code server.properties} file would hold it. */
    Properties properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String listeners = "PLAINTEXT://127.0.0.1:" + port
                + (saslUser == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listeners);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", String.valueOf(partitions));
        p.put("auto.create.topics.enable", "true");
        // One node: every internal topic has one replica, and few partitions, so that groups start fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        if (saslUser != null) {
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + saslUser + "=\""
                            + saslPassword.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        }
        p.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(p);
        return properties;
    }

    /**
     * Stops the broker, as a crash would look to its clients, keeping its data and ports for {@link #start()}.
     * Does nothing when it is not running.
     */
    public synchronized void stop() {
        if (server != null) {
            shutdown(server);
            server = null;
        }
    }

    private static void shutdown(KafkaRaftServer raft) {
        raft.shutdown();
        raft.awaitShutdown();
    }

    /** Stops the broker and, when the builder chose a temporary directory, deletes it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (temporary) {
            deleteRecursively(dir);
        }
    }

    /** Whether the broker is running. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public synchronized String bootstrapServers() {
        requireStartedOnce();
        return "127.0.0.1:" + port;
    }

    /** The port of the PLAINTEXT listener. */
    public synchronized int port() {
        requireStartedOnce();
        return port;
    }

    /**
     * {@code 127.0.0.1:<port>} of the SASL_PLAINTEXT listener, which accepts the builder's PLAIN user.
     *
     * @throws IllegalStateException when the builder set no SASL user
     */
    public synchronized String saslBootstrapServers() {
        requireStartedOnce();
        if (saslUser == null) {
            throw new IllegalStateException("the broker has no SASL listener: call saslPlainUser on the builder");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** The directory holding the broker's data and its {@code server.properties}. */
    public Path dir() {
        return dir;
    }

    /** The cluster id the storage was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Whether {@code thread} is one of the broker's own: started by the broker, in this start or an earlier one.
     * Tests that count threads use it to tell the broker's from those of the code under test.
     */
    public synchronized boolean isBrokerThread(Thread thread) {
        ThreadGroup group = thread.getThreadGroup();
        return group != null && threadGroups.stream().anyMatch(g -> g == group || g.parentOf(group));
    }

    /** Admin-client properties for the PLAINTEXT listener. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /**
     * Creates a topic with this many partitions (one replica), and waits until it exists. A topic that exists
     * already is left as it is.
     */
    public void createTopic(String topic, int partitionCount) {
        Objects.requireNonNull(topic, "topic must not be null");
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitionCount, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating topic " + topic + " failed: " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + topic + " took longer than 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    private void requireStartedOnce() {
        if (port == 0) {
            throw new IllegalStateException("the broker has not been started");
        }
    }

    @Override
    public synchronized String toString() {
        return "KafkaBroker{" + (port == 0 ? "not started" : "127.0.0.1:" + port) + (server == null ? ", stopped" : "")
                + ", dir=" + dir + "}";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static Stream<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain.stream();
    }

    private static String rootMessage(Throwable e) {
        List<Throwable> chain = causes(e).toList();
        Throwable root = chain.get(chain.size() - 1);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the broker's directory " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a {@link KafkaBroker}. Not thread-safe.
     */
    public static final class Builder {
        private Path dir;
        private int port;
        private int partitions = DEFAULT_PARTITIONS;
        private String saslUser;
        private String saslPassword;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** The port of the PLAINTEXT listener on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The directory for the broker's data, kept after {@link KafkaBroker#close()}; a broker started on it again
         * keeps its topics. Default: a temporary directory, deleted at close.
         */
        public Builder dir(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir must not be null");
            return this;
        }

        /** The partitions of topics created on first use (default {@value KafkaBroker#DEFAULT_PARTITIONS}). */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Adds a SASL_PLAINTEXT listener that accepts this one PLAIN user; see {@link KafkaBroker#saslBootstrapServers()}. */
        public Builder saslPlainUser(String user, String password) {
            Objects.requireNonNull(user, "user must not be null");
            Objects.requireNonNull(password, "password must not be null");
            if (!user.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("user must be letters, digits, '.', '_' or '-', was '" + user + "'");
            }
            this.saslUser = user;
            this.saslPassword = password;
            return this;
        }

        /** A broker setting of Kafka's own ({@code server.properties}), over the ones this class sets. */
        public Builder setting(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key must not be null"),
                    Objects.requireNonNull(value, "value must not be null"));
            return this;
        }

        /** Creates the broker and starts it. */
        public KafkaBroker start() {
            KafkaBroker broker;
            try {
                broker = new KafkaBroker(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a directory for the broker: " + e.getMessage(), e);
            }
            try {
                return broker.start();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }
    }
}
