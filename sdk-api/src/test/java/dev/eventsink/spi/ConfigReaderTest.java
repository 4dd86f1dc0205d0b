package dev.eventsink.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eventsink.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConfigReaderTest {

    enum Overflow { DROP_NEWEST, DROP_OLDEST, BLOCK }

    private static ConfigReader reader(String... keysAndValues) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return SinkConfig.of(Channel.UX, values).reader();
    }

    private static List<String> messages(ConfigReader reader) {
        return reader.problems().stream().map(ConfigurationException.Problem::message).collect(Collectors.toList());
    }

    @Nested
    class Integers {

        @Test
        void validValueIsParsedTrimmedAndWithUnderscores() {
            assertThat(reader("UX_EVENT_SINK_BATCH_SIZE", " 1_000 ").integer("BATCH_SIZE", 100, 1, 10_000)).isEqualTo(1000);
        }

        @Test
        void unsetOrBlankGivesTheDefault() {
            assertThat(reader().integer("BATCH_SIZE", 100, 1, 10_000)).isEqualTo(100);
            assertThat(reader("UX_EVENT_SINK_BATCH_SIZE", "  ").integer("BATCH_SIZE", 100, 1, 10_000)).isEqualTo(100);
        }

        @Test
        void notANumberIsAProblemAndGivesTheDefault() {
            ConfigReader reader = reader("UX_EVENT_SINK_BATCH_SIZE", "abc");

            assertThat(reader.integer("BATCH_SIZE", 100, 1, 10_000)).isEqualTo(100);
            assertThat(reader.problems()).containsExactly(new ConfigurationException.Problem("UX_EVENT_SINK_BATCH_SIZE",
                    "UX_EVENT_SINK_BATCH_SIZE='abc' is not a whole number; allowed: 1 to 10000"));
        }

        @Test
        void outOfRangeIsAProblem() {
            ConfigReader reader = reader("UX_EVENT_SINK_BATCH_SIZE", "0");

            assertThat(reader.integer("BATCH_SIZE", 100, 1, 10_000)).isEqualTo(100);
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_BATCH_SIZE='0' is out of range; allowed: 1 to 10000");
        }

        @Test
        void longValueOutOfRangeIsAProblem() {
            ConfigReader reader = reader("UX_EVENT_SINK_MAX_QUEUE", "99999999999");

            assertThat(reader.longValue("MAX_QUEUE", 5L, 1L, 1_000_000L)).isEqualTo(5L);
            assertThat(messages(reader)).containsExactly(
                    "UX_EVENT_SINK_MAX_QUEUE='99999999999' is out of range; allowed: 1 to 1000000");
        }
    }

    @Nested
    class Bytes {

        private static final long MIN = 1024;
        private static final long MAX = 64L * 1024 * 1024;

        @Test
        void plainNumbersAndUnitsAreParsedIgnoringCase() {
            assertThat(reader("UX_EVENT_SINK_MAX_BYTES", "2048").bytes("MAX_BYTES", 0, MIN, MAX)).isEqualTo(2048);
            assertThat(reader("UX_EVENT_SINK_MAX_BYTES", "512KiB").bytes("MAX_BYTES", 0, MIN, MAX)).isEqualTo(524_288);
            assertThat(reader("UX_EVENT_SINK_MAX_BYTES", "4 mib").bytes("MAX_BYTES", 0, MIN, MAX)).isEqualTo(4_194_304);
            assertThat(reader("UX_EVENT_SINK_MAX_BYTES", "1MB").bytes("MAX_BYTES", 0, MIN, MAX)).isEqualTo(1_048_576);
        }

        @Test
        void notASizeIsAProblem() {
            ConfigReader reader = reader("UX_EVENT_SINK_MAX_BYTES", "1.5MiB");

            assertThat(reader.bytes("MAX_BYTES", 7, MIN, MAX)).isEqualTo(7);
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_MAX_BYTES='1.5MiB' is not a size; allowed: bytes"
                    + " or a size such as 512KiB or 4MiB, from 1KiB to 64MiB");
        }

        @Test
        void outOfRangeIsAProblem() {
            ConfigReader reader = reader("UX_EVENT_SINK_MAX_BYTES", "1GiB");

            assertThat(reader.bytes("MAX_BYTES", 7, MIN, MAX)).isEqualTo(7);
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_MAX_BYTES='1GiB' is out of range; allowed:"
                    + " bytes or a size such as 512KiB or 4MiB, from 1KiB to 64MiB");
        }

        @Test
        void overflowingSizeIsOutOfRange() {
            ConfigReader reader = reader("UX_EVENT_SINK_MAX_BYTES", "99999999999GiB");

            assertThat(reader.bytes("MAX_BYTES", 7, MIN, MAX)).isEqualTo(7);
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_MAX_BYTES='99999999999GiB' is out of range;"
                    + " allowed: bytes or a size such as 512KiB or 4MiB, from 1KiB to 64MiB");
        }
    }

    @Nested
    class Durations {

        private static final Duration MIN = Duration.ofMillis(1);
        private static final Duration MAX = Duration.ofMinutes(1);

        @Test
        void unitsAndIsoAreParsed() {
            assertThat(reader("UX_EVENT_SINK_LINGER", "500ms").duration("LINGER", null, MIN, MAX)).isEqualTo(Duration.ofMillis(500));
            assertThat(reader("UX_EVENT_SINK_LINGER", "10s").duration("LINGER", null, MIN, MAX)).isEqualTo(Duration.ofSeconds(10));
            assertThat(reader("UX_EVENT_SINK_LINGER", "1m").duration("LINGER", null, MIN, MAX)).isEqualTo(Duration.ofMinutes(1));
            assertThat(reader("UX_EVENT_SINK_LINGER", "pt2.5s").duration("LINGER", null, MIN, MAX)).isEqualTo(Duration.ofMillis(2500));
            assertThat(reader("UX_EVENT_SINK_TIMEOUT", "2h").duration("TIMEOUT", null, MIN, Duration.ofDays(1)))
                    .isEqualTo(Duration.ofHours(2));
        }

        @Test
        void numberWithoutUnitIsNotADuration() {
            ConfigReader reader = reader("UX_EVENT_SINK_LINGER", "10");

            assertThat(reader.duration("LINGER", Duration.ofSeconds(5), MIN, MAX)).isEqualTo(Duration.ofSeconds(5));
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_LINGER='10' is not a duration; allowed: a duration"
                    + " such as 500ms, 10s, 2m or PT10S, from 1ms to 1m");
        }

        @Test
        void outOfRangeIsAProblem() {
            ConfigReader reader = reader("UX_EVENT_SINK_LINGER", "2m");

            assertThat(reader.duration("LINGER", Duration.ofSeconds(5), MIN, MAX)).isEqualTo(Duration.ofSeconds(5));
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_LINGER='2m' is out of range; allowed: a duration"
                    + " such as 500ms, 10s, 2m or PT10S, from 1ms to 1m");
        }

        @Test
        void negativeIsoDurationIsNotADuration() {
            ConfigReader reader = reader("UX_EVENT_SINK_LINGER", "PT-1S");

            reader.duration("LINGER", Duration.ofSeconds(5), MIN, MAX);

            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_LINGER='PT-1S' is not a duration; allowed: a"
                    + " duration such as 500ms, 10s, 2m or PT10S, from 1ms to 1m");
        }

        @Test
        void boundsAreShownInTheLargestWholeUnit() {
            assertThat(ConfigReader.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
            assertThat(ConfigReader.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
            assertThat(ConfigReader.formatDuration(Duration.ofMinutes(120))).isEqualTo("2h");
            assertThat(ConfigReader.formatDuration(Duration.ZERO)).isEqualTo("0s");
        }
    }

    @Nested
    class Booleans {

        @Test
        void trueAndFalseAreParsedIgnoringCase() {
            assertThat(reader("UX_EVENT_SINK_GZIP", "TRUE").bool("GZIP", false)).isTrue();
            assertThat(reader("UX_EVENT_SINK_GZIP", "False").bool("GZIP", true)).isFalse();
            assertThat(reader().bool("GZIP", true)).isTrue();
        }

        @Test
        void anythingElseIsAProblem() {
            ConfigReader reader = reader("UX_EVENT_SINK_GZIP", "yes");

            assertThat(reader.bool("GZIP", true)).isTrue();
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_GZIP='yes' is not a boolean; allowed: true, false");
        }
    }

    @Nested
    class Choices {

        @Test
        void lowercaseNamesWithDashesOrUnderscoresAreAccepted() {
            assertThat(reader("UX_EVENT_SINK_OVERFLOW", "drop-oldest").choice("OVERFLOW", Overflow.BLOCK))
                    .isEqualTo(Overflow.DROP_OLDEST);
            assertThat(reader("UX_EVENT_SINK_OVERFLOW", "Drop_Newest").choice("OVERFLOW", Overflow.BLOCK))
                    .isEqualTo(Overflow.DROP_NEWEST);
            assertThat(reader().choice("OVERFLOW", Overflow.BLOCK)).isEqualTo(Overflow.BLOCK);
        }

        @Test
        void unknownChoiceListsTheAllowedOnes() {
            ConfigReader reader = reader("UX_EVENT_SINK_OVERFLOW", "discard");

            assertThat(reader.choice("OVERFLOW", Overflow.BLOCK)).isEqualTo(Overflow.BLOCK);
            assertThat(messages(reader)).containsExactly("UX_EVENT_SINK_OVERFLOW='discard' is not a valid choice;"
                    + " allowed: drop_newest, drop_oldest, block");
        }
    }

    @Nested
    class RequiredAndStrings {

        @Test
        void missingRequiredKeySaysWhatItHolds() {
            ConfigReader reader = reader("UX_EVENT_SINK_URL", "   ");

            assertThat(reader.required("URL", "the ingestion URL, such as http://localhost:5080")).isNull();
            assertThat(reader.problems()).containsExactly(new ConfigurationException.Problem("UX_EVENT_SINK_URL",
                    "UX_EVENT_SINK_URL is required: the ingestion URL, such as http://localhost:5080"));
        }

        @Test
        void presentRequiredKeyIsReturnedTrimmed() {
            ConfigReader reader = reader("UX_EVENT_SINK_URL", " http://x ");

            assertThat(reader.required("URL", "a URL")).isEqualTo("http://x");
            assertThat(reader.string("ORG", "default")).isEqualTo("default");
            assertThat(reader.problems()).isEmpty();
        }
    }

    @Nested
    class AllProblemsAtOnce {

        @Test
        void validateReportsEveryProblemInOneException() {
            ConfigReader reader = reader(
                    "UX_EVENT_SINK_BATCH_SIZE", "many",
                    "UX_EVENT_SINK_LINGER", "forever",
                    "UX_EVENT_SINK_GZIP", "maybe");
            reader.required("URL", "the ingestion URL");
            reader.integer("BATCH_SIZE", 100, 1, 10_000);
            reader.duration("LINGER", Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofMinutes(1));
            reader.bool("GZIP", true);

            String nl = System.lineSeparator();
            assertThatThrownBy(reader::validate)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("4 configuration problems:"
                            + nl + "  - UX_EVENT_SINK_URL is required: the ingestion URL"
                            + nl + "  - UX_EVENT_SINK_BATCH_SIZE='many' is not a whole number; allowed: 1 to 10000"
                            + nl + "  - UX_EVENT_SINK_LINGER='forever' is not a duration; allowed: a duration such as"
                            + " 500ms, 10s, 2m or PT10S, from 1ms to 1m"
                            + nl + "  - UX_EVENT_SINK_GZIP='maybe' is not a boolean; allowed: true, false")
                    .satisfies(e -> assertThat(((ConfigurationException) e).keys()).containsExactly(
                            "UX_EVENT_SINK_URL", "UX_EVENT_SINK_BATCH_SIZE", "UX_EVENT_SINK_LINGER", "UX_EVENT_SINK_GZIP"));
        }

        @Test
        void oneProblemIsTheWholeMessage() {
            ConfigReader reader = reader("UX_EVENT_SINK_GZIP", "maybe");
            reader.bool("GZIP", true);

            assertThatThrownBy(reader::validate)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("UX_EVENT_SINK_GZIP='maybe' is not a boolean; allowed: true, false");
        }

        @Test
        void validateWithoutProblemsWarnsAboutKeysNothingRead() {
            ConfigReader reader = reader(
                    "UX_EVENT_SINK_TYPE", "Alpha",
                    "UX_EVENT_SINK_BATCH_SIZ", "10",
                    "UX_EVENT_SINK_URL", "http://x",
                    "SIM_EVENT_SINK_NOT_MINE", "1");
            reader.string("URL", null);

            Logger logger = (Logger) LoggerFactory.getLogger(ConfigReader.class);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            boolean additive = logger.isAdditive();
            logger.setAdditive(false);
            try {
                reader.validate();
            } finally {
                logger.detachAppender(appender);
                logger.setAdditive(additive);
            }

            assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "UX_EVENT_SINK_BATCH_SIZ is not a key the 'alpha' sink reads; it is ignored. Check its spelling.");
        }

        @Test
        void anExceptionNeedsAtLeastOneProblem() {
            assertThatThrownBy(() -> ConfigurationException.of(List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("problems must not be empty");
        }
    }

    @Nested
    class Secrets {

        @Test
        void secretValueIsMaskedInProblems() {
            ConfigReader reader = reader("UX_EVENT_SINK_API_KEY", "sk-live-5ecret", "UX_EVENT_SINK_TOKEN_TTL", "soon");
            reader.invalid("API_KEY", "is revoked", "allowed: an active key");
            reader.duration("TOKEN_TTL", Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(1));

            String nl = System.lineSeparator();
            assertThatThrownBy(reader::validate)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("2 configuration problems:"
                            + nl + "  - UX_EVENT_SINK_API_KEY='****' is revoked; allowed: an active key"
                            + nl + "  - UX_EVENT_SINK_TOKEN_TTL='****' is not a duration; allowed: a duration such as"
                            + " 500ms, 10s, 2m or PT10S, from 1m to 24h");
        }

        @Test
        void problemInYourOwnWordsIsRecordedUnderTheFullKey() {
            ConfigReader reader = reader();
            reader.problem("ORG", "UX_EVENT_SINK_ORG must be set together with UX_EVENT_SINK_STREAM");

            assertThat(reader.problems()).containsExactly(new ConfigurationException.Problem("UX_EVENT_SINK_ORG",
                    "UX_EVENT_SINK_ORG must be set together with UX_EVENT_SINK_STREAM"));
            assertThat(reader.config().channel()).isEqualTo(Channel.UX);
        }
    }
}
