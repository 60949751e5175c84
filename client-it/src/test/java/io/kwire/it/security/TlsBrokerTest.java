package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.OAuthBearerToken;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import io.kwire.it.LargeBatches;
import io.kwire.security.SecurityFactories;
import io.kwire.testkit.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SSL and SASL_SSL against one real broker, with a CA and certificates made at test time: listener SSL requires a
 * client certificate, SSLWRONG presents a certificate for another host name, SASLSSL is SASL over TLS with PLAIN,
 * SCRAM-SHA-256/512 and OAUTHBEARER (the broker's unsecured JWS validator).
 */
@Timeout(120)
class TlsBrokerTest {

    static final String STORE_PW = "broker-store-pw-5512";
    static final String CLIENT_KEY_PW = "client-key-pw-3318";
    static final String CLIENT_STORE_PW = "client-store-pw-6671";
    static final String SASL_PW = "sasl-ssl-secret-4490";
    static final String SCRAM_PW = "erin-scram-secret-3307";

    static SecureBroker broker;
    static Path dir;
    static TestPki pki;
    static TestPki otherPki;
    static TestPki.Issued brokerCert;
    static TestPki.Issued clientCert;

    @BeforeAll
    static void start() throws Exception {
        dir = SecureBroker.tempDir("kwire-tls");
        pki = new TestPki("kwire-test-ca");
        otherPki = new TestPki("someone-elses-ca");
        brokerCert = pki.issue("broker", "localhost");
        TestPki.Issued wrongHost = pki.issue("broker-wrong", "wrong.invalid");
        clientCert = pki.issue("client");
        Path brokerStore = brokerCert.writePkcs12(dir.resolve("broker.p12"), STORE_PW);
        Path wrongStore = wrongHost.writePkcs12(dir.resolve("wrong.p12"), STORE_PW);
        Path trust = pki.writeTruststore(dir.resolve("broker-trust.p12"), STORE_PW);
        broker = new SecureBroker()
                .listener("SSL", "SSL", Map.of(
                        "ssl.keystore.location", brokerStore.toString(), "ssl.keystore.password", STORE_PW,
                        "ssl.key.password", STORE_PW, "ssl.keystore.type", "PKCS12",
                        "ssl.truststore.location", trust.toString(), "ssl.truststore.password", STORE_PW,
                        "ssl.truststore.type", "PKCS12", "ssl.client.auth", "required"))
                .listener("SSLWRONG", "SSL", Map.of(
                        "ssl.keystore.location", wrongStore.toString(), "ssl.keystore.password", STORE_PW,
                        "ssl.key.password", STORE_PW, "ssl.keystore.type", "PKCS12"))
                .listener("SASLSSL", "SASL_SSL", Map.of(
                        "ssl.keystore.location", brokerStore.toString(), "ssl.keystore.password", STORE_PW,
                        "ssl.key.password", STORE_PW, "ssl.keystore.type", "PKCS12",
                        "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER",
                        "plain.sasl.jaas.config", SaslCredentials.plainJaas("dave", SASL_PW),
                        "scram-sha-256.sasl.jaas.config", SaslCredentials.SCRAM_JAAS,
                        "scram-sha-512.sasl.jaas.config", SaslCredentials.SCRAM_JAAS,
                        "oauthbearer.sasl.jaas.config", SaslCredentials.OAUTH_JAAS))
                .start();
        SaslCredentials.addScramUser(broker, "erin", SCRAM_PW, () -> saslSsl("SCRAM-SHA-256"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    static KafkaClientConfig.Builder ssl(String listener) {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrap(listener))
                .securityProtocol(SecurityProtocol.SSL);
    }

    /** Client certificate and trust as PEM files, the key encrypted as openssl pkcs8 -v2 aes-256-cbc writes it. */
    static KafkaClientConfig.Builder pemClient(String listener) throws Exception {
        return ssl(listener).sslCafile(pki.writeCaPem(dir.resolve("ca.pem")))
                .sslCertfile(clientCert.writeCertPem(dir.resolve("client-chain.pem")))
                .sslKeyfile(clientCert.writeEncryptedKeyPem(dir.resolve("client-key.pem"), CLIENT_KEY_PW))
                .sslPassword(CLIENT_KEY_PW);
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void mutualTlsWithPemFilesAndEncryptedKey(TlsEngine engine) throws Exception {
        try (Clients c = new Clients(pemClient("SSL").sslEngine(engine))) {
            assertThat(c.metadata().brokers()).hasSize(1);
            assertThat(c.client.tlsStatus().orElseThrow().engine())
                    .isEqualTo(engine == TlsEngine.JDK ? "JDK (SunJSSE)" : "OpenSSL (BoringSSL)");
        }
    }

    /**
     * Several staging rounds, each cut into TLS records, for one spliced frame: the batch arrives intact, from the
     * heap or built into direct memory (which OpenSSL encrypts where it is).
     */
    @ParameterizedTest
    @CsvSource({"JDK, false", "OPENSSL, false", "JDK, true", "OPENSSL, true"})
    void aBatchLargerThanTheSendStagingBufferIsProducedOverTlsAndFetchedBackIntact(TlsEngine engine, boolean direct)
            throws Exception {
        String topic = "tls-large-batch-" + engine.name().toLowerCase(java.util.Locale.ROOT)
                + (direct ? "-direct" : "");
        broker.createTopic(topic);
        try (Clients c = new Clients(pemClient("SSL").sslEngine(engine))) {
            LargeBatches.produceAndFetchBack(c.client, topic, direct);
        }
    }

    /** BouncyCastle's JcaPEMWriter writes an RSA key as PKCS#1 ("RSA PRIVATE KEY"), as older openssl did. */
    @Test
    void mutualTlsWithAPkcs1KeyInsideTheCertFile() throws Exception {
        Path both = dir.resolve("client-both.pem");
        java.nio.file.Files.writeString(both, TestPki.pem(clientCert.key()) + TestPki.pem(clientCert.cert())
                + TestPki.pem(clientCert.ca()));
        assertThat(java.nio.file.Files.readString(both)).contains("BEGIN RSA PRIVATE KEY");
        try (Clients c = new Clients(ssl("SSL").sslCafile(pki.writeCaPem(dir.resolve("ca.pem"))).sslCertfile(both))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void mutualTlsWithKeystoreAndTruststore(TlsEngine engine) throws Exception {
        try (Clients c = new Clients(ssl("SSL").sslEngine(engine)
                .sslKeystoreLocation(clientCert.writePkcs12(dir.resolve("client.p12"), CLIENT_STORE_PW))
                .sslKeystorePassword(CLIENT_STORE_PW)
                .sslTruststoreLocation(pki.writeTruststore(dir.resolve("client-trust.p12"), CLIENT_STORE_PW))
                .sslTruststorePassword(CLIENT_STORE_PW))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    @Test
    void mutualTlsWithAGivenSslContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(clientCert.keyStore("x".toCharArray()), "x".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(pki.trustStore());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (Clients c = new Clients(ssl("SSL").sslContext(ctx))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void withoutAClientCertificateTheBrokerRefuses(TlsEngine engine) throws Exception {
        try (Clients c = new Clients(ssl("SSL").sslEngine(engine).sslCafile(pki.writeCaPem(dir.resolve("ca.pem"))))) {
            KwireException e = c.firstFailure();
            // Under TLS 1.3 the refusal comes after the client's side of the handshake: still an authentication
            // failure, as during the handshake, not a disconnect to retry.
            assertThat(e).isInstanceOf(AuthenticationException.class);
            // The JDK names the alert bad_certificate, OpenSSL SSLV3_ALERT_BAD_CERTIFICATE.
            assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT)).containsAnyOf("bad_certificate",
                    "certificate_required")
                    .contains("the broker requires a client certificate it trusts");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void hostnameMismatchFailsAndPassesWithCheckingOff(TlsEngine engine) throws Exception {
        Path ca = pki.writeCaPem(dir.resolve("ca.pem"));
        try (Clients c = new Clients(ssl("SSLWRONG").sslEngine(engine).sslCafile(ca))) {
            KwireException e = c.firstFailure();
            assertThat(e.getMessage()).contains("TLS handshake").contains("sslCheckHostname");
        }
        try (Clients c = new Clients(ssl("SSLWRONG").sslEngine(engine).sslCafile(ca).sslCheckHostname(false))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void untrustedCaFails(TlsEngine engine) throws Exception {
        try (Clients c = new Clients(ssl("SSLWRONG").sslEngine(engine).sslCafile(otherPki.writeCaPem(dir.resolve("other-ca.pem"))))) {
            KwireException e = c.firstFailure();
            assertThat(e.getMessage()).contains("TLS handshake").contains("not signed by a trusted CA");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void revokedBrokerCertificateFailsWithTheCrlAndPassesWithAnEmptyOne(TlsEngine engine) throws Exception {
        Path revoking = pki.writeCrl(dir.resolve("revoking.crl"), brokerCert.cert());
        try (Clients c = new Clients(pemClient("SSL").sslEngine(engine).sslCrlfile(revoking))) {
            KwireException e = c.firstFailure();
            assertThat(e.getMessage()).contains("TLS handshake").containsIgnoringCase("revoked");
        }
        Path empty = pki.writeCrl(dir.resolve("empty.crl"));
        try (Clients c = new Clients(pemClient("SSL").sslEngine(engine).sslCrlfile(empty))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    @Test
    void saslPlainOverTls() throws Exception {
        try (Clients c = new Clients(KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("SASLSSL"))
                .securityProtocol(SecurityProtocol.SASL_SSL).sslCafile(pki.writeCaPem(dir.resolve("ca.pem")))
                .saslMechanism("PLAIN").saslPlainUsername("dave").saslPlainPassword(SASL_PW))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    /**
     * Each connection class's connection to the broker does its own TLS handshake and SASL exchange (the broker
     * refuses requests on a connection that skipped either), while the broker's API versions come from the first.
     */
    @Test
    void everyConnectionClassHandshakesAndAuthenticatesOnItsOwn() throws Exception {
        KafkaClientConfig config = saslSsl("SCRAM-SHA-512").saslPlainUsername("erin").saslPlainPassword(SCRAM_PW)
                .build();
        io.kwire.network.AuthenticatorFactory real = SecurityFactories.authenticatorFactory(config);
        List<Integer> authenticated = java.util.Collections.synchronizedList(new ArrayList<>());
        io.kwire.network.AuthenticatorFactory counting = new io.kwire.network.AuthenticatorFactory() {
            @Override
            public io.kwire.network.Authenticator create(io.kwire.client.Node node,
                                                         io.kwire.network.NodeApiVersions versions) {
                authenticated.add(node.id());
                return real.create(node, versions);
            }

            @Override
            public io.kwire.network.Authenticator create(io.kwire.client.Node node,
                                                         io.kwire.network.NodeApiVersions versions,
                                                         Runnable progressed) {
                authenticated.add(node.id());
                return real.create(node, versions, progressed); // SCRAM's steps on the SASL threads, as unwrapped
            }

            @Override
            public void close() {
                real.close();
            }
        };
        try (io.kwire.KafkaClient client = new io.kwire.KafkaClient(config, SecurityFactories.transportFactory(config),
                counting)) {
            var known = client.requestMetadataUpdate();
            client.poll(java.time.Duration.ofSeconds(30), known);
            int node = known.get().brokers().get(0).id();
            for (io.kwire.client.ConnectionClass c : io.kwire.client.ConnectionClass.values()) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!client.ready(node, c)) {
                    assertThat(System.nanoTime()).as(c.tag() + " ready").isLessThan(deadline);
                    client.poll(java.time.Duration.ofMillis(20));
                }
                var f = client.send(node, new io.kwire.protocol.message.MetadataRequest().setTopics(List.of()), c);
                client.poll(java.time.Duration.ofSeconds(30), f);
                assertThat(f.get().brokers()).as(c.tag()).hasSize(1);
            }
            assertThat(authenticated.stream().filter(id -> id == node)).as("one SASL exchange per class")
                    .hasSize(io.kwire.client.ConnectionClass.values().length);
        }
    }

    /** The OpenSSL engine under TLS 1.2 against the broker's JDK engine: a batch larger than a record both ways. */
    @Test
    void theOpenSslEngineSpeaksTls12ToTheBroker() throws Exception {
        broker.createTopic("tls12-openssl");
        try (Clients c = new Clients(pemClient("SSL").sslEngine(TlsEngine.OPENSSL)
                .sslEnabledProtocols(List.of("TLSv1.2")))) {
            LargeBatches.produceAndFetchBack(c.client, "tls12-openssl");
            assertThat(c.client.tlsStatus().orElseThrow().engine()).isEqualTo("OpenSSL (BoringSSL)");
        }
    }

    /** SCRAM over the OpenSSL engine: accepted with the right password, refused without naming the wrong one. */
    @Test
    void scramOverTheOpenSslEngineSucceedsAndFailsWithAWrongPassword() {
        try (Clients c = new Clients(saslSsl("SCRAM-SHA-512").sslEngine(TlsEngine.OPENSSL)
                .saslPlainUsername("erin").saslPlainPassword(SCRAM_PW))) {
            assertThat(c.metadata().brokers()).hasSize(1);
            assertThat(c.authFailures).isEmpty();
        }
        try (Clients c = new Clients(saslSsl("SCRAM-SHA-512").sslEngine(TlsEngine.OPENSSL)
                .saslPlainUsername("erin").saslPlainPassword("not-erins-password-62"))) {
            KwireException e = c.firstFailure();
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("Authentication failed")
                    .hasMessageNotContaining("not-erins-password-62");
        }
    }

    /** SASL_SSL with {@code mechanism}, trusting the test CA. */
    static KafkaClientConfig.Builder saslSsl(String mechanism) {
        try {
            return KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("SASLSSL"))
                    .securityProtocol(SecurityProtocol.SASL_SSL).sslCafile(pki.writeCaPem(dir.resolve("ca.pem")))
                    .saslMechanism(mechanism);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void scramOverTlsSucceedsAndFailsWithAWrongPassword(String mechanism) {
        try (Clients c = new Clients(saslSsl(mechanism).saslPlainUsername("erin").saslPlainPassword(SCRAM_PW))) {
            assertThat(c.metadata().brokers()).hasSize(1);
            assertThat(c.authFailures).isEmpty();
        }
        try (Clients c = new Clients(saslSsl(mechanism).saslPlainUsername("erin")
                .saslPlainPassword("not-erins-password-61"))) {
            KwireException e = c.firstFailure();
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining(mechanism)
                    .hasMessageContaining("Authentication failed").hasMessageNotContaining("not-erins-password-61");
        }
    }

    @Test
    void oauthBearerOverTlsSucceedsAndFailsWithAnExpiredToken() {
        try (Clients c = new Clients(saslSsl("OAUTHBEARER")
                .saslOauthTokenProvider(() -> SaslCredentials.unsecuredToken("frank", 3600)))) {
            assertThat(c.metadata().brokers()).hasSize(1);
            assertThat(c.authFailures).isEmpty();
        }
        OAuthBearerToken expired = SaslCredentials.unsecuredToken("frank", -3600);
        try (Clients c = new Clients(saslSsl("OAUTHBEARER").saslOauthTokenProvider(() -> expired))) {
            KwireException e = c.firstFailure();
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("OAUTHBEARER")
                    .hasMessageContaining("invalid_token").hasMessageNotContaining(expired.value());
        }
    }

    @Test
    void tlsToAPlaintextListenerSaysSo() throws Exception {
        try (Clients c = new Clients(KafkaClientConfig.builder().bootstrapServers(broker.plaintextBootstrap())
                .securityProtocol(SecurityProtocol.SSL).sslCafile(pki.writeCaPem(dir.resolve("ca.pem"))))) {
            KwireException e = c.firstFailure();
            assertThat(e.getMessage()).contains("the broker's listener is not TLS");
        }
    }

    /** Wrong passwords, keys and tokens everywhere: no secret appears in a log line, exception or toString. */
    @Test
    void secretsNeverAppearInLogsOrErrors() throws Exception {
        List<String> texts = new ArrayList<>();
        OAuthBearerToken expiredToken = SaslCredentials.unsecuredToken("frank", -60);
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true);
        System.setErr(capture);
        System.setOut(capture);
        ch.qos.logback.classic.Logger kwireLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.kwire");
        ch.qos.logback.classic.Level level = kwireLog.getLevel();
        kwireLog.setLevel(ch.qos.logback.classic.Level.DEBUG); // debug lines describe every connection step
        try {
            String badSasl = "wrong-sasl-pw-0917";
            KafkaClientConfig.Builder b = KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("SASLSSL"))
                    .securityProtocol(SecurityProtocol.SASL_SSL).sslCafile(pki.writeCaPem(dir.resolve("ca.pem")))
                    .saslMechanism("PLAIN").saslPlainUsername("dave").saslPlainPassword(badSasl);
            texts.add(b.build().toString());
            try (Clients c = new Clients(b)) {
                KwireException e = c.firstFailure();
                assertThat(e).isInstanceOf(AuthenticationException.class);
                texts.add(describe(e));
            }
            for (String mech : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
                KafkaClientConfig.Builder s = saslSsl(mech).saslPlainUsername("dave").saslPlainPassword(SASL_PW);
                try (Clients c = new Clients(s)) {
                    texts.add(describe(c.firstFailure()));
                }
                KafkaClientConfig.Builder wrong = saslSsl(mech).saslPlainUsername("erin")
                        .saslPlainPassword("wrong-scram-pw-5521");
                texts.add(wrong.build().toString());
                try (Clients c = new Clients(wrong)) {
                    texts.add(describe(c.firstFailure()));
                }
            }
            KafkaClientConfig.Builder oauth = saslSsl("OAUTHBEARER").saslOauthTokenProvider(() -> expiredToken);
            texts.add(oauth.build().toString());
            try (Clients c = new Clients(oauth)) {
                texts.add(describe(c.firstFailure()));
            }
            Path key = clientCert.writeEncryptedKeyPem(dir.resolve("k2.pem"), CLIENT_KEY_PW);
            KafkaClientConfig wrongKeyPw = ssl("SSL").sslCafile(pki.writeCaPem(dir.resolve("ca.pem")))
                    .sslCertfile(clientCert.writeCertPem(dir.resolve("c2.pem"))).sslKeyfile(key)
                    .sslPassword("wrong-key-pw-8812").build();
            texts.add(wrongKeyPw.toString());
            assertThatThrownBy(() -> SecurityFactories.transportFactory(wrongKeyPw))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> texts.add(describe((Exception) e)));
            KafkaClientConfig wrongStorePw = ssl("SSL")
                    .sslKeystoreLocation(clientCert.writePkcs12(dir.resolve("c3.p12"), CLIENT_STORE_PW))
                    .sslKeystorePassword("wrong-store-pw-2231").build();
            assertThatThrownBy(() -> SecurityFactories.transportFactory(wrongStorePw))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> texts.add(describe((Exception) e)));
        } finally {
            kwireLog.setLevel(level);
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        texts.add(captured.toString());
        String all = String.join("\n", texts);
        assertThat(captured.toString()).contains("Connecting to bootstrap-1"); // the client's own log lines were captured
        assertThat(all).contains("Invalid username or password"); // the errors were captured
        assertThat(all).contains("invalid_token"); // the OAUTHBEARER failure was captured
        for (String secret : List.of("wrong-sasl-pw-0917", SASL_PW, CLIENT_KEY_PW, "wrong-key-pw-8812",
                "wrong-store-pw-2231", CLIENT_STORE_PW, STORE_PW, SCRAM_PW, "wrong-scram-pw-5521",
                expiredToken.value())) {
            assertThat(all).as("secret leaked").doesNotContain(secret);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
