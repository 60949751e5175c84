package io.kwire.client;

import io.kwire.protocol.IntList;
import java.util.List;

/**
 * One partition as the last metadata response described it.
 *
 * @param partition       partition index
 * @param leaderId        broker id of the leader, or -1 when there is none
 * @param leaderEpoch     leader epoch, or -1 when the broker did not send one
 * @param replicas        replica broker ids
 * @param isr             in-sync replica broker ids
 * @param offlineReplicas offline replica broker ids
 * @param errorCode       Kafka error code of this partition (0 when none)
 */
public record PartitionMetadata(int partition, int leaderId, int leaderEpoch, List<Integer> replicas,
                                List<Integer> isr, List<Integer> offlineReplicas, short errorCode) {

    public PartitionMetadata {
        replicas = immutable(replicas);
        isr = immutable(isr);
        offlineReplicas = immutable(offlineReplicas);
    }

    /** Decoded broker-id lists are immutable {@link IntList}s already: kept as they are, without boxing a copy. */
    private static List<Integer> immutable(List<Integer> ids) {
        return ids instanceof IntList ? ids : List.copyOf(ids);
    }

    public boolean hasLeader() {
        return leaderId >= 0;
    }
}
