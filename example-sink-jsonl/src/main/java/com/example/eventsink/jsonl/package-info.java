/**
 * An example third-party event sink, and the template for writing one: {@link
 * com.example.eventsink.jsonl.JsonLinesSinkProvider} (the plugin, registered in {@code
 * META-INF/services/dev.eventsink.spi.EventSinkProvider}) creates {@link com.example.eventsink.jsonl.JsonLinesSink}s,
 * which append events as JSON lines to a file. Built against the public {@code eventsink-sdk-api} only, and proven
 * with the testkit's {@code EventSinkCompatibilityKit}.
 */
package com.example.eventsink.jsonl;
