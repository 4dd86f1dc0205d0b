/**
 * A real Apache Kafka broker for local development and tests: {@link dev.eventsink.kafka.broker.KafkaBroker} runs
 * Apache Kafka's own server ({@code org.apache.kafka:kafka_2.13} and the {@code kafka-server} family, from Maven
 * Central) in this JVM, as Kafka's scripts run it: the storage is formatted by {@code kafka.tools.StorageTool}
 * ({@code kafka-storage.sh format}) and the server is {@code kafka.server.KafkaRaftServer} (what
 * {@code kafka-server-start.sh} starts), in KRaft mode, one node acting as broker and controller.
 *
 * <h2>Settings</h2>
 * Listeners on 127.0.0.1 only: PLAINTEXT on the chosen port (free one by default), a CONTROLLER listener on another
 * free port, and, when the builder names a user, SASL_PLAINTEXT with PLAIN. Topics are created on first use with
 * {@link dev.eventsink.kafka.broker.KafkaBroker#DEFAULT_PARTITIONS} partitions; internal topics have one replica and
 * 4 partitions, and the first consumer group starts without the usual 3 s delay. Every setting can be overridden
 * with {@code setting(key, value)}, as in {@code server.properties}.
 *
 * <h2>Life</h2>
 * {@code stop()} shuts the server down and keeps its data and ports; {@code start()} starts it again on them, as a
 * broker restart looks to clients. {@code close()} stops it and deletes a temporary directory. A cold start takes
 * about 4 s on two idle cores; most of it is loading Kafka's and Scala's classes, so later starts in one JVM are
 * faster.
 */
package dev.eventsink.kafka.broker;
