package io.kwire.it.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One in-JVM KRaft node (Kafka's {@code KafkaClusterTestKit}) with extra listeners beside the kit's plaintext
 * EXTERNAL and CONTROLLER ones: a listener is added with {@link #listener(String, String, Map)} before
 * {@link #start()}, and its port read with {@link #port(String)} after. Ports are picked by the broker (port 0) and
 * advertised as {@code localhost:<port>}.
 */
final class SecureBroker implements AutoCloseable {

    private final Map<String, String> protocols = new LinkedHashMap<>();
    private final Map<String, String> props = new LinkedHashMap<>();
    private KafkaClusterTestKit cluster;

    SecureBroker() {
        protocols.put("EXTERNAL", "PLAINTEXT");
        protocols.put("CONTROLLER", "PLAINTEXT");
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
    }

    /** Adds a listener; {@code listenerProps} keys are given without the {@code listener.name.<name>.} prefix. */
    SecureBroker listener(String name, String securityProtocol, Map<String, String> listenerProps) {
        protocols.put(name, securityProtocol);
        String prefix = "listener.name." + name.toLowerCase() + ".";
        listenerProps.forEach((k, v) -> props.put(prefix + k, v));
        return this;
    }

    SecureBroker prop(String key, String value) {
        props.put(key, value);
        return this;
    }

    SecureBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBootstrapMetadataVersion(MetadataVersion.latestProduction()).build();
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes);
        StringBuilder map = new StringBuilder();
        StringBuilder listeners = new StringBuilder();
        protocols.forEach((name, protocol) -> {
            map.append(map.isEmpty() ? "" : ",").append(name).append(':').append(protocol);
            listeners.append(listeners.isEmpty() ? "" : ",").append(name).append("://localhost:0");
        });
        b.setConfigProp("listener.security.protocol.map", map.toString());
        b.setConfigProp("listeners", listeners.toString());
        props.forEach(b::setConfigProp);
        cluster = b.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return this;
    }

    int port(String listener) {
        return cluster.brokers().values().iterator().next().boundPort(new ListenerName(listener));
    }

    String bootstrap(String listener) {
        return "localhost:" + port(listener);
    }

    /** The plaintext listener, for admin operations. */
    String plaintextBootstrap() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic of one partition through the plaintext listener. */
    void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", plaintextBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Changes a listener's config on the running broker (KIP-226 dynamic broker config), e.g. its trust store, which
     * the broker reloads for the connections it accepts from then on.
     */
    void alterListenerConfig(String listener, String key, String value) throws Exception {
        String broker = String.valueOf(cluster.brokers().keySet().iterator().next());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", plaintextBootstrap()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, broker),
                    List.of(new AlterConfigOp(new ConfigEntry("listener.name." + listener.toLowerCase() + "." + key,
                            value), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
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
