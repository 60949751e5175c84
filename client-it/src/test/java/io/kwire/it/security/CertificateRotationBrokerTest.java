package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsStatus;
import io.kwire.errors.KwireException;
import io.kwire.internal.tls.TlsTransport;
import io.kwire.it.Polling;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.Transport;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.security.SecurityFactories;
import io.kwire.testkit.TestPki;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Certificate rotation against a real broker whose SSL listener requires client certificates and trusts two client
 * CAs, an old one and a new one. The client's certificate and key files are replaced on disk by ones from the new
 * CA while requests run without pause; the broker then stops trusting the old CA (a KIP-226 dynamic trust store
 * update), so the old certificate can no longer connect. Which certificate each connection presented is read from
 * its TLS session on the client's side: with client authentication required, a connection that became ready is one
 * the broker accepted with that certificate.
 */
@Timeout(180)
class CertificateRotationBrokerTest {

    static final String STORE_PW = "rotation-store-pw-2208";

    static SecureBroker broker;
    static Path dir;
    static TestPki brokerPki;
    static TestPki oldClientCa;
    static TestPki newClientCa;
    static Path brokerCa;
    static Path newCaOnlyTrust;

    @BeforeAll
    static void start() throws Exception {
        dir = SecureBroker.tempDir("kwire-rotation");
        brokerPki = new TestPki("kwire-rotation-broker-ca");
        oldClientCa = new TestPki("kwire-rotation-old-client-ca");
        newClientCa = new TestPki("kwire-rotation-new-client-ca");
        brokerCa = brokerPki.writeCaPem(dir.resolve("broker-ca.pem"));
        Path brokerStore = brokerPki.issue("broker", "localhost").writePkcs12(dir.resolve("broker.p12"), STORE_PW);
        Path bothCas = TestPki.writeTruststore(dir.resolve("trust-both.p12"), STORE_PW, oldClientCa, newClientCa);
        newCaOnlyTrust = TestPki.writeTruststore(dir.resolve("trust-new.p12"), STORE_PW, newClientCa);
        broker = new SecureBroker()
                .listener("SSL", "SSL", Map.of(
                        "ssl.keystore.location", brokerStore.toString(), "ssl.keystore.password", STORE_PW,
                        "ssl.key.password", STORE_PW, "ssl.keystore.type", "PKCS12",
                        "ssl.truststore.location", bothCas.toString(), "ssl.truststore.password", STORE_PW,
                        "ssl.truststore.type", "PKCS12", "ssl.client.auth", "required"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aRotatedCertificateReachesNewConnectionsAndRecycledOnesWithoutAFailedRequest() throws Exception {
        TestPki.Issued old = oldClientCa.issue("client-old");
        TestPki.Issued first = newClientCa.issue("client-new-1");
        TestPki.Issued second = newClientCa.issue("client-new-2");
        Path cert = old.writeCertPem(dir.resolve("rotating.pem"));
        Path key = old.writeKeyPem(dir.resolve("rotating-key.pem"));
        List<String> closed = new CopyOnWriteArrayList<>();
        KafkaClientConfig config = ssl().sslCertfile(cert).sslKeyfile(key)
                .sslReloadCheckInterval(Duration.ofMillis(100)).sslRecycleConnections(true)
                .observer(new ClientObserver() {
                    @Override
                    public void connectionClosed(Node node, String reason) {
                        closed.add(reason);
                    }
                }).build();
        RecordingTransports transports = new RecordingTransports(SecurityFactories.transportFactory(config));
        try (KwireClient client = KwireClient.create(config, transports, AuthenticatorFactory.NONE)) {
            client.start();
            assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
            int node = client.cluster().brokers().get(0).id();
            Load load = new Load(client, node);
            try {
                load.awaitMore(50);
                assertThat(transports.presented()).containsOnly("CN=client-old");

                replace(cert, key, first);
                Polling.awaitCondition(Duration.ofSeconds(30), "a connection presenting the rotated certificate",
                        () -> transports.presented().contains("CN=client-new-1"));
                Polling.awaitCondition(Duration.ofSeconds(30), "the old connection to drain and close",
                        () -> closed.stream().anyMatch(r -> r.contains("recycled because the TLS material changed")));
                load.awaitMore(50);

                broker.alterListenerConfig("SSL", "ssl.truststore.location", newCaOnlyTrust.toString());
                Polling.awaitCondition(Duration.ofSeconds(60), "the broker to refuse the old certificate",
                        () -> refusal(old).filter(e -> e.contains("bad_certificate")).isPresent());
                load.awaitMore(50);

                // Short-lived certificates rotate again: this rotation's connections exist only since the broker
                // dropped the old CA, so they can only have been accepted with a certificate of the new one.
                int before = transports.presented().size();
                replace(cert, key, second);
                Polling.awaitCondition(Duration.ofSeconds(30), "a connection presenting the second certificate",
                        () -> transports.presented().contains("CN=client-new-2"));
                load.awaitMore(50);
                assertThat(transports.presented().subList(before, transports.presented().size()))
                        .containsOnly("CN=client-new-2");
            } finally {
                load.stop();
            }
            assertThat(load.failures).as("requests failed across the rotations").isEmpty();
            assertThat(load.ok.get()).isGreaterThanOrEqualTo(200);
            Polling.awaitCondition(Duration.ofSeconds(10), "the status to count both reloads",
                    () -> client.status().tls().map(TlsStatus::reloads).orElse(0L) >= 2);
            assertThat(client.status().tls().orElseThrow().watchedFiles()).containsExactly(brokerCa, cert, key);
        }
    }

    @Test
    void aHalfWrittenCertificateKeepsTheOldOneAndShowsTheErrorUntilAGoodOneArrives() throws Exception {
        TestPki.Issued current = newClientCa.issue("client-steady");
        TestPki.Issued next = newClientCa.issue("client-next");
        Path cert = current.writeCertPem(dir.resolve("half.pem"));
        Path key = current.writeKeyPem(dir.resolve("half-key.pem"));
        KafkaClientConfig config = ssl().sslCertfile(cert).sslKeyfile(key)
                .sslReloadCheckInterval(Duration.ofMillis(50)).build();
        RecordingTransports transports = new RecordingTransports(SecurityFactories.transportFactory(config));
        try (KafkaClient client = new KafkaClient(config, transports, AuthenticatorFactory.NONE)) {
            CompletableFuture<ClusterMetadata> metadata = client.requestMetadataUpdate();
            client.poll(Duration.ofSeconds(30), metadata);
            int node = metadata.join().brokers().get(0).id();
            reconnect(client, node);

            String full = Files.readString(next.writeCertPem(dir.resolve("next.pem")));
            Files.writeString(cert, full.substring(0, full.length() / 3)); // the writer is a third of the way
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.tlsStatus().orElseThrow().lastReloadError().isEmpty()) {
                assertThat(System.nanoTime()).as("the broken file noticed within 30 s").isLessThan(deadline);
                reconnect(client, node); // files are looked at before new connections: each of these is one
            }
            assertThat(client.tlsStatus().orElseThrow().lastReloadError()).hasValueSatisfying(e ->
                    assertThat(e).contains("sslCertfile").contains(cert.toString()));
            reconnect(client, node);
            assertThat(transports.presented()).as("every connection, since the file broke too").isNotEmpty()
                    .containsOnly("CN=client-steady");

            next.writeKeyPem(key);
            next.writeCertPem(cert);
            while (!transports.last().equals(Optional.of("CN=client-next"))) {
                assertThat(System.nanoTime()).as("the good files taken up within 30 s").isLessThan(deadline);
                reconnect(client, node);
            }
            TlsStatus tls = client.tlsStatus().orElseThrow();
            assertThat(tls.lastReloadError()).isEmpty();
            assertThat(tls.reloads()).isEqualTo(1);
        }
    }

    @Test
    void connectionsPastTheirMaximumAgeAreRecycledWithoutAFailedRequest() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(broker.plaintextBootstrap())
                .connectionsMaxAge(Duration.ofSeconds(1)).observer(new ClientObserver() {
                    @Override
                    public void connectionClosed(Node node, String reason) {
                        closed.add(reason);
                    }
                }).build();
        try (KwireClient client = KwireClient.create(config)) {
            client.start();
            assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
            Load load = new Load(client, client.cluster().brokers().get(0).id());
            try {
                Polling.awaitCondition(Duration.ofSeconds(30), "three connections recycled for their age",
                        () -> closed.stream().filter(r -> r.contains("connectionsMaxAge")).count() >= 3);
                load.awaitMore(50);
            } finally {
                load.stop();
            }
            assertThat(load.failures).as("requests failed while connections were recycled").isEmpty();
        }
    }

    private static KafkaClientConfig.Builder ssl() {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("SSL"))
                .securityProtocol(SecurityProtocol.SSL).sslCafile(brokerCa);
    }

