package dev.eventsink.openobserve.server;

import static dev.eventsink.openobserve.server.Http.NOW;
import static dev.eventsink.openobserve.server.Http.micros;
import static dev.eventsink.openobserve.server.Http.okBody;
import static dev.eventsink.openobserve.server.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The record-level rules over HTTP: timestamps and their window, names, flattening, types, column limit. */
class IngestionRulesTest {

    private static final String TOO_OLD = "Too old data, only last 5 hours data can be ingested. Data discarded."
            + " You can adjust ingestion max time by setting the environment variable"
            + " ZO_INGEST_ALLOWED_UPTO=<max_hours>";
    private static final String TOO_FAR = "Too far data, only future 24 hours data can be ingested. Data discarded."
            + " You can adjust ingestion max time by setting the environment variable"
            + " ZO_INGEST_ALLOWED_IN_FUTURE=<max_hours>";

    private OpenObserveServer server = OpenObserveServer.builder().clock(Http.FIXED).start();

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, Object> storeOne(String json) {
        HttpResponse<String> response = post(server, "s", json);
        assertThat(response.body()).as(json).isEqualTo(okBody("s", 1, 0));
        List<Map<String, Object>> records = server.records("s");
        return records.get(records.size() - 1);
    }

    private long storedTimestamp(String timestampJson) {
        return (Long) storeOne("{\"_timestamp\":" + timestampJson + "}").get("_timestamp");
    }

    // ------------------------------------------------------------------------------------------- timestamps

