package dev.eventsink.testkit;

import static dev.eventsink.testkit.EventAssertions.assertThat;

import dev.eventsink.openobserve.server.OpenObserveServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registered on an instance field, the extension starts a server for each test, configured by a builder. */
class OpenObserveServerPerTestTest {

    private static final Set<OpenObserveServer> servers = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    final OpenObserveServerExtension extension = new OpenObserveServerExtension(
            OpenObserveServer.builder().user("me@example.com", "secret#1"));

    @RepeatedTest(2)
    void eachTestGetsItsOwnServer(OpenObserveServer server, OpenObserveConnection connection) {
        assertThat(servers.add(server)).isTrue();
        assertThat(server.email()).isEqualTo("me@example.com");
        assertThat(connection.apiKey()).isEqualTo("me@example.com:secret#1");
    }

    @AfterAll
    static void everyServerWasClosed() {
        assertThat(servers).hasSize(2).allSatisfy(server -> assertThat(server.toString()).endsWith(", closed]"));
    }
}
