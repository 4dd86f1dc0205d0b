package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @Test
    void helpListsEveryCommandAndExitsZero() {
        Cli.Result result = Cli.unconfigured().run("--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Usage: eventsink", "demo", "send", "replay", "doctor",
                "serve-openobserve", "--env-file", "--verbose", "Exit codes:");
    }

    @Test
    void eachCommandHasHelp() {
        for (String command : new String[] {"demo", "send", "replay", "doctor", "serve-openobserve"}) {
            Cli.Result result = Cli.unconfigured().run(command, "--help");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("Usage: eventsink " + command);
        }
    }

    @Test
    void versionNamesTheProductAndJava() {
        Cli.Result result = Cli.unconfigured().run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("eventsink ").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        Cli.Result result = Cli.unconfigured().run();

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Usage: eventsink");
    }

    @Test
    void unknownCommandSuggestsTheNearestAndExitsTwo() {
        Cli.Result result = Cli.unconfigured().run("replya", "x.ndjson");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Unmatched arguments", "replay", "Try 'eventsink --help'");
    }

    @Test
    void unknownOptionExitsTwo() {
        Cli.Result result = Cli.unconfigured().run("demo", "--tiks", "3");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Unknown option", "'--tiks'", "Possible solutions: --ticks", "Try 'eventsink demo --help'");
    }

    @Test
    void missingEnvFileIsAUsageError() {
        Cli.Result result = Cli.unconfigured().run("--env-file", "/nonexistent/eventsink.env", "send", "a=1");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("--env-file /nonexistent/eventsink.env: no such file");
    }

    @Test
    void envFileConfiguresTheCommandAfterTheInjectedEnvironment(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("test.env");
        Files.writeString(env, "UX_EVENT_SINK_TYPE=mock\n");

        Cli.Result result = Cli.unconfigured().run("send", "--env-file", env.toString(), "action=click");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Delivered ux_action", "to the UX sink (mock)");
    }

    @Test
    void malformedEnvFileIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "UX_EVENT_SINK_TYPE=mock\nthis line is not a key value\n");

        Cli.Result result = Cli.unconfigured().run("--env-file", env.toString(), "send", "a=1");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("Configuration error: Malformed .env file", "line 2");
    }

    @Test
    void verboseIsAcceptedBeforeAndAfterTheCommand() {
        assertThat(Cli.withConfig(Cli.mock()).run("--verbose", "send", "a=1").exitCode()).isZero();
        assertThat(Cli.withConfig(Cli.mock()).run("send", "-v", "a=1").exitCode()).isZero();
    }
}
