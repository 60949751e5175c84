package io.kwire.sample.api;

import io.kwire.protocol.Uuid;

/**
 * Where a partition lives right now, as a fresh metadata answer says: the leader's node id and epoch, and the topic
 * id. Produce, Fetch and ListOffsets go to that leader carrying that epoch, so a stale view fails with a retriable
 * error instead of reading from the wrong replica.
 */
public record PartitionLeader(String topic, Uuid topicId, int partition, int leader, int leaderEpoch) {

    /** {@code topic-partition}, as Kafka writes it. */
    public String name() {
        return topic + "-" + partition;
    }
}
