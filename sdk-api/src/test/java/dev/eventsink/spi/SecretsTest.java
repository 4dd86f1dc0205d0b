package dev.eventsink.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Nested
    class UrlCredentials {

        @Test
        void userAndPasswordOfAUrlAreMasked() {
            assertThat(Secrets.maskUrlCredentials("http://admin:s3cr3t@localhost:5080/api/default"))
                    .isEqualTo("http://****@localhost:5080/api/default");
        }

        @Test
        void userAloneIsMasked() {
            assertThat(Secrets.maskUrlCredentials("https://ghp_token123@github.com/org/repo"))
                    .isEqualTo("https://****@github.com/org/repo");
        }

        @Test
        void passwordWithASlashIsMaskedWhole() {
            assertThat(Secrets.maskUrlCredentials("http://admin:pa/ss@localhost:5080"))
                    .isEqualTo("http://****@localhost:5080");
        }

        @Test
        void passwordThatLooksLikeAPortAndAPathIsMaskedWhole() {
            // java.net.URI reads this as host "admin", port 1234 and path "/abc@localhost:5080".
            assertThat(Secrets.maskUrlCredentials("http://admin:1234/abc@localhost:5080"))
                    .isEqualTo("http://****@localhost:5080");
        }

        @Test
        void passwordWithQuestionMarkHashAndAtIsMaskedWhole() {
            assertThat(Secrets.maskUrlCredentials("http://admin:p?a#s@s@localhost:5080/x"))
                    .isEqualTo("http://****@localhost:5080/x");
        }

        @Test
        void passwordWithCharactersUriRejectsIsMasked() {
            assertThat(Secrets.maskUrlCredentials("http://admin:pa ss^{x}@localhost:5080"))
                    .isEqualTo("http://****@localhost:5080");
        }

        @Test
        void urlInsideLongerTextIsMasked() {
            assertThat(Secrets.maskUrlCredentials("UX_EVENT_SINK_URL http://admin:s3cr3t@localhost:5080"))
                    .isEqualTo("UX_EVENT_SINK_URL http://****@localhost:5080");
        }

        @Test
        void everyUrlOfATextIsMasked() {
            assertThat(Secrets.maskUrlCredentials("http://a:one@h1 and http://b:two@h2"))
                    .isEqualTo("http://****@h2");
        }

        @Test
        void anAtAfterTheHostMasksUpToIt() {
            // Whether "host/users/" is a host and path or part of a password cannot be told: masking wins.
            assertThat(Secrets.maskUrlCredentials("http://host/users/@me")).isEqualTo("http://****@me");
        }

        @Test
        void textWithoutCredentialsIsUnchanged() {
            assertThat(Secrets.maskUrlCredentials("http://localhost:5080/api/default/ux_events/_json"))
                    .isEqualTo("http://localhost:5080/api/default/ux_events/_json");
            assertThat(Secrets.maskUrlCredentials("root@example.com")).isEqualTo("root@example.com");
            assertThat(Secrets.maskUrlCredentials("not a url: @home")).isEqualTo("not a url: @home");
            assertThat(Secrets.maskUrlCredentials("")).isEmpty();
        }
    }

    @Nested
    class Display {

        @Test
        void secretKeyIsMaskedWhole() {
            assertThat(Secrets.display("UX_EVENT_SINK_API_KEY", "root@example.com:pass")).isEqualTo("****");
        }

        @Test
        void kafkaSecretSettingsPassedThroughAreMaskedWhole() {
            String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
            assertThat(Secrets.display("UX_EVENT_SINK_KAFKA_sasl.jaas.config", jaas)).isEqualTo("****");
            assertThat(Secrets.display("UX_EVENT_SINK_KAFKA_SASL_JAAS_CONFIG", jaas)).isEqualTo("****");
            assertThat(Secrets.display("UX_EVENT_SINK_KAFKA_ssl.keystore.key", "-----BEGIN PRIVATE KEY-----"))
                    .isEqualTo("****");
            assertThat(Secrets.display("UX_EVENT_SINK_KAFKA_ssl.truststore.password", "changeit")).isEqualTo("****");
            assertThat(Secrets.display("UX_EVENT_SINK_KAFKA_linger.ms", "20")).isEqualTo("20");
        }

        @Test
        void otherKeysShowTheirValueWithUrlCredentialsMasked() {
            assertThat(Secrets.display("UX_EVENT_SINK_URL", "http://admin:pa/ss@localhost:5080"))
                    .isEqualTo("http://****@localhost:5080");
            assertThat(Secrets.display("UX_EVENT_SINK_ORG", "default")).isEqualTo("default");
        }
    }
}
