package io.kwire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kwire.bench.cluster.LargeCluster;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.PartitionMetadata;
import io.kwire.client.TopicMetadata;
import io.kwire.protocol.ByteReader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks that the large-cluster harness gives both clients the same cluster; measures nothing. */
class ScaleHarnessSmokeTest {

    @Test
    @Timeout(60)
    void bothClientsSeeTheSameLeadersBeforeAndAfterTheRefresh() {
        int brokers = 50;
        int partitions = 2000;
        for (boolean refresh : new boolean[] {false, true}) {
            ByteBuffer bytes = LargeCluster.bytes(brokers, partitions, refresh);
            ClusterMetadata k = LargeCluster.applyKwire(LargeCluster.kwireTracker(),
                    LargeCluster.decodeKwire(new ByteReader(bytes), bytes));
            Cluster a = LargeCluster.applyApache(LargeCluster.apacheMetadata(),
                    LargeCluster.decodeApache(bytes).data()).fetch();
            assertEquals(brokers, k.brokers().size());
            assertEquals(brokers, a.nodes().size());
            int seen = 0;
            int moved = 0;
            for (TopicMetadata t : k.topics().values()) {
                for (PartitionMetadata p : t.partitions()) {
                    seen++;
                    TopicPartition tp = new TopicPartition(t.name(), p.partition());
                    assertEquals(a.leaderFor(tp).id(), p.leaderId(), tp.toString());
                    assertEquals(3, p.replicas().size(), tp.toString());
                    if (p.leaderId() != p.replicas().get(0)) {
                        moved++;
                    }
                }
            }
            assertEquals(partitions, seen);
            assertEquals(refresh ? partitions / LargeCluster.CHANGED_ONE_IN : 0, moved);
        }
    }

    @Test
    @Timeout(60)
    void aRefreshIntoTheSameStateTakesTheMovedLeadersAndSkipsStaleOnes() {
        ByteBuffer first = LargeCluster.bytes(20, 1000, false);
        ByteBuffer next = LargeCluster.bytes(20, 1000, true);
        var tracker = LargeCluster.kwireTracker();
        LargeCluster.applyKwire(tracker, LargeCluster.decodeKwire(new ByteReader(first), first));
        ClusterMetadata moved = LargeCluster.applyKwire(tracker, LargeCluster.decodeKwire(new ByteReader(next), next));
        // Back to the first answer: the moved partitions' epochs in it are older, so their new leaders stay.
        ClusterMetadata back = LargeCluster.applyKwire(tracker, LargeCluster.decodeKwire(new ByteReader(first), first));
        String topic = LargeCluster.topic(0);
        int leader = moved.leaderFor(topic, 0).orElseThrow().id();
        assertTrue(leader != moved.topic(topic).orElseThrow().partitions().get(0).replicas().get(0));
        assertEquals(leader, back.leaderFor(topic, 0).orElseThrow().id());
        assertEquals(8, back.topic(topic).orElseThrow().partitions().get(0).leaderEpoch());
    }
}
