package io.kwire.sample.broker;

import io.kwire.testkit.KafkaCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, on the kwire test
 * kit. Its data lives in a temporary directory that {@link #close()} deletes.
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
        KafkaCluster cluster = KafkaCluster.builder().brokers(1).build().start();
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
