package io.kwire.it.security;

import io.kwire.testkit.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One in-JVM KRaft node (the test kit's {@link KafkaCluster}) with extra listeners beside the kit's plaintext
 * EXTERNAL and CONTROLLER ones: a listener is added with {@link #listener(String, String, Map)} before
 * {@link #start()}, and its address read with {@link #bootstrap(String)} after. Ports are picked at start and
 * advertised as {@code localhost:<port>}.
 */
final class SecureBroker implements AutoCloseable {

    private final KafkaCluster.Builder builder = KafkaCluster.builder();
    private KafkaCluster cluster;

    /** Adds a listener; {@code listenerProps} keys are given without the {@code listener.name.<name>.} prefix. */
    SecureBroker listener(String name, String securityProtocol, Map<String, String> listenerProps) {
        builder.extraListener(name, SecurityProtocol.forName(securityProtocol), listenerProps);
        return this;
    }

    SecureBroker prop(String key, String value) {
        builder.brokerProperty(key, value);
        return this;
    }

    SecureBroker start() {
        cluster = builder.start();
        return this;
    }

    int port(String listener) {
        String address = bootstrap(listener);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    String bootstrap(String listener) {
        return cluster.bootstrapServers(listener);
    }

    /** The plaintext listener, for admin operations. */
    String plaintextBootstrap() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic of one partition through the plaintext listener. */
    void createTopic(String topic) {
        cluster.createTopic(topic, 1, 1);
    }

    /**
     * Changes a listener's config on the running broker (KIP-226 dynamic broker config), e.g. its trust store, which
     * the broker reloads for the connections it accepts from then on.
     */
    void alterListenerConfig(String listener, String key, String value) throws Exception {
        String broker = String.valueOf(cluster.brokerIds().get(0));
        cluster.admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, broker),
                List.of(new AlterConfigOp(new ConfigEntry("listener.name." + listener.toLowerCase() + "." + key,
                        value), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    static Path tempDir(String prefix) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        dir.toFile().deleteOnExit();
        return dir;
    }
}
