package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.errors.ConfigException;
import io.kwire.security.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    /**
     * The OpenSSL engine: Netty's engine over BoringSSL, with the same client mode, SNI host, hostname verification,
     * protocols and ciphers as the JDK's, and no JDK context; a cipher it does not know is refused by key.
     */
    @Test
    void theOpenSslEngineIsNettysWithTheSameParameters() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("o.pem"));
        SslContextFactory f = SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslEnabledProtocols(java.util.List.of("TLSv1.3", "TLSv1.2"))
                .sslCiphers("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build());
        assertThat(f.openSsl()).isTrue();
        assertThat(f.context()).isEmpty();
        SSLEngine engine = f.createEngine("localhost", 9093);
        try {
            assertThat(engine.getClass().getName()).startsWith("io.netty.handler.ssl.");
            assertThat(engine.getUseClientMode()).isTrue();
            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(engine.getPeerHost()).isEqualTo("localhost");
            // A list without a TLS 1.3 suite rules TLS 1.3 out, as with the JDK's engine. Netty lists the
            // pseudo-protocol SSLv2Hello as enabled whatever is set; BoringSSL never sends it.
            assertThat(engine.getEnabledProtocols()).contains("TLSv1.2").doesNotContain("TLSv1.3", "TLSv1.1");
            assertThat(Arrays.stream(engine.getEnabledCipherSuites()).filter(c -> c.contains("_WITH_")))
                    .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        } finally {
            OpenSslEngines.release(engine);
        }
        SSLEngine unchecked = SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslCheckHostname(false).build()).createEngine("localhost", 9093);
        try {
            assertThat(unchecked.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
        } finally {
            OpenSslEngines.release(unchecked);
        }
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL)
                .sslCiphers("TLS_ECDHE_RSA_WITH_NOT_A_CIPHER").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslCiphers [TLS_ECDHE_RSA_WITH_NOT_A_CIPHER]")
                .hasMessageContaining("not suites the JDK's engine would offer");
    }

    /**
     * The OpenSSL engine offers nothing the JDK's would not for the same configuration: old protocols and suites the
     * JDK rules out are refused by key, names it does not know too; signalling values (SCSV) are left to OpenSSL.
     */
    @Test
    void theOpenSslEngineRefusesWhatTheJdksWouldNotOffer() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("w.pem"));
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslEnabledProtocols(java.util.List.of("TLSv1.2", "TLSv1.1", "TLSv1")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslEnabledProtocols [TLSv1.1, TLSv1]")
                .hasMessageContaining("TLSv1.3 and TLSv1.2 only");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslCiphers("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslCiphers [TLS_RSA_WITH_3DES_EDE_CBC_SHA]")
                .hasMessageContaining("not suites the JDK's engine would offer");
        SSLEngine withScsv = SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslCiphers("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV").build())
                .createEngine("localhost", 9093);
        try {
            assertThat(Arrays.stream(withScsv.getEnabledCipherSuites()).filter(c -> c.contains("_WITH_")))
                    .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        } finally {
            OpenSslEngines.release(withScsv);
        }
        // No TLS_ suite is offered under an SSL_ name the JDK's engine would not take either.
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslCiphers("SSL_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SSL_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert).build(),
                SSLContext.getDefault()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot use a given SSLContext");
    }

    /** Without sslCiphers, the OpenSSL engine offers forward-secret AEAD suites only, not Netty's wider default. */
    @Test
    void theOpenSslEnginesDefaultSuitesAreForwardSecretAndAuthenticated() throws Exception {
        SSLEngine engine = SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL)
                .sslCafile(certs.writeCertPem(dir.resolve("d.pem"))).build()).createEngine("localhost", 9093);
        try {
            assertThat(engine.getEnabledProtocols()).contains("TLSv1.3", "TLSv1.2");
            assertThat(Arrays.stream(engine.getEnabledCipherSuites()).filter(c -> c.contains("_WITH_")))
                    .isNotEmpty().allMatch(c -> c.startsWith("TLS_ECDHE_"))
                    .allMatch(c -> c.contains("_GCM_") || c.contains("_CHACHA20_POLY1305_"));
        } finally {
            OpenSslEngines.release(engine);
        }
    }

    /** BoringSSL offers all three TLS 1.3 suites or none: a list naming some of them is refused, not ignored. */
    @Test
    void theOpenSslEngineRefusesATls13SuiteListItCannotHonour() throws Exception {
        Path cert = certs.writeCertPem(dir.resolve("t.pem"));
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslCiphers("TLS_AES_256_GCM_SHA384").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslCiphers")
                .hasMessageContaining("cannot leave one out");
        SSLEngine onlyTls13 = SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslCiphers("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")
                .build()).createEngine("localhost", 9093);
        try {
            assertThat(onlyTls13.getEnabledProtocols()).contains("TLSv1.3").doesNotContain("TLSv1.2");
        } finally {
            OpenSslEngines.release(onlyTls13);
        }
        assertThatThrownBy(() -> SslContextFactory.create(ssl().sslEngine(TlsEngine.OPENSSL).sslCafile(cert)
                .sslEnabledProtocols(java.util.List.of("TLSv1.2")).sslCiphers("TLS_AES_128_GCM_SHA256",
                        "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("name no cipher suite of the protocols");
    }

    @Test
    void keyInsideTheCertFileAndPlainPkcs8() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, TestCerts.pem("CERTIFICATE", certs.cert.getEncoded())
                + TestCerts.pem("PRIVATE KEY", certs.key.getEncoded()));
        assertThat(SslContextFactory.create(ssl().sslCertfile(both).build()).context()).isPresent();
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
        assertThat(f.context()).containsSame(ctx);
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
