package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.spi.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    private static final String EXPECTED = " (expected KEY=VALUE, a # comment or a blank line)";

    @TempDir
    Path dir;

    private Path dotenv(String... lines) throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Nested
    class FromMap {

        @Test
        void valuesAreReturnedAsWrittenWithTheirOrigin() {
            ConfigSource source = ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", " mock "));

            assertThat(source.get("UX_EVENT_SINK_TYPE")).contains(" mock ");
            assertThat(source.get("SIM_EVENT_SINK_TYPE")).isEmpty();
            assertThat(source.keys()).containsExactly("UX_EVENT_SINK_TYPE");
            assertThat(source.origin("UX_EVENT_SINK_TYPE")).isEqualTo("explicit configuration");
        }

        @Test
        void theMapIsCopied() {
            Map<String, String> values = new HashMap<>(Map.of("A", "1"));
            ConfigSource source = ConfigSource.fromMap(values);

            values.put("A", "2");
            values.put("B", "3");

            assertThat(source.get("A")).contains("1");
            assertThat(source.keys()).containsExactly("A");
        }

        @Test
        void nullValueIsRejectedNamingTheKey() {
            Map<String, String> values = new HashMap<>();
            values.put("UX_EVENT_SINK_URL", null);

            assertThatThrownBy(() -> ConfigSource.fromMap(values))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("configuration value of UX_EVENT_SINK_URL must not be null");
        }
    }

    @Nested
    class Precedence {

        private final ConfigSource first = ConfigSource.fromMap(Map.of("A", "from first", "B", "only first"));
        private final ConfigSource second = ConfigSource.fromMap(Map.of("A", "from second", "C", "only second"));

        @Test
        void theFirstSourceWinsForKeysBothHave() {
            ConfigSource source = first.orElse(second);

            assertThat(source.get("A")).contains("from first");
            assertThat(source.get("B")).contains("only first");
            assertThat(source.get("C")).contains("only second");
            assertThat(source.get("D")).isEmpty();
            assertThat(source.keys()).containsExactlyInAnyOrder("A", "B", "C");
        }

        @Test
        void originIsThatOfTheSourceTheValueCameFrom(@TempDir Path other) throws IOException {
            Path file = other.resolve("app.env");
            Files.writeString(file, "C=from file\nA=also in file\n");
            ConfigSource source = first.orElse(ConfigSource.dotenv(file));

            assertThat(source.get("A")).contains("from first");
            assertThat(source.origin("A")).isEqualTo("explicit configuration");
            assertThat(source.get("C")).contains("from file");
            assertThat(source.origin("C")).isEqualTo(".env (" + file.toAbsolutePath() + ")");
        }

        @Test
        void orElseRejectsANullFallback() {
            assertThatThrownBy(() -> first.orElse(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("fallback must not be null");
        }
    }

    @Nested
    class Dotenv {

        @Test
        void valuesAreReadFromTheFile() throws IOException {
            Path file = dotenv(
                    "# comment",
                    "",
                    "UX_EVENT_SINK_TYPE=mock",
                    "  SIM_EVENT_SINK_TYPE = openobserve  ",
                    "UX_EVENT_SINK_STREAM=\"ux events\"",
                    "SIM_EVENT_SINK_URL=http://localhost:5080 # trailing comment");
            ConfigSource source = ConfigSource.dotenv(file);

            assertThat(source.get("UX_EVENT_SINK_TYPE")).contains("mock");
            assertThat(source.get("SIM_EVENT_SINK_TYPE")).contains("openobserve");
            assertThat(source.get("UX_EVENT_SINK_STREAM")).contains("ux events");
            assertThat(source.get("SIM_EVENT_SINK_URL")).contains("http://localhost:5080");
            assertThat(source.keys()).containsExactlyInAnyOrder(
                    "UX_EVENT_SINK_TYPE", "SIM_EVENT_SINK_TYPE", "UX_EVENT_SINK_STREAM", "SIM_EVENT_SINK_URL");
            assertThat(source.origin("UX_EVENT_SINK_TYPE")).isEqualTo(".env (" + file.toAbsolutePath() + ")");
        }

        @Test
        void onlyKeysDeclaredInTheFileAreRead() throws IOException {
            ConfigSource source = ConfigSource.dotenv(dotenv("A=1"));

            assertThat(source.keys()).containsExactly("A");
            assertThat(source.get("PATH")).isEmpty();
        }

        @Test
        void missingFileIsAnEmptySource() {
            Path missing = dir.resolve("absent.env");
            ConfigSource source = ConfigSource.dotenv(missing);

            assertThat(source.keys()).isEmpty();
            assertThat(source.get("UX_EVENT_SINK_TYPE")).isEqualTo(Optional.empty());
            assertThat(source.origin("UX_EVENT_SINK_TYPE")).isEqualTo(".env (" + missing + ", not found)");
        }

        @Test
        void dotenvFeedsTheFactoryWhenTheFirstSourceLacksTheKey() throws IOException {
            ConfigSource source = ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", "beta"))
                    .orElse(ConfigSource.dotenv(dotenv("UX_EVENT_SINK_TYPE=alpha", "SIM_EVENT_SINK_TYPE=ALPHA")));
            ProviderClassLoader loader = ProviderClassLoader.of(TestProviders.Alpha.class, TestProviders.Beta.class);

            assertThat(EventSinkFactory.create(Channel.UX, source, loader)).hasToString("RecordingSink{beta}");
            assertThat(EventSinkFactory.create(Channel.SIM, source, loader))
                    .hasToString("RecordingSink{alpha, SinkConfig{SIM_EVENT_SINK_TYPE=ALPHA}}");
        }
    }

    @Nested
    class MalformedDotenv {

        @Test
        void malformedLineIsNamedWithFileAndLineNumber() throws IOException {
            Path file = dotenv("# settings", "UX_EVENT_SINK_TYPE=mock", "", "this is not a setting", "B=2");

            assertThatThrownBy(() -> ConfigSource.dotenv(file))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Malformed .env file " + file.toAbsolutePath() + " line 4: 'this is not a setting'"
                            + " is not KEY=VALUE" + EXPECTED);
        }

        @Test
        void secretOnAMalformedLineIsMasked() throws IOException {
            Path file = dotenv("UX_EVENT_SINK_TYPE=openobserve", "UX_EVENT_SINK_API_KEY sk-live-5ecret");

            assertThatThrownBy(() -> ConfigSource.dotenv(file))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Malformed .env file " + file.toAbsolutePath() + " line 2: 'UX_EVENT_SINK_API_KEY ****'"
                            + " is not KEY=VALUE" + EXPECTED);
        }

        @Test
        void secretOnAMalformedLineAppearsNowhereInTheException() throws IOException {
            Path file = dotenv("UX_EVENT_SINK_API_KEY sk-live-5ecret");

            assertThatThrownBy(() -> ConfigSource.dotenv(file))
                    .isInstanceOf(ConfigurationException.class)
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("sk-live-5ecret"));
        }

        @Test
        void urlCredentialsOnAMalformedLineAreMaskedWhateverTheKey() throws IOException {
            Path file = dotenv("UX_EVENT_SINK_URL http://admin:pa/ss@localhost:5080");

            assertThatThrownBy(() -> ConfigSource.dotenv(file))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Malformed .env file " + file.toAbsolutePath() + " line 1: "
                            + "'UX_EVENT_SINK_URL http://****@localhost:5080' is not KEY=VALUE" + EXPECTED)
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("pa/ss"));
        }

        @Test
        void urlCredentialsOnALineWithUnmatchedQuotesAreMasked() throws IOException {
            Path file = dotenv("UX_EVENT_SINK_URL=\"http://admin:s3cr3t@localhost:5080");

            assertThatThrownBy(() -> ConfigSource.dotenv(file))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Malformed .env file " + file.toAbsolutePath() + " line 1: "
                            + "'UX_EVENT_SINK_URL=\"http://****@localhost:5080' has unmatched quotes" + EXPECTED)
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("s3cr3t"));
        }

        @Test
        void unmatchedQuoteIsNamedWithFileAndLineNumber() throws IOException {
            Path file = dotenv("A=1", "B=\"open");

            assertThatThrownBy(() -> ConfigSource.dotenv(file))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Malformed .env file " + file.toAbsolutePath() + " line 2: 'B=\"open' has unmatched quotes"
                            + EXPECTED);
        }
    }
}
