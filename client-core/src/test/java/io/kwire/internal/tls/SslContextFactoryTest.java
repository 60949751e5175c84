package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.ConfigException;
import io.kwire.security.TestCerts;
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
    void tripleDesEncryptedKeySaysHowToReencryptIt() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("c3.pem"));
        Path key = certs.writeTripleDesEncryptedKeyPem(dir.resolve("k3des.pem"), "des-pw-123");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslCertfile(cert).sslKeyfile(key)
                .sslPassword("des-pw-123").build()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("sslKeyfile"))
                .hasMessageContaining("sslKeyfile: the private key in " + key + " is encrypted with PBES2 and 3DES"
                        + " (des-ede3-cbc")
                .hasMessageContaining("'openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + key + " -out key-aes.pem'")
                .hasMessageNotContaining("des-pw-123");
    }

    @Test
    void aFileThatIsNoKeyStoreSaysWhatAStoreMustBe() throws Exception {
        Path text = Files.writeString(dir.resolve("hostname"), "kafka-1\n"); // Java: EOFException, no message
        byte[] noise = new byte[300];
        new java.util.Random(7).nextBytes(noise);
        Path random = Files.write(dir.resolve("noise.p12"), noise);
        for (Path file : new Path[] {text, random}) {
            assertThatThrownBy(() -> SslContextFactory.create(ssl().sslKeystoreLocation(file)
                    .sslKeystorePassword("pw").build()))
                    .isInstanceOfSatisfying(ConfigException.class,
                            e -> assertThat(e.key()).isEqualTo("sslKeystoreLocation"))
                    .hasMessageStartingWith("sslKeystoreLocation: " + file + " is not a PKCS12 store Java can read (")
                    .hasMessageContaining("sslKeystoreLocation must name a PKCS12 (.p12, .pfx) or JKS (.jks) store")
                    .hasMessageContaining("for a PEM file set sslKeystoreType to PEM")
                    .hasMessageNotContaining("null");
        }
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslKeystoreLocation(text).sslKeystorePassword("pw")
                .build())).hasMessageContaining("(the file ends too early)");
        Path tiny = Files.writeString(dir.resolve("tiny.jks"), "x\n");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslTruststoreType("JKS").sslTruststoreLocation(tiny)
                .build()))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("sslTruststoreLocation"))
                .hasMessageStartingWith("sslTruststoreLocation: " + tiny + " is not a JKS store Java can read (the"
                        + " file ends too early): sslTruststoreLocation must name a PKCS12");
    }

    @Test
    void aPemFileGivenAsAKeyStoreSaysToSetTheTypeToPem() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("ca-as-store.pem"));
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslTruststoreLocation(cert).build()))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("sslTruststoreType"))
                .hasMessage("sslTruststoreLocation: " + cert + " is a PEM file, not a PKCS12 store: set"
                        + " sslTruststoreType to PEM (or give it as sslCafile)");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslKeystoreLocation(cert)
                .sslKeystorePassword("pw").build()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("sslKeystoreType"))
                .hasMessageContaining("set sslKeystoreType to PEM (or give the certificate chain and key as"
                        + " sslCertfile and sslKeyfile)");
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

    /** A provider's context may lack some of the configured protocols: it gets those it has, none is an error. */
    @Test
    void givenContextGetsTheConfiguredProtocolsItSupports() throws Exception {
        SSLContext ctx = SSLContext.getDefault();
        SslContextFactory f = SslContextFactory.create(ssl().sslContext(ctx)
                .sslEnabledProtocols(java.util.List.of("TLSv1.3", "TLSv9")).build());
        assertThat(f.createEngine("localhost", 9093).getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslContext(ctx)
                .sslEnabledProtocols(java.util.List.of("TLSv9")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("the given sslContext");
    }
}
