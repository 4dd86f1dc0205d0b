package dev.eventsink.testkit;

/**
 * One way a sink can break the contract, with the check of {@link EventSinkCompatibilityKit} that must catch it:
 * the {@link ReferenceSink} has each defect on demand, and {@link EventSinkCompatibilityKitTest} proves that the
 * kit fails exactly that check.
 */
enum Defect {
    NONE(null),
    UNREGISTERED("the provider is discoverable through ServiceLoader under its type, and the type is lowercase"),
    UPPERCASE_TYPE("the provider is discoverable through ServiceLoader under its type, and the type is lowercase"),
    SIM_CHANNEL_UNSUPPORTED("create with a valid configuration returns a sink, on either channel"),
    ACCEPTS_INVALID_CONFIGURATION("an invalid configuration throws ConfigurationException naming the key"),
    WRONG_EXCEPTION_FOR_INVALID_CONFIGURATION("an invalid configuration throws ConfigurationException naming the key"),
    REJECTS_EVERY_EVENT("sendEvent returns a future that completes once the event is delivered"),
    THROWS_ON_DELIVERY_PROBLEM("sendEvent never throws for a delivery problem: the future fails with a DeliveryException"),
    THROWS_ON_NULL_EVENT("sendEvent never throws for a delivery problem: the future fails with a DeliveryException"),
    LOSES_CONCURRENT_EVENTS("concurrent sends from 8 threads all arrive or are accounted for"),
    FLUSH_DOES_NOT_WAIT("flush waits until every event sent before it is delivered"),
    CLOSE_NOT_IDEMPOTENT("close is idempotent and bounded in time"),
    CLOSE_IGNORES_TIMEOUT("close is idempotent and bounded in time"),
    ACCEPTS_AFTER_CLOSE("sending after close fails the future"),
    LEAKS_THREAD("no thread of the sink survives close"),
    KEY_IN_TO_STRING("the API key is absent from toString()"),
    KEY_IN_LOGS("the API key is absent from log output");

    /** The display name of the one check that must fail, or {@code null} when every check must pass. */
    final String check;

    Defect(String check) {
        this.check = check;
    }
}
