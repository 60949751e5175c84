package io.kwire.testkit;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import kafka.server.BrokerServer;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;

/**
 * Listeners a {@link KafkaCluster}'s brokers get beside the test kit's client and controller ones, with any security
 * protocol: Kafka's {@code TestKitNodes} refuses SSL and SASL_SSL for its own broker listener, but a broker started by
 * the kit takes any listener its {@code listeners} and {@code listener.security.protocol.map} properties name. The
 * controller nodes do not get them.
 *
 * <p>Each extra listener's port is bound before the brokers start, through the kit's own pre-bound socket factory (as
 * the kit does for its listeners), so a broker restarted with {@link KafkaCluster#restartBroker(int)} listens on the
 * same port again.
 *
 * <p>Not thread-safe: part of a {@link KafkaCluster.Builder}.
 */
final class ExtraListeners {

    private final Map<String, SecurityProtocol> protocols = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    void add(String name, SecurityProtocol protocol, Map<String, String> listenerProperties) {
        Objects.requireNonNull(protocol, "protocol");
        if (name == null || !name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("listener name '" + name + "': upper-case letters, digits and _, "
                    + "e.g. TLS");
        }
        if (name.equals(KafkaCluster.CLIENT_LISTENER) || name.equals(KafkaCluster.CONTROLLER_LISTENER)) {
            throw new IllegalArgumentException("listener name '" + name + "' is the test kit's own; choose another");
        }
        protocols.put(name, protocol);
        String prefix = "listener.name." + name.toLowerCase(Locale.ROOT) + ".";
        listenerProperties.forEach((key, value) -> properties.put(prefix + key, value));
    }

    void addAll(ExtraListeners other) {
        protocols.putAll(other.protocols);
        properties.putAll(other.properties);
    }

    boolean isEmpty() {
        return protocols.isEmpty();
    }

    boolean contains(String name) {
        return protocols.containsKey(name);
    }

    /** Every node's share: the protocol map naming all listeners and the listener-scoped properties. */
    Map<String, String> nodeProperties(SecurityProtocol client, SecurityProtocol controller) {
        StringBuilder map = new StringBuilder(KafkaCluster.CLIENT_LISTENER + ":" + client.name + ","
                + KafkaCluster.CONTROLLER_LISTENER + ":" + controller.name);
        protocols.forEach((name, protocol) -> map.append(',').append(name).append(':').append(protocol.name));
        Map<String, String> props = new LinkedHashMap<>(properties);
        props.put("listener.security.protocol.map", map.toString());
        return props;
    }

    /**
     * The {@code listeners} of each broker: the kit's (its client listener, and the controller listener on a combined
     * node) and the extra ones, all on port 0, which the kit's socket factory replaces with the pre-bound port.
     */
    Map<Integer, Map<String, String>> brokerListeners(Collection<Integer> brokerIds, Collection<Integer> combined) {
        Map<Integer, Map<String, String>> perBroker = new LinkedHashMap<>();
        for (int id : brokerIds) {
            StringBuilder listeners = new StringBuilder(KafkaCluster.CLIENT_LISTENER + "://localhost:0");
            if (combined.contains(id)) {
                listeners.append(',').append(KafkaCluster.CONTROLLER_LISTENER).append("://localhost:0");
            }
            protocols.keySet().forEach(name -> listeners.append(',').append(name).append("://localhost:0"));
            perBroker.put(id, Map.of("listeners", listeners.toString()));
        }
        return perBroker;
    }

    /**
     * Binds every extra listener's port of every broker in the kit's socket factory before the kit is built. The kit
     * keeps that factory in a private field (Kafka 4.1's {@code KafkaClusterTestKit.Builder.socketFactoryManager}).
     */
    void prebind(KafkaClusterTestKit.Builder kit, Collection<Integer> brokerIds) throws Exception {
        PreboundSocketFactoryManager sockets;
        try {
            Field field = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
            field.setAccessible(true);
            sockets = (PreboundSocketFactoryManager) field.get(kit);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Kafka release's test kit has no socketFactoryManager to bind the "
                    + "extra listeners' ports in; KafkaCluster's extra listeners need Kafka 4.1's test kit", e);
        }
        for (int id : brokerIds) {
            for (String name : protocols.keySet()) {
                sockets.getOrCreatePortForListener(id, name);
            }
        }
    }

    /** The port of each extra listener of each broker: listener name, then broker id. */
    Map<String, Map<Integer, Integer>> boundPorts(Map<Integer, BrokerServer> brokers) {
        Map<String, Map<Integer, Integer>> ports = new LinkedHashMap<>();
        for (String name : protocols.keySet()) {
            Map<Integer, Integer> byBroker = new LinkedHashMap<>();
            brokers.forEach((id, broker) -> byBroker.put(id, broker.boundPort(new ListenerName(name))));
            ports.put(name, byBroker);
        }
        return ports;
    }
}
