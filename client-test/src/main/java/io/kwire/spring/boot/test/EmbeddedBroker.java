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

/**
 * Real Kafka brokers (KRaft) running in this JVM on the kwire test kit's {@link KafkaCluster}, as a Spring bean:
 * what {@link EmbeddedKwireBroker @EmbeddedKwireBroker} starts once per test context, and what
 * {@link EmbeddedBrokerConfiguration} starts for an application run without a cluster. Its data lives in a
 * temporary directory that {@link #close()} deletes. {@link #stopBroker(int)} and {@link #restartBroker(int)} take a
 * broker away and bring it back on the same port (the controller keeps running), to test what an application does
 * while Kafka is down.
 *
 * <p>Not thread-safe: one caller at a time, as with {@link KafkaCluster}.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The name under which {@code @EmbeddedKwireBroker} registers the broker in the test's context. */
    public static final String BEAN_NAME = "embeddedKwireBroker";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final KafkaCluster cluster;
    private final EmbeddedKwireBroker.Listener listener;
    private volatile boolean closed;

    private EmbeddedBroker(KafkaCluster cluster, EmbeddedKwireBroker.Listener listener) {
        this.cluster = cluster;
        this.listener = listener;
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
        Objects.requireNonNull(listener, "listener");
        long started = System.nanoTime();
        KafkaCluster.Builder builder = KafkaCluster.builder().brokers(brokers).brokerProperties(brokerProperties);
        if (listener == EmbeddedKwireBroker.Listener.SASL_PLAINTEXT) {
            // the test kit sets up SASL/PLAIN with its own users (KafkaCluster.SASL_ADMIN, SASL_USER)
            builder.listener(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT, Map.of());
        }
        // Kafka's storage formatter prints "Formatting metadata directory ..." to standard output: keep it off the
        // console (it is logged at DEBUG instead).
        KafkaCluster cluster = ConsoleFilter.dropLines(line -> line.startsWith("Formatting "), builder::start);
        EmbeddedBroker broker = new EmbeddedBroker(cluster, listener);
        log.info("Started an embedded Kafka broker at {} ({} node(s), {})", broker.bootstrapServers(), brokers,
                listener);
        log.debug("Embedded broker started in {} ms, data in {}", (System.nanoTime() - started) / 1_000_000,
                cluster.dataDirectory());
        return broker;
    }

    /** {@code host:port} of every running broker's client listener, comma separated. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
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
     * Connection details for a kwire client of this broker: its addresses now, its security protocol and, for
     * SASL_PLAINTEXT, the test kit's super user ({@link KafkaCluster#SASL_ADMIN}) over SASL/PLAIN.
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
        String addresses = cluster.isRunning() ? cluster.bootstrapServers() : "";
        cluster.close();
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
            return broker.listener == EmbeddedKwireBroker.Listener.SASL_PLAINTEXT ? SecurityProtocol.SASL_PLAINTEXT
                    : SecurityProtocol.PLAINTEXT;
        }

        @Override
        public SaslCredentials getSaslCredentials() {
            return broker.listener == EmbeddedKwireBroker.Listener.SASL_PLAINTEXT
                    ? new SaslCredentials("PLAIN", KafkaCluster.SASL_ADMIN, Password.of(KafkaCluster.SASL_ADMIN_PASSWORD))
                    : null;
        }

        @Override
        public String toString() {
            return "EmbeddedBroker.Details" + broker.bootstrapServerList();
        }
    }
}
