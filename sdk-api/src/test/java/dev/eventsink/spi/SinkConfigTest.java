package dev.eventsink.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

    private final Map<String, String> values = Map.of(
            "UX_EVENT_SINK_TYPE", " OpenObserve ",
            "UX_EVENT_SINK_URL", "http://localhost:5080",
            "UX_EVENT_SINK_API_KEY", "sk-live-5ecret",
            "UX_EVENT_SINK_PASSWORD", "hunter2",
            "UX_EVENT_SINK_ORG", "  ",
            "UX_EVENT_SINK_", "bare prefix",
            "SIM_EVENT_SINK_TYPE", "mock");

    private final SinkConfig ux = SinkConfig.of(Channel.UX, values);

    @Test
    void valuesAreReadBySuffixTrimmedAndBlankIsUnset() {
        assertThat(ux.get("URL")).contains("http://localhost:5080");
        assertThat(ux.get("TYPE")).contains("OpenObserve");
        assertThat(ux.get("ORG")).isEmpty();
        assertThat(ux.get("STREAM")).isEmpty();
        assertThat(ux.key("URL")).isEqualTo("UX_EVENT_SINK_URL");
        assertThat(ux.channel()).isEqualTo(Channel.UX);
    }

    @Test
    void typeIsTrimmedAndLowercased() {
        assertThat(ux.type()).contains("openobserve");
        assertThat(SinkConfig.of(Channel.UX, Map.of()).type()).isEmpty();
    }

    @Test
    void suffixesAreThoseOfThisChannelSorted() {
        assertThat(ux.suffixes()).containsExactly("API_KEY", "ORG", "PASSWORD", "TYPE", "URL");
        assertThat(SinkConfig.of(Channel.SIM, values).suffixes()).containsExactly("TYPE");
    }

    @Test
    void displayMasksSecrets() {
        assertThat(ux.display("API_KEY")).isEqualTo("****");
        assertThat(ux.display("PASSWORD")).isEqualTo("****");
        assertThat(ux.display("URL")).isEqualTo("http://localhost:5080");
        assertThat(ux.display("STREAM")).isEqualTo("<unset>");
    }

    @Test
    void toStringMasksSecrets() {
        assertThat(ux).hasToString("SinkConfig{UX_EVENT_SINK_API_KEY=****, UX_EVENT_SINK_ORG=<unset>,"
                + " UX_EVENT_SINK_PASSWORD=****, UX_EVENT_SINK_TYPE=OpenObserve, UX_EVENT_SINK_URL=http://localhost:5080}");
    }

    @Test
    void originIsThatOfTheSource() {
        assertThat(SinkConfig.of(Channel.SIM, ConfigSource.fromMap(values)).origin("TYPE"))
                .isEqualTo("explicit configuration");
    }
}
