package io.kwire.client;

import java.time.Instant;
import java.util.Arrays;
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
    /**
     * The brokers by id, for {@link #broker(int)}, which routing calls once per partition: indexed by
     * {@code id - minId} when the ids are dense (they usually are), else sorted by id for a binary search.
     */
    private final Node[] byId;
    private final int minId;
    private final boolean dense;
    private final Map<String, TopicMetadata> topics;
    private final Set<String> unauthorizedTopics;
    private final Instant lastUpdate;

    public ClusterMetadata(String clusterId, int controllerId, List<Node> brokers, Map<String, TopicMetadata> topics,
                           Set<String> unauthorizedTopics, Instant lastUpdate) {
        this.clusterId = clusterId;
        this.controllerId = controllerId;
        this.brokers = List.copyOf(brokers);
        Node[] sorted = this.brokers.toArray(new Node[0]);
        Arrays.sort(sorted, (a, b) -> Integer.compare(a.id(), b.id()));
        this.minId = sorted.length == 0 ? 0 : sorted[0].id();
        long span = sorted.length == 0 ? 0 : (long) sorted[sorted.length - 1].id() - minId + 1;
        this.dense = span <= 2L * sorted.length + 16;
        if (dense) {
            this.byId = new Node[(int) span];
            for (Node n : sorted) {
                if (byId[n.id() - minId] == null) { // a duplicate id (a broker's mistake): the first listed, as a scan
                    byId[n.id() - minId] = n;
                }
            }
        } else {
            this.byId = sorted;
        }
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

    /** The broker with this id, if this snapshot lists it. */
    public Optional<Node> broker(int id) {
        return Optional.ofNullable(find(id));
    }

    private Node find(int id) {
        if (dense) {
            long at = (long) id - minId;
            return at >= 0 && at < byId.length ? byId[(int) at] : null;
        }
        int lo = 0;
        int hi = byId.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = byId[mid].id();
            if (at < id) {
                lo = mid + 1;
            } else if (at > id) {
                hi = mid - 1;
            } else {
                while (mid > 0 && byId[mid - 1].id() == id) {
                    mid--; // a duplicate id: the first listed (the sort is stable)
                }
                return byId[mid];
            }
        }
        return null;
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
        PartitionMetadata p = t.find(partition);
        return p != null && p.hasLeader() ? Optional.ofNullable(find(p.leaderId())) : Optional.empty();
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
