package dev.eventsink.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.EventSink;
import dev.eventsink.export.DeliveryPipeline;
import dev.eventsink.export.FsyncPolicy;
import dev.eventsink.export.OverflowPolicy;
import dev.eventsink.export.PipelineConfig;
import dev.eventsink.mock.MockSink;
import dev.eventsink.mock.MockSinkProvider;
import dev.eventsink.openobserve.OpenObserveSinkProvider;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import dev.eventsink.testkit.RecordingSinkProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code META-INF/spring-configuration-metadata.json} is written by hand; this keeps it complete and true: every key
 * the SDK's sinks read is listed for both channels, with the SDK's description and default.
 */
class ConfigurationMetadataTest {

    private static final List<EventSinkProvider> SDK_PROVIDERS = List.of(new OpenObserveSinkProvider(),
            new MockSinkProvider(), new RecordingSinkProvider());
    private static final Map<String, String> REQUIRED = Map.of("URL", "http://127.0.0.1:5080",
            "API_KEY", "root@example.com:Complexpass#123");

    private final JsonNode metadata = read();

    @Test
    void listsExactlyTheKeysTheSdksSinksReadForEachChannel() {
        for (Channel channel : Channel.values()) {
            Set<String> read = new TreeSet<>();
            for (EventSinkProvider provider : SDK_PROVIDERS) {
                read.addAll(keysRead(provider, channel));
            }
            assertThat(suffixesListed(channel)).as(channel + " keys in the metadata").isEqualTo(read);
            assertThat(new TreeSet<>(SinkProperties.KNOWN_SUFFIXES)).as("SinkProperties.KNOWN_SUFFIXES").isEqualTo(read);
        }
    }

