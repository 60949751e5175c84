package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.ProxyServer;
import io.kwire.testkit.TestPki;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS and SASL run over the proxy's tunnel as over a direct connection: SASL_SSL (PLAIN) to a real broker through
 * Dante (SOCKS5, with a user) and through tinyproxy (HTTP CONNECT), the broker's certificate checked against the
 * host name it advertises, which the client never resolved itself.
 */
@Timeout(120)
class ProxyTlsBrokerTest {

    private static final String STORE_PW = "proxy-tls-store-pw-2209";
    private static final String SASL_PW = "proxy-tls-sasl-secret-7164";

    private static SecureBroker broker;
    private static Path ca;

    @BeforeAll
    static void start() throws Exception {
        Path dir = SecureBroker.tempDir("kwire-proxy-tls");
        TestPki pki = new TestPki("kwire-proxy-test-ca");
        Path store = pki.issue("broker", "localhost").writePkcs12(dir.resolve("broker.p12"), STORE_PW);
        ca = pki.writeCaPem(dir.resolve("ca.pem"));
        broker = new SecureBroker()
                .listener("SASLSSL", "SASL_SSL", Map.of(
                        "ssl.keystore.location", store.toString(), "ssl.keystore.password", STORE_PW,
                        "ssl.key.password", STORE_PW, "ssl.keystore.type", "PKCS12",
                        "sasl.enabled.mechanisms", "PLAIN",
                        "plain.sasl.jaas.config", SaslCredentials.plainJaas("carol", SASL_PW)))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static void saslSslThrough(String proxyUrl) throws Exception {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("SASLSSL"))
                .securityProtocol(SecurityProtocol.SASL_SSL).sslCafile(ca).sslCheckHostname(true)
                .saslMechanism("PLAIN").saslPlainUsername("carol").saslPlainPassword(SASL_PW)
                .proxyUrl(proxyUrl).build();
        try (KwireClient client = KwireClient.create(config)) {
            client.start();
            MetadataResponse metadata = client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS);
            assertThat(metadata.brokers()).hasSize(1);
            int node = metadata.brokers().get(0).nodeId();
            MetadataResponse again = client.send(node, new MetadataRequest().setTopics(null))
                    .get(30, TimeUnit.SECONDS);
            assertThat(again.brokers()).hasSize(1);
        }
    }

    @Test
    void saslSslThroughDanteWithAUser() throws Exception {
        try (ProxyServer dante = ProxyServer.dante().withUser(ProxyServer.DANTE_USER, ProxyServer.DANTE_PASSWORD)
                .start()) {
            saslSslThrough(dante.url());
            assertThat(dante.log()).contains("username%" + ProxyServer.DANTE_USER);
        }
    }

    @Test
    void saslSslThroughTinyproxy() throws Exception {
        try (ProxyServer tiny = ProxyServer.tinyproxy().start()) {
            saslSslThrough(tiny.url());
            assertThat(tiny.log()).contains("CONNECT localhost:");
        }
    }
}
