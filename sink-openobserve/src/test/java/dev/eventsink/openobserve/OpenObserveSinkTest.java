package dev.eventsink.openobserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.DeliveryException;
import dev.eventsink.Event;
import dev.eventsink.EventSink;
import dev.eventsink.EventTracker;
import dev.eventsink.FlushResult;
import dev.eventsink.SinkStats;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.export.ExportResult;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import dev.eventsink.openobserve.server.ReceivedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The openobserve sink against the testkit's OpenObserve-compatible server. */
class OpenObserveSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private OpenObserveServer server;
    private final List<EventSink> sinks = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = OpenObserveServer.start();
    }

    @AfterEach
    void stop() {
        sinks.forEach(sink -> sink.close(Duration.ofSeconds(2)));
        server.close();
    }

    private Map<String, String> config(String... extra) {
        Map<String, String> keys = new HashMap<>();
        keys.put("UX_EVENT_SINK_TYPE", "openobserve");
        keys.put("UX_EVENT_SINK_URL", server.url());
        keys.put("UX_EVENT_SINK_API_KEY", server.email() + ":" + server.password());
        keys.put("UX_EVENT_SINK_LINGER", "20ms");
        keys.put("UX_EVENT_SINK_RETRY_INITIAL_BACKOFF", "10ms");
        keys.put("UX_EVENT_SINK_RETRY_MAX_BACKOFF", "50ms");
        for (int i = 0; i < extra.length; i += 2) {
            keys.put("UX_EVENT_SINK_" + extra[i], extra[i + 1]);
        }
        return keys;
    }

    private OpenObserveExporter exporter(java.time.Clock clock) {
        dev.eventsink.spi.ConfigReader reader = SinkConfig.of(Channel.UX, config()).reader();
        OpenObserveSettings settings = OpenObserveSettings.read(reader);
        assertThat(reader.problems()).isEmpty();
        OpenObserveExporter exporter = new OpenObserveExporter(settings, clock, "ux-test", "UX_EVENT_SINK_API_KEY",
                "UX_EVENT_SINK_TIMESTAMP_MODE", "UX_EVENT_SINK_REQUEST_TIMEOUT");
        sinks.add(new EventSink() {
            @Override
            public CompletableFuture<Void> sendEvent(Event event) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                exporter.close();
            }
        });
        return exporter;
    }

    private EventSink sink(String... extra) {
        EventSink sink = new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, config(extra)));
        sinks.add(sink);
        return sink;
    }

    private static Event click(int n) {
        return Event.uxAction().userId("u" + n).sessionId("s1").put("button", "buy").put("n", n).build();
    }

    /** Waits for a condition, checking every few milliseconds, for at most {@link #WAIT}. */
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition met within %s", WAIT).isNegative();
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        assertThat(future).failsWithin(WAIT);
        try {
            future.get();
            throw new AssertionError("future did not fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFailure(CompletableFuture<Void> future, DeliveryException.Outcome outcome, String reason) {
        Throwable cause = failure(future);
        assertThat(cause).isInstanceOf(DeliveryException.class);
        assertThat(((DeliveryException) cause).outcome()).isEqualTo(outcome);
        assertThat(((DeliveryException) cause).reason()).isEqualTo(reason);
    }

    @Nested
    class RecordMapping {

        @Test
        void storesEachEventInTheDocumentedShape() {
            EventSink sink = sink();
            Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(123);
            Event event = Event.uxAction().timestamp(time).userId("u1").sessionId("s1")
                    .put("button", "buy").put("cart", Map.of("items", 3)).put("tags", List.of("a", "b"))
                    .build();

            assertThat(sink.sendEvent(event)).succeedsWithin(WAIT);

            assertThat(server.records("ux_events")).containsExactly(Map.of(
                    "_timestamp", time.toEpochMilli() * 1000,
                    "event_id", event.id().toString(),
                    "event_type", "ux_action",
                    "event_time", time.toString(),
                    "user_id", "u1",
                    "session_id", "s1",
                    "payload_button", "buy",
                    "payload_cart_items", 3L,
                    "payload_tags", "[\"a\",\"b\"]"));
        }

        @Test
        void leavesOutAbsentUserAndSession() {
            EventSink sink = sink();
            Event event = Event.simulationEvent().put("tick", 1).build();

            assertThat(sink.sendEvent(event)).succeedsWithin(WAIT);

            assertThat(server.records("ux_events").get(0))
                    .doesNotContainKeys("user_id", "session_id")
                    .containsEntry("event_type", "simulation_event")
                    .containsEntry("payload_tick", 1L);
        }

        @Test
        void postsGzipToTheJsonEndpointOfTheConfiguredOrgAndStream() {
            EventSink sink = sink("ORG", "acme", "STREAM", "clicks");

            assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);

            ReceivedRequest request = server.ingestRequests().get(0);
            assertThat(request.path()).isEqualTo("/api/acme/clicks/_json");
            assertThat(request.contentEncoding()).isEqualTo("gzip");
            assertThat(server.recordCount("acme", "clicks")).isEqualTo(1);
        }

        @Test
        void sendsPlainJsonWhenCompressionIsNone() {
            EventSink sink = sink("COMPRESSION", "none");

            assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);

            assertThat(server.ingestRequests().get(0).contentEncoding()).isNull();
            assertThat(server.recordCount("ux_events")).isEqualTo(1);
        }

        @Test
        void ingestionModeKeepsOldEventsWithTheirTimeInEventTime() {
            EventSink sink = sink("TIMESTAMP_MODE", "ingestion");
            Instant sixHoursAgo = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS).plusMillis(7);
            Instant before = Instant.now();

            assertThat(sink.sendEvent(Event.simulationEvent().timestamp(sixHoursAgo).build())).succeedsWithin(WAIT);

            Map<String, Object> stored = server.records("ux_events").get(0);
            assertThat(stored).containsEntry("event_time", sixHoursAgo.toString());
            assertThat((Long) stored.get("_timestamp")).isGreaterThanOrEqualTo(before.toEpochMilli() * 1000 - 1000);
        }

        @Test
        void aStreamNameOpenObserveRewritesIsUsedWithAWarning() {
            Logger logger = (Logger) LoggerFactory.getLogger(OpenObserveSettings.class);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.WARN);
            logger.setAdditive(false);
            try {
                EventSink sink = sink("STREAM", "My Clicks!");
                assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);
            } finally {
                logger.detachAppender(appender);
                logger.setLevel(null);
                logger.setAdditive(true);
            }
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "UX_EVENT_SINK_STREAM='My Clicks!' is not a name OpenObserve keeps as it is: it will store the"
                            + " events in stream 'my_clicks_'. Set UX_EVENT_SINK_STREAM=my_clicks_ to query it by the"
                            + " name you configured.");
            assertThat(server.recordCount("my_clicks_")).isEqualTo(1);
        }
    }

    @Nested
    class Credentials {

        @Test
        void acceptsEmailAndPasscode() {
            EventSink sink = sink("API_KEY", server.email() + ":" + server.password());
            assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);
        }

        @Test
        void acceptsTheReadyBase64Credential() {
            String base64 = Base64.getEncoder().encodeToString(
                    (server.email() + ":" + server.password()).getBytes(StandardCharsets.UTF_8));
            assertThat(sink("API_KEY", base64).sendEvent(click(1))).succeedsWithin(WAIT);
            assertThat(sink("API_KEY", "Basic " + base64).sendEvent(click(2))).succeedsWithin(WAIT);
            assertThat(server.recordCount("ux_events")).isEqualTo(2);
        }

        @Test
        void wrongCredentialsFailFastWithWhatOpenObserveExpectsAndNoRetry() {
            EventSink sink = sink("API_KEY", server.email() + ":wrong");
            long start = System.nanoTime();

            CompletableFuture<Void> future = sink.sendEvent(click(1));

            assertFailure(future, DeliveryException.Outcome.REJECTED, "OpenObserve answered 401 Unauthorized Access:"
                    + " it did not accept the credential in UX_EVENT_SINK_API_KEY. It expects Basic auth from"
                    + " 'email:passcode' (the user's password or ingestion passcode) or the base64 of it; Bearer"
                    + " tokens are not accepted");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(server.ingestRequests()).hasSize(1);
            assertThat(sink.stats().retried()).isZero();
        }

        @Test
        void forbiddenFailsWithoutRetry() {
            server.faults().always(Fault.error(403, "Forbidden"));
            EventSink sink = sink();

            assertFailure(sink.sendEvent(click(1)), DeliveryException.Outcome.REJECTED,
                    "OpenObserve answered 403 Forbidden: the user of UX_EVENT_SINK_API_KEY may not ingest into"
                            + " organization 'default'");
            assertThat(server.ingestRequests()).hasSize(1);
        }

        @Test
        void theApiKeyAppearsInNeitherToStringNorErrors() {
            EventSink sink = sink("API_KEY", server.email() + ":wrong-secret");
            Throwable cause = failure(sink.sendEvent(click(1)));

            assertThat(sink.toString()).doesNotContain("wrong-secret").contains("auth=Basic ****");
            assertThat(cause.getMessage()).doesNotContain("wrong-secret");
        }
    }

    @Nested
    class Configuration {

        private ConfigurationException createFails(Map<String, String> keys) {
            return org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                    () -> new OpenObserveSinkProvider().create(SinkConfig.of(Channel.UX, keys)));
        }

        @Test
        void missingUrlAndKeyAreReportedTogether() {
            ConfigurationException e = createFails(Map.of("UX_EVENT_SINK_TYPE", "openobserve"));

            assertThat(e.keys()).containsExactly("UX_EVENT_SINK_URL", "UX_EVENT_SINK_API_KEY");
            assertThat(e).hasMessage("2 configuration problems:" + System.lineSeparator()
                    + "  - UX_EVENT_SINK_URL is required: the OpenObserve base URL, such as http://localhost:5080"
                    + System.lineSeparator()
                    + "  - UX_EVENT_SINK_API_KEY is required: 'email:passcode' (as for curl -u) or the base64 Basic"
                    + " credential OpenObserve shows");
        }

        @Test
        void aSpoolDirWithoutASpoolImplementationFailsTheStartSayingWhatToAdd() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_SPOOL_DIR", "/var/spool/app");

            assertThat(createFails(keys)).hasMessage("ux-openobserve: SPOOL_DIR is set (" + Path.of("/var/spool/app/ux")
                    + ") but no spool implementation is on the class path: add the jar of one (it registers a"
                    + " dev.eventsink.export.SpoolProvider), or unset SPOOL_DIR");
        }

        @Test
        void overflowDropOldestWithASpoolIsRejectedNamingTheAllowedPolicies() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_SPOOL_DIR", "/var/spool/app");
            keys.put("UX_EVENT_SINK_OVERFLOW", "drop_oldest");

            assertThat(createFails(keys)).hasMessage("UX_EVENT_SINK_OVERFLOW='drop_oldest' cannot be used with"
                    + " UX_EVENT_SINK_SPOOL_DIR: events on disk are never dropped to make room; allowed with a spool:"
                    + " drop_newest, block");
        }

        @Test
        void aUrlWithAnApiPathIsRejectedWithTheBaseUrlToUse() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_URL", "http://localhost:5080/api/default/ux_events/_json");

            assertThat(createFails(keys)).hasMessage("UX_EVENT_SINK_URL='http://localhost:5080/api/default/ux_events/_json'"
                    + " points at an API path; allowed: the server's base URL, here http://localhost:5080, with the"
                    + " organization in UX_EVENT_SINK_ORG and the stream in UX_EVENT_SINK_STREAM");
        }

        @Test
        void aBearerTokenIsRejectedWithoutShowingIt() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_API_KEY", "Bearer abc.def");

            assertThat(createFails(keys)).hasMessage("UX_EVENT_SINK_API_KEY='****' is a Bearer token, which OpenObserve"
                    + " does not accept (it takes Basic auth only); allowed: 'email:passcode' (as for curl -u), or the"
                    + " base64 Basic credential OpenObserve shows (its BASIC_PASSCODE)");
        }

        @Test
        void aKeyOfNeitherFormIsRejected() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_API_KEY", "justapassword");

            assertThat(createFails(keys)).hasMessage("UX_EVENT_SINK_API_KEY='****' is neither 'email:passcode' nor a"
                    + " base64 Basic credential; allowed: 'email:passcode' (as for curl -u), or the base64 Basic"
                    + " credential OpenObserve shows (its BASIC_PASSCODE)");
        }

        @Test
        void aStreamWithALineBreakIsAConfigurationErrorThatForgesNoLogLine() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_STREAM", "ux_events\n2026-12-01 INFO forged line");

            assertThat(createFails(keys)).hasMessage("UX_EVENT_SINK_STREAM='ux_events\\n2026-12-01 INFO forged line'"
                    + " contains a control character (such as CR or LF); allowed: printable characters only");
        }

        @Test
        void anApiKeyWithALineBreakIsAConfigurationErrorThatShowsNoSecret() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_API_KEY", "root@example.com:secret\r\nX-Injected: 1");

            ConfigurationException e = createFails(keys);

            assertThat(e).hasMessage("UX_EVENT_SINK_API_KEY='****' contains a control character (such as CR or LF);"
                    + " allowed: printable characters only");
        }

        @Test
        void badUrlOrgAndPipelineKeysAreAllReported() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_URL", "ftp://example.org");
            keys.put("UX_EVENT_SINK_ORG", "my org");
            keys.put("UX_EVENT_SINK_BATCH_SIZE", "0");

            ConfigurationException e = createFails(keys);

            assertThat(e.keys()).containsExactly("UX_EVENT_SINK_URL", "UX_EVENT_SINK_ORG", "UX_EVENT_SINK_BATCH_SIZE");
        }

        @Test
        void urlCredentialsAreRefused() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_URL", "http://root:secret@localhost:5080");

            ConfigurationException e = createFails(keys);

            assertThat(e).hasMessage("UX_EVENT_SINK_URL must not contain credentials; put them in UX_EVENT_SINK_API_KEY");
        }

        @Test
        void credentialsInAUrlThatDoesNotParseAreMaskedInTheMessage() {
            Map<String, String> keys = config();
            keys.put("UX_EVENT_SINK_URL", "http://root@example.com:Complexpass@localhost:5080");

            ConfigurationException e = createFails(keys);

            assertThat(e).hasMessage("UX_EVENT_SINK_URL='http://****@localhost:5080' is not an http(s) URL with a"
                    + " host; allowed: http:// or https:// base URL such as http://localhost:5080");
            assertThat(SinkConfig.of(Channel.UX, keys).toString()).doesNotContain("Complexpass");
        }

        @Test
        void aBaseUrlWithATrailingSlashOrAPrefixPathWorks() {
            EventSink sink = sink("URL", server.url() + "/");
            assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);
            assertThat(server.ingestRequests().get(0).path()).isEqualTo("/api/default/ux_events/_json");
        }
    }

    @Nested
    class PartialFailures {

        @Test
        void aTooOldEventFailsWithOpenObservesMessageAndTheOthersAreDelivered() {
            EventSink sink = sink("LINGER", "1m", "BATCH_SIZE", "3");
            Event old = Event.uxAction().timestamp(Instant.now().minus(Duration.ofHours(6))).build();

            CompletableFuture<Void> first = sink.sendEvent(click(1));
            CompletableFuture<Void> tooOld = sink.sendEvent(old);
            CompletableFuture<Void> third = sink.sendEvent(click(3));

            assertThat(first).succeedsWithin(WAIT);
            assertThat(third).succeedsWithin(WAIT);
            assertFailure(tooOld, DeliveryException.Outcome.REJECTED, "Too old data, only last 5 hours data can be"
                    + " ingested. Data discarded. You can adjust ingestion max time by setting the environment variable"
                    + " ZO_INGEST_ALLOWED_UPTO=<max_hours>");
            assertThat(server.ingestRequests()).hasSize(1);
            assertThat(server.records("ux_events")).extracting(r -> r.get("user_id")).containsExactly("u1", "u3");
            SinkStats stats = sink.stats();
            assertThat(stats.delivered()).isEqualTo(2);
            assertThat(stats.failed()).containsOnlyKeys(((DeliveryException) failure(tooOld)).reason());
        }

        @Test
        void aTypeConflictIsIsolatedAndFailsWithOpenObservesMessage() {
            EventSink sink = sink("LINGER", "1m", "BATCH_SIZE", "4");
            CompletableFuture<Void> establishesTheColumnType = sink.sendEvent(Event.uxAction().put("n", 1).build());
            assertThat(sink.flush(WAIT).isComplete()).isTrue();
            assertThat(establishesTheColumnType).isCompleted();

            List<CompletableFuture<Void>> good = new ArrayList<>();
            good.add(sink.sendEvent(Event.uxAction().put("n", 2).build()));
            CompletableFuture<Void> bad = sink.sendEvent(Event.uxAction().put("n", "not a number").build());
            good.add(sink.sendEvent(Event.uxAction().put("n", 4).build()));
            good.add(sink.sendEvent(Event.uxAction().put("n", 5).build()));

            good.forEach(f -> assertThat(f).succeedsWithin(WAIT));
            assertFailure(bad, DeliveryException.Outcome.REJECTED, "Failed to cast payload_n to type Int64 ");
            assertThat(server.records("ux_events")).extracting(r -> r.get("payload_n")).contains(1L, 2L, 4L, 5L);
        }

        @Test
        void recordsOpenObserveSilentlyLostCountAsFailedNotDelivered() {
            server.faults().next(Fault.silentLoss());
            EventSink sink = sink("LINGER", "1m", "BATCH_SIZE", "2");

            CompletableFuture<Void> a = sink.sendEvent(click(1));
            CompletableFuture<Void> b = sink.sendEvent(click(2));

            String reason = "OpenObserve stored none of the records of the request and reported no error; the"
                    + " batch's fields probably exceed OpenObserve's column limit (ZO_COLS_PER_RECORD_LIMIT, 1000 by"
                    + " default)";
            assertFailure(a, DeliveryException.Outcome.REJECTED, reason);
            assertFailure(b, DeliveryException.Outcome.REJECTED, reason);
            assertThat(sink.stats().delivered()).isZero();
            assertThat(sink.stats().failed()).containsExactly(entry(reason, 2L));
        }

        @Test
        void aWholeRequest400IsSplitUntilTheRestIsDelivered() {
            server.faults().next(Fault.error(400, "stream is being deleted"));
            EventSink sink = sink("LINGER", "1m", "BATCH_SIZE", "4");

            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(sink.sendEvent(click(i)));
            }

            futures.forEach(f -> assertThat(f).succeedsWithin(WAIT));
            assertThat(server.ingestRequests()).extracting(ReceivedRequest::status).containsExactly(400, 200, 200);
            assertThat(server.ingestRequests()).extracting(ReceivedRequest::successful).containsExactly(0, 2, 2);
            assertThat(server.recordCount("ux_events")).isEqualTo(4);
        }

        @Test
        void aSingleEventTooLargeForThePayloadLimitFailsWithTheServersMessage() {
            server.close();
            server = OpenObserveServer.builder().payloadLimitBytes(2_000).start();
            EventSink sink = sink("LINGER", "1m", "BATCH_SIZE", "2", "COMPRESSION", "none");

            CompletableFuture<Void> small = sink.sendEvent(click(1));
            CompletableFuture<Void> big = sink.sendEvent(Event.uxAction().put("blob", "x".repeat(5_000)).build());

            assertThat(small).succeedsWithin(WAIT);
            Throwable cause = failure(big);
            assertThat(((DeliveryException) cause).outcome()).isEqualTo(DeliveryException.Outcome.REJECTED);
            assertThat(((DeliveryException) cause).reason()).startsWith("OpenObserve answered 413: ");
        }
    }

    @Nested
    class Retries {

        @Test
        void afterThreeOverloadedAnswersEveryEventIsDelivered() {
            server.faults().next(3, Fault.memoryTableOverflow());
            EventSink sink = sink("LINGER", "1m", "BATCH_SIZE", "5");

            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(sink.sendEvent(click(i)));
            }

            futures.forEach(f -> assertThat(f).succeedsWithin(WAIT));
            assertThat(server.ingestRequests()).extracting(ReceivedRequest::status).containsExactly(503, 503, 503, 200);
            assertThat(server.recordCount("ux_events")).isEqualTo(5);
            assertThat(sink.stats().retried()).isEqualTo(3);
        }

        /** Sends one event through a 429 answer; returns the time between the 429 and the retry. */
        private Duration retryGapAfter(Fault tooManyRequests, String maxBackoff) throws InterruptedException {
            server.faults().next(tooManyRequests);
            EventSink sink = sink("RETRY_MAX_BACKOFF", maxBackoff);

            assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);

            assertThat(server.awaitRequests(2, WAIT)).isTrue();
            List<ReceivedRequest> requests = server.ingestRequests();
            assertThat(requests).extracting(ReceivedRequest::status).containsExactly(429, 200);
            return Duration.ofNanos(requests.get(1).arrivalNanos() - requests.get(0).arrivalNanos());
        }

        @Test
        void retryAfterIsRespected() throws InterruptedException {
            assertThat(retryGapAfter(Fault.tooManyRequests(Duration.ofSeconds(1)), "5s"))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }

        @Test
        void retryAfterAsAnHttpDateIsReadAgainstTheSinksClock() throws InterruptedException {
            Instant now = Instant.parse("2026-11-28T12:00:00Z");
            server.faults().next(Fault.tooManyRequests(now.plusSeconds(7)));
            OpenObserveExporter exporter = exporter(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));

            ExportResult result = exporter.export(dev.eventsink.export.EventBatch.of(List.of(click(1))));

            assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(result.reason()).startsWith("OpenObserve answered 429: ");
        }

        @Test
        void retryAfterIsCappedByTheMaxBackoff() throws InterruptedException {
            assertThat(retryGapAfter(Fault.tooManyRequests(Duration.ofSeconds(60)), "300ms"))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300))
                    .isLessThan(Duration.ofSeconds(5));
        }

        @Test
        void connectionResetsAreSurvived() {
            server.faults().next(2, Fault.dropConnection());
            EventSink sink = sink();

            assertThat(sink.sendEvent(click(1))).succeedsWithin(WAIT);

            assertThat(server.ingestRequests()).extracting(ReceivedRequest::dropped).containsExactly(true, true, false);
            assertThat(server.recordCount("ux_events")).isEqualTo(1);
        }

        @Test
        void anUnreachableServerIsRetriedUntilTheDeadlineThenFails() {
            String url = server.url();
            server.close();
            EventSink sink = sink("URL", url, "RETRY_DEADLINE", "300ms", "CONNECT_TIMEOUT", "200ms");

            Throwable cause = failure(sink.sendEvent(click(1)));

            assertThat(((DeliveryException) cause).outcome()).isEqualTo(DeliveryException.Outcome.UNDELIVERED);
            assertThat(((DeliveryException) cause).reason()).startsWith("not delivered within RETRY_DEADLINE 300ms;"
                    + " last error: cannot reach OpenObserve at " + url + ": ConnectException");
        }

        @Test
        void closeDuringAnOutageReturnsWithinItsTimeoutAndReportsTheUndelivered() throws InterruptedException {
            server.faults().always(Fault.memoryTableOverflow());
            EventSink sink = sink("BATCH_SIZE", "10");
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(sink.sendEvent(click(i)));
            }
            long start = System.nanoTime();

            FlushResult result = sink.close(Duration.ofMillis(500));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
            assertThat(result.undelivered()).isEqualTo(50);
            futures.forEach(f -> assertFailure(f, DeliveryException.Outcome.UNDELIVERED, "sink closed before delivery"));
            assertThat(sink.stats().failed()).containsExactly(entry("sink closed before delivery", 50L));
            // close interrupted the workers stuck in backoff; they end as soon as they are scheduled
            await(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("eventsink-ux-openobserve")));
        }
    }

    @Nested
    class HttpClientLifecycle {

        @Test
        void sinksCreatedAndClosedLeaveNoHttpClientThreadBehind() throws InterruptedException {
            java.util.Set<Thread> before = httpClientThreads();
            for (int i = 0; i < 3; i++) {
                EventSink sink = sink();
                assertThat(sink.sendEvent(click(i))).succeedsWithin(WAIT);
                sink.close(Duration.ofSeconds(2));
            }

            // Java 21 and later: gone when close returns. Java 17: gone once the closed sink's client is collected.
            await(() -> {
                System.gc();
                java.util.Set<Thread> left = httpClientThreads();
                left.removeAll(before);
                return left.isEmpty();
            });
        }

        private java.util.Set<Thread> httpClientThreads() {
            java.util.Set<Thread> threads = new java.util.HashSet<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.isAlive() && thread.getName().startsWith("HttpClient-")) {
                    threads.add(thread);
                }
            }
            return threads;
        }
    }

    @Nested
    class Volume {

        @Test
        void queueOverflowDropsAreCounted() throws InterruptedException {
            server.faults().next(Fault.delay(Duration.ofSeconds(1)));
            EventSink sink = sink("QUEUE_CAPACITY", "10", "BATCH_SIZE", "10", "LINGER", "1m", "EXPORT_THREADS", "1");
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(sink.sendEvent(click(i)));
            }
            // The worker holds those 10 in a request the server answers only after a second: the queue is empty.
            await(() -> sink.stats().inFlight() == 10 && sink.stats().queued() == 0);
            for (int i = 10; i < 100; i++) {
                futures.add(sink.sendEvent(click(i)));
            }

            assertThat(sink.stats().dropped()).containsExactly(entry("queue full (drop_newest)", 80L));
            assertThat(sink.flush(WAIT).isComplete()).isTrue();
            assertThat(futures.subList(0, 20)).allSatisfy(f -> assertThat(f).isCompleted());
            futures.subList(20, 100).forEach(f ->
                    assertFailure(f, DeliveryException.Outcome.DROPPED, "queue full (drop_newest)"));
            assertThat(server.recordCount("ux_events")).isEqualTo(20);
        }

        @Test
        void batchBytesBoundsEveryRequestWhateverThePayloadHolds() throws Exception {
            // Control characters cost 6 bytes escaped, CJK 3 in UTF-8, a surrogate pair 12, a BigInteger its digits.
            EventSink sink = sink("COMPRESSION", "none", "BATCH_BYTES", "64KiB", "BATCH_SIZE", "100000",
                    "LINGER", "1m", "QUEUE_CAPACITY", "100000");
            String hostile = "\u0001\u0002\u001f".repeat(40) + "漢字".repeat(40) + "😀".repeat(20);
            java.math.BigInteger big = java.math.BigInteger.TEN.pow(300);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                futures.add(sink.sendEvent(Event.uxAction().put("text", hostile).put("big", big).put("i", i).build()));
            }

            assertThat(sink.flush(WAIT).isComplete()).isTrue();
            assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
            assertThat(server.recordCount("ux_events")).isEqualTo(2_000);
            List<ReceivedRequest> requests = server.ingestRequests();
            assertThat(requests).hasSizeGreaterThan(10)
                    .allSatisfy(r -> assertThat(r.bodyBytes()).as("request body bytes").isLessThanOrEqualTo(64 * 1024));
        }

        @Test
        void tenProducersOfTenThousandEventsAreAllAccountedFor() throws Exception {
            EventSink sink = sink("LINGER", "5ms");
            int producers = 10;
            int perProducer = 10_000;
            AtomicLong delivered = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            CountDownLatch done = new CountDownLatch(producers * perProducer);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        sink.sendEvent(Event.uxAction().userId("p" + producer).put("i", i).build())
                                .whenComplete((ok, error) -> {
                                    (error == null ? delivered : failed).incrementAndGet();
                                    done.countDown();
                                });
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            SinkStats stats = sink.stats();
            assertThat(stats.accepted()).isEqualTo(100_000);
            assertThat(delivered.get() + failed.get()).isEqualTo(100_000);
            assertThat(stats.delivered()).isEqualTo(delivered.get());
            assertThat(stats.failedTotal() + stats.droppedTotal()).isEqualTo(failed.get());
            assertThat(server.recordCount("ux_events")).isEqualTo(stats.delivered());
        }
    }

    @Test
    void aProgramConfiguredForOpenObserveDeliversThroughTheTracker() {
        Map<String, String> keys = new HashMap<>(config());
        keys.put("SIM_EVENT_SINK_TYPE", "openobserve");
        keys.put("SIM_EVENT_SINK_URL", server.url());
        keys.put("SIM_EVENT_SINK_API_KEY", server.apiKey());
        try (EventTracker tracker = EventTracker.create(ConfigSource.fromMap(keys))) {
            assertThat(tracker.track(click(1))).succeedsWithin(WAIT);
            assertThat(tracker.track(Event.simulationEvent().put("tick", 7).build())).succeedsWithin(WAIT);
        }
        assertThat(server.records("ux_events")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("event_type", "ux_action").containsEntry("user_id", "u1"));
        assertThat(server.records("simulation_events")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("event_type", "simulation_event").containsEntry("payload_tick", 7L));
    }
}