    @Test
    void everyPropertyHasATypeAndADescriptionNamingItsSdkKey() {
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            assertThat(property.path("type").asText()).as(name + " type").isNotBlank();
            assertThat(property.path("sourceType").asText()).as(name + " sourceType").startsWith("dev.eventsink.spring.");
            String description = property.path("description").asText();
            assertThat(description).as(name + " description").isNotBlank().endsWith(".");
            String sdkKey = SinkProperties.sdkKeyOf(name);
            if (sdkKey != null) {
                assertThat(description).as(name + " description").contains("SDK key " + sdkKey);
            }
        }
        assertThat(metadata.get("properties")).hasSize(2 * SinkProperties.KNOWN_SUFFIXES.size() + 2);
    }

    @Test
    void settingEveryPipelineAndOpenObserveKeyToItsListedDefaultChangesNothing() {
        for (Channel channel : Channel.values()) {
            Map<String, String> minimal = new HashMap<>();
            minimal.put(channel.key("TYPE"), "openobserve");
            REQUIRED.forEach((suffix, value) -> minimal.put(channel.key(suffix), value));
            Map<String, String> withDefaults = new HashMap<>(minimal);
            Set<String> openObserveKeys = keysRead(new OpenObserveSinkProvider(), channel);
            defaults(channel).forEach((suffix, value) -> {
                if (openObserveKeys.contains(suffix)) {
                    withDefaults.put(channel.key(suffix), value);
                }
            });
            assertThat(withDefaults.size() - minimal.size()).as("defaults set").isEqualTo(23);

            try (EventSink plain = new OpenObserveSinkProvider().create(SinkConfig.of(channel, minimal));
                    EventSink explicit = new OpenObserveSinkProvider().create(SinkConfig.of(channel, withDefaults))) {
                DeliveryPipeline a = (DeliveryPipeline) plain;
                DeliveryPipeline b = (DeliveryPipeline) explicit;
                assertThat(a.config()).isEqualTo(PipelineConfig.defaults()).isEqualTo(b.config());
                assertThat(b.toString()).isEqualTo(a.toString());
            }
        }
        assertThat(defaults(Channel.UX)).containsEntry("CAPACITY", String.valueOf(MockSink.DEFAULT_CAPACITY));
    }

    @Test
    void agreesWithTheReadmesConfigurationTable() throws IOException {
        Map<String, String> readme = readmeDefaults();
        Set<String> listed = suffixesListed(Channel.UX);
        assertThat(readme.keySet()).containsAll(listed);
        assertThat(new TreeSet<>(readme.keySet())).as("README keys the metadata leaves to their plugin")
                .containsExactlyElementsOf(union(listed, Set.of("PATH")));
        Map<String, String> expected = new TreeMap<>();
        readme.forEach((suffix, value) -> {
            if (listed.contains(suffix) && value != null) {
                expected.put(suffix, value);
            }
        });
        assertThat(new TreeMap<>(defaults(Channel.UX))).isEqualTo(expected);
        Map<String, String> sim = new TreeMap<>(defaults(Channel.SIM));
        assertThat(sim.remove("STREAM")).isEqualTo("simulation_events");
        expected.remove("STREAM");
        assertThat(sim).isEqualTo(expected);
    }

    @Test
    void hintsListTheValuesTheSdkAccepts() {
        for (String channel : List.of("ux", "sim")) {
            assertThat(hintValues("eventsink." + channel + ".overflow")).containsExactlyElementsOf(
                    Arrays.stream(OverflowPolicy.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
            assertThat(hintValues("eventsink." + channel + ".type"))
                    .containsExactlyElementsOf(SDK_PROVIDERS.stream().map(EventSinkProvider::type).toList());
            assertThat(hintValues("eventsink." + channel + ".compression")).containsExactly("gzip", "none");
            assertThat(hintValues("eventsink." + channel + ".timestamp-mode")).containsExactly("event", "ingestion");
            assertThat(hintValues("eventsink." + channel + ".spool-fsync")).containsExactlyElementsOf(
                    Arrays.stream(FsyncPolicy.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    private Set<String> suffixesListed(Channel channel) {
        String prefix = SinkProperties.channelPrefix(channel) + ".";
        Set<String> suffixes = new TreeSet<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            if (name.startsWith(prefix)) {
                assertThat(SinkProperties.propertyName(channel, SinkProperties.suffix(name.substring(prefix.length()))))
                        .as("property name in kebab case").isEqualTo(name);
                suffixes.add(SinkProperties.suffix(name.substring(prefix.length())));
            }
        }
        return suffixes;
    }

    /** Listed defaults of a channel by suffix, as text. */
    private Map<String, String> defaults(Channel channel) {
        String prefix = SinkProperties.channelPrefix(channel) + ".";
        Map<String, String> defaults = new LinkedHashMap<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            if (name.startsWith(prefix) && property.has("defaultValue")) {
                defaults.put(SinkProperties.suffix(name.substring(prefix.length())), property.get("defaultValue").asText());
            }
        }
        return defaults;
    }

    private List<String> hintValues(String name) {
        for (JsonNode hint : metadata.get("hints")) {
            if (hint.get("name").asText().equals(name)) {
                return hint.get("values").findValuesAsText("value");
            }
        }
        throw new AssertionError("no hint for " + name);
    }

    private static Set<String> keysRead(EventSinkProvider provider, Channel channel) {
        KeyRecordingSource source = new KeyRecordingSource(channel, provider.type());
        provider.create(SinkConfig.of(channel, source)).close();
        return source.askedSuffixes();
    }

    /**
     * The UX rows of the root README's configuration table: suffix to default, null where it has none
     * ({@code required}, {@code unset}).
     */
    private static Map<String, String> readmeDefaults() throws IOException {
        Pattern row = Pattern.compile("^\\| `UX_EVENT_SINK_([A-Z0-9_]+)` \\| ([^|]*) \\|");
        Pattern value = Pattern.compile("^`([^`]+)`");
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("../README.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                Matcher v = value.matcher(m.group(2).trim());
                defaults.put(m.group(1), v.find() ? v.group(1) : null);
            }
        }
        assertThat(defaults).as("rows of README.md's configuration table").isNotEmpty();
        return defaults;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static JsonNode read() {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A source with a sink's required keys that records every key a provider asks for. */
    static final class KeyRecordingSource implements ConfigSource {
        private final Channel channel;
        private final Map<String, String> values = new HashMap<>();
        private final Set<String> asked = new TreeSet<>();

        KeyRecordingSource(Channel channel, String type) {
            this.channel = channel;
            values.put(channel.key("TYPE"), type);
            REQUIRED.forEach((suffix, value) -> values.put(channel.key(suffix), value));
        }

        Set<String> askedSuffixes() {
            return asked.stream().filter(k -> k.startsWith(channel.prefix()))
                    .map(k -> k.substring(channel.prefix().length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public synchronized Optional<String> get(String key) {
            asked.add(key);
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public Set<String> keys() {
            return values.keySet();
        }

        @Override
        public String origin(String key) {
            return "test";
        }
    }
}
