package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValueTypesTest {

    @Test
    void passwordNeverPrintsItsValue() {
        Password p = Password.of("s3cret");
        assertThat(p.toString()).isEqualTo("[hidden]");
        assertThat(p.value()).isEqualTo("s3cret");
        assertThat(p).isEqualTo(Password.of("s3cret")).isNotEqualTo(Password.of("other"));
        assertThat(Password.of(null)).isNull();
    }

    @Test
    void oauthTokenHidesItsValue() {
        OAuthBearerToken t = new OAuthBearerToken("eyJhbGciOi", Map.of("tenant", "a"), Instant.EPOCH);
        assertThat(t.toString()).doesNotContain("eyJhbGciOi").contains("tenant");
        assertThatThrownBy(() -> new OAuthBearerToken("x", Map.of("auth", "y"), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void brokerVersionParsesAndOrders() {
        assertThat(BrokerVersion.parse("3.9")).isEqualTo(new BrokerVersion(3, 9, 0));
        assertThat(BrokerVersion.parse("2.8.1").toString()).isEqualTo("2.8.1");
        assertThat(BrokerVersion.parse("3.10")).isGreaterThan(BrokerVersion.parse("3.9.5"));
        assertThat(BrokerVersion.parse("4.0").isAtLeast(BrokerVersion.parse("4.0.0"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "3.x", "1.2.3.4", "-1.0"})
    void brokerVersionRejectsMalformedText(String text) {
        assertThatThrownBy(() -> BrokerVersion.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void securityProtocolsSayWhatTheyUse() {
        assertThat(SecurityProtocol.SASL_SSL.usesTls()).isTrue();
        assertThat(SecurityProtocol.SASL_SSL.usesSasl()).isTrue();
        assertThat(SecurityProtocol.SSL.usesSasl()).isFalse();
        assertThat(SecurityProtocol.PLAINTEXT.usesTls()).isFalse();
    }

    @Test
    void versionFallsBackToTheDevelopmentVersionOutsideAJar() {
        assertThat(KwireVersion.get()).matches(KafkaClientConfig.SOFTWARE_PATTERN);
    }
}
