/**
 * What downstream tests and third-party sink authors need:
 * <ul>
 *   <li>{@link dev.eventsink.testkit.RecordingSink}, type {@code recording}: records events, waits for them
 *       without sleeping; {@link dev.eventsink.testkit.Recorders} reach recorders created from configuration;</li>
 *   <li>{@link dev.eventsink.testkit.EventAssertions}: AssertJ assertions on events, recorders and the
 *       OpenObserve-compatible server's stored records, with messages that say what was expected and found;</li>
 *   <li>JUnit 5 extensions: {@link dev.eventsink.testkit.EventTrackerExtension} (a tracker wired to recorders)
 *       and {@link dev.eventsink.testkit.OpenObserveServerExtension} (the server, its connection and records);</li>
 *   <li>{@link dev.eventsink.testkit.EventSinkCompatibilityKit}: the contract tests every sink runs;</li>
 * </ul>
 *
 * <h2>The compatibility kit</h2>
 * A sink's test class extends {@link dev.eventsink.testkit.EventSinkCompatibilityKit} and supplies the sink; it
 * inherits twelve checks in five {@code @Nested} groups, each check named by the sentence it proves:
 * <ul>
 *   <li><b>discovery and configuration</b>: the provider is discoverable through {@code ServiceLoader} under its
 *       type, and the type is lowercase; create with a valid configuration returns a sink, on either channel; an
 *       invalid configuration throws {@code ConfigurationException} naming the key;</li>
 *   <li><b>delivery</b>: sendEvent returns a future that completes once the event is delivered; sendEvent never
 *       throws for a delivery problem: the future fails with a {@code DeliveryException}; flush waits until every
 *       event sent before it is delivered;</li>
 *   <li><b>concurrency</b>: concurrent sends from 8 threads all arrive or are accounted for;</li>
 *   <li><b>lifecycle</b>: close is idempotent and bounded in time; sending after close fails the future; no
 *       thread of the sink survives close;</li>
 *   <li><b>secrets</b>: the API key is absent from {@code toString()}; the API key is absent from log output.</li>
 * </ul>
 *
 * <p><b>What the subclass supplies.</b> Configurations are maps of full keys for {@code channel()}
 * ({@code UX_EVENT_SINK_…} by default); the kit adds {@code *_EVENT_SINK_TYPE} where it goes through
 * {@code EventSinkFactory}, and copies the keys to the other channel's prefix to create a sink there.
 * {@code deliveredEventIds} reads back, from wherever the sink delivers, the ids of the events delivered so far in
 * the current check (clear the backend in a {@code @BeforeEach}, which runs before every check). Optional hooks:
 * {@code failingConfiguration()} (a configuration whose sink cannot deliver), {@code isIgnoredThread},
 * {@code classLoader()}, {@code timeout()}, {@code threadGrace()}, {@code event(int)}. An {@code apiKey()} of
 * {@code null} (a sink that takes no key) skips the two secrets checks, and so does the log check when
 * logback-classic is not the SLF4J binding on the test class path; each says why.
 *
 * <p><b>Threads.</b> The thread check compares the live threads before {@code create} with those still alive after
 * {@code close}, waiting up to {@code threadGrace()} for each to end. JDK 17's {@code HttpClient} keeps its
 * {@code HttpClient-<n>-SelectorManager} thread until the client is garbage-collected, whatever the sink does, so
 * such threads are ignored, as are the common fork-join pool's workers; override {@code isIgnoredThread} to ignore
 * others that are not the sink's, such as a test server's request threads.
 *
 * <p><b>Logs.</b> The log check captures everything logged through SLF4J at every level and looks for the API key
 * and for its base64 form (as a {@code Basic} credential carries it).
 *
 * <p><b>The checks stay as the kit wrote them.</b> Only the hooks above can be overridden: the checks are members
 * of final inner classes, and the kit's own methods are final or private. The kit registers an extension on itself,
 * before any of the subclass's, that runs each check past any interceptor, reports again a failure that an
 * exception handler swallowed or turned into an abort, and fails the test class when a condition switched a check
 * or a group off, or when the subclass declares a nested class named as one of the groups (JUnit would run it in
 * the group's place). An assumption that aborts checks, as in a {@code @BeforeEach} that finds no backend, shows
 * them as skipped.
 *
 * <p>The kit runs {@code @Isolated}: it counts threads and captures the root logger, so no other test may run
 * beside it. Sinks that a check creates through {@code create} are closed after it.
 *
 * <h2>The OpenObserve-compatible server</h2>
 * The OpenObserve-compatible server itself is {@link dev.eventsink.openobserve.server.OpenObserveServer}, in the
 * {@code eventsink-openobserve-server} artifact, which the testkit brings along; it has no test-framework
 * dependency, so programs can run it too.
 */
package dev.eventsink.testkit;
