package dev.eventsink.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsink.Channel;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Which value wins when a key is set in several places: Spring's own order, with the environment's
 * {@code UX_EVENT_SINK_*} variables right after Spring's environment variables and {@code .env} last.
 */
class PropertyPrecedenceTest {

    @TempDir
    Path dir;

    @Test
    void eachPlaceWinsOverThoseBelowIt() throws IOException {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("UX_EVENT_SINK_ORG", "from-environment");             // alone
        variables.put("UX_EVENT_SINK_STREAM", "from-environment");          // and in application.properties
        variables.put("UX_EVENT_SINK_URL", "http://sdk-form");              // and in Spring's form
        variables.put("EVENTSINK_UX_URL", "http://spring-form");
        variables.put("UX_EVENT_SINK_LINGER", "2s");                        // and on the command line
        variables.put("PATH", "/usr/bin");                                  // not a key
        Map<String, Object> applicationProperties = Map.of(
                "eventsink.ux.stream", "from-application-properties",
                "eventsink.ux.compression", "none");                         // and in .env
        Path dotenv = Files.writeString(dir.resolve(".env"), "UX_EVENT_SINK_COMPRESSION=gzip\n"
                + "UX_EVENT_SINK_TIMESTAMP_MODE=ingestion\n"                  // alone
                + "OTHER_KEY=x\n");

        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        sources.addLast(new MapPropertySource("Config resource 'class path resource [application.properties]'",
                applicationProperties));
        sources.addFirst(new SimpleCommandLinePropertySource("--eventsink.ux.linger=3s"));

        new EventSinkEnvironmentPostProcessor(dotenv).postProcessEnvironment(environment, null);
        SinkConfig ux = SinkConfig.of(Channel.UX, SpringConfigSource.of(environment));

        assertThat(ux.get("ORG")).contains("from-environment");
        assertThat(ux.origin("ORG")).isEqualTo("eventsink.ux.org from environment variable UX_EVENT_SINK_ORG");
        assertThat(ux.get("STREAM")).contains("from-environment");
        assertThat(ux.get("URL")).contains("http://spring-form");
        assertThat(ux.origin("URL")).isEqualTo("eventsink.ux.url from \"EVENTSINK_UX_URL\" from property source"
                + " \"systemEnvironment\"");
        assertThat(ux.get("LINGER")).contains("3s");
        assertThat(ux.get("COMPRESSION")).contains("none");
        assertThat(ux.get("TIMESTAMP_MODE")).contains("ingestion");
        assertThat(ux.origin("TIMESTAMP_MODE")).isEqualTo("eventsink.ux.timestamp-mode from UX_EVENT_SINK_TIMESTAMP_MODE"
                + " in .env (" + dotenv.toAbsolutePath() + ")");
        assertThat(ux.suffixes()).containsExactly("COMPRESSION", "LINGER", "ORG", "STREAM", "TIMESTAMP_MODE", "URL");
        assertThat(sources.stream().map(s -> s.getName())).containsExactly("commandLineArgs", "systemProperties",
                "systemEnvironment", EventSinkEnvironmentPostProcessor.ENVIRONMENT_SOURCE,
                "Config resource 'class path resource [application.properties]'",
                EventSinkEnvironmentPostProcessor.DOTENV_SOURCE);
    }

    @Test
    void withoutKeysInTheEnvironmentOrADotenvNothingIsAdded() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("HOME", "/root")));

        new EventSinkEnvironmentPostProcessor(dir.resolve("missing.env")).postProcessEnvironment(environment, null);

        assertThat(environment.getPropertySources().stream().map(s -> s.getName()))
                .containsExactly("systemProperties", "systemEnvironment");
    }

    @Test
    void aMalformedDotenvFailsStartUpNamingTheLineWithSecretsMasked() throws IOException {
        Path dotenv = Files.writeString(dir.resolve(".env"), "UX_EVENT_SINK_TYPE=mock\nUX_EVENT_SINK_API_KEY secret\n");

        assertThatThrownBy(() -> new EventSinkEnvironmentPostProcessor(dotenv)
                        .postProcessEnvironment(new StandardEnvironment(), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Malformed .env file " + dotenv.toAbsolutePath() + " line 2: 'UX_EVENT_SINK_API_KEY ****' is"
                        + " not KEY=VALUE (expected KEY=VALUE, a # comment or a blank line)");
    }
}