    /** Closes the node's connection and polls until a new one is ready. */
    private static void reconnect(KafkaClient client, int node) {
        client.close(node);
        Polling.pollUntil(client, Duration.ofSeconds(30), "node " + node + " ready", () -> client.ready(node));
    }

    /** Replaces the files as a rotating agent does: each written aside and moved over the old one. */
    private static void replace(Path cert, Path key, TestPki.Issued with) throws Exception {
        Path certAside = with.writeCertPem(dir.resolve(cert.getFileName() + ".new"));
        Path keyAside = with.writeKeyPem(dir.resolve(key.getFileName() + ".new"));
        Files.move(keyAside, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certAside, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * How the broker's TLS listener refuses a fresh client with {@code issued}'s certificate, or empty when it lets
     * it through (metadata arrives).
     */
    private static Optional<String> refusal(TestPki.Issued issued) {
        try {
            Path cert = issued.writeCertPem(Files.createTempFile(dir, "probe", ".pem"));
            Path key = issued.writeKeyPem(Files.createTempFile(dir, "probe-key", ".pem"));
            try (Clients c = new Clients(ssl().sslCertfile(cert).sslKeyfile(key))) {
                CompletableFuture<ClusterMetadata> f = c.client.requestMetadataUpdate();
                Polling.pollUntil(c.client, Duration.ofSeconds(20), "metadata or a refusal", () -> f.isDone()
                        || !c.authFailures.isEmpty() || !c.connectFailures.isEmpty());
                List<KwireException> failures = new ArrayList<>(c.authFailures);
                failures.addAll(c.connectFailures);
                return f.isDone() ? Optional.empty() : Optional.of(failures.get(0).getMessage());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The client's transports, recorded to read which certificate each connection presented; everything else goes to
     * the client's own factory.
     */
    static final class RecordingTransports implements TransportFactory {

        private final TransportFactory delegate;
        private final List<TlsTransport> created = new CopyOnWriteArrayList<>();

        RecordingTransports(TransportFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Transport create(SocketChannel channel, Node node) throws IOException {
            Transport t = delegate.create(channel, node);
            created.add((TlsTransport) t);
            return t;
        }

        @Override
        public long materialGeneration(long nowMs) {
            return delegate.materialGeneration(nowMs);
        }

        @Override
        public void updateSslContext(SSLContext context) {
            delegate.updateSslContext(context);
        }

        @Override
        public Optional<TlsStatus> tlsStatus() {
            return delegate.tlsStatus();
        }

        /** The subject of the certificate each connection presented, for those whose handshake completed. */
        List<String> presented() {
            List<String> out = new ArrayList<>();
            for (TlsTransport t : created) {
                SSLSession session = t.engine().getSession();
                Certificate[] local = session.getLocalCertificates();
                if (local != null && local.length > 0) {
                    out.add(((X509Certificate) local[0]).getSubjectX500Principal().getName());
                }
            }
            return out;
        }

        Optional<String> last() {
            List<String> all = presented();
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
    }

    /** ApiVersions requests to one node without pause, at most 8 in flight; counts answers and keeps failures. */
    static final class Load {

        final AtomicLong ok = new AtomicLong();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final Semaphore window = new Semaphore(8);
        private final Thread thread;
        private volatile boolean stopped;

        Load(KwireClient client, int node) {
            thread = new Thread(() -> {
                while (!stopped) {
                    try {
                        if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    client.send(node, new ApiVersionsRequest()).whenComplete((r, e) -> {
                        if (e != null) {
                            failures.add(e);
                        } else {
                            ok.incrementAndGet();
                        }
                        window.release();
                    });
                }
            }, "rotation-load");
            thread.start();
        }

        /** Waits for {@code n} more answers (or a failure, which the test reports). */
        void awaitMore(long n) throws InterruptedException {
            long target = ok.get() + n;
            Polling.awaitCondition(Duration.ofSeconds(30), n + " more answers (failures: " + failures + ")",
                    () -> ok.get() >= target || !failures.isEmpty());
        }

        /** Stops sending and waits for every request sent to end. */
        void stop() throws InterruptedException {
            stopped = true;
            thread.join(10_000);
            assertThat(window.tryAcquire(8, 30, TimeUnit.SECONDS)).as("every request ended").isTrue();
        }
    }
}
