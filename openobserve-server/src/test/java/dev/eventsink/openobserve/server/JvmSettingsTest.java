package dev.eventsink.openobserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JvmSettings#apply()} on the system property itself. The JDK server read it long before (the build sets
 * it for the test JVM, as a program's {@code main} would), so changing it here affects no server.
 */
class JvmSettingsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(JvmSettings.NO_DELAY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(JvmSettings.NO_DELAY);
        } else {
            System.setProperty(JvmSettings.NO_DELAY, before);
        }
    }

    @Test
    void switchesNagleOffWhenNobodyChose() {
        System.clearProperty(JvmSettings.NO_DELAY);

        JvmSettings.apply();

        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void keepsTheUsersChoice() {
        System.setProperty(JvmSettings.NO_DELAY, "false");

        JvmSettings.apply();

        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("false");
    }

    @Test
    void startingAServerSetsNothing() {
        System.clearProperty(JvmSettings.NO_DELAY);

        OpenObserveServer.start().close();

        assertThat(System.getProperty(JvmSettings.NO_DELAY)).isNull();
    }
}
