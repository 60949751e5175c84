package io.kwire.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of the cluster: brokers, controller, topics and partitions. The client replaces the
 * whole snapshot after every successful metadata response, so a reader never sees half an update; any thread
 * may read it.
 */
public final class ClusterMetadata {

    private static final ClusterMetadata EMPTY = new ClusterMetadata(null, -1, List.of(), Map.of(), Set.of(), null);

    private final String clusterId;
    private final int controllerId;
    private final List<Node> brokers;
    private final Map<String, TopicMetadata> topics;
    private final Set<String> unauthorizedTopics;
    private final Instant lastUpdate;

    public ClusterMetadata(String clusterId, int controllerId, List<Node> brokers, Map<String, TopicMetadata> topics,
                           Set<String> unauthorizedTopics, Instant lastUpdate) {
        this.clusterId = clusterId;
        this.controllerId = controllerId;
        this.brokers = List.copyOf(brokers);
        this.topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
        this.unauthorizedTopics = Set.copyOf(unauthorizedTopics);
        this.lastUpdate = lastUpdate;
    }

    /** The snapshot before any metadata response arrived. */
    public static ClusterMetadata empty() {
        return EMPTY;
    }

    /** The cluster id, if the broker sent one. */
    public Optional<String> clusterId() {
        return Optional.ofNullable(clusterId);
    }

    /** The controller as advertised in metadata (in KRaft mode a random broker, as Kafka reports it). */
    public Optional<Node> controller() {
        return controllerId < 0 ? Optional.empty() : broker(controllerId);
    }

    public List<Node> brokers() {
        return brokers;
    }

    public Optional<Node> broker(int id) {
        for (Node node : brokers) {
            if (node.id() == id) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    public Map<String, TopicMetadata> topics() {
        return topics;
    }

    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** Names of the internal topics ({@code __consumer_offsets}, ...). */
    public Set<String> internalTopics() {
        return topics.values().stream().filter(TopicMetadata::internal).map(TopicMetadata::name)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Topics the broker refused to describe (TOPIC_AUTHORIZATION_FAILED). */
    public Set<String> unauthorizedTopics() {
        return unauthorizedTopics;
    }

    /** The leader of a partition, if known and alive in this snapshot. */
    public Optional<Node> leaderFor(String topic, int partition) {
        TopicMetadata t = topics.get(topic);
        if (t == null) {
            return Optional.empty();
        }
        for (PartitionMetadata p : t.partitions()) {
            if (p.partition() == partition) {
                return p.hasLeader() ? broker(p.leaderId()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** When this snapshot arrived; empty for the initial empty snapshot. */
    public Optional<Instant> lastUpdate() {
        return Optional.ofNullable(lastUpdate);
    }

    @Override
    public String toString() {
        return "ClusterMetadata{clusterId=" + clusterId + ", controller=" + controllerId + ", brokers=" + brokers
                + ", topics=" + topics.keySet() + ", lastUpdate=" + lastUpdate + "}";
    }
}
