package io.kwire.sample.broker;

import io.kwire.testkit.KafkaCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, on the kwire test
 * kit. Its data lives in a temporary directory that {@link #close()} deletes. {@link #stopBroker()} and
 * {@link #restartBroker()} take the broker away and bring it back on the same port (the controller keeps running),
 * which is how the tests show what the page does while Kafka is down. Not thread-safe: one caller at a time.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaCluster cluster;
    private final String bootstrapServers;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaCluster cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** Starts the broker; returns once it accepts clients. */
    public static EmbeddedKafkaBroker start() {
        long started = System.nanoTime();
        // Kafka's storage formatter prints "Formatting metadata directory ..." to standard output: keep it out of the
        // console (it is logged at DEBUG instead).
        KafkaCluster cluster = ConsoleFilter.dropLines(line -> line.startsWith("Formatting "),
                () -> KafkaCluster.builder().brokers(1).build().start());
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster);
        log.info("Started an embedded Kafka broker at {} (set kwire.client.bootstrap-servers to use your own cluster)",
                broker.bootstrapServers);
        log.debug("Embedded broker started in {} ms, data in {}", (System.nanoTime() - started) / 1_000_000,
                cluster.dataDirectory());
        return broker;
    }

    /** {@code host:port} of the broker's client listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The bootstrap address as a list, as {@code KwireClientConnectionDetails} wants it. */
    public List<String> bootstrapServerList() {
        return Arrays.stream(bootstrapServers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Where the broker keeps its data: a temporary directory, deleted by {@link #close()}. */
    public Path dataDirectory() {
        return cluster.dataDirectory();
    }

    public boolean isRunning() {
        return !closed && cluster.isRunning();
    }

    /** Whether the broker (not only its controller) is up: false between {@link #stopBroker()} and a restart. */
    public boolean isBrokerUp() {
        return isRunning() && !cluster.runningBrokerIds().isEmpty();
    }

    /** Shuts the broker down (its port stops accepting); the controller and the data stay. */
    public void stopBroker() {
        cluster.stopBroker(brokerId());
        log.info("Stopped the embedded Kafka broker at {} (the controller and the data stay)", bootstrapServers);
    }

    /** Starts the broker again on the port it had, and waits until it is back in the cluster metadata. */
    public void restartBroker() {
        cluster.restartBroker(brokerId());
        log.info("Restarted the embedded Kafka broker at {}", bootstrapServers);
    }

    private int brokerId() {
        return cluster.brokerIds().get(0);
    }

    /** Stops the broker and deletes its data directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cluster.close();
        log.info("Stopped the embedded Kafka broker at {} and removed its data", bootstrapServers);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker{" + bootstrapServers + (closed ? ", closed" : "") + "}";
    }
}