    @Test
    void numericTimestampsInAnyUnitAreStoredAsMicroseconds() {
        Instant t = NOW.minus(Duration.ofMinutes(90)).plusNanos(123_456_789);
        long micros = micros(t);
        assertThat(storedTimestamp(Long.toString(t.getEpochSecond()))).isEqualTo(t.getEpochSecond() * 1_000_000);
        assertThat(storedTimestamp(Long.toString(t.toEpochMilli()))).isEqualTo(t.toEpochMilli() * 1_000);
        assertThat(storedTimestamp(Long.toString(micros))).isEqualTo(micros);
        assertThat(storedTimestamp(Long.toString(micros * 1_000 + 789))).isEqualTo(micros);
        assertThat(storedTimestamp(t.getEpochSecond() + ".75")).isEqualTo(t.getEpochSecond() * 1_000_000);
        assertThat(storedTimestamp("0")).isEqualTo(micros(NOW));
        assertThat(storedTimestamp("null")).isEqualTo(micros(NOW));
        assertThat(storeOne("{\"a\":1}").get("_timestamp")).isEqualTo(micros(NOW));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"1709290800\"'                     | 2024-03-01T11:00:00Z",
        "'\"1709290800123\"'                  | 2024-03-01T11:00:00.123Z",
        "'\"1709290800123456\"'               | 2024-03-01T11:00:00.123456Z",
        "'\"1709290800123456789\"'            | 2024-03-01T11:00:00.123456Z",
        "'\"1709290800.9\"'                   | 2024-03-01T11:00:00Z",
        "'\"0\"'                              | 2024-03-01T12:00:00Z",
        "'\"2024-03-01 11:00:00\"'            | 2024-03-01T11:00:00Z",
        "'\"2024-03-01T11:00:00\"'            | 2024-03-01T11:00:00Z",
        "'\"2024-03-01T11:00:00.123\"'        | 2024-03-01T11:00:00.123Z",
        "'\"2024-03-01T11:00:00.123456\"'     | 2024-03-01T11:00:00.123456Z",
        "'\"2024-03-01T11:00:00Z\"'           | 2024-03-01T11:00:00Z",
        "'\"2024-03-01T11:00:00.5Z\"'         | 2024-03-01T11:00:00.5Z",
        "'\"2024-03-01T11:00:00.123456789Z\"' | 2024-03-01T11:00:00.123456Z",
        "'\"2024-03-01T13:00:00+02:00\"'      | 2024-03-01T11:00:00Z",
        "'\"2024-03-01T06:00:00.25-05:00\"'   | 2024-03-01T11:00:00.25Z",
        "'\"Fri, 1 Mar 2024 05:00:00 CST\"'   | 2024-03-01T11:00:00Z",
        "'\"Fri, 01 Mar 2024 11:00:00 +0000\"'| 2024-03-01T11:00:00Z",
        "'\"1 Mar 2024 11:00:00 GMT\"'        | 2024-03-01T11:00:00Z",
    })
    void stringTimestampsInEveryDocumentedFormat(String json, String expected) {
        assertThat(storedTimestamp(json)).isEqualTo(micros(Instant.parse(expected)));
    }

    @Test
    void atTimestampBecomesTheTimestampAndPlainTimestampIsAnOrdinaryField() {
        Map<String, Object> record = storeOne("{\"@timestamp\":\"2024-03-01T11:00:00Z\",\"timestamp\":\"x\"}");

        assertThat(record).containsOnly(Map.entry("_timestamp", micros(Instant.parse("2024-03-01T11:00:00Z"))),
                Map.entry("timestamp", "x"));
    }

    @Test
    void unparseableTimestampsFailTheirRecord() {
        HttpResponse<String> response = post(server, "s", "[{\"_timestamp\":\"yesterday\"},{\"_timestamp\":true},"
                + "{\"_timestamp\":[1]},{\"_timestamp\":\"2024-03-01T11:00:00.1234\"},"
                + "{\"_timestamp\":\"Mon, 1 Mar 2024 11:00:00 GMT\"},{\"a\":1}]");

        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":1,"
                + "\"failed\":5,\"error\":\"Can't parse timestamp\"}]}");
    }

    @Test
    void recordsOutsideTheWindowFailWithTheLastErrorReported() {
        long old = micros(NOW.minus(Duration.ofHours(6)));
        long far = micros(NOW.plus(Duration.ofHours(25)));
        long oldest = micros(NOW.minus(Duration.ofHours(5)));
        long farthest = micros(NOW.plus(Duration.ofHours(24)));

        HttpResponse<String> response = post(server, "s", "[{\"_timestamp\":" + old + "},{\"_timestamp\":" + far
                + "},{\"_timestamp\":" + oldest + "},{\"_timestamp\":" + farthest + "},{\"_timestamp\":" + old + "}]");

        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":2,"
                + "\"failed\":3,\"error\":\"" + TOO_OLD + "\"}]}");
        assertThat(server.records("s")).extracting(r -> r.get("_timestamp")).containsExactly(oldest, farthest);

        response = post(server, "s", "[{\"_timestamp\":" + old + "},{\"_timestamp\":" + (farthest + 1) + "}]");
        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":0,"
                + "\"failed\":2,\"error\":\"" + TOO_FAR + "\"}]}");
        assertThat(post(server, "s", "{\"_timestamp\":" + (oldest - 1) + "}").body()).contains(TOO_OLD);
    }

    @Test
    void windowMessagesFollowTheConfiguredHours() {
        server.close();
        server = OpenObserveServer.builder().clock(Http.FIXED).ingestAllowedUptoHours(2)
                .ingestAllowedInFutureHours(1).start();

        String old = post(server, "s", "{\"_timestamp\":" + micros(NOW.minus(Duration.ofHours(3))) + "}").body();
        String far = post(server, "s", "{\"_timestamp\":" + micros(NOW.plus(Duration.ofHours(2))) + "}").body();

        assertThat(old).contains("\"error\":\"Too old data, only last 2 hours data can be ingested. Data discarded."
                + " You can adjust ingestion max time by setting the environment variable"
                + " ZO_INGEST_ALLOWED_UPTO=<max_hours>\"");
        assertThat(far).contains("\"error\":\"Too far data, only future 1 hours data can be ingested. Data discarded."
                + " You can adjust ingestion max time by setting the environment variable"
                + " ZO_INGEST_ALLOWED_IN_FUTURE=<max_hours>\"");
    }

    // ------------------------------------------------------------------------------------------------ names

    @Test
    void keysAreNormalisedAsTheDocShows() {
        Map<String, Object> record = storeOne("{\"userId\":\"u\",\"key+bar\":\"v\",\"@nested_key\":{\"#key\":\"w\"},"
                + "\"eventType\":\"click\",\"snake_case\":1}");

        assertThat(record).containsOnlyKeys("userid", "key_bar", "_nested_key__key", "eventtype", "snake_case",
                "_timestamp");
        assertThat(record).containsEntry("userid", "u").containsEntry("key_bar", "v")
                .containsEntry("_nested_key__key", "w");
    }

    @Test
    void collidingKeysKeepTheLastInOpenObserveOrder() {
        // OpenObserve walks keys sorted ("userId" < "userid"), so "userid" is written last and wins.
        assertThat(storeOne("{\"userid\":1,\"userId\":2}")).containsEntry("userid", 1L);
        assertThat(storeOne("{\"userId\":2,\"userid\":1}")).containsEntry("userid", 1L);
        assertThat(storeOne("{\"a\":{\"b\":1},\"a_b\":2}")).containsEntry("a_b", 2L);
    }

    @Test
    void reservedFieldsOtherThanTheTimestampAreStoredAsSent() {
        assertThat(OpenObserveServer.RESERVED_FIELDS).containsExactlyInAnyOrder("_timestamp", "_o2_ingest_ts",
                "_o2_id", "_original", "_all_values", "_all");

        assertThat(storeOne("{\"_o2_id\":5,\"_all\":\"x\",\"_original\":\"y\"}"))
                .containsEntry("_o2_id", 5L).containsEntry("_all", "x").containsEntry("_original", "y");
    }

    // ------------------------------------------------------------------------------------------- flattening

    @Test
    void flattensToTheDefaultLevelOfThree() {
        Map<String, Object> record = storeOne("{\"a\":{\"b\":{\"c\":1}},\"x\":{\"y\":{\"Z\":{\"W\":1,\"v\":null}}}}");

        assertThat(record).containsEntry("a_b_c", 1L)
                .containsEntry("x_y_z", "{\"W\":1,\"v\":null}")
                .hasSize(3);
    }

    @Test
    void flattenLevelIsConfigurable() {
        server.close();
        server = OpenObserveServer.builder().clock(Http.FIXED).flattenLevel(1).start();
        assertThat(storeOne("{\"info\":{\"city\":\"X\",\"geo\":{\"lat\":1.5}}}"))
                .containsEntry("info", "{\"city\":\"X\",\"geo\":{\"lat\":1.5}}");

        server.close();
        server = OpenObserveServer.builder().clock(Http.FIXED).flattenLevel(0).start();
        assertThat(storeOne("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":true}}}}}")).containsEntry("a_b_c_d_e", true);
    }

    @Test
    void arraysAreJsonTextAndEmptiesAndNullsAreDropped() {
        Map<String, Object> record = storeOne("{\"tags\":[\"a\",{\"Z\":1,\"b\":null}],\"n\":{\"list\":[1,2.0]},"
                + "\"empty\":{},\"none\":[],\"deep\":{\"e\":{}},\"gone\":null,\"kept\":{\"x\":null,\"y\":0}}");

        assertThat(record).containsOnly(
                Map.entry("tags", "[\"a\",{\"Z\":1,\"b\":null}]"),
                Map.entry("n_list", "[1,2.0]"),
                Map.entry("kept_y", 0L),
                Map.entry("_timestamp", micros(NOW)));
    }

    // ------------------------------------------------------------------------------------------------ types

    @Test
    void valuesThatCannotBeCastToTheStreamTypeFail() {
        assertThat(post(server, "s", "{\"count\":1,\"price\":1.5,\"ok\":true,\"name\":\"x\"}").body())
                .isEqualTo(okBody("s", 1, 0));

        HttpResponse<String> response = post(server, "s", "[{\"count\":\"abc\"},{\"count\":\"42\"},{\"price\":3},"
                + "{\"name\":5},{\"ok\":1},{\"ok\":\"false\"},{\"price\":\"2.5\"},{\"ok\":\"yes\"}]");

        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":6,"
                + "\"failed\":2,\"error\":\"Failed to cast ok to type Boolean \"}]}");
        assertThat(server.records("s").stream().skip(1).map(r -> {
            Map<String, Object> copy = new java.util.HashMap<>(r);
            copy.remove("_timestamp");
            return copy;
        }).collect(Collectors.toList())).containsExactly(Map.of("count", 42L), Map.of("price", 3.0),
                Map.of("name", "5"), Map.of("ok", true), Map.of("ok", false), Map.of("price", 2.5));

        assertThat(post(server, "s", "{\"count\":\"abc\"}").body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":"
                + "\"s\",\"successful\":0,\"failed\":1,\"error\":\"Failed to cast count to type Int64 \"}]}");
        assertThat(post(server, "s", "{\"count\":\"x\",\"price\":\"y\"}").body())
                .contains("Failed to cast count to type Int64 ").contains("Failed to cast price to type Float64 ");
    }

    @Test
    void aNewFieldTakesTheTypeOfItsFirstBatch() {
        assertThat(post(server, "s", "[{\"v\":1},{\"v\":\"a\"},{\"f\":1},{\"f\":2.5}]").body())
                .isEqualTo(okBody("s", 4, 0));

        assertThat(server.schema("s")).containsEntry("v", "Utf8").containsEntry("f", "Float64");
        assertThat(server.records("s")).extracting(r -> r.get("v"), r -> r.get("f")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1", null), org.assertj.core.groups.Tuple.tuple("a", null),
                org.assertj.core.groups.Tuple.tuple(null, 1.0), org.assertj.core.groups.Tuple.tuple(null, 2.5));
    }

    // -------------------------------------------------------------------------------------------- columns

    @Test
    void aBatchWithTooManyColumnsIsSilentlyLost() {
        server.close();
        server = OpenObserveServer.builder().clock(Http.FIXED).colsPerRecordLimit(5).start();

        // 4 fields + _timestamp = 5 columns: fine
        assertThat(post(server, "s", "{\"a\":1,\"b\":1,\"c\":1,\"d\":1}").body()).isEqualTo(okBody("s", 1, 0));

        // a, b, c in one record and d, e in another: 6 columns together
        HttpResponse<String> response = post(server, "s", "[{\"a\":1,\"b\":1,\"c\":1},{\"d\":1,\"e\":1},7]");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"code\":200,\"status\":[{\"name\":\"s\",\"successful\":0,"
                + "\"failed\":1,\"error\":\"flatten value must be an object\"}]}");
        assertThat(server.recordCount("s")).isEqualTo(1);
        assertThat(server.schema("s")).doesNotContainKey("e");
        ReceivedRequest logged = server.requests().get(1);
        assertThat(logged.records()).isEqualTo(3);
        assertThat(logged.lost()).isEqualTo(2);

        String wide = IntStream.range(0, 5).mapToObj(i -> "\"f" + i + "\":1").collect(Collectors.joining(",", "{", "}"));
        assertThat(post(server, "s", wide).body()).isEqualTo(okBody("s", 0, 0));
    }
}
