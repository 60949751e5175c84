package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.SecurityProtocol;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * An SSL listener: the auto-configured client reaches the broker over TLS with hostname verification on, trusting
 * the CA made at start through the SSL bundle of the annotation's connection details, with no kwire property set;
 * the bundle is in Boot's {@link SslBundles} under {@value EmbeddedBroker#SSL_BUNDLE_NAME} for other clients.
 */
@Timeout(120)
@SpringBootTest(classes = TestApplication.class,
        // what the annotation replaces: another cluster, and a bundle the application does not define
        properties = {"kwire.client.bootstrap-servers=nowhere.invalid:9093", "kwire.client.ssl.bundle=missing"})
@EmbeddedKwireBroker(listener = EmbeddedKwireBroker.Listener.SSL, topics = "secured")
class EmbeddedKwireBrokerTlsTests {

    @Autowired
    KwireClient client;

    @Autowired
    EmbeddedBroker broker;

    @Autowired
    SslBundles sslBundles;

    @Autowired
    ApplicationContext context;

    @Test
    void theClientTalksTlsWithHostnameVerificationToTheBrokersTlsListener() throws Exception {
        ApiVersionsResponse versions = client.send(new ApiVersionsRequest()).get(30, TimeUnit.SECONDS);
        assertThat(versions.errorCode()).isZero();
        assertAnsweredOverTheTlsListener(client, broker, SecurityProtocol.SSL, "secured");
    }

    /**
     * The client uses the TLS listener with hostname verification on, and its Metadata request is answered with
     * the TLS listener's address (the one the client was given) and the annotation's topic.
     */
    static void assertAnsweredOverTheTlsListener(KwireClient client, EmbeddedBroker broker,
                                                 SecurityProtocol protocol, String topic) throws Exception {
        assertThat(client.config().securityProtocol()).isEqualTo(protocol);
        assertThat(client.config().sslCheckHostname()).as("hostname verification").isTrue();
        assertThat(client.config().bootstrapServers()).containsExactly(broker.bootstrapServers());
        assertThat(broker.bootstrapServers()).isNotEqualTo(broker.cluster().bootstrapServers());

        MetadataResponse metadata = client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS);
        assertThat(metadata.brokers()).singleElement().satisfies(b -> assertThat(b.host() + ":" + b.port())
                .isEqualTo(broker.bootstrapServers()));
        assertThat(metadata.topics()).extracting(MetadataResponse.MetadataResponseTopic::name).contains(topic);
    }

    @Test
    void theBundleTrustsTheBrokersCaWhoseCertificateNamesLocalhostAndIsRegisteredByName() throws Exception {
        KwireClientConnectionDetails details = context.getBean(KwireClientConnectionDetails.class);
        assertThat(details.getSecurityProtocol()).isEqualTo(SecurityProtocol.SSL);
        assertThat(details.getSslBundle()).isSameAs(broker.sslBundle());
        assertThat(details.getSaslCredentials()).isNull();
        SslBundle named = sslBundles.getBundle(EmbeddedBroker.SSL_BUNDLE_NAME);
        assertThat(named).isSameAs(broker.sslBundle());
        assertThat(named.getStores().getKeyStore()).as("no client certificate unless asked").isNull();
        X509Certificate ca = (X509Certificate) named.getStores().getTrustStore().getCertificate("ca");
        assertThat(ca.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);

        KafkaConnectionDetails boot = context.getBean(KafkaConnectionDetails.class);
        assertThat(boot.getSecurityProtocol()).isEqualTo("SSL");
        assertThat(boot.getSslBundle()).isSameAs(named);
        assertThat(boot.getBootstrapServers()).isEqualTo(List.of(broker.bootstrapServers()));
        assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
    }
}
