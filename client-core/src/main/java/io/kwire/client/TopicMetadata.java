package io.kwire.client;

import io.kwire.protocol.Uuid;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One topic as the last metadata response described it.
 *
 * @param name       topic name
 * @param topicId    topic id ({@link Uuid#ZERO} for brokers that do not send one)
 * @param internal   whether it is an internal topic such as {@code __consumer_offsets}
 * @param partitions partitions ordered by index (sorted here if they are not)
 * @param errorCode  Kafka error code for the topic (0 when none)
 */
public record TopicMetadata(String name, Uuid topicId, boolean internal, List<PartitionMetadata> partitions,
                            short errorCode) {

    private static final Comparator<PartitionMetadata> BY_INDEX = Comparator.comparingInt(PartitionMetadata::partition);

    public TopicMetadata {
        partitions = List.copyOf(partitions);
        for (int i = 1; i < partitions.size(); i++) {
            if (partitions.get(i - 1).partition() > partitions.get(i).partition()) {
                partitions = partitions.stream().sorted(BY_INDEX).toList();
                break;
            }
        }
    }

    /**
     * The partition with this index: in constant time when the indexes are 0..n-1 (always, for a topic whose
     * partitions were all described), else by binary search. A producer looks a leader up per partition per batch,
     * so a scan would make routing a topic's batches quadratic in its partition count.
     */
    public Optional<PartitionMetadata> partition(int index) {
        return Optional.ofNullable(find(index));
    }

    /** {@link #partition(int)} without the wrapper, for lookups per partition. */
    PartitionMetadata find(int index) {
        if (index >= 0 && index < partitions.size() && partitions.get(index).partition() == index) {
            return partitions.get(index);
        }
        int lo = 0;
        int hi = partitions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = partitions.get(mid).partition();
            if (at < index) {
                lo = mid + 1;
            } else if (at > index) {
                hi = mid - 1;
            } else {
                return partitions.get(mid);
            }
        }
        return null;
    }
}
