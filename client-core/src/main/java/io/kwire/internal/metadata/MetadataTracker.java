package io.kwire.internal.metadata;

import io.kwire.client.ClusterMetadata;
import io.kwire.client.Node;
import io.kwire.client.PartitionMetadata;
import io.kwire.client.TopicMetadata;
import io.kwire.internal.util.ExponentialBackoff;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's view of the cluster and the timing of its refreshes: which topics are tracked, when the next
 * metadata request is due (on age, on demand, after failures with exponential back-off), and the immutable
 * {@link ClusterMetadata} snapshot built from each response. Partition entries with an older leader epoch than
 * the one already known are kept as they were (stale metadata from a lagging broker is ignored).
 *
 * <p>Only used on the I/O thread; the snapshot it publishes may be read from any thread.
 */
public final class MetadataTracker {

    private final long maxAgeMs;
    private final ExponentialBackoff refreshBackoff;
    private final Set<String> topics = new LinkedHashSet<>();
    private volatile ClusterMetadata snapshot = ClusterMetadata.empty();
    private boolean allTopics;
    private boolean updateRequested = true;
    private boolean inProgress;
    private long lastAttemptMs = Long.MIN_VALUE / 2;
    private long lastSuccessMs = Long.MIN_VALUE / 2;
    private int failures;

    public MetadataTracker(long maxAgeMs, ExponentialBackoff refreshBackoff) {
        this.maxAgeMs = maxAgeMs;
        this.refreshBackoff = refreshBackoff;
    }

    public ClusterMetadata snapshot() {
        return snapshot;
    }

    /** Starts tracking a topic; returns true if it was new (a refresh is then requested). */
    public boolean addTopic(String topic) {
        boolean added = topics.add(topic);
        if (added) {
            updateRequested = true;
        }
        return added;
    }

    public void setTopics(Iterable<String> newTopics) {
        Set<String> next = new LinkedHashSet<>();
        newTopics.forEach(next::add);
        if (!next.equals(topics)) {
            topics.clear();
            topics.addAll(next);
            updateRequested = true;
        }
    }

    public Set<String> topics() {
        return Set.copyOf(topics);
    }

    /** Asks for metadata on every topic in the cluster, not only the tracked ones. */
    public void setAllTopics(boolean all) {
        if (allTopics != all) {
            allTopics = all;
            updateRequested = true;
        }
    }

    public void requestUpdate() {
        updateRequested = true;
    }

    public boolean updateRequested() {
        return updateRequested;
    }

    /** Whether a refresh is due now (requested or expired) and none is in flight. */
    public boolean isDue(long nowMs) {
        return !inProgress && timeToNextUpdate(nowMs) == 0;
    }

    /** Milliseconds until the next refresh is due: 0 if due now. */
    public long timeToNextUpdate(long nowMs) {
        long backoffEnd = lastAttemptMs + (failures == 0 ? 0 : refreshBackoff.backoffMs(failures));
        long due = updateRequested ? backoffEnd : Math.max(backoffEnd, lastSuccessMs + maxAgeMs);
        return Math.max(0, due - nowMs);
    }

    public boolean isFresh(long nowMs) {
        return snapshot.lastUpdate().isPresent() && nowMs - lastSuccessMs < maxAgeMs;
    }

    public long lastSuccessMs() {
        return lastSuccessMs;
    }

    public boolean inProgress() {
        return inProgress;
    }

    /** The request for the next refresh, at the newest Metadata version; marks a refresh in flight. */
    public MetadataRequest newRequest(long nowMs) {
        return newRequest(nowMs, ApiKey.METADATA.highestSupportedVersion());
    }

    /**
     * The request for the next refresh, with only the fields {@code version} has; marks a refresh in flight. Brokers
     * of the 0.10 line answer at most v2, which has no {@code allowAutoTopicCreation} (v4+): setting it there would
     * make the request impossible to encode. Before v1, "all topics" is an empty list rather than null.
     */
    public MetadataRequest newRequest(long nowMs, short version) {
        inProgress = true;
        lastAttemptMs = nowMs;
        MetadataRequest request = new MetadataRequest();
        if (version >= 4) {
            request.setAllowAutoTopicCreation(false);
        }
        if (allTopics) {
            request.setTopics(version >= 1 ? null : List.of());
        } else {
            List<MetadataRequest.MetadataRequestTopic> list = new ArrayList<>(topics.size());
            for (String t : topics) {
                list.add(new MetadataRequest.MetadataRequestTopic().setName(t));
            }
            request.setTopics(list);
        }
        return request;
    }

    /** The refresh failed (no node, timeout, disconnect): retry after the back-off. */
    public void failed(long nowMs) {
        inProgress = false;
        failures++;
        lastAttemptMs = nowMs;
    }

    /** Applies a response and publishes a new snapshot. */
    public ClusterMetadata update(MetadataResponse response, long nowMs, Instant wallClock) {
        inProgress = false;
        failures = 0;
        updateRequested = false;
        lastSuccessMs = nowMs;
        lastAttemptMs = nowMs;
        ClusterMetadata previous = snapshot;

        List<Node> brokers = new ArrayList<>(response.brokers().size());
        for (MetadataResponse.MetadataResponseBroker b : response.brokers()) {
            brokers.add(new Node(b.nodeId(), b.host(), b.port(), b.rack()));
        }
        Map<String, TopicMetadata> topicMap = new HashMap<>();
        Set<String> unauthorized = new HashSet<>();
        for (MetadataResponse.MetadataResponseTopic t : response.topics()) {
            if (t.name() == null) {
                continue;
            }
            if (t.errorCode() == Errors.TOPIC_AUTHORIZATION_FAILED.code()) {
                unauthorized.add(t.name());
                continue;
            }
            TopicMetadata old = previous.topics().get(t.name());
            List<PartitionMetadata> partitions = new ArrayList<>(t.partitions().size());
            for (MetadataResponse.MetadataResponsePartition p : t.partitions()) {
                PartitionMetadata fresh = new PartitionMetadata(p.partitionIndex(), p.leaderId(), p.leaderEpoch(),
                        p.replicaNodes(), p.isrNodes(), p.offlineReplicas(), p.errorCode());
                partitions.add(keepNewer(old, t.topicId(), fresh));
            }
            topicMap.put(t.name(), new TopicMetadata(t.name(), t.topicId(), t.isInternal(), partitions, t.errorCode()));
        }
        // Tracked topics the broker did not mention keep their old entry until it tells us otherwise.
        ClusterMetadata next = new ClusterMetadata(response.clusterId(), response.controllerId(), brokers,
                topicMap, unauthorized, wallClock);
        snapshot = next;
        return next;
    }

    private static PartitionMetadata keepNewer(TopicMetadata old, Uuid topicId, PartitionMetadata fresh) {
        if (old == null || fresh.leaderEpoch() < 0) {
            return fresh;
        }
        if (!old.topicId().equals(Uuid.ZERO) && !old.topicId().equals(topicId)) {
            return fresh; // the topic was deleted and re-created: epochs start again
        }
        PartitionMetadata p = old.partition(fresh.partition()).orElse(null);
        return p != null && p.leaderEpoch() > fresh.leaderEpoch() ? p : fresh;
    }
}
