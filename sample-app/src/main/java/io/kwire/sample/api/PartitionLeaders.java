package io.kwire.sample.api;

import io.kwire.protocol.Errors;
import io.kwire.protocol.Errors.KafkaError;
import io.kwire.protocol.message.ListOffsetsResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.errors.KwireException;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * Looks partitions up with a fresh Metadata request to the cluster, so a topic created a moment ago, or one whose
 * leader moved, works without waiting for the client's periodic refresh; and asks a leader for a partition's offset
 * range. Used by the JSON API on the app's client and by the live view on its own client. Any thread.
 */
public final class PartitionLeaders {

    private final KafkaCalls calls;

    public PartitionLeaders(KafkaCalls calls) {
        this.calls = calls;
    }

    /** One topic as a fresh metadata answer describes it (any error code left for the caller to judge). */
    public MetadataResponse.MetadataResponseTopic topic(String name) {
        MetadataResponse response = calls.call(KafkaRequests.topic(name), "Metadata");
        return response.topics().stream().filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> unknownTopic(name));
    }

    /** The partition's leader; 404 for an unknown topic or partition, 503 while it has no leader. */
    public PartitionLeader leaderOf(String topic, int partition) {
        MetadataResponse.MetadataResponseTopic t = topic(topic);
        KafkaError topicError = Errors.forCode(t.errorCode());
        if (topicError.name().equals("UNKNOWN_TOPIC_OR_PARTITION")) {
            throw unknownTopic(topic);
        }
        if (!topicError.isNone()) {
            throw ApiException.kafka(topicError, "Cannot look up topic '" + topic + "': " + topicError.description());
        }
        MetadataResponse.MetadataResponsePartition p = t.partitions().stream()
                .filter(x -> x.partitionIndex() == partition).findFirst()
                .orElseThrow(() -> ApiException.notFound("Unknown partition", "Topic '" + topic + "' has "
                        + t.partitions().size() + " partition(s), numbered from 0; there is no partition " + partition));
        KafkaError partitionError = Errors.forCode(p.errorCode());
        if (p.leaderId() < 0) {
            throw partitionError.isNone()
                    ? new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "No leader", "Partition " + topic + "-"
                            + partition + " has no leader right now", Errors.forCode((short) 5))
                    : ApiException.kafka(partitionError, "Partition " + topic + "-" + partition + " has no leader: "
                            + partitionError.name());
        }
        return new PartitionLeader(topic, t.topicId(), partition, p.leaderId(), p.leaderEpoch());
    }

    /**
     * Polls metadata until every partition of the topic has a leader, or the timeout passes; returns the last answer
     * either way (a caller producing right after creating a topic wants the leaders, but may also just go on).
     */
    public MetadataResponse.MetadataResponseTopic awaitLeaders(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MetadataResponse.MetadataResponseTopic topic = topic(name);
            boolean ready = topic.errorCode() == 0 && !topic.partitions().isEmpty()
                    && topic.partitions().stream().allMatch(p -> p.errorCode() == 0 && p.leaderId() >= 0);
            if (ready || System.nanoTime() > deadline) {
                return topic;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return topic;
            }
        }
    }

    /** ListOffsets at the leader: {@link KafkaRequests#EARLIEST}, {@link KafkaRequests#LATEST} or a time. */
    public long offset(PartitionLeader leader, long timestamp) {
        ListOffsetsResponse response = calls.call(leader.leader(), KafkaRequests.listOffset(leader, timestamp),
                "ListOffsets");
        ListOffsetsResponse.ListOffsetsPartitionResponse p = response.topics().stream()
                .flatMap(t -> t.partitions().stream()).findFirst()
                .orElseThrow(() -> new KwireException("ListOffsets answer is empty"));
        if (p.errorCode() != 0) {
            KafkaError error = Errors.forCode(p.errorCode());
            throw ApiException.kafka(error, "ListOffsets for " + leader.name() + " failed: " + error.description());
        }
        return p.offset();
    }

    static ApiException unknownTopic(String name) {
        return ApiException.notFound("Unknown topic", "Topic '" + name + "' does not exist");
    }
}
