/**
 * An OpenObserve-compatible HTTP ingestion server for tests and local development: {@link
 * dev.eventsink.openobserve.server.OpenObserveServer}, scripted with {@link dev.eventsink.openobserve.server.Fault}s
 * through {@link dev.eventsink.openobserve.server.Faults}, logging {@link
 * dev.eventsink.openobserve.server.ReceivedRequest}s, runnable on its own with {@link
 * dev.eventsink.openobserve.server.OpenObserveServerMain}.
 *
 * <p>It is a standalone fake: it uses only the JDK's {@code com.sun.net.httpserver}, Jackson and SLF4J, and no
 * class of the SDK, so it judges a sink by its HTTP traffic alone.
 */
package dev.eventsink.openobserve.server;
