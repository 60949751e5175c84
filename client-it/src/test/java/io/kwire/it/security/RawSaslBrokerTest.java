package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.BrokerVersion;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The raw SASL token exchange of brokers older than Kafka 1.0 (SaslHandshake v0, then bare size-prefixed tokens),
 * against a real broker: current brokers still speak it to a client that sends SaslHandshake v0, so pinning
 * {@code apiVersion} to 0.11.0 (whose version table has SaslHandshake v0 and no SaslAuthenticate) makes kwire
 * take the raw path end to end. Wrong credentials make the broker close the connection without a word, which must
 * surface as an {@link AuthenticationException} that says what to check.
 */
@Timeout(120)
class RawSaslBrokerTest {

    static final String PLAIN_PASSWORD = "dave-raw-plain-secret-3310";
    static final String SCRAM_PASSWORD = "erin-raw-scram-secret-5521";
    static SecureBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new SecureBroker()
                .listener("SASL", "SASL_PLAINTEXT", Map.of(
                        "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                        "plain.sasl.jaas.config", SaslCredentials.plainJaas("dave", PLAIN_PASSWORD),
                        "scram-sha-256.sasl.jaas.config", SaslCredentials.SCRAM_JAAS,
                        "scram-sha-512.sasl.jaas.config", SaslCredentials.SCRAM_JAAS))
                .start();
        // Stored and awaited over SaslAuthenticate (no pinned version), then used over raw tokens below.
        SaslCredentials.addScramUser(broker, "erin", SCRAM_PASSWORD, () -> KafkaClientConfig.builder()
                .bootstrapServers(broker.bootstrap("SASL")).securityProtocol(SecurityProtocol.SASL_PLAINTEXT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    static KafkaClientConfig.Builder rawSasl(String mechanism, String user, String password) {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("SASL"))
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism(mechanism)
                .saslPlainUsername(user).saslPlainPassword(password)
                .apiVersion(BrokerVersion.V0_11_0);
    }

    @Test
    void plainOverRawTokensThenRequestsFlow() {
        try (Clients c = new Clients(rawSasl("PLAIN", "dave", PLAIN_PASSWORD))) {
            // The pinned table has no SaslAuthenticate: the exchange above can only have been raw tokens.
            assertThat(c.client.getApiVersions()).doesNotContainKey(ApiKey.SASL_AUTHENTICATE);
            assertThat(c.metadata().brokers()).hasSize(1);
            assertThat(c.metadata().brokers()).hasSize(1); // and the connection keeps working after the exchange
            assertThat(c.authFailures).isEmpty();
            assertThat(c.connectFailures).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void scramOverRawTokensVerifiesTheServerAndConnects(String mechanism) {
        try (Clients c = new Clients(rawSasl(mechanism, "erin", SCRAM_PASSWORD))) {
            assertThat(c.metadata().brokers()).hasSize(1);
            assertThat(c.authFailures).isEmpty();
        }
    }

    @Test
    void aWrongPlainPasswordIsAnAuthenticationFailureNotAPlainDisconnect() {
        try (Clients c = new Clients(rawSasl("PLAIN", "dave", "not-daves-password-42"))) {
            KwireException e = c.firstFailure();
            assertThat(e).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("raw SASL token exchange")
                    .hasMessageContaining("check the credentials")
                    .hasMessageNotContaining("not-daves-password-42");
            assertThat(c.authFailures).containsExactly(e);
        }
    }

    @Test
    void aWrongScramPasswordIsAnAuthenticationFailure() {
        try (Clients c = new Clients(rawSasl("SCRAM-SHA-256", "erin", "not-erins-password-42"))) {
            KwireException e = c.firstFailure();
            assertThat(e).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("SCRAM-SHA-256")
                    .hasMessageNotContaining("not-erins-password-42");
        }
    }
}
