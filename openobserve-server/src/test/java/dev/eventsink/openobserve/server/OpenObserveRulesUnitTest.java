package dev.eventsink.openobserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The normalisation, flattening and timestamp rules, checked against the cases of OpenObserve's own unit tests
 * ({@code flatten.rs} and {@code time.rs}).
 */
class OpenObserveRulesUnitTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long NOW = 1_709_294_400_000_000L;

    private static Map<String, Object> flatten(String json, int level) throws Exception {
        return Flattener.flatten(MAPPER.readTree(json), level);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void formatKeyMatchesOpenObserve() {
        String[][] cases = {
            {"already_formatted_key_123", "already_formatted_key_123"}, {"simple", "simple"},
            {"HelloWorld", "helloworld"}, {"UPPERCASE", "uppercase"}, {"hello!world@123#", "hello_world_123_"},
            {"test.key-here", "test_key_here"}, {"Mixed_Case_123!@#", "mixed_case_123___"},
            {"camelCaseTest", "camelcasetest"}, {"hello世界", "hello__"}, {"café_là", "café_là"}, {"", ""},
            {"!@#$%^", "______"}, {"____", "____"}, {"Hello世界World", "hello__world"}, {"test!!!test", "test___test"},
            {"test123test456", "test123test456"}, {"123test", "123test"},
            {"userId", "userid"}, {"key+bar", "key_bar"}, {"@nested_key", "_nested_key"}, {"#key", "_key"},
            {"Ümlaut", "ümlaut"}, {"a\uD83D\uDE00b", "a_b"},
        };
        for (String[] c : cases) {
            assertThat(Names.formatKey(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void formatStreamNameMatchesOpenObserve() {
        assertThat(Names.formatStreamName("stream-name with spaces!")).isEqualTo("stream_name_with_spaces_");
        assertThat(Names.formatStreamName("UX_Events")).isEqualTo("ux_events");
        assertThat(Names.formatStreamName("a:b")).isEqualTo("a:b");
        assertThat(Names.formatStreamName("a/-/b")).isEqualTo("a_b");
        assertThat(Names.formatStreamName("日本")).isEqualTo("_");
        assertThat(Names.formatStreamName("Ünïcode")).isEqualTo("_n_code");
    }

    @Test
    void flattenMatchesOpenObserveTests() throws Exception {
        assertThat(flatten("{\"int\":1,\"Float\":2.0,\"str\":\"a\",\"bool\":true,\"null\":null}", 0))
                .isEqualTo(map("int", 1L, "float", 2.0, "str", "a", "bool", true));
        assertThat(flatten("{\"s\":{\"a\":[1,2.0,\"b\",null,true]}}", 0))
                .isEqualTo(map("s_a", "[1,2.0,\"b\",null,true]"));
        assertThat(flatten("{\"key\":\"value\",\"nested_key\":{\"key1\":\"value1\",\"key2\":\"value2\"}}", 0))
                .isEqualTo(map("key", "value", "nested_key_key1", "value1", "nested_key_key2", "value2"));
        assertThat(flatten("{\"simple_key\":\"simple_value\",\"key\":[\"value1\",{\"key\":\"value2\"},"
                + "{\"nested_array\":[\"nested1\",\"nested2\",[\"nested3\",\"nested4\"]]}]}", 0))
                .isEqualTo(map("simple_key", "simple_value", "key", "[\"value1\",{\"key\":\"value2\"},"
                        + "{\"nested_array\":[\"nested1\",\"nested2\",[\"nested3\",\"nested4\"]]}]"));
        assertThat(flatten("{\"key\":[]}", 0)).isEmpty();
        assertThat(flatten("{\"key\":{}}", 0)).isEmpty();
        assertThat(flatten("{}", 0)).isEmpty();
        assertThat(flatten("{\"key\":{\"key2\":{},\"key3\":[[],{},{\"k\":{},\"q\":[]}]}}", 0))
                .isEqualTo(map("key_key3", "[[],{},{\"k\":{},\"q\":[]}]"));
        assertThat(flatten("{\"key\":{\"key2\":[],\"key3\":\"a\"}}", 0)).isEqualTo(map("key_key3", "a"));
        assertThat(flatten("{\"key\":{\"\":\"a\"}}", 0)).isEqualTo(map("key_", "a"));
        assertThat(flatten("{\"key\":{\"\":{\"\":{\"\":\"a\"}}}}", 0)).isEqualTo(map("key___", "a"));
        assertThat(flatten("{\"a\":[1,[2,[3,4],5],6]}", 0)).isEqualTo(map("a", "[1,[2,[3,4],5],6]"));
        assertThat(flatten("{\"key+bar\":\"value\",\"@nested_key\":{\"#key\":\"value\",\"&Foo\":\"Bar\"}}", 0))
                .isEqualTo(map("key_bar", "value", "_nested_key__key", "value", "_nested_key__foo", "Bar"));
        assertThat(flatten("{\"a\":{\"A.1\":[1,[3,4],5],\"A_2\":6}}", 0))
                .isEqualTo(map("a_a_1", "[1,[3,4],5]", "a_a_2", 6L));
        for (String notAnObject : List.of("3", "\"\"", "false", "null", "[1,2,3]")) {
            assertThat(flatten(notAnObject, 0)).as(notAnObject).isNull();
        }
    }

    @Test
    void flattenLevelsMatchOpenObserveTest() throws Exception {
        String input = "{\"firstName\":\"John\",\"lastName\":\"Doe\",\"age\":25,\"info\":{\"address\":{"
                + "\"streetAddress\":\"123 Main St\",\"city\":\"Anytown\",\"state\":\"CA\",\"postalCode\":\"12345\","
                + "\"phoneNumbers\":{\"type\":\"home\",\"number\":\"555-555-1234\"}},\"phoneNumbers\":["
                + "{\"type\":\"home\",\"number\":\"555-555-1234\"},{\"type\":\"work\",\"number\":\"555-555-5678\"}]}}";
        String phones = "[{\"number\":\"555-555-1234\",\"type\":\"home\"},{\"number\":\"555-555-5678\",\"type\":\"work\"}]";
        Map<String, Object> base = map("firstname", "John", "lastname", "Doe", "age", 25L);

        Map<String, Object> level0 = new LinkedHashMap<>(base);
        level0.putAll(map("info_address_streetaddress", "123 Main St", "info_address_city", "Anytown",
                "info_address_state", "CA", "info_address_postalcode", "12345",
                "info_address_phonenumbers_number", "555-555-1234", "info_address_phonenumbers_type", "home",
                "info_phonenumbers", phones));
        Map<String, Object> level1 = new LinkedHashMap<>(base);
        level1.put("info", "{\"address\":{\"city\":\"Anytown\",\"phoneNumbers\":{\"number\":\"555-555-1234\","
                + "\"type\":\"home\"},\"postalCode\":\"12345\",\"state\":\"CA\",\"streetAddress\":\"123 Main St\"},"
                + "\"phoneNumbers\":" + phones + "}");
        Map<String, Object> level2 = new LinkedHashMap<>(base);
        level2.putAll(map("info_address", "{\"city\":\"Anytown\",\"phoneNumbers\":{\"number\":\"555-555-1234\","
                + "\"type\":\"home\"},\"postalCode\":\"12345\",\"state\":\"CA\",\"streetAddress\":\"123 Main St\"}",
                "info_phonenumbers", phones));
        Map<String, Object> level3 = new LinkedHashMap<>(base);
        level3.putAll(map("info_address_streetaddress", "123 Main St", "info_address_city", "Anytown",
                "info_address_state", "CA", "info_address_postalcode", "12345",
                "info_address_phonenumbers", "{\"number\":\"555-555-1234\",\"type\":\"home\"}",
                "info_phonenumbers", phones));

        assertThat(flatten(input, 0)).isEqualTo(level0);
        assertThat(flatten(input, 1)).isEqualTo(level1);
        assertThat(flatten(input, 2)).isEqualTo(level2);
        assertThat(flatten(input, 3)).isEqualTo(level3);
        assertThat(flatten(input, 4)).isEqualTo(level0);
        assertThat(flatten(input, 5)).isEqualTo(level0);
    }

    @Test
    void jsonTextIsWrittenLikeSerdeJson() throws Exception {
        JsonNode node = MAPPER.readTree("{\"b\":[1.0,2.5,1e20,1.5e-7,100,0.001,-0.0,12345678901234567890,"
                + "123456789012345678901234],\"a\":\"q\\\"\\\\\\n\\u0001é/\"}");
        assertThat(SerdeJson.write(node)).isEqualTo("{\"a\":\"q\\\"\\\\\\n\\u0001é/\",\"b\":[1.0,2.5,1e20,1.5e-7,"
                + "100,0.001,-0.0,12345678901234567890,1.2345678901234569e23]}");
        assertThat(SerdeJson.formatDouble(1e16)).isEqualTo("1e16");
        assertThat(SerdeJson.formatDouble(1234567890123456.0)).isEqualTo("1234567890123456.0");
        assertThat(SerdeJson.formatDouble(0.00001)).isEqualTo("0.00001");
        assertThat(SerdeJson.formatDouble(0.000001)).isEqualTo("1e-6");
        assertThat(SerdeJson.formatDouble(0.0001)).isEqualTo("0.0001");
        assertThat(SerdeJson.formatDouble(-3.25)).isEqualTo("-3.25");
        // JDK 17's Double.toString gives 2.82879384806159008E17 here (JDK-4511638); ryu gives the shortest
        assertThat(SerdeJson.formatDouble(2.82879384806159E17)).isEqualTo("2.82879384806159e17");
        assertThat(SerdeJson.formatDouble(1.0E23)).isEqualTo("1e23");
        assertThat(SerdeJson.formatDouble(Double.MIN_VALUE)).isEqualTo("5e-324");
    }

    @Test
    void timestampStringsMatchOpenObserveTests() throws Exception {
        Object[][] cases = {
            {"2021-01-01T00:00:00", 1609459200000000L}, {"2021-01-01T00:00:00Z", 1609459200000000L},
            {"2021-01-01T23:59:59Z", 1609545599000000L}, {"2021-01-01T00:00:00+08:00", 1609430400000000L},
            {"2021-01-01T00:00:00-08:00", 1609488000000000L}, {"2021-01-01 00:00:00", 1609459200000000L},
            {"2021-01-01T00:00:00.000000Z", 1609459200000000L},
            {"2021-01-01T00:00:00.000000+08:00", 1609430400000000L},
            {"Wed, 8 Mar 2023 16:46:51 CST", 1678315611000000L}, {"2021-01-01T00:00:00.123", 1609459200123000L},
            {"2021-01-01T00:00:00.123456", 1609459200123456L},
            {"2021-01-01T00:00:00.123456+08:00", 1609430400123456L},
            {"2021-01-01T00:00:00.123456789-08:00", 1609488000123456L},
            {"2021-01-01T00:00:00.123Z", 1609459200123000L}, {"2021-01-01T00:00:00.1Z", 1609459200100000L},
            {"2021-01-01T00:00:00.12Z", 1609459200120000L}, {"2021-01-01T00:00:00.1234Z", 1609459200123400L},
            {"2021-01-01T00:00:00.12345Z", 1609459200123450L}, {"2021-01-01T00:00:00.1234567Z", 1609459200123456L},
            {"2021-01-01T00:00:00.12+08:00", 1609430400120000L}, {"2021-01-01T00:00:00.12345-08:00", 1609488000123450L},
            {"1609459200000000000", 1609459200000000L}, {"1609459200000000", 1609459200000000L},
            {"1609459200000", 1609459200000000L}, {"1609459200", 1609459200000000L},
            {"\"2021-01-01 00:00:00\"", 1609459200000000L}, {"0", NOW},
        };
        for (Object[] c : cases) {
            assertThat(Timestamps.toMicros(c[0], NOW)).as((String) c[0]).isEqualTo(c[1]);
        }
        for (String bad : List.of("2021-01-01T00:00:00.123456789", "2021-13-01 00:00:00", "soon", "", "12:00",
                "2021-01-01T00:00:00+8", "Thu, 8 Mar 2023 16:46:51 CST")) {
            assertThatThrownBy(() -> Timestamps.toMicros(bad, NOW)).as(bad)
                    .isInstanceOf(Timestamps.UnparseableTimestamp.class).hasMessage("Can't parse timestamp");
        }
    }

    @Test
    void numericTimestampsGuessTheirUnit() throws Exception {
        assertThat(Timestamps.toMicros(1609459200000000000L, NOW)).isEqualTo(1609459200000000L);
        assertThat(Timestamps.toMicros(1609459200000000L, NOW)).isEqualTo(1609459200000000L);
        assertThat(Timestamps.toMicros(1609459200000L, NOW)).isEqualTo(1609459200000000L);
        assertThat(Timestamps.toMicros(1609459200L, NOW)).isEqualTo(1609459200000000L);
        assertThat(Timestamps.toMicros(1609459200.9, NOW)).isEqualTo(1609459200000000L);
        assertThat(Timestamps.toMicros(0L, NOW)).isEqualTo(NOW);
        assertThatThrownBy(() -> Timestamps.toMicros(Boolean.TRUE, NOW))
                .isInstanceOf(Timestamps.UnparseableTimestamp.class);
    }
}
