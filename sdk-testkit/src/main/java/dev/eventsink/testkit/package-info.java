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
 * The OpenObserve-compatible server itself is {@link dev.eventsink.openobserve.server.OpenObserveServer}, in the
 * {@code eventsink-openobserve-server} artifact, which the testkit brings along; it has no test-framework
 * dependency, so programs can run it too.
 */
package dev.eventsink.testkit;
