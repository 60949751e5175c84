package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.client.TlsStatus;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.ConfigException;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.Transport;
import io.kwire.network.TransportFactory;
import io.kwire.security.TestCerts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
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

    /**
     * With the OpenSSL engine each context's native memory is freed when kwire is done with it, not by a finalizer:
     * a reload gives back the old context's own reference, and the context goes with the last connection made from
     * it; closing the factory does the same for the current one. No new engine comes from closed material.
     */
    @Test
    void withTheOpenSslEngineEachContextIsFreedWhenItsLastConnectionCloses() throws Exception {
        ReloadingTlsTransportFactory f = reloading(config(Duration.ofSeconds(1)).toBuilder()
                .sslEngine(TlsEngine.OPENSSL).build());
        Node node = new Node(1, "localhost", 9093, null);
        SslContextFactory before = f.current();
        assertThat(before.openSslReferences()).as("the factory's own").isEqualTo(1);
        Transport old = f.create(SocketChannel.open(), node);
        assertThat(before.openSslReferences()).as("and the connection's engine").isEqualTo(2);

        rotate(second);
        assertThat(f.materialGeneration(1000)).isEqualTo(1);
        SslContextFactory after = f.current();
        assertThat(before.isOpen()).isFalse();
        assertThat(before.openSslReferences()).as("only the old connection's engine holds it").isEqualTo(1);
        assertThatThrownBy(() -> before.createEngine(node)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replaced or its client closed");
        Transport fresh = f.create(SocketChannel.open(), node);
        assertThat(after.openSslReferences()).isEqualTo(2);

        old.close();
        assertThat(before.openSslReferences()).as("freed with its last connection").isZero();
        old.close();
        assertThat(before.openSslReferences()).as("a second close releases nothing more").isZero();
        f.close();
        assertThat(after.openSslReferences()).as("the connection still open keeps it").isEqualTo(1);
        fresh.close();
        assertThat(after.openSslReferences()).isZero();
        f.close();
        try (SocketChannel unused = SocketChannel.open()) {
            assertThatThrownBy(() -> f.create(unused, node)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed with the client that owned it: give each client its own");
        }
    }

    /** Material that a reload builds after the client closed is freed at once, never used; nor is a handed-over one. */
    @Test
    void aReloadThatEndsAfterTheCloseIsDroppedAndAHandedOverContextRefused() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        ReloadingTlsTransportFactory f = new ReloadingTlsTransportFactory(config(Duration.ofMillis(100)), queued::add);
        SslContextFactory before = f.current();
        rotate(second);
        assertThat(f.materialGeneration(100)).isZero();
        f.close();
        queued.remove(0).run();
        assertThat(f.current()).isSameAs(before);
        assertThat(f.materialGeneration(100)).isZero();
        assertThat(f.tlsStatus().orElseThrow().reloads()).isZero();
        assertThatThrownBy(() -> f.updateSslContext(SSLContext.getDefault()))
                .isInstanceOf(ClientClosedException.class);
        assertThat(f.materialGeneration(100)).isZero();
    }

    /**
     * The client closes its transport factory: after {@code close()} neither the OpenSSL context nor the engine of
     * its connection holds native memory (a TLS peer here is enough: the connection's handshake completes, the
     * Kafka requests that follow go unanswered).
     */
    @Test
    void aClosingClientFreesItsOpenSslContextAndItsConnectionsEngines() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) first.serverContext(null).getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Boolean> peerSawTheEnd = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(30_000);
                    s.startHandshake();
                    byte[] buf = new byte[4096];
                    while (s.getInputStream().read(buf) >= 0) {
                        // the client's requests, unanswered
                    }
                    return true;
                } catch (IOException e) {
                    return e instanceof SSLException; // an unanswered close_notify ends the session this way too
                }
            });
            KafkaClientConfig config = config(Duration.ofSeconds(1)).toBuilder().sslEngine(TlsEngine.OPENSSL)
                    .bootstrapServers("localhost:" + server.getLocalPort()).build();
            ReloadingTlsTransportFactory f = new ReloadingTlsTransportFactory(config);
            SslContextFactory material = f.current();
            KafkaClient client = new KafkaClient(config, f, AuthenticatorFactory.NONE);
            try {
                client.requestMetadataUpdate();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (material.openSslReferences() < 2 && System.nanoTime() < deadline) {
                    client.poll(Duration.ofMillis(20));
                }
                assertThat(material.openSslReferences()).as("the factory's and the connection's").isEqualTo(2);
            } finally {
                client.close();
            }
            assertThat(material.openSslReferences()).isZero();
            assertThat(material.isOpen()).isFalse();
            assertThat(peerSawTheEnd.get(20, TimeUnit.SECONDS)).isTrue();
        }
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
