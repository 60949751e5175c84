package io.kwire.client;

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
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        offlineReplicas = List.copyOf(offlineReplicas);
    }

    public boolean hasLeader() {
        return leaderId >= 0;
    }
}
