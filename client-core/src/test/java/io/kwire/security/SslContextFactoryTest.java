package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.ConfigException;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslContextFactoryTest {

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void certs() throws Exception {
        certs = TestCerts.create(dir, "pemtest", "dns:localhost");
    }

    private static KafkaClientConfig.Builder ssl() {
        return KafkaClientConfig.builder().bootstrapServers("localhost:9093").securityProtocol(SecurityProtocol.SSL);
    }

    @Test
    void encryptedPkcs8KeyLoadsWithItsPassword() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("c.pem"));
        Path key = certs.writeEncryptedKeyPem(dir.resolve("k.pem"), "pw-one");
        SslContextFactory f = SslContextFactory.create(ssl().sslCafile(cert).sslCertfile(cert).sslKeyfile(key)
                .sslPassword("pw-one").build());
        SSLEngine engine = f.createEngine("localhost", 9093);
        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(engine.getPeerHost()).isEqualTo("localhost");
    }

    @Test
    void keyInsideTheCertFileAndPlainPkcs8() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, TestCerts.pem("CERTIFICATE", certs.cert.getEncoded())
                + TestCerts.pem("PRIVATE KEY", certs.key.getEncoded()));
        assertThat(SslContextFactory.create(ssl().sslCertfile(both).build()).context()).isNotNull();
    }

    @Test
    void wrongKeyPasswordNamesTheKeyNotThePassword() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("c2.pem"));
        Path key = certs.writeEncryptedKeyPem(dir.resolve("k2.pem"), "right-pw");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslCertfile(cert).sslKeyfile(key)
                .sslPassword("wrong-pw-xyz").build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sslPassword").hasMessageContaining(key.toString())
                .hasMessageNotContaining("wrong-pw-xyz").hasMessageNotContaining("right-pw")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("sslPassword");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslCertfile(cert).sslKeyfile(key).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("encrypted: set sslPassword");
    }

    @Test
    void badFilesAndStorePasswords() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslCafile(junk).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslCafile").hasMessageContaining("not a PEM");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslKeystoreLocation(certs.p12)
                .sslKeystorePassword("bad-store-pw").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslKeystorePassword")
                .hasMessageNotContaining("bad-store-pw");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslCiphers("TLS_NOT_A_CIPHER").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TLS_NOT_A_CIPHER");
    }

    @Test
    void givenContextIsUsedAsIsAndHostnameCheckCanBeOff() throws Exception {
        SSLContext ctx = SSLContext.getDefault();
        SslContextFactory f = SslContextFactory.create(ssl().sslContext(ctx).sslCheckHostname(false).build());
        assertThat(f.context()).isSameAs(ctx);
        assertThat(f.createEngine("localhost", 1).getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
    }

    /** A Spring SSL bundle gives a context and its options as protocols and ciphers: none of them may be dropped. */
    @Test
    void givenContextStillGetsTheConfiguredProtocolsAndCiphers() throws Exception {
        SSLContext ctx = SSLContext.getDefault();
        String cipher = "TLS_AES_128_GCM_SHA256";
        SslContextFactory f = SslContextFactory.create(ssl().sslContext(ctx)
                .sslEnabledProtocols(java.util.List.of("TLSv1.3")).sslCiphers(java.util.List.of(cipher)).build());
        SSLEngine engine = f.createEngine("localhost", 9093);
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()).containsExactly(cipher);
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");

        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslContext(ctx)
                .sslCiphers(java.util.List.of("NOT_A_CIPHER")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NOT_A_CIPHER");
    }
}
