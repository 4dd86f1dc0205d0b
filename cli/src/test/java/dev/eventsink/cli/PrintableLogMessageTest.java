package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintableLogMessageTest {

    /** Logs one warning through the command's own logback.xml and returns what reached stderr. */
    private static String logThroughTheCommandsConfiguration(String message, Object... arguments) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Main.class.getResource("/logback.xml"));
            context.getLogger("dev.eventsink.openobserve.OpenObserveSettings").warn(message, arguments);
        } finally {
            context.stop();
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void loggedValuesStayOnOneLineWithControlCharactersEscaped() throws Exception {
        String logged = logThroughTheCommandsConfiguration("{}='{}' is not a name OpenObserve keeps as it is",
                "UX_EVENT_SINK_STREAM", "ux\n12:00:00.000 ERROR forged\u001b[2K");

        assertThat(logged).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  d\\.e\\.o\\.OpenObserveSettings \\[[^]]+\\] "
                + "UX_EVENT_SINK_STREAM='ux\\\\n12:00:00\\.000 ERROR forged\\\\u001B\\[2K' is not a name OpenObserve "
                + "keeps as it is\\R");
    }

    @Test
    void loggedUrlCredentialsAreMaskedAndLongMessagesCut() throws Exception {
        String logged = logThroughTheCommandsConfiguration("url {} then {}", "http://admin:pa/ss@host",
                "z".repeat(5_000));

        String shown = "url http://****@host then "; // 26 characters, then 5,000 z
        assertThat(logged).contains(shown + "z".repeat(2_000 - 26) + "… (5,026 characters)" + System.lineSeparator())
                .doesNotContain("pa/ss");
    }
}
