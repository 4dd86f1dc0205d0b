package dev.eventsink.testkit;

import static dev.eventsink.testkit.EventAssertions.assertThat;

import dev.eventsink.ConfigSource;
import dev.eventsink.openobserve.server.Fault;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenObserveServerExtension.class)
class OpenObserveServerExtensionTest {

    private static OpenObserveServer classServer;
    private static OpenObserveConnection classConnection;

    @BeforeAll
    static void keep(OpenObserveServer server, OpenObserveConnection connection) {
        classServer = server;
        classConnection = connection;
    }

    static String record(String eventType) {
        return "{\"_timestamp\":" + Instant.now().toEpochMilli() * 1000 + ",\"event_type\":\"" + eventType + "\"}";
    }

    @Test
    void theServerRunsForTheWholeClassOnLoopback(OpenObserveServer server) {
        assertThat(server).isSameAs(classServer);
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void outsideATestTheConnectionUsesTheDefaultOrganisation() {
        assertThat(classConnection.org()).isEqualTo("default");
        assertThat(classConnection.url()).isEqualTo(classServer.url());
    }

    @Test
    void eachTestHasItsOwnOrganisation(OpenObserveConnection connection, StoredRecords records, ConfigSource config) {
        assertThat(connection.org()).matches("test\\d+");
        assertThat(records.org()).isEqualTo(connection.org());
        assertThat(config.get("UX_EVENT_SINK_ORG")).contains(connection.org());
    }

    @Test
    void theConnectionCarriesTheCredentials(OpenObserveServer server, OpenObserveConnection connection) {
        assertThat(connection.url()).isEqualTo(server.url());
        assertThat(connection.email()).isEqualTo(server.email());
        assertThat(connection.password()).isEqualTo(server.password());
        assertThat(connection.apiKey()).isEqualTo(server.apiKey());
        assertThat(connection.basicAuthorization()).isEqualTo(server.basicAuthorization());
        assertThat(connection.toString()).doesNotContain(server.password()).contains("password=****");
    }

    @Test
    void theConfigurationPointsBothChannelsAtTheServer(OpenObserveConnection connection, ConfigSource config) {
        assertThat(connection.configuration()).containsOnly(
                Map.entry("UX_EVENT_SINK_TYPE", "openobserve"),
                Map.entry("UX_EVENT_SINK_URL", connection.url()),
                Map.entry("UX_EVENT_SINK_API_KEY", connection.apiKey()),
                Map.entry("UX_EVENT_SINK_ORG", connection.org()),
                Map.entry("SIM_EVENT_SINK_TYPE", "openobserve"),
                Map.entry("SIM_EVENT_SINK_URL", connection.url()),
                Map.entry("SIM_EVENT_SINK_API_KEY", connection.apiKey()),
                Map.entry("SIM_EVENT_SINK_ORG", connection.org()));
        assertThat(config.keys()).containsExactlyInAnyOrderElementsOf(connection.configuration().keySet());
    }

    @Test
    void storedRecordsShowWhatThisTestSent(OpenObserveConnection connection, StoredRecords records) {
        assertThat(Ingest.post(connection, "ux_events", "[" + record("ux_action") + "," + record("ux_action") + "]"))
                .isEqualTo(200);

        assertThat(records.awaitRecords("ux_events", 2, Duration.ofSeconds(5))).hasSize(2);
        assertThat(records).stream("ux_events").hasRecordCount(2).allRecordsHave("event_type", "ux_action");
        assertThat(records.streams()).containsExactly("ux_events");
        assertThat(records.count("ux_events")).isEqualTo(2);
    }

    @Test
    void awaitingRecordsThatNeverCameSaysWhatDid(StoredRecords records) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> records.awaitRecords("ux_events", 1,
                        Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expected stream ux_events of org " + records.org() + " to receive at least 1 record "
                        + "within 20ms but it has none");
    }

    @Test
    void faultsCanBeInjectedThroughTheServer(OpenObserveServer server, OpenObserveConnection connection) {
        server.faults().next(Fault.memoryTableOverflow());

        assertThat(Ingest.post(connection, "ux_events", "[" + record("ux_action") + "]")).isEqualTo(503);
        assertThat(Ingest.post(connection, "ux_events", "[" + record("ux_action") + "]")).isEqualTo(200);
    }

    @Test
    void faultsLeftStandingAreClearedAfterEachTestA(OpenObserveServer server) {
        assertThat(server.faults().pending()).isZero();
        server.faults().next(Fault.memoryTableOverflow());
    }

    @Test
    void faultsLeftStandingAreClearedAfterEachTestB(OpenObserveServer server) {
        assertThat(server.faults().pending()).isZero();
        server.faults().next(Fault.memoryTableOverflow());
    }

    @Nested
    class InANestedClass {

        @Test
        void nestedClassesShareTheOuterServer(OpenObserveServer server) {
            assertThat(server).isSameAs(classServer);
        }
    }
}
