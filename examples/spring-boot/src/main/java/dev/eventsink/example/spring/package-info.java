/**
 * The Spring Boot example: {@link dev.eventsink.example.spring.ExampleApplication} with a web endpoint
 * ({@link dev.eventsink.example.spring.ActionController}) that records UX actions and a scheduled job
 * ({@link dev.eventsink.example.spring.SimulationJob}) that records simulation events, configured only by
 * {@code application.properties} through the starter. See the module's README for how to run it.
 */
package dev.eventsink.example.spring;
