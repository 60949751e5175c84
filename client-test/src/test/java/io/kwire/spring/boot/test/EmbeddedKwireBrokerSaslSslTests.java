package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.testkit.KafkaCluster;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * SASL_SSL with client certificates: the client authenticates twice, with the certificate the bundle carries (the
 * broker requires one) and with the test kit's super user over SASL/PLAIN, and its Metadata request is answered; a
 * client with the same trust and user but no certificate is refused.
 */
@Timeout(120)
@SpringBootTest(classes = TestApplication.class)
@EmbeddedKwireBroker(listener = EmbeddedKwireBroker.Listener.SASL_SSL, clientCertificate = true, topics = "both")
class EmbeddedKwireBrokerSaslSslTests {

    @Autowired
    KwireClient client;

    @Autowired
    EmbeddedBroker broker;

    @Test
    void theClientAuthenticatesWithItsCertificateAndSaslOverTls() throws Exception {
        assertThat(client.config().saslMechanism()).contains("PLAIN");
        assertThat(client.config().saslPlainUsername()).contains(KafkaCluster.SASL_ADMIN);
        EmbeddedKwireBrokerTlsTests.assertAnsweredOverTheTlsListener(client, broker, SecurityProtocol.SASL_SSL,
                "both");
    }

    @Test
    void theBundleCarriesAClientCertificateFromTheBrokersCa() throws Exception {
        KeyStore keys = broker.sslBundle().getStores().getKeyStore();
        KeyStore trust = broker.sslBundle().getStores().getTrustStore();
        X509Certificate clientCert = (X509Certificate) keys.getCertificate("key");
        X509Certificate ca = (X509Certificate) trust.getCertificate("ca");
        assertThat(keys.isKeyEntry("key")).isTrue();
        assertThat(clientCert.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        clientCert.verify(ca.getPublicKey());
    }

    @Test
    void aClientWithoutTheCertificateIsRefused() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(broker.sslBundle().getStores().getTrustStore());
        SSLContext trustOnly = SSLContext.getInstance("TLS");
        trustOnly.init(null, trust.getTrustManagers(), null);
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .securityProtocol(SecurityProtocol.SASL_SSL).sslContext(trustOnly)
                .saslMechanism("PLAIN").saslPlainUsername(KafkaCluster.SASL_ADMIN)
                .saslPlainPassword(KafkaCluster.SASL_ADMIN_PASSWORD).build();
        try (KwireClient noCertificate = KwireClient.create(config)) {
            noCertificate.start();
            CompletableFuture<ApiVersionsResponse> versions = noCertificate.send(new ApiVersionsRequest());
            Awaitility.await("the broker's refusal").atMost(Duration.ofSeconds(30))
                    .until(() -> noCertificate.status().lastError().isPresent());
            assertThat(noCertificate.status().lastError()).as("the broker's refusal")
                    .hasValueSatisfying(error -> assertThat(error).contains("client certificate"));
            assertThat(noCertificate.status().readyNodeCount()).isZero();
            assertThat(versions).isNotCompleted();
        }
    }
}
