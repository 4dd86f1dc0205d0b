package dev.eventsink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The contract every event sink keeps, as checks that a sink's own test class inherits and can neither override
 * nor switch off: what Micrometer's {@code MeterRegistryCompatibilityKit} is to meter registries. A sink author
 * writes one class that supplies the sink; the kit supplies twelve checks in five groups (discovery and
 * configuration, delivery, concurrency, lifecycle, secrets), each named by the sentence it proves:
 *
 * <pre>{@code
 * class JsonLinesSinkCompatibilityTest extends EventSinkCompatibilityKit {
 *     @TempDir Path dir;
 *
 *     protected EventSinkProvider provider() { return new JsonLinesSinkProvider(); }
 *     protected Map<String, String> validConfiguration() {
 *         return Map.of("UX_EVENT_SINK_PATH", dir.resolve("events.jsonl").toString());
 *     }
 *     protected Map<String, String> invalidConfiguration() { return Map.of(); }   // PATH is required
 *     protected String invalidKey() { return "UX_EVENT_SINK_PATH"; }
 *     protected String apiKey() { return null; }                                   // it takes none
 *     protected Collection<UUID> deliveredEventIds(EventSink sink) throws IOException { ... read the file ... }
 * }
 * }</pre>
 *
 * <p>The checks, the optional hooks, and how the kit keeps its checks as written are described in the
 * {@linkplain dev.eventsink.testkit package documentation}.
 */
@Isolated
@ExtendWith(ChecksRunAsWritten.class)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
public abstract class EventSinkCompatibilityKit {

    /** How many threads send at once in the concurrency check. */
    public static final int THREADS = 8;
    /** How many events each of those threads sends. */
    public static final int EVENTS_PER_THREAD = 50;
    /** The timeout the close check passes to {@link EventSink#close(Duration)}. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);
    /** How much longer than its timeout {@code close} may take, and how long a second close may take. */
    public static final Duration CLOSE_SLACK = Duration.ofSeconds(1);
    /** How long a future may still be pending after {@code flush} returned (a worker completing it). */
    public static final Duration FLUSH_GRACE = Duration.ofMillis(100);

    private static final Pattern LOWERCASE_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern HTTP_CLIENT_SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");
    private static final Pattern COMMON_POOL = Pattern.compile("ForkJoinPool\\.commonPool-worker-\\d+");

    private final List<EventSink> created = new CopyOnWriteArrayList<>();
    private final Set<Thread> kitThreads = ConcurrentHashMap.newKeySet();

    // ------------------------------------------------------------------------------------ what a sink supplies

    /** The provider under test, as its users' code would construct it. */
    protected abstract EventSinkProvider provider();

    /** A configuration the sink starts with: full keys of {@link #channel()}, without {@code TYPE}. */
    protected abstract Map<String, String> validConfiguration();

    /** A configuration the provider must refuse, because of {@link #invalidKey()}. */
    protected abstract Map<String, String> invalidConfiguration();

    /** The full key, such as {@code UX_EVENT_SINK_PATH}, that the refusal of {@link #invalidConfiguration()} names. */
    protected abstract String invalidKey();

    /**
     * The API key that {@link #validConfiguration()} holds, at least 8 characters long, to look for in
     * {@code toString()} and log output; {@code null} when the sink takes no key (both checks are then skipped).
     */
    protected abstract String apiKey();

    /**
     * The ids of the events that reached the backend of {@code sink} so far in this test, in any order, duplicates
     * allowed: the file's lines, the server's records, the in-memory sink's events.
     */
    protected abstract Collection<UUID> deliveredEventIds(EventSink sink) throws Exception;

    /**
     * A configuration whose sink starts but cannot deliver (a wrong credential, a full disk, a backend told to
     * fail), to prove that a delivery problem fails the future instead of throwing; {@code null} when there is
     * none, and that part of the check is skipped.
     */
    protected Map<String, String> failingConfiguration() {
        return null;
    }

    /** The channel whose keys the configurations use. */
    protected Channel channel() {
        return Channel.UX;
    }

