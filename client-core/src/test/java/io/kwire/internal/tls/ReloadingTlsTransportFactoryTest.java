package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.client.TlsStatus;
import io.kwire.errors.ConfigException;
import io.kwire.network.TransportFactory;
import io.kwire.security.TestCerts;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation of PEM files under a manual clock: when files are looked at, what a change does, what a bad file does. */
class ReloadingTlsTransportFactoryTest {

    @TempDir
    static Path certDir;
    static TestCerts first;
    static TestCerts second;

    @TempDir
    Path dir;

    @BeforeAll
    static void certs() throws Exception {
        first = TestCerts.create(certDir, "first", "dns:localhost");
        second = TestCerts.create(certDir, "second", "dns:localhost");
    }

    private Path cert;
    private Path key;

    private KafkaClientConfig config(Duration interval) throws Exception {
        cert = first.writeCertPem(dir.resolve("client.pem"));
        key = first.writeKeyPem(dir.resolve("client-key.pem"));
        return KafkaClientConfig.builder().bootstrapServers("localhost:9093").securityProtocol(SecurityProtocol.SSL)
                .sslCafile(first.writeCertPem(dir.resolve("ca.pem"))).sslCertfile(cert).sslKeyfile(key)
                .sslReloadCheckInterval(interval).build();
    }

