package io.kwire.spring.boot.test;

import io.kwire.client.Password;
import io.kwire.client.SecurityProtocol;
import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import io.kwire.testkit.KafkaCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * Real Kafka brokers (KRaft) running in this JVM on the kwire test kit's {@link KafkaCluster}, as a Spring bean:
 * what {@link EmbeddedKwireBroker @EmbeddedKwireBroker} starts once per test context, and what
 * {@link EmbeddedBrokerConfiguration} starts for an application run without a cluster. Its data lives in a
 * temporary directory that {@link #close()} deletes. {@link #stopBroker(int)} and {@link #restartBroker(int)} take a
 * broker away and bring it back on the same port (the controller keeps running), to test what an application does
 * while Kafka is down.
 *
 * <p>With a TLS listener ({@link EmbeddedKwireBroker.Listener#SSL SSL}, {@link EmbeddedKwireBroker.Listener#SASL_SSL
 * SASL_SSL}) each broker has it beside the test kit's own listener, with a server certificate for {@code localhost}
 * from a CA made at start; clients get that CA (and, with client authentication, a client certificate) as the SSL
 * bundle {@link #sslBundle()}, and the certificates' temporary directory goes with {@link #close()}.
 *
 * <p>Not thread-safe: one caller at a time, as with {@link KafkaCluster}.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The name under which {@code @EmbeddedKwireBroker} registers the broker in the test's context. */
    public static final String BEAN_NAME = "embeddedKwireBroker";

    /** The name of the SSL bundle {@code @EmbeddedKwireBroker} registers for a TLS listener. */
    public static final String SSL_BUNDLE_NAME = "kwire-embedded";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final KafkaCluster cluster;
    private final EmbeddedKwireBroker.Listener listener;
    private final EmbeddedTls tls;
    private volatile boolean closed;

    private EmbeddedBroker(KafkaCluster cluster, EmbeddedKwireBroker.Listener listener, EmbeddedTls tls) {
        this.cluster = cluster;
        this.listener = listener;
        this.tls = tls;
    }

    /** Starts one PLAINTEXT broker; returns once it accepts clients. */
    public static EmbeddedBroker start() {
        return start(1, EmbeddedKwireBroker.Listener.PLAINTEXT, Map.of());
    }

    /**
     * Starts {@code brokers} brokers (one of them the KRaft controller) with a client listener of the given kind and
     * extra broker properties; returns once every broker accepts clients and is in the cluster metadata.
     */
    public static EmbeddedBroker start(int brokers, EmbeddedKwireBroker.Listener listener,
                                       Map<String, String> brokerProperties) {
        return start(brokers, listener, false, brokerProperties);
    }

    /**
     * As {@link #start(int, EmbeddedKwireBroker.Listener, Map)}; with {@code clientCertificate} a TLS listener
     * requires a client certificate, which {@link #sslBundle()} carries.
     */
    public static EmbeddedBroker start(int brokers, EmbeddedKwireBroker.Listener listener, boolean clientCertificate,
                                       Map<String, String> brokerProperties) {
        Objects.requireNonNull(listener, "listener");
        if (clientCertificate && !listener.isTls()) {
            throw new IllegalArgumentException("a client certificate needs a TLS listener (SSL or SASL_SSL), not "
                    + listener);
        }
        long started = System.nanoTime();
        KafkaCluster.Builder builder = KafkaCluster.builder().brokers(brokers).brokerProperties(brokerProperties);
        if (listener.isSasl()) {
            // the test kit sets up SASL/PLAIN with its own users (KafkaCluster.SASL_ADMIN, SASL_USER)
            builder.listener(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT, Map.of());
        }
        EmbeddedTls tls = listener.isTls() ? EmbeddedTls.create(listener.isSasl(), clientCertificate) : null;
        if (tls != null) {
            builder.extraListener(EmbeddedTls.LISTENER,
                    org.apache.kafka.common.security.auth.SecurityProtocol.forName(listener.name()),
                    tls.listenerProperties());
        }
        KafkaCluster cluster;
        try {
            // Kafka's storage formatter prints "Formatting metadata directory ..." to standard output: keep it off
            // the console (it is logged at DEBUG instead).
            cluster = ConsoleFilter.dropLines(line -> line.startsWith("Formatting "), builder::start);
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        EmbeddedBroker broker = new EmbeddedBroker(cluster, listener, tls);
        log.info("Started an embedded Kafka broker at {} ({} node(s), {}{})", broker.bootstrapServers(), brokers,
                listener, clientCertificate ? " with client certificates" : "");
        log.debug("Embedded broker started in {} ms, data in {}", (System.nanoTime() - started) / 1_000_000,
                cluster.dataDirectory());
        return broker;
    }

    /**
     * {@code host:port} of every running broker's client listener, comma separated: the TLS listener for SSL and
     * SASL_SSL (the test kit's own listener, {@code cluster().bootstrapServers()}, stays plain).
     */
    public String bootstrapServers() {
        return tls != null ? cluster.bootstrapServers(EmbeddedTls.LISTENER) : cluster.bootstrapServers();
    }

    /** The bootstrap addresses as a list, as {@link KwireClientConnectionDetails} gives them. */
    public List<String> bootstrapServerList() {
        return Arrays.stream(bootstrapServers().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The kind of client listener the brokers have. */
    public EmbeddedKwireBroker.Listener listener() {
        return listener;
    }

    /**
     * For a TLS listener, the SSL bundle a client needs: the CA that signed the brokers' certificate for
     * {@code localhost} and, with client authentication, a client certificate and key; {@code null} otherwise.
     * {@code @EmbeddedKwireBroker} registers it as {@value #SSL_BUNDLE_NAME}.
     */
    public SslBundle sslBundle() {
        return tls == null ? null : tls.clientBundle();
    }

    /**
     * Connection details for a kwire client of this broker: its addresses now, its security protocol, for a TLS
     * listener the SSL bundle {@link #sslBundle()} and, for SASL_PLAINTEXT and SASL_SSL, the test kit's super user
     * ({@link KafkaCluster#SASL_ADMIN}) over SASL/PLAIN.
     */
    public KwireClientConnectionDetails connectionDetails() {
        return new Details(this);
    }

    /** Where the brokers keep their data: a temporary directory, deleted by {@link #close()}. */
    public Path dataDirectory() {
        return cluster.dataDirectory();
    }

    /** The node ids of every broker, running or stopped. */
    public List<Integer> brokerIds() {
        return cluster.brokerIds();
    }

    public boolean isRunning() {
        return !closed && cluster.isRunning();
    }

    /** Whether every broker (not only the controller) is up: false between {@link #stopBroker()} and a restart. */
    public boolean isBrokerUp() {
        return isRunning() && cluster.runningBrokerIds().size() == cluster.brokerIds().size();
    }

    /** Creates a topic and waits until each partition has a leader; an existing one is left as it is. */
    public void createTopic(String name, int partitions, int replicationFactor) {
        cluster.createTopic(name, partitions, replicationFactor);
    }

    /** Shuts the first broker down (its port stops accepting); the controller and the data stay. */
    public void stopBroker() {
        stopBroker(firstBroker());
    }

    /** Shuts one broker down (controlled shutdown); the controller and the data stay. */
    public void stopBroker(int brokerId) {
        cluster.stopBroker(brokerId);
        log.info("Stopped embedded Kafka broker {} (the controller and the data stay)", brokerId);
    }

    /** Starts the first broker again on the port it had, and waits until it is back in the cluster metadata. */
    public void restartBroker() {
        restartBroker(firstBroker());
    }

    /** Starts a broker again on the port it had, and waits until it is back in the cluster metadata. */
    public void restartBroker(int brokerId) {
        cluster.restartBroker(brokerId);
        log.info("Restarted embedded Kafka broker {} at {}", brokerId, bootstrapServers());
    }

    /** The test kit's cluster, for what this class does not offer ({@code admin()}, {@code fatalFault()} ...). */
    public KafkaCluster cluster() {
        return cluster;
    }

    private int firstBroker() {
        return cluster.brokerIds().get(0);
    }

    /** Stops every node and deletes the data directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        String addresses = cluster.isRunning() ? bootstrapServers() : "";
        try {
            cluster.close();
        } finally {
            if (tls != null) {
                tls.close();
            }
        }
        log.info("Stopped the embedded Kafka broker at {} and removed its data", addresses);
    }

    @Override
    public String toString() {
        return "EmbeddedBroker{" + (closed ? "closed" : bootstrapServers() + ", " + listener) + "}";
    }

    /**
     * The broker's details, read when the client's configuration is made: its running brokers' addresses and, for a
     * SASL listener, the test kit's super user. Not a snapshot, so a broker restarted on its port stays reachable.
     */
    private record Details(EmbeddedBroker broker) implements KwireClientConnectionDetails {

        @Override
        public List<String> getBootstrapServers() {
            return broker.bootstrapServerList();
        }

        @Override
        public SecurityProtocol getSecurityProtocol() {
            return broker.listener.securityProtocol();
        }

        @Override
        public SslBundle getSslBundle() {
            return broker.sslBundle();
        }

        @Override
        public SaslCredentials getSaslCredentials() {
            return broker.listener.isSasl()
                    ? new SaslCredentials("PLAIN", KafkaCluster.SASL_ADMIN, Password.of(KafkaCluster.SASL_ADMIN_PASSWORD))
                    : null;
        }

        @Override
        public String toString() {
            return "EmbeddedBroker.Details" + broker.bootstrapServerList();
        }
    }
}
