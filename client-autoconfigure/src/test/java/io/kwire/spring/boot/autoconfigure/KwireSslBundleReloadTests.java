package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.TlsStatus;
import io.kwire.spring.boot.autoconfigure.health.KwireHealthAutoConfiguration;
import io.kwire.spring.boot.autoconfigure.health.KwireHealthIndicator;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A PEM SSL bundle with {@code reload-on-update} whose client certificate and key are replaced on disk: Boot's file
 * watcher reloads the bundle and the auto-configured client takes the new SSL context, as the certificate presented
 * to a TLS server that requires client certificates shows (the server records each one and closes: the client only
 * needs to get through the handshake).
 */
class KwireSslBundleReloadTests {

    private static final String PW = "bundle-test-pw";

    @TempDir
    Path dir;

    private SSLServerSocket server;
    private Thread acceptor;
    private final List<X509Certificate> presented = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "server.p12", PW);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(store), PW.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {new RecordingTrust()}, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        Files.writeString(dir.resolve("server.pem"), pem("CERTIFICATE", cert(store).getEncoded()));
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                } catch (IOException e) {
                    // the next connection, or the server closed
                }
            }
        }, "tls-recording-server");
        acceptor.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        acceptor.join(10_000);
    }

    @Test
    void aReloadedPemBundleReachesTheClientsNewConnections() throws Exception {
        Path firstStore = TestKeyStores.selfSigned(dir, "first.p12", PW);
        Path secondStore = TestKeyStores.selfSigned(dir, "second.p12", PW);
        Path material = Files.createDirectory(dir.resolve("client"));
        Path cert = material.resolve("client.pem");
        Path key = material.resolve("client-key.pem");
        writePem(firstStore, cert, key);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
                        KwireClientAutoConfiguration.class, KwireHealthAutoConfiguration.class))
                .withPropertyValues("spring.ssl.bundle.pem.client.keystore.certificate=" + cert,
                        "spring.ssl.bundle.pem.client.keystore.private-key=" + key,
                        "spring.ssl.bundle.pem.client.truststore.certificate=" + dir.resolve("server.pem"),
                        "spring.ssl.bundle.pem.client.reload-on-update=true",
                        "spring.ssl.bundle.watch.file.quiet-period=100ms",
                        "kwire.client.ssl.bundle=client", "kwire.client.security-protocol=SSL",
                        "kwire.client.bootstrap-servers=localhost:" + server.getLocalPort(),
                        "kwire.client.reconnect-backoff=10ms", "kwire.client.reconnect-backoff-max=100ms",
                        "kwire.client.lifecycle.shutdown-timeout=2s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KwireClient client = context.getBean(KwireClient.class);
                    await("the first certificate presented", () -> presented.contains(cert(firstStore)));

                    writePem(secondStore, cert, key);
                    await("the reloaded certificate presented", () -> presented.contains(cert(secondStore)));
                    await("the reload counted in the status",
                            () -> client.status().tls().map(TlsStatus::reloads).orElse(0L) >= 1);
                    Map<String, Object> details = context.getBean(KwireHealthIndicator.class).health().getDetails();
                    assertThat(details.get("tls")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
                            .containsKey("lastReload").doesNotContainKey("lastReloadError");
                });
    }

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).until(condition);
    }

    /** Writes the store's certificate and PKCS#8 key: the key first, as the pair must match once both are there. */
    private static void writePem(Path store, Path cert, Path key) throws Exception {
        KeyStore ks = load(store);
        PrivateKey privateKey = (PrivateKey) ks.getKey("kwire", PW.toCharArray());
        Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
        Files.writeString(cert, pem("CERTIFICATE", cert(store).getEncoded()));
    }

    private static X509Certificate cert(Path store) throws Exception {
        return (X509Certificate) load(store).getCertificate("kwire");
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PW.toCharArray());
        }
        return ks;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Trusts every client certificate, recording it: the test asks which one the client presented. */
    private final class RecordingTrust implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            presented.add(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a server only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