    @Test
    void aRotatedCertificateAndKeyBuildANewContextAtTheNextCheckNotBefore() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofSeconds(1)));
        SslContextFactory before = f.current();
        assertThat(f.materialGeneration(0)).isZero();
        assertThat(f.tlsStatus().orElseThrow().watchedFiles()).containsExactly(dir.resolve("ca.pem"), cert, key);
        assertThat(f.tlsStatus().orElseThrow().engine()).isEqualTo("JDK (SunJSSE)");

        rotate(second);
        assertThat(f.materialGeneration(999)).as("inside the check interval the files are not looked at").isZero();
        assertThat(f.current()).isSameAs(before);
        assertThat(f.materialGeneration(1000)).isEqualTo(1);
        assertThat(f.current()).isNotSameAs(before);
        TlsStatus status = f.tlsStatus().orElseThrow();
        assertThat(status.reloads()).isEqualTo(1);
        assertThat(status.lastReload()).isPresent();
        assertThat(status.lastReloadError()).isEmpty();
    }

    @Test
    void theCallerOnlyLooksAtTheFilesWhileTheReloadRunsElsewhereOneAtATime() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        ReloadingTlsTransportFactory f = new ReloadingTlsTransportFactory(config(Duration.ofMillis(100)), queued::add);
        rotate(second);
        assertThat(f.materialGeneration(100)).as("the rebuild is queued, not run by the caller").isZero();
        assertThat(queued).hasSize(1);
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(f.materialGeneration(200)).isZero();
        assertThat(queued).as("no second reload while one is under way").hasSize(1);

        queued.remove(0).run();
        assertThat(f.materialGeneration(250)).as("inside the interval: the generation as the reload left it")
                .isEqualTo(1);
        assertThat(f.materialGeneration(300)).isEqualTo(1);
        assertThat(queued).as("the change seen during the reload is looked at again").hasSize(1);
        queued.remove(0).run();
        assertThat(f.materialGeneration(400)).as("same content: no new context").isEqualTo(1);
    }

    @Test
    void filesTouchedWithoutNewContentAreNotReloaded() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofMillis(100)));
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
        Files.writeString(key, Files.readString(key)); // rewritten, same bytes
        assertThat(f.materialGeneration(100)).isZero();
        assertThat(f.tlsStatus().orElseThrow().reloads()).isZero();
    }

    @Test
    void aHalfWrittenFileKeepsTheContextInUseShowsTheErrorOnceAndTheNextGoodWriteIsTakenUp() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofMillis(100)));
        SslContextFactory before = f.current();
        String full = Files.readString(second.writeCertPem(dir.resolve("next.pem")));
        Files.writeString(cert, full.substring(0, full.length() / 2)); // the writer is half way through

        assertThat(f.materialGeneration(100)).isZero();
        assertThat(f.current()).isSameAs(before);
        TlsStatus broken = f.tlsStatus().orElseThrow();
        assertThat(broken.lastReloadError()).hasValueSatisfying(e -> assertThat(e).contains("sslCertfile"));
        assertThat(broken.lastReloadErrorTime()).isPresent();

        // Touched again with the same broken content: not tried again, so nothing new is logged or recorded.
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(f.materialGeneration(200)).isZero();
        assertThat(f.tlsStatus().orElseThrow()).isEqualTo(broken);

        rotate(second);
        assertThat(f.materialGeneration(300)).isEqualTo(1);
        assertThat(f.current()).isNotSameAs(before);
        assertThat(f.tlsStatus().orElseThrow().lastReloadError()).isEmpty();
    }

    @Test
    void aKeyThatDoesNotMatchTheNewCertificateIsRefusedUntilTheKeyArrives() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofMillis(100)));
        second.writeCertPem(cert); // the certificate is replaced first, the key not yet
        assertThat(f.materialGeneration(100)).isZero();
        assertThat(f.tlsStatus().orElseThrow().lastReloadError())
                .hasValueSatisfying(e -> assertThat(e).contains("does not belong"));
        second.writeKeyPem(key);
        assertThat(f.materialGeneration(200)).isEqualTo(1);
        assertThat(f.tlsStatus().orElseThrow().lastReloadError()).isEmpty();
    }

    @Test
    void aKeyEncryptedWithAnotherPasswordIsRefusedNamingThePasswordKey() throws Exception {
        Path encrypted = first.writeEncryptedKeyPem(dir.resolve("enc-key.pem"), "right-pw");
        KafkaClientConfig config = config(Duration.ofMillis(100)).toBuilder().sslKeyfile(encrypted)
                .sslPassword("right-pw").build();
        ReloadingTlsTransportFactory f = reloading(config);
        second.writeCertPem(cert);
        second.writeEncryptedKeyPem(encrypted, "another-pw");
        assertThat(f.materialGeneration(100)).isZero();
        assertThat(f.tlsStatus().orElseThrow().lastReloadError())
                .hasValueSatisfying(e -> assertThat(e).contains("sslPassword").doesNotContain("right-pw")
                        .doesNotContain("another-pw"));
    }

    @Test
    void withACheckIntervalOfZeroTheFilesAreReadOnlyOnce() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ZERO));
        rotate(second);
        assertThat(f.materialGeneration(Long.MAX_VALUE / 2)).isZero();
        assertThat(f.tlsStatus().orElseThrow().watchedFiles()).isEmpty();
    }

    @Test
    void aContextHandedOverIsUsedFromThenOnAndCountsAsAReload() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofSeconds(1)));
        SSLContext given = SSLContext.getInstance("TLS");
        given.init(null, null, null);
        f.updateSslContext(given);
        assertThat(f.current().context()).containsSame(given);
        assertThat(f.materialGeneration(0)).isEqualTo(1);
        assertThat(f.tlsStatus().orElseThrow().reloads()).isEqualTo(1);
    }

    /** The OpenSSL engine builds its context from the files: a context handed over is refused, not used instead. */
    @Test
    void withTheOpenSslEngineAContextHandedOverIsRefused() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofSeconds(1)).toBuilder()
                .sslEngine(TlsEngine.OPENSSL).build());
        assertThat(f.current().openSsl()).isTrue();
        assertThat(f.tlsStatus().orElseThrow().engine()).isEqualTo("OpenSSL (BoringSSL)");
        SSLContext given = SSLContext.getInstance("TLS");
        given.init(null, null, null);
        assertThatThrownBy(() -> f.updateSslContext(given)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sslEngine OPENSSL builds its own context");
        assertThat(f.current().openSsl()).isTrue();
        assertThat(f.materialGeneration(0)).isZero();
    }

    @Test
    void aClientWithoutTlsRefusesAContextNamingTheProtocol() throws Exception {
        assertThatThrownBy(() -> TransportFactory.PLAINTEXT.updateSslContext(SSLContext.getDefault()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("securityProtocol SSL or SASL_SSL");
        try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder().build())) {
            assertThatThrownBy(() -> client.updateSslContext(SSLContext.getDefault()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("securityProtocol SSL or SASL_SSL");
            assertThat(client.tlsStatus()).isEmpty();
        }
    }

    @Test
    void aRotatedKeyStoreIsTakenUpAndOneWithAnotherPasswordIsRefusedNamingThePasswordKey() throws Exception {
        Path store = dir.resolve("client.p12");
        Files.copy(first.p12, store);
        KafkaClientConfig config = config(Duration.ofMillis(100)).toBuilder().sslCertfile(null).sslKeyfile(null)
                .sslKeystoreLocation(store).sslKeystorePassword(TestCerts.STORE_PASSWORD).build();
        ReloadingTlsTransportFactory f = reloading(config);
        Files.copy(second.p12, store, StandardCopyOption.REPLACE_EXISTING);
        assertThat(f.materialGeneration(100)).isEqualTo(1);

        KeyStore other = KeyStore.getInstance("PKCS12");
        other.load(null, null);
        other.setKeyEntry("first", first.key, "another-pw".toCharArray(), new Certificate[] {first.cert});
        try (OutputStream out = Files.newOutputStream(store)) {
            other.store(out, "another-pw".toCharArray());
        }
        assertThat(f.materialGeneration(200)).isEqualTo(1);
        assertThat(f.tlsStatus().orElseThrow().lastReloadError()).hasValueSatisfying(e ->
                assertThat(e).contains("sslKeystorePassword").doesNotContain("another-pw")
                        .doesNotContain(TestCerts.STORE_PASSWORD));
        assertThat(f.tlsStatus().orElseThrow().watchedFiles()).containsExactly(dir.resolve("ca.pem"), store);
    }

    /** Reloads run inline, so that each check's outcome can be asserted as it returns. */
    private static ReloadingTlsTransportFactory reloading(KafkaClientConfig config) {
        return new ReloadingTlsTransportFactory(config, Runnable::run);
    }

    private void rotate(TestCerts to) throws Exception {
        to.writeCertPem(cert);
        to.writeKeyPem(key);
    }
}
