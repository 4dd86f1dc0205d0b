package dev.eventsink.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExportResultTest {

    @Nested
    class Factories {

        @Test
        void delivered() {
            ExportResult result = ExportResult.delivered(123);

            assertThat(result.kind()).isEqualTo(ExportResult.Kind.DELIVERED);
            assertThat(result.bytesSent()).isEqualTo(123);
            assertThat(result.reason()).isNull();
            assertThat(result.retryAfter()).isNull();
            assertThat(result.rejected()).isEmpty();
            assertThat(result.isolate()).isEmpty();
            assertThat(result).hasToString("delivered");
        }

        @Test
        void retryWithAndWithoutRetryAfter() {
            ExportResult after = ExportResult.retry("429 Too Many Requests", Duration.ofSeconds(7), 40);
            ExportResult plain = ExportResult.retry("connection reset", null, 0);

            assertThat(after.kind()).isEqualTo(ExportResult.Kind.RETRY);
            assertThat(after.reason()).isEqualTo("429 Too Many Requests");
            assertThat(after.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(after.bytesSent()).isEqualTo(40);
            assertThat(after).hasToString("retry(429 Too Many Requests, after PT7S)");
            assertThat(plain.retryAfter()).isNull();
            assertThat(plain).hasToString("retry(connection reset)");
            assertThat(ExportResult.retry("x", Duration.ZERO, 0).retryAfter()).isEqualTo(Duration.ZERO);
        }

        @Test
        void rejectAll() {
            ExportResult result = ExportResult.rejectAll("401 Unauthorized", 9);

            assertThat(result.kind()).isEqualTo(ExportResult.Kind.REJECT_ALL);
            assertThat(result.reason()).isEqualTo("401 Unauthorized");
            assertThat(result.bytesSent()).isEqualTo(9);
            assertThat(result.retryAfter()).isNull();
            assertThat(result).hasToString("rejectAll(401 Unauthorized)");
        }

        @Test
        void isolateAll() {
            ExportResult result = ExportResult.isolateAll("413 Payload Too Large", 5);

            assertThat(result.kind()).isEqualTo(ExportResult.Kind.ISOLATE_ALL);
            assertThat(result.reason()).isEqualTo("413 Payload Too Large");
            assertThat(result.bytesSent()).isEqualTo(5);
            assertThat(result).hasToString("isolateAll(413 Payload Too Large)");
        }

        @Test
        void invalidArgumentsAreRefusedWithAMessage() {
            assertThatThrownBy(() -> ExportResult.delivered(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bytesSent must not be negative, was -1");
            assertThatThrownBy(() -> ExportResult.retry("x", null, -2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bytesSent must not be negative, was -2");
            assertThatThrownBy(() -> ExportResult.retry(null, null, 0))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
            assertThatThrownBy(() -> ExportResult.retry("x", Duration.ofSeconds(-1), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("retryAfter must not be negative, was PT-1S");
            assertThatThrownBy(() -> ExportResult.rejectAll(null, 0))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
            assertThatThrownBy(() -> ExportResult.isolateAll(null, 0))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
            assertThatThrownBy(() -> ExportResult.perRecord(-3).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bytesSent must not be negative, was -3");
        }
    }

    @Nested
    class PerRecord {

        @Test
        void withNothingNamedItIsDelivered() {
            ExportResult result = ExportResult.perRecord(77).build();

            assertThat(result.kind()).isEqualTo(ExportResult.Kind.DELIVERED);
            assertThat(result.bytesSent()).isEqualTo(77);
        }

        @Test
        void namesRejectedAndIsolatedIndexes() {
            ExportResult result = ExportResult.perRecord(10)
                    .rejected(3, "Too old data")
                    .isolate(1, "unattributed failure")
                    .rejected(0, "schema mismatch")
                    .build();

            assertThat(result.kind()).isEqualTo(ExportResult.Kind.PER_RECORD);
            assertThat(result.rejected()).isEqualTo(Map.of(0, "schema mismatch", 3, "Too old data"));
            assertThat(result.isolate()).isEqualTo(Map.of(1, "unattributed failure"));
            assertThat(result.bytesSent()).isEqualTo(10);
            assertThat(result.reason()).isNull();
            assertThat(result.toString())
                    .startsWith("perRecord(rejected=")
                    .contains("0=schema mismatch", "3=Too old data", "isolate={1=unattributed failure}");
        }

        @Test
        void theLastWordOnAnIndexWins() {
            ExportResult isolated = ExportResult.perRecord(0).rejected(2, "a").isolate(2, "b").build();
            ExportResult rejected = ExportResult.perRecord(0).isolate(2, "b").rejected(2, "a").build();
            ExportResult renamed = ExportResult.perRecord(0).rejected(2, "a").rejected(2, "c").build();

            assertThat(isolated.rejected()).isEmpty();
            assertThat(isolated.isolate()).isEqualTo(Map.of(2, "b"));
            assertThat(rejected.rejected()).isEqualTo(Map.of(2, "a"));
            assertThat(rejected.isolate()).isEmpty();
            assertThat(renamed.rejected()).isEqualTo(Map.of(2, "c"));
        }

        @Test
        void theResultIsNotChangedByLaterBuilderCalls() {
            ExportResult.Builder builder = ExportResult.perRecord(0).rejected(0, "a");
            ExportResult result = builder.build();

            builder.rejected(1, "b").isolate(0, "c");

            assertThat(result.rejected()).isEqualTo(Map.of(0, "a"));
            assertThat(result.isolate()).isEmpty();
            assertThatThrownBy(() -> result.rejected().put(5, "x")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void invalidArgumentsAreRefusedWithAMessage() {
            assertThatThrownBy(() -> ExportResult.perRecord(0).rejected(-1, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("index must not be negative, was -1");
            assertThatThrownBy(() -> ExportResult.perRecord(0).isolate(-2, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("index must not be negative, was -2");
            assertThatThrownBy(() -> ExportResult.perRecord(0).rejected(0, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
            assertThatThrownBy(() -> ExportResult.perRecord(0).isolate(0, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
        }
    }
}
