package io.kwire.client;

import io.kwire.protocol.Uuid;
import java.util.List;

/**
 * One topic as the last metadata response described it.
 *
 * @param name       topic name
 * @param topicId    topic id ({@link Uuid#ZERO} for brokers that do not send one)
 * @param internal   whether it is an internal topic such as {@code __consumer_offsets}
 * @param partitions partitions ordered by index
 * @param errorCode  Kafka error code for the topic (0 when none)
 */
public record TopicMetadata(String name, Uuid topicId, boolean internal, List<PartitionMetadata> partitions,
                            short errorCode) {

    public TopicMetadata {
        partitions = List.copyOf(partitions);
    }
}
