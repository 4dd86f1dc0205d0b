package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventJson;
import dev.eventsink.EventJsonException;
import dev.eventsink.EventTracker;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events from Kafka topics to the sinks of their channels, as one member of a Kafka consumer group: what
 * {@code eventsink relay} runs. Several relays with the same group share the topics' partitions.
 *
 * <pre>{@code
 * try (EventTracker tracker = EventTracker.create(config);
 *         Relay relay = new Relay(settings, tracker, line -> err.println(line))) {
 *     relay.run(stopRequested::get);      // until stopped, or idle for settings.untilIdle()
 *     relay.counts(Channel.UX);           // consumed, delivered, rejected, dead-lettered
 * }
 * }</pre>
 *
 * <p><b>At-least-once.</b> A partition's offset is committed only up to the first record that is not yet done: done
 * means delivered, or dead-lettered with Kafka's acknowledgement. A relay that dies loses nothing: its partitions go
 * to the others, which start again from the last committed offset (and may deliver some events twice: deduplicate
 * on {@code event_id}). An event the sink could not deliver within its deadline, or dropped, is sent again.
 *
 * <p><b>Dead letters.</b> A record that is not an event in the canonical JSON schema (not UTF-8, not JSON, a field
 * wrong, an unknown {@code schema_version}), and an event its sink rejected, are written to the dead-letter topic
 * with their key, value and headers, plus headers naming where they came from and why
 * ({@value #SOURCE_TOPIC_HEADER}, {@value #SOURCE_PARTITION_HEADER}, {@value #SOURCE_OFFSET_HEADER},
 * {@value #REASON_HEADER}), reported on the progress stream, and then counted as done, so that no bad record blocks
 * its partition.
 *
 * <p>{@link #run} runs on one thread, which alone touches the consumer; futures complete on the sinks' threads.
 */
final class Relay implements AutoCloseable {

    static final String SOURCE_TOPIC_HEADER = "eventsink.source.topic";
    static final String SOURCE_PARTITION_HEADER = "eventsink.source.partition";
    static final String SOURCE_OFFSET_HEADER = "eventsink.source.offset";
    static final String REASON_HEADER = "eventsink.dead_letter.reason";
    static final String SCHEMA_VERSION_HEADER = "schema_version";
    static final String SCHEMA_VERSION = "1";
    /** How many dead letters are reported one by one; the rest are counted. */
    static final int MAX_REPORTED = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long COMMIT_INTERVAL_NANOS = Duration.ofMillis(200).toNanos();
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

    /** What the relay reads and where it writes what it cannot deliver. */
    record Settings(String bootstrapServers, List<String> topics, String group, String deadLetterTopic,
            Map<String, String> kafkaProperties, Duration untilIdle, int maxInFlight, Duration progressInterval) {}

    /** What became of the records of one channel, or of the records that were no event ({@code channel} null). */
    static final class Counts {
        final LongAdder consumed = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
        final LongAdder resent = new LongAdder();
    }

    /** One record's place in its partition; done once delivered or dead-lettered. */
    private static final class Slot {
        final long offset;
        volatile boolean done;

        Slot(long offset) {
            this.offset = offset;
        }
    }

    private record DeadLetter(ConsumerRecord<byte[], byte[]> record, Slot slot, Counts counts, String reason,
            boolean withoutValue) {}

    private record Resend(Event event, ConsumerRecord<byte[], byte[]> record, Slot slot, Counts counts) {}

    private final Settings settings;
    private final EventTracker tracker;
    private final Consumer<String> report;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Map<Channel, Counts> counts = new EnumMap<>(Channel.class);
    private final Counts unreadable = new Counts();
    private final Map<TopicPartition, ArrayDeque<Slot>> partitions = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final ConcurrentLinkedQueue<DeadLetter> toDeadLetter = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Resend> toResend = new ConcurrentLinkedQueue<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong reported = new AtomicLong();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private volatile boolean stopRequested;
    private long lastCommitNanos;
    /** When a record last arrived, or the group last gave this relay its partitions: what idleness counts from. */
    private long lastActivityNanos;
    /** Whether the group has assigned this relay its partitions (possibly none) at least once. */
    private boolean joined;

    Relay(Settings settings, EventTracker tracker, Consumer<String> report) {
        this.settings = settings;
        this.tracker = tracker;
        this.report = report;
        for (Channel channel : Channel.values()) {
            counts.put(channel, new Counts());
        }
        this.consumer = new KafkaConsumer<>(consumerProperties(settings), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            this.deadLetters = new KafkaProducer<>(producerProperties(settings), new ByteArraySerializer(),
                    new ByteArraySerializer());
        } catch (KafkaException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /** Whether the relay sets this client setting itself, so that {@code --kafka-property} may not. */
    static boolean consumerPropertiesSetHere(String key) {
        return Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG).contains(key);
    }

    static Map<String, Object> consumerProperties(Settings settings) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventsink-relay");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.kafkaProperties().forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                p.put(key, value);
            }
        });
        return p;
    }

    static Map<String, Object> producerProperties(Settings settings) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "eventsink-relay-dead-letters");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"); // as the kafka sink: see its README
        settings.kafkaProperties().forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                p.put(key, value);
            }
        });
        return p;
    }

    /** The counts of one channel's events. */
    Counts counts(Channel channel) {
        return counts.get(channel);
    }

    /** The counts of the records that were no event. */
    Counts unreadable() {
        return unreadable;
    }

    /** Events handed to a sink or the dead-letter topic and not yet done. */
    long inFlight() {
        return inFlight.get();
    }

    /** Asks {@link #run} to stop; safe from any thread. */
    void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    /**
     * Consumes until {@link #stop()} or, with {@code untilIdle}, until no record arrived for that long (counted from
     * the group's last assignment at the earliest) and every record is done; then waits up to {@code drainTimeout} for what is in flight, and commits what is done.
     *
     * @return whether every consumed record was done at the end (delivered or dead-lettered)
     */
    boolean run(Duration drainTimeout) {
        consumer.subscribe(settings.topics(), new Rebalance());
        long lastProgressNanos = System.nanoTime();
        boolean paused = false;
        try {
            while (!stopRequested) {
                int polled = 0;
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        polled++;
                        Slot slot = new Slot(record.offset());
                        partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                                tp -> new ArrayDeque<>()).add(slot);
                        handle(record, slot);
                    }
                } catch (WakeupException e) {
                    break;
                }
                long now = System.nanoTime();
                if (polled > 0) {
                    lastActivityNanos = now;
                }
                work();
                commitDone(false);
                boolean full = inFlight.get() >= settings.maxInFlight();
                if (full != paused) {
                    if (full) {
                        consumer.pause(consumer.assignment());
                    } else {
                        consumer.resume(consumer.paused());
                    }
                    paused = full;
                }
                if (settings.progressInterval() != null && now - lastProgressNanos >= settings.progressInterval().toNanos()) {
                    lastProgressNanos = now;
                    report.accept(progress());
                }
                if (settings.untilIdle() != null && joined && inFlight.get() == 0 && toDeadLetter.isEmpty()
                        && toResend.isEmpty() && now - lastActivityNanos >= settings.untilIdle().toNanos()) {
                    report.accept("relay: no record for " + Durations.compact(settings.untilIdle()) + "; stopping");
                    break;
                }
            }
            return drain(drainTimeout);
        } finally {
            commitDone(true);
        }
    }

    /** Waits, sending dead letters and resends meanwhile, until nothing is in flight or the timeout passed. */
    private boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel channel : Channel.values()) {
            tracker.sink(channel).flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        while (System.nanoTime() - deadline < 0) {
            work();
            deadLetters.flush();
            if (inFlight.get() == 0 && toDeadLetter.isEmpty() && toResend.isEmpty()) {
                return true;
            }
            sleep(20);
        }
        return inFlight.get() == 0;
    }

    /**
     * A line on progress, on the relay's thread: {@code relay: 12,000 consumed, 11,950 delivered, 0 dead-lettered,
     * 50 in flight, 8 partitions}.
     */
    String progress() {
        long consumed = unreadable.consumed.sum();
        long delivered = 0;
        long dead = unreadable.deadLettered.sum();
        for (Counts c : counts.values()) {
            consumed += c.consumed.sum();
            delivered += c.delivered.sum();
            dead += c.deadLettered.sum();
        }
        return "relay: " + Text.count(consumed) + " consumed, " + Text.count(delivered) + " delivered, "
                + Text.count(dead) + " dead-lettered, " + Text.count(inFlight.get()) + " in flight, "
                + Text.count(consumer.assignment().size()) + " partitions";
    }

    // ------------------------------------------------------------------------------------------------ records

    private void handle(ConsumerRecord<byte[], byte[]> record, Slot slot) {
        inFlight.incrementAndGet();
        String problem;
        Event event = null;
        Header version = record.headers().lastHeader(SCHEMA_VERSION_HEADER);
        if (version != null && !SCHEMA_VERSION.equals(new String(version.value() == null ? new byte[0]
                : version.value(), StandardCharsets.UTF_8))) {
            problem = "unsupported schema_version " + Printable.quote(new String(version.value() == null
                    ? new byte[0] : version.value(), StandardCharsets.UTF_8)) + "; this relay reads " + SCHEMA_VERSION;
        } else if (record.value() == null) {
            problem = "the record has no value";
        } else {
            problem = null;
            String json = null;
            try {
                json = utf8.decode(ByteBuffer.wrap(record.value())).toString();
            } catch (CharacterCodingException e) {
                problem = "not valid UTF-8 at byte " + (firstInvalidByte(record.value()) + 1);
            }
            if (json != null) {
                try {
                    event = EventJson.fromJson(json);
                } catch (EventJsonException e) {
                    problem = e.getMessage();
                }
            }
        }
        if (event == null) {
            unreadable.consumed.increment();
            toDeadLetter.add(new DeadLetter(record, slot, unreadable, problem, false));
            return;
        }
        Counts channelCounts = counts.get(event.eventType().channel());
        channelCounts.consumed.increment();
        send(new Resend(event, record, slot, channelCounts));
    }

    private void send(Resend item) {
        tracker.track(item.event()).whenComplete((ok, failure) -> {
            if (failure == null) {
                item.counts().delivered.increment();
                done(item.slot());
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof DeliveryException e && e.outcome() == DeliveryException.Outcome.REJECTED) {
                item.counts().rejected.increment();
                toDeadLetter.add(new DeadLetter(item.record(), item.slot(), item.counts(), "rejected: " + e.reason(),
                        false));
            } else {
                // Not delivered in time, or dropped: at-least-once means trying again, never skipping it.
                item.counts().resent.increment();
                toResend.add(item);
            }
        });
    }

    private void done(Slot slot) {
        slot.done = true;
        inFlight.decrementAndGet();
    }

    /** Sends the dead letters and resends queued by the sinks' threads; on the relay's thread. */
    private void work() {
        Resend resend;
        while ((resend = toResend.poll()) != null) {
            send(resend);
        }
        DeadLetter letter;
        while ((letter = toDeadLetter.poll()) != null) {
            deadLetter(letter);
        }
    }

    private void deadLetter(DeadLetter letter) {
        ConsumerRecord<byte[], byte[]> record = letter.record();
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        if (!letter.withoutValue() && reported.incrementAndGet() <= MAX_REPORTED) {
            report.accept("relay: " + where + " dead-lettered to " + settings.deadLetterTopic() + ": "
                    + Printable.message(letter.reason()));
        } else if (reported.get() == MAX_REPORTED + 1) {
            report.accept("relay: (more dead letters: counted, not shown)");
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION_HEADER, String.valueOf(record.partition()).getBytes(StandardCharsets.US_ASCII));
        headers.add(SOURCE_OFFSET_HEADER, String.valueOf(record.offset()).getBytes(StandardCharsets.US_ASCII));
        headers.add(REASON_HEADER, letter.reason().getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(settings.deadLetterTopic(), null, null, record.key(),
                letter.withoutValue() ? null : record.value(), headers);
        try {
            deadLetters.send(out, (metadata, e) -> {
                if (e == null) {
                    letter.counts().deadLettered.increment();
                    done(letter.slot());
                } else if (e instanceof RetriableException) {
                    toDeadLetter.add(letter);
                } else {
                    // Kafka refuses this record (too large with our headers, say): keep where and why, not the value.
                    LOG.warn("dead-lettering {} failed ({}); writing it without its value", where, e.toString());
                    toDeadLetter.add(new DeadLetter(record, letter.slot(), letter.counts(), letter.reason()
                            + " (value left out: " + e.getClass().getSimpleName() + ")", true));
                }
            });
        } catch (KafkaException e) {
            LOG.warn("dead-lettering {} failed ({}); trying again", where, e.toString());
            toDeadLetter.add(letter);
        }
    }

    // ------------------------------------------------------------------------------------------------ offsets

    /** Commits, for each partition, the offset after the last record before which every record is done. */
    private void commitDone(boolean now) {
        long nowNanos = System.nanoTime();
        if (!now && nowNanos - lastCommitNanos < COMMIT_INTERVAL_NANOS) {
            return;
        }
        lastCommitNanos = nowNanos;
        commit(advance(partitions.keySet()));
    }

    private Map<TopicPartition, OffsetAndMetadata> advance(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : which) {
            ArrayDeque<Slot> slots = partitions.get(tp);
            if (slots == null) {
                continue;
            }
            long next = -1;
            while (!slots.isEmpty() && slots.peekFirst().done) {
                next = slots.pollFirst().offset + 1;
            }
            if (next >= 0 && !Long.valueOf(next).equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        }
        return offsets;
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, offset) -> committed.put(tp, offset.offset()));
        } catch (WakeupException e) {
            // stop() woke the consumer: commit once more, the wake-up consumed
            commit(offsets);
        } catch (KafkaException e) {
            // The group moved on (this relay lost its partitions): the new owner starts from the last commit.
            LOG.warn("committing offsets failed: {}; the partitions' next owner reads them again", e.toString());
        }
    }

    /** Settles revoked partitions before they move: waits a little for what is in flight, commits what is done. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            long deadline = System.nanoTime() + REVOKE_WAIT.toNanos();
            while (revoked.stream().anyMatch(this::pending) && System.nanoTime() - deadline < 0) {
                work();
                sleep(10);
            }
            commit(advance(revoked));
            forget(revoked);
            if (!revoked.isEmpty()) {
                report.accept("relay: revoked " + names(revoked));
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            joined = true;
            lastActivityNanos = System.nanoTime();
            if (!assigned.isEmpty()) {
                report.accept("relay: assigned " + names(assigned) + "; " + consumer.assignment().size()
                        + " partitions in all");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            report.accept("relay: lost " + names(lost));
        }

        private boolean pending(TopicPartition tp) {
            ArrayDeque<Slot> slots = partitions.get(tp);
            return slots != null && slots.stream().anyMatch(s -> !s.done);
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                partitions.remove(tp);
                committed.remove(tp);
            }
        }
    }

    private static String names(Collection<TopicPartition> partitions) {
        Set<String> names = new TreeSet<>();
        partitions.forEach(tp -> names.add(tp.topic() + "-" + tp.partition()));
        return String.join(", ", names);
    }

    private static int firstInvalidByte(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the consumer (leaving the group) and the dead-letter producer. */
    @Override
    public void close() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } finally {
            deadLetters.close(Duration.ofSeconds(5));
        }
    }
}