    /** Where the provider must be discoverable; the context class loader by default. */
    protected ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : getClass().getClassLoader();
    }

    /** How long the kit waits for futures, flushes and read-backs. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** How long each thread the sink started may take to end after {@code close} returned: 2 seconds. */
    protected Duration threadGrace() {
        return Duration.ofSeconds(2);
    }

    /**
     * Whether a thread still alive after {@code close} is not the sink's. The default ignores
     * {@code HttpClient-<n>-SelectorManager} (JDK 17's {@code HttpClient} keeps it until the client is garbage
     * collected) and the common fork-join pool's workers.
     */
    protected boolean isIgnoredThread(Thread thread) {
        String name = thread.getName();
        return HTTP_CLIENT_SELECTOR.matcher(name).matches() || COMMON_POOL.matcher(name).matches();
    }

    /** The {@code n}th event a check sends: of {@link #channel()}'s type, with a user, a session and a payload. */
    protected Event event(int n) {
        return Event.builder(channel().eventType())
                .userId("kit-user-" + n)
                .sessionId("kit-session")
                .put("check", "compatibility")
                .put("n", n)
                .put("nested", Map.of("ok", true, "items", List.of(1, 2)))
                .build();
    }

    /** Creates a sink with {@link #provider()} on {@link #channel()}; it is closed after the check. */
    protected final EventSink create(Map<String, String> configuration) {
        return create(channel(), configuration);
    }

    private EventSink create(Channel channel, Map<String, String> configuration) {
        EventSink sink = provider().create(SinkConfig.of(channel, configuration));
        if (sink != null) {
            created.add(sink);
        }
        return sink;
    }

    /** Closes every sink a check created, each within {@link #CLOSE_SLACK}; a failing close is the close check's. */
    @AfterEach
    public final void closeSinksCreatedByTheCheck() {
        for (EventSink sink : created) {
            try {
                bounded("close()", sink::close, CLOSE_SLACK.plus(CLOSE_TIMEOUT));
            } catch (AssertionError | RuntimeException ignored) {
                // a sink that cannot close is reported by the close check
            }
        }
        created.clear();
    }

    // ------------------------------------------------------------------------------------------------ checks

    /**
     * Discovery and configuration: {@link ServiceLoader} finds the provider, which creates sinks on both channels
     * and refuses an invalid configuration by naming the key.
     */
    @Nested
    @Order(1)
    @DisplayName("discovery and configuration")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public final class DiscoveryAndConfiguration {

        @Test
        @Order(1)
        @DisplayName("the provider is discoverable through ServiceLoader under its type, and the type is lowercase")
        public void providerIsDiscoverableUnderItsLowercaseType() {
            EventSinkProvider provider = provider();
            Class<?> providerClass = provider.getClass();
            List<EventSinkProvider> found = new ArrayList<>();
            Iterator<EventSinkProvider> it = ServiceLoader.load(EventSinkProvider.class, classLoader()).iterator();
            for (int failures = 0; failures < 100; ) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    found.add(it.next());
                } catch (ServiceConfigurationError otherProviderFailedToLoad) {
                    failures++;
                }
            }
            List<EventSinkProvider> mine = found.stream().filter(p -> p.getClass() == providerClass).toList();
            if (mine.isEmpty()) {
                fail("ServiceLoader finds no " + providerClass.getName() + "; it found "
                        + found.stream().map(p -> p.getClass().getName() + " (" + p.type() + ")").toList()
                        + ". Register the provider: add its class name to META-INF/services/"
                        + EventSinkProvider.class.getName());
            }
            String type = provider.type();
            if (type == null || !LOWERCASE_TYPE.matcher(type).matches()) {
                fail("The type of " + providerClass.getName() + " is " + (type == null ? "null" : "'" + type + "'")
                        + "; it must be a lowercase name such as '"
                        + (type == null ? "mysink" : type.trim().toLowerCase(Locale.ROOT))
                        + "' (letters, digits, . _ -)");
            }
            assertThat(mine.get(0).type()).as("type() of the provider ServiceLoader created").isEqualTo(type);
            List<String> sameType = found.stream().filter(p -> type.equalsIgnoreCase(p.type()))
                    .map(p -> p.getClass().getName()).toList();
            assertThat(sameType).as("providers of type '%s' on the class path", type)
                    .containsExactly(providerClass.getName());

            Map<String, String> configuration = new LinkedHashMap<>(validConfiguration());
            configuration.put(channel().key("TYPE"), type);
            EventSink sink = EventSinkFactory.create(channel(), ConfigSource.fromMap(configuration), classLoader());
            created.add(sink);
            EventSink direct = create(validConfiguration());
            assertThat(sink).as("the sink EventSinkFactory created for %s=%s", channel().key("TYPE"), type)
                    .isInstanceOf(direct.getClass());
        }

        @Test
        @Order(2)
        @DisplayName("create with a valid configuration returns a sink, on either channel")
        public void createWithAValidConfigurationWorks() {
            for (Channel channel : List.of(channel(), other(channel()))) {
                Map<String, String> configuration = onChannel(validConfiguration(), channel);
                EventSink sink;
                try {
                    sink = create(channel, configuration);
                } catch (RuntimeException e) {
                    throw new AssertionError("create() threw for the valid configuration on the " + channel
                            + " channel " + SinkConfig.of(channel, configuration) + ": " + e, e);
                }
                assertThat(sink).as("the sink create() returned on the %s channel", channel).isNotNull();
                assertThat(sink.toString()).as("toString() of the %s sink", channel).isNotNull();
                assertThat(sink.stats()).as("stats() of the %s sink", channel).isNotNull();
            }
        }

        @Test
        @Order(3)
        @DisplayName("an invalid configuration throws ConfigurationException naming the key")
        public void anInvalidConfigurationThrowsConfigurationExceptionNamingTheKey() {
            Map<String, String> configuration = invalidConfiguration();
            String key = invalidKey();
            SinkConfig config = SinkConfig.of(channel(), configuration);
            EventSink sink;
            try {
                sink = create(configuration);
            } catch (ConfigurationException e) {
                if (e.getMessage() == null || !e.getMessage().contains(key)) {
                    fail("create() refused the invalid configuration " + config + " with \"" + e.getMessage()
                            + "\", which does not name " + key);
                }
                return;
            } catch (RuntimeException e) {
                throw new AssertionError("create() threw " + e + " for the invalid configuration " + config
                        + "; it must throw " + ConfigurationException.class.getName() + " naming " + key, e);
            }
            fail("create() accepted the invalid configuration " + config + " and returned " + sink + "; it must throw "
                    + ConfigurationException.class.getName() + " naming " + key);
        }
    }

    /**
     * Delivery: futures complete once events are delivered, delivery problems fail futures instead of throwing,
     * and flush waits.
     */
    @Nested
    @Order(2)
    @DisplayName("delivery")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public final class Delivery {

        @Test
        @Order(1)
        @DisplayName("sendEvent returns a future that completes once the event is delivered")
        public void sendEventReturnsAFutureThatCompletesOnceTheEventIsDelivered() throws Exception {
            EventSink sink = create(validConfiguration());
            Event event = event(1);
            CompletableFuture<Void> future = sink.sendEvent(event);
            assertThat(future).as("the future sendEvent returned").isNotNull();
            awaitSuccess(future, "the future of event " + event.id());
            Collection<UUID> delivered = deliveredEventIds(sink);
            if (!delivered.contains(event.id())) {
                fail("The future of event " + event.id() + " completed, but deliveredEventIds() does not contain it: "
                        + delivered);
            }
        }

        @Test
        @Order(2)
        @DisplayName("sendEvent never throws for a delivery problem: the future fails with a DeliveryException")
        public void sendEventNeverThrowsForADeliveryProblem() {
            EventSink sink = create(validConfiguration());
            CompletableFuture<Void> forNull = send(sink, null, "sendEvent(null)");
            awaitFailure(forNull, "the future of sendEvent(null)", Throwable.class);

            Map<String, String> failing = failingConfiguration();
            if (failing == null) {
                return;
            }
            EventSink broken = create(failing);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(send(broken, event(i), "sendEvent on the sink of failingConfiguration()"));
            }
            for (int i = 0; i < futures.size(); i++) {
                awaitFailure(futures.get(i), "the future of event " + i + " sent to the sink of failingConfiguration()",
                        DeliveryException.class);
            }
        }

        @Test
        @Order(3)
        @DisplayName("flush waits until every event sent before it is delivered")
        public void flushWaitsUntilEveryEventSentBeforeItIsDelivered() throws Exception {
            EventSink sink = create(validConfiguration());
            Map<UUID, CompletableFuture<Void>> futures = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                Event event = event(i);
                futures.put(event.id(), sink.sendEvent(event));
            }
            FlushResult result = sink.flush(timeout());
            long graceEnd = System.nanoTime() + FLUSH_GRACE.toNanos();
            List<UUID> pending = new ArrayList<>();
            Set<UUID> succeeded = new HashSet<>();
            for (Map.Entry<UUID, CompletableFuture<Void>> entry : futures.entrySet()) {
                try {
                    entry.getValue().get(Math.max(0, graceEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
                    succeeded.add(entry.getKey());
                } catch (ExecutionException failed) {
                    // completed: accounted for
                } catch (TimeoutException e) {
                    pending.add(entry.getKey());
                }
            }
            if (!pending.isEmpty()) {
                fail("flush(" + Values.duration(timeout()) + ") returned " + result + " but " + pending.size()
                        + " of the " + futures.size() + " events sent before it were still pending "
                        + FLUSH_GRACE.toMillis() + " ms later");
            }
            assertThat(result).as("what flush(%s) returned", Values.duration(timeout())).isNotNull();
            assertThat(result.isComplete()).as("flush returned %s after every event was delivered", result).isTrue();
            Set<UUID> delivered = new HashSet<>(deliveredEventIds(sink));
            List<UUID> missing = succeeded.stream().filter(id -> !delivered.contains(id)).toList();
            assertThat(missing).as("events delivered before flush returned but missing from deliveredEventIds()")
                    .isEmpty();
        }
    }

    /** Concurrency: events sent from many threads at once all arrive or are accounted for. */
    @Nested
    @Order(3)
    @DisplayName("concurrency")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public final class Concurrency {

        @Test
        @Order(1)
        @DisplayName("concurrent sends from 8 threads all arrive or are accounted for")
        public void concurrentSendsFromEightThreadsAllArriveOrAreAccountedFor() throws Exception {
            EventSink sink = create(validConfiguration());
            Map<UUID, CompletableFuture<Void>> futures = new ConcurrentHashMap<>();
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                            Event event = event(thread * EVENTS_PER_THREAD + i);
                            CompletableFuture<Void> future = sink.sendEvent(event);
                            futures.put(event.id(), future != null ? future
                                    : CompletableFuture.failedFuture(new AssertionError("sendEvent returned null")));
                        }
                    } catch (Throwable e) {
                        thrown.add(e);
                    }
                }, "eventsink-kit-sender-" + t);
                sender.setDaemon(true);
                kitThreads.add(sender);
                senders.add(sender);
                sender.start();
            }
            start.countDown();
            long deadline = System.nanoTime() + timeout().toNanos();
            for (Thread sender : senders) {
                sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            if (!thrown.isEmpty()) {
                throw new AssertionError("sendEvent threw from " + thrown.size() + " of " + THREADS + " threads: "
                        + thrown.get(0), thrown.get(0));
            }
            int total = THREADS * EVENTS_PER_THREAD;
            assertThat(futures).as("futures returned to %s threads", THREADS).hasSize(total);

            Set<UUID> succeeded = new HashSet<>();
            int failed = 0;
            List<UUID> pending = new ArrayList<>();
            for (Map.Entry<UUID, CompletableFuture<Void>> entry : futures.entrySet()) {
                long left = deadline - System.nanoTime();
                try {
                    entry.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS);
                    succeeded.add(entry.getKey());
                } catch (ExecutionException e) {
                    failed++;
                } catch (TimeoutException e) {
                    pending.add(entry.getKey());
                }
            }
            if (!pending.isEmpty()) {
                fail(THREADS + " threads sent " + total + " events; " + pending.size()
                        + " futures did not complete within " + Values.duration(timeout())
                        + ", for example that of " + pending.get(0));
            }
            Collection<UUID> delivered = deliveredEventIds(sink);
            Set<UUID> deliveredSet = new HashSet<>(delivered);
            List<UUID> lost = succeeded.stream().filter(id -> !deliveredSet.contains(id)).toList();
            if (!lost.isEmpty()) {
                fail(THREADS + " threads sent " + total + " events; " + succeeded.size()
                        + " futures completed normally, " + failed + " exceptionally, but " + lost.size()
                        + " of the events whose future completed were not delivered, for example " + lost.get(0));
            }
            List<UUID> unknown = deliveredSet.stream().filter(id -> !futures.containsKey(id)).toList();
            assertThat(unknown).as("delivered events that were never sent").isEmpty();

            bounded("close()", sink::close, CLOSE_TIMEOUT.plus(CLOSE_SLACK).plus(timeout()));
            SinkStats stats = sink.stats();
            if (stats != null && stats.accepted() > 0) {
                assertThat(stats.accepted()).as("stats().accepted() after %s sends: %s", total, stats).isEqualTo(total);
                assertThat(stats.delivered() + stats.failedTotal() + stats.droppedTotal() + stats.pending())
                        .as("delivered + failed + dropped + pending in stats() after close: %s", stats)
                        .isEqualTo(total);
            }
        }
    }

    /** Lifecycle: close is idempotent and bounded, later sends fail, and no thread of the sink outlives it. */
    @Nested
    @Order(4)
    @DisplayName("lifecycle")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public final class Lifecycle {

        @Test
        @Order(1)
        @DisplayName("close is idempotent and bounded in time")
        public void closeIsIdempotentAndBoundedInTime() {
            EventSink sink = create(validConfiguration());
            for (int i = 0; i < 5; i++) {
                send(sink, event(i), "sendEvent");
            }
            String first = "close(" + Values.duration(CLOSE_TIMEOUT) + ")";
            bounded(first, () -> sink.close(CLOSE_TIMEOUT), CLOSE_TIMEOUT.plus(CLOSE_SLACK));
            bounded("close() after " + first, sink::close, CLOSE_SLACK);
            bounded("a second " + first, () -> sink.close(CLOSE_TIMEOUT), CLOSE_SLACK);
        }

        @Test
        @Order(2)
        @DisplayName("sending after close fails the future")
        public void sendingAfterCloseFailsTheFuture() throws Exception {
            EventSink sink = create(validConfiguration());
            bounded("close()", sink::close, CLOSE_TIMEOUT.plus(CLOSE_SLACK));
            Event event = event(1);
            CompletableFuture<Void> future = send(sink, event, "sendEvent after close()");
            awaitFailure(future, "the future of an event sent after close()", DeliveryException.class);
            assertThat(deliveredEventIds(sink)).as("events delivered, after one was sent to the closed sink")
                    .doesNotContain(event.id());
        }

        @Test
        @Order(3)
        @DisplayName("no thread of the sink survives close")
        public void noThreadOfTheSinkSurvivesClose() throws InterruptedException {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            EventSink sink = create(validConfiguration());
            for (int i = 0; i < 20; i++) {
                send(sink, event(i), "sendEvent");
            }
            sink.flush(timeout());
            bounded("close()", sink::close, CLOSE_TIMEOUT.plus(CLOSE_SLACK).plus(timeout()));

            List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && !kitThreads.contains(t) && !isIgnoredThread(t))
                    .toList();
            Duration grace = threadGrace();
            long deadline = System.nanoTime() + grace.toNanos();
            for (Thread thread : started) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            List<String> alive = started.stream().filter(Thread::isAlive)
                    .map(t -> t.getName() + " (" + (t.isDaemon() ? "daemon, " : "") + t.getState() + ")")
                    .sorted()
                    .toList();
            if (!alive.isEmpty()) {
                fail(Values.count(alive.size(), "thread") + " that started with the sink "
                        + (alive.size() == 1 ? "is" : "are") + " still alive " + Values.duration(grace)
                        + " after close() returned: " + alive);
            }
        }
    }

    /** Secrets: the API key appears neither in {@code toString()} nor in log output. */
    @Nested
    @Order(5)
    @DisplayName("secrets")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public final class Secrets {

        @Test
        @Order(1)
        @DisplayName("the API key is absent from toString()")
        public void theApiKeyIsAbsentFromToString() {
            String key = checkedApiKey();
            EventSink sink = create(validConfiguration());
            assertNoKey(String.valueOf(sink), key, "toString() of the new sink");
            send(sink, event(1), "sendEvent");
            sink.flush(timeout());
            assertNoKey(String.valueOf(sink), key, "toString() of the sink after sending");
            sink.close();
            assertNoKey(String.valueOf(sink), key, "toString() of the closed sink");
            assertNoKey(String.valueOf(provider()), key, "toString() of the provider");
        }

        @Test
        @Order(2)
        @DisplayName("the API key is absent from log output")
        public void theApiKeyIsAbsentFromLogOutput() {
            String key = checkedApiKey();
            LogbackCapture capture = LogbackCapture.startIfAvailable();
            Assumptions.assumeTrue(capture != null, "log output is captured only when logback-classic is the SLF4J "
                    + "binding on the test class path; add ch.qos.logback:logback-classic as a test dependency");
            List<String> lines;
            try {
                exercise(validConfiguration());
                Map<String, String> failing = failingConfiguration();
                if (failing != null) {
                    exercise(failing);
                }
                try {
                    create(invalidConfiguration());
                } catch (RuntimeException expected) {
                    // only what it logged matters here
                }
            } finally {
                lines = capture.lines();
                capture.close();
            }
            String base64 = base64(key);
            List<String> leaks = lines.stream().filter(line -> line.contains(key) || line.contains(base64))
                    .map(line -> mask(line, key))
                    .toList();
            if (!leaks.isEmpty()) {
                fail("The API key appears in " + Values.count(leaks.size(), "log line") + " of " + lines.size()
                        + " captured (shown here as <API key>):\n  " + String.join("\n  ", leaks));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Creates a sink, sends to it, flushes and closes it, never failing: only what it logs matters. */
    private void exercise(Map<String, String> configuration) {
        EventSink sink;
        try {
            sink = create(configuration);
        } catch (RuntimeException e) {
            return;
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try {
                futures.add(sink.sendEvent(event(i)));
            } catch (RuntimeException ignored) {
                // the delivery check reports it
            }
        }
        try {
            sink.flush(timeout());
            for (CompletableFuture<Void> future : futures) {
                if (future != null) {
                    future.handle((ok, e) -> null).get(timeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (Exception ignored) {
            // other checks report it
        }
        try {
            bounded("close()", sink::close, CLOSE_TIMEOUT.plus(CLOSE_SLACK));
        } catch (AssertionError | RuntimeException ignored) {
            // the close check reports it
        }
    }

    private String checkedApiKey() {
        String key = apiKey();
        Assumptions.assumeTrue(key != null, "the sink takes no API key");
        assertThat(key.length()).as("length of apiKey(); use one of at least 8 characters, so that finding it "
                + "in output means it leaked").isGreaterThanOrEqualTo(8);
        assertThat(validConfiguration()).as("validConfiguration(), which must hold apiKey()").containsValue(key);
        return key;
    }

    private static void assertNoKey(String text, String key, String what) {
        if (text.contains(key) || text.contains(base64(key))) {
            fail(what + " shows the API key (here as <API key>): " + mask(text, key));
        }
    }

    private static String base64(String key) {
        return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String mask(String text, String key) {
        return text.replace(key, "<API key>").replace(base64(key), "<API key in base64>");
    }

    private static CompletableFuture<Void> send(EventSink sink, Event event, String what) {
        CompletableFuture<Void> future;
        try {
            future = sink.sendEvent(event);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e + "; it must return a future that fails instead", e);
        }
        if (future == null) {
            fail(what + " returned null instead of a future");
        }
        return future;
    }

    private void awaitSuccess(CompletableFuture<Void> future, String what) throws InterruptedException {
        try {
            future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed with " + e.getCause() + "; it must complete normally once the"
                    + " event is delivered", e.getCause());
        } catch (TimeoutException e) {
            fail(what + " did not complete within " + Values.duration(timeout()));
        }
    }

    private void awaitFailure(CompletableFuture<Void> future, String what, Class<? extends Throwable> expected) {
        try {
            future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
            fail(what + " completed normally; it must fail" + (expected == Throwable.class ? ""
                    : " with a " + expected.getName()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (!expected.isInstance(cause)) {
                throw new AssertionError(what + " failed with " + cause + "; it must fail with a "
                        + expected.getName(), cause);
            }
        } catch (TimeoutException e) {
            fail(what + " did not complete within " + Values.duration(timeout()) + "; it must fail");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /** Runs {@code action} on a thread of the kit, failing when it throws or does not return within {@code bound}. */
    private void bounded(String what, Runnable action, Duration bound) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "eventsink-kit-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
        thread.setDaemon(true);
        kitThreads.add(thread);
        thread.start();
        try {
            done.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            fail(what + " did not return within " + Values.duration(bound));
        } catch (ExecutionException e) {
            throw new AssertionError(what + " threw " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    private static Channel other(Channel channel) {
        return channel == Channel.UX ? Channel.SIM : Channel.UX;
    }

    /** The configuration with {@link #channel()}'s prefix replaced by {@code channel}'s. */
    private Map<String, String> onChannel(Map<String, String> configuration, Channel channel) {
        String from = channel().prefix();
        return configuration.entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey().startsWith(from) ? channel.prefix() + e.getKey().substring(from.length()) : e.getKey(),
                Map.Entry::getValue, (a, b) -> b, LinkedHashMap::new));
    }
}
