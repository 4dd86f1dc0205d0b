package dev.eventsink.export;

import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.SinkConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Channel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineConfigTest {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;

    /** A reader over UX keys given by suffix, in pairs. */
    static ConfigReader reader(Channel channel, String... suffixesAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < suffixesAndValues.length; i += 2) {
            values.put(channel.key(suffixesAndValues[i]), suffixesAndValues[i + 1]);
        }
        return SinkConfig.of(channel, values).reader();
    }

    static ConfigReader reader(String... suffixesAndValues) {
        return reader(Channel.UX, suffixesAndValues);
    }

    @Nested
    class Defaults {

        @Test
        void theDefaultsAreTheDocumentedValues() {
            PipelineConfig d = PipelineConfig.defaults();

            assertThat(d.batchSize()).isEqualTo(500);
            assertThat(d.batchBytes()).isEqualTo(1_048_576L);
            assertThat(d.linger()).isEqualTo(Duration.ofSeconds(1));
            assertThat(d.queueCapacity()).isEqualTo(100_000);
            assertThat(d.queueBytes()).isEqualTo(67_108_864L);
            assertThat(d.overflow()).isEqualTo(OverflowPolicy.DROP_NEWEST);
            assertThat(d.blockTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(d.exportThreads()).isEqualTo(2);
            assertThat(d.retryInitialBackoff()).isEqualTo(Duration.ofMillis(200));
            assertThat(d.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
            assertThat(d.retryDeadline()).isEqualTo(Duration.ofMinutes(5));
            assertThat(d.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(d.shutdownHook()).isFalse();
        }

        @Test
        void noKeysGiveTheDefaultsAndNoProblem() {
            ConfigReader reader = reader();

            assertThat(PipelineConfig.read(reader)).isEqualTo(PipelineConfig.defaults());
            assertThat(reader.problems()).isEmpty();
        }

        @Test
        void blankValuesCountAsUnset() {
            ConfigReader reader = reader("BATCH_SIZE", "  ", "LINGER", "", "OVERFLOW", " ");

            assertThat(PipelineConfig.read(reader)).isEqualTo(PipelineConfig.defaults());
            assertThat(reader.problems()).isEmpty();
        }
    }

    @Nested
    class Parsing {

        @Test
        void everyKeyIsRead() {
            ConfigReader reader = reader(
                    "BATCH_SIZE", "250",
                    "BATCH_BYTES", "512KiB",
                    "LINGER", "250ms",
                    "QUEUE_CAPACITY", "5000",
                    "QUEUE_BYTES", "8MiB",
                    "OVERFLOW", "block",
                    "BLOCK_TIMEOUT", "3s",
                    "EXPORT_THREADS", "4",
                    "RETRY_INITIAL_BACKOFF", "50ms",
                    "RETRY_MAX_BACKOFF", "2m",
                    "RETRY_DEADLINE", "1h",
                    "CLOSE_TIMEOUT", "20s",
                    "SHUTDOWN_HOOK", "true");

            PipelineConfig config = PipelineConfig.read(reader);

            assertThat(reader.problems()).isEmpty();
            assertThat(config).isEqualTo(PipelineConfig.builder()
                    .batchSize(250)
                    .batchBytes(512 * KIB)
                    .linger(Duration.ofMillis(250))
                    .queueCapacity(5000)
                    .queueBytes(8 * MIB)
                    .overflow(OverflowPolicy.BLOCK)
                    .blockTimeout(Duration.ofSeconds(3))
                    .exportThreads(4)
                    .retryInitialBackoff(Duration.ofMillis(50))
                    .retryMaxBackoff(Duration.ofMinutes(2))
                    .retryDeadline(Duration.ofHours(1))
                    .closeTimeout(Duration.ofSeconds(20))
                    .shutdownHook(true)
                    .build());
            reader.validate(); // every key was read: no problem, nothing unknown
        }

        @Test
        void theSimChannelReadsItsOwnPrefix() {
            ConfigReader reader = reader(Channel.SIM, "BATCH_SIZE", "7", "OVERFLOW", "drop_oldest");

            PipelineConfig config = PipelineConfig.read(reader);

            assertThat(config.batchSize()).isEqualTo(7);
            assertThat(config.overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
        }

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource(delimiter = '|', textBlock = """
                BATCH_SIZE            | 1              | batchSize     | 1
                BATCH_SIZE            | 100000         | batchSize     | 100000
                BATCH_SIZE            | 10_000         | batchSize     | 10000
                BATCH_SIZE            | ' 42 '         | batchSize     | 42
                BATCH_BYTES           | 1KiB           | batchBytes    | 1024
                BATCH_BYTES           | 2048           | batchBytes    | 2048
                BATCH_BYTES           | 4mb            | batchBytes    | 4194304
                BATCH_BYTES           | 256MiB         | batchBytes    | 268435456
                BATCH_BYTES           | 3 KiB          | batchBytes    | 3072
                QUEUE_BYTES           | 1GiB           | queueBytes    | 1073741824
                QUEUE_BYTES           | 64gb           | queueBytes    | 68719476736
                QUEUE_CAPACITY        | 100000000      | queueCapacity | 100000000
                EXPORT_THREADS        | 16             | exportThreads | 16
                """)
        void numbersAndSizes(String suffix, String value, String field, long expected) {
            ConfigReader reader = reader(suffix, value);

            PipelineConfig config = PipelineConfig.read(reader);

            assertThat(reader.problems()).isEmpty();
            Map<String, Function<PipelineConfig, Long>> fields = Map.of(
                    "batchSize", c -> (long) c.batchSize(),
                    "batchBytes", PipelineConfig::batchBytes,
                    "queueBytes", PipelineConfig::queueBytes,
                    "queueCapacity", c -> (long) c.queueCapacity(),
                    "exportThreads", c -> (long) c.exportThreads());
            assertThat(fields.get(field).apply(config)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource(delimiter = '|', textBlock = """
                LINGER                | 0ms    | PT0S
                LINGER                | 5m     | PT5M
                LINGER                | PT0.5S | PT0.5S
                LINGER                | pt2s   | PT2S
                LINGER                | 10 s   | PT10S
                BLOCK_TIMEOUT         | 10m    | PT10M
                RETRY_INITIAL_BACKOFF | 1ms    | PT0.001S
                RETRY_MAX_BACKOFF     | 1h     | PT1H
                RETRY_DEADLINE        | 0s     | PT0S
                RETRY_DEADLINE        | P1D    | PT24H
                CLOSE_TIMEOUT         | 90S    | PT1M30S
                """)
        void durations(String suffix, String value, Duration expected) {
            ConfigReader reader = reader(suffix, value);

            PipelineConfig config = PipelineConfig.read(reader);

            assertThat(reader.problems()).isEmpty();
            Duration actual = switch (suffix) {
                case "LINGER" -> config.linger();
                case "BLOCK_TIMEOUT" -> config.blockTimeout();
                case "RETRY_INITIAL_BACKOFF" -> config.retryInitialBackoff();
                case "RETRY_MAX_BACKOFF" -> config.retryMaxBackoff();
                case "RETRY_DEADLINE" -> config.retryDeadline();
                default -> config.closeTimeout();
            };
            assertThat(actual).isEqualTo(expected);
        }

        @ParameterizedTest(name = "OVERFLOW={0}")
        @CsvSource({"drop_newest, DROP_NEWEST", "DROP_OLDEST, DROP_OLDEST", "drop-oldest, DROP_OLDEST",
                "Block, BLOCK"})
        void overflowPolicies(String value, OverflowPolicy expected) {
            ConfigReader reader = reader("OVERFLOW", value);

            assertThat(PipelineConfig.read(reader).overflow()).isEqualTo(expected);
            assertThat(reader.problems()).isEmpty();
        }

        @ParameterizedTest(name = "SHUTDOWN_HOOK={0}")
        @CsvSource({"true, true", "TRUE, true", "false, false", "False, false"})
        void shutdownHook(String value, boolean expected) {
            ConfigReader reader = reader("SHUTDOWN_HOOK", value);

            assertThat(PipelineConfig.read(reader).shutdownHook()).isEqualTo(expected);
            assertThat(reader.problems()).isEmpty();
        }
    }

    @Nested
    class Problems {

        static final String SIZES = "allowed: bytes or a size such as 512KiB or 4MiB, from ";
        static final String DURATIONS = "allowed: a duration such as 500ms, 10s, 2m or PT10S, from ";

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
                BATCH_SIZE            | abc            | is not a whole number; allowed: 1 to 100000
                BATCH_SIZE            | 0              | is out of range; allowed: 1 to 100000
                BATCH_SIZE            | 100001         | is out of range; allowed: 1 to 100000
                BATCH_SIZE            | 1.5            | is not a whole number; allowed: 1 to 100000
                BATCH_BYTES           | 12 parsecs     | is not a size; SIZES1KiB to 256MiB
                BATCH_BYTES           | 1023           | is out of range; SIZES1KiB to 256MiB
                BATCH_BYTES           | 257MiB         | is out of range; SIZES1KiB to 256MiB
                BATCH_BYTES           | 99999999999GiB | is out of range; SIZES1KiB to 256MiB
                BATCH_BYTES           | -1             | is not a size; SIZES1KiB to 256MiB
                LINGER                | soon           | is not a duration; DURATIONS0s to 5m
                LINGER                | 6m             | is out of range; DURATIONS0s to 5m
                LINGER                | -1s            | is not a duration; DURATIONS0s to 5m
                LINGER                | 1.5s           | is not a duration; DURATIONS0s to 5m
                QUEUE_CAPACITY        | 0              | is out of range; allowed: 1 to 100000000
                QUEUE_CAPACITY        | lots           | is not a whole number; allowed: 1 to 100000000
                QUEUE_BYTES           | 1000           | is out of range; SIZES1KiB to 64GiB
                QUEUE_BYTES           | 65GiB          | is out of range; SIZES1KiB to 64GiB
                OVERFLOW              | sometimes      | is not a valid choice; allowed: drop_newest, drop_oldest, block
                BLOCK_TIMEOUT         | 11m            | is out of range; DURATIONS0s to 10m
                EXPORT_THREADS        | 0              | is out of range; allowed: 1 to 16
                EXPORT_THREADS        | 17             | is out of range; allowed: 1 to 16
                EXPORT_THREADS        | two            | is not a whole number; allowed: 1 to 16
                RETRY_INITIAL_BACKOFF | 0ms            | is out of range; DURATIONS1ms to 5m
                RETRY_INITIAL_BACKOFF | 6m             | is out of range; DURATIONS1ms to 5m
                RETRY_MAX_BACKOFF     | 2h             | is out of range; DURATIONS1ms to 1h
                RETRY_DEADLINE        | P2D            | is out of range; DURATIONS0s to 24h
                RETRY_DEADLINE        | PT-5S          | is not a duration; DURATIONS0s to 24h
                CLOSE_TIMEOUT         | forever        | is not a duration; DURATIONS0s to 1h
                CLOSE_TIMEOUT         | 61m            | is out of range; DURATIONS0s to 1h
                SHUTDOWN_HOOK         | yes            | is not a boolean; allowed: true, false
                """)
        void anInvalidValueIsReportedWithTheKeyTheValueAndWhatIsAllowed(String suffix, String value, String problem) {
            String key = Channel.UX.key(suffix);
            String message = key + "='" + value + "' "
                    + problem.replace("SIZES", SIZES).replace("DURATIONS", DURATIONS);
            ConfigReader reader = reader(suffix, value);

            PipelineConfig config = PipelineConfig.read(reader);

            assertThat(reader.problems()).containsExactly(new ConfigurationException.Problem(key, message));
            assertThat(config).as("the default stands in for the invalid value").isEqualTo(PipelineConfig.defaults());
            assertThatThrownBy(reader::validate)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage(message)
                    .satisfies(e -> assertThat(((ConfigurationException) e).keys()).containsExactly(key));
        }

        @Test
        void severalProblemsAreReportedTogetherInKeyOrder() {
            ConfigReader reader = reader(
                    "BATCH_SIZE", "abc",
                    "LINGER", "5m",
                    "OVERFLOW", "sometimes",
                    "EXPORT_THREADS", "3",
                    "SHUTDOWN_HOOK", "yes");

            PipelineConfig config = PipelineConfig.read(reader);

            assertThat(config.linger()).isEqualTo(Duration.ofMinutes(5));
            assertThat(config.exportThreads()).isEqualTo(3);
            assertThat(config.batchSize()).isEqualTo(500);
            assertThat(config.overflow()).isEqualTo(OverflowPolicy.DROP_NEWEST);
            assertThat(config.shutdownHook()).isFalse();
            String nl = System.lineSeparator();
            assertThatThrownBy(reader::validate)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("3 configuration problems:"
                            + nl + "  - UX_EVENT_SINK_BATCH_SIZE='abc' is not a whole number; allowed: 1 to 100000"
                            + nl + "  - UX_EVENT_SINK_OVERFLOW='sometimes' is not a valid choice; allowed: "
                            + "drop_newest, drop_oldest, block"
                            + nl + "  - UX_EVENT_SINK_SHUTDOWN_HOOK='yes' is not a boolean; allowed: true, false")
                    .satisfies(e -> assertThat(((ConfigurationException) e).keys()).containsExactly(
                            "UX_EVENT_SINK_BATCH_SIZE", "UX_EVENT_SINK_OVERFLOW", "UX_EVENT_SINK_SHUTDOWN_HOOK"));
        }
    }

    @Nested
    class Builder {

        @Test
        void startsFromTheDocumentedDefaults() {
            PipelineConfig defaults = PipelineConfig.builder().build();

            assertThat(defaults).isEqualTo(PipelineConfig.defaults());
            assertThat(defaults.batchSize()).isEqualTo(500);
            assertThat(defaults.batchBytes()).isEqualTo(MIB);
            assertThat(defaults.linger()).isEqualTo(Duration.ofSeconds(1));
            assertThat(defaults.queueCapacity()).isEqualTo(100_000);
            assertThat(defaults.queueBytes()).isEqualTo(64 * MIB);
            assertThat(defaults.overflow()).isEqualTo(OverflowPolicy.DROP_NEWEST);
            assertThat(defaults.blockTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(defaults.exportThreads()).isEqualTo(2);
            assertThat(defaults.retryInitialBackoff()).isEqualTo(Duration.ofMillis(200));
            assertThat(defaults.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
            assertThat(defaults.retryDeadline()).isEqualTo(Duration.ofMinutes(5));
            assertThat(defaults.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(defaults.shutdownHook()).isFalse();
        }

        @Test
        void toBuilderChangesOnlyWhatIsSet() {
            PipelineConfig changed = PipelineConfig.defaults().toBuilder().batchSize(7).build();

            assertThat(changed.batchSize()).isEqualTo(7);
            assertThat(changed.toBuilder().batchSize(500).build()).isEqualTo(PipelineConfig.defaults());
        }

        @Test
        void countsAndSizesMustBePositive() {
            assertThatThrownBy(() -> PipelineConfig.builder().batchSize(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize must be at least 1, was 0");
            assertThatThrownBy(() -> PipelineConfig.builder().batchBytes(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("batchBytes must be at least 1, was 0");
            assertThatThrownBy(() -> PipelineConfig.builder().queueCapacity(-1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("queueCapacity must be at least 1, was -1");
            assertThatThrownBy(() -> PipelineConfig.builder().queueBytes(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("queueBytes must be at least 1, was 0");
            assertThatThrownBy(() -> PipelineConfig.builder().exportThreads(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("exportThreads must be at least 1, was 0");
        }

        @Test
        void nothingMayBeNull() {
            List<String> messages = List.of(
                    message(() -> PipelineConfig.builder().linger(null).build()),
                    message(() -> PipelineConfig.builder().overflow(null).build()),
                    message(() -> PipelineConfig.builder().blockTimeout(null).build()),
                    message(() -> PipelineConfig.builder().retryInitialBackoff(null).build()),
                    message(() -> PipelineConfig.builder().retryMaxBackoff(null).build()),
                    message(() -> PipelineConfig.builder().retryDeadline(null).build()),
                    message(() -> PipelineConfig.builder().closeTimeout(null).build()));

            assertThat(messages).containsExactly("linger must not be null", "overflow must not be null",
                    "blockTimeout must not be null", "retryInitialBackoff must not be null",
                    "retryMaxBackoff must not be null", "retryDeadline must not be null", "closeTimeout must not be null");
        }

        private String message(Runnable construct) {
            try {
                construct.run();
            } catch (NullPointerException e) {
                return e.getMessage();
            }
            throw new AssertionError("expected a NullPointerException");
        }
    }
}
