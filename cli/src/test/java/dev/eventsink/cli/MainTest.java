package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

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
    void urlCredentialsOnAMalformedEnvLineAreMasked(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "UX_EVENT_SINK_TYPE=mock\nUX_EVENT_SINK_URL http://admin:pa/ss@localhost:5080\n");

        Cli.Result result = Cli.unconfigured().run("--env-file", env.toString(), "send", "a=1");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
        assertThat(result.err()).isEqualTo(lines(
                "Configuration error: Malformed .env file " + env.toAbsolutePath() + " line 2: "
                        + "'UX_EVENT_SINK_URL http://****@localhost:5080' is not KEY=VALUE (expected KEY=VALUE, a # "
                        + "comment or a blank line)",
                "Run 'eventsink doctor' to check the configuration."));
        assertThat(result.everything()).doesNotContain("pa/ss");
    }

    @Test
    void controlCharactersOnAMalformedEnvLineAreEscaped(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "UX_EVENT_SINK_TYPE mock\u0007\u001b[2K\n");

        Cli.Result result = Cli.unconfigured().run("--env-file", env.toString(), "send", "a=1");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
        assertThat(result.err()).isEqualTo(lines(
                "Configuration error: Malformed .env file " + env.toAbsolutePath() + " line 1: "
                        + "'UX_EVENT_SINK_TYPE mock\\u0007\\u001B[2K' is not KEY=VALUE (expected KEY=VALUE, a # "
                        + "comment or a blank line)",
                "Run 'eventsink doctor' to check the configuration."));
    }

    @Test
    void controlCharactersInAnUnknownOptionAreEscaped() {
        Cli.Result result = Cli.unconfigured().run("demo", "--tiks\nResult: fine");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).startsWith("Unknown option: '--tiks\\nResult: fine'" + System.lineSeparator());
        assertThat(result.err().lines()).noneMatch(line -> line.startsWith("Result"));
    }

    @Test
    void verboseIsAcceptedBeforeAndAfterTheCommand() {
        assertThat(Cli.withConfig(Cli.mock()).run("--verbose", "send", "a=1").exitCode()).isZero();
        assertThat(Cli.withConfig(Cli.mock()).run("send", "-v", "a=1").exitCode()).isZero();
    }
}
