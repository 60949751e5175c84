package io.kwire.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClusterMetadata;
import io.kwire.internal.util.ExponentialBackoff;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.MetadataResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataTrackerTest {

    private final MetadataTracker tracker = new MetadataTracker(300_000, new ExponentialBackoff(100, 1000, 0, () -> 0.5));

    @Test
    void firstRefreshIsDueAtOnce() {
        assertThat(tracker.isDue(0)).isTrue();
        assertThat(tracker.snapshot().lastUpdate()).isEmpty();
    }

    @Test
    void refreshIsDueAgainWhenMetadataReachesMaxAge() {
        tracker.newRequest(0);
        tracker.update(response(5), 1_000, Instant.EPOCH);
        assertThat(tracker.isDue(1_000)).isFalse();
        assertThat(tracker.timeToNextUpdate(1_000)).isEqualTo(300_000);
        assertThat(tracker.isFresh(300_999)).isTrue();
        assertThat(tracker.isDue(301_000)).isTrue();
        assertThat(tracker.isFresh(301_000)).isFalse();
    }

    @Test
    void onDemandRefreshIsDueImmediately() {
        tracker.newRequest(0);
        tracker.update(response(5), 0, Instant.EPOCH);
        tracker.requestUpdate();
        assertThat(tracker.isDue(1)).isTrue();
    }

    @Test
    void addingATopicRequestsARefreshAndNamesItInTheRequest() {
        tracker.newRequest(0);
        tracker.update(response(5), 0, Instant.EPOCH);
        assertThat(tracker.addTopic("orders")).isTrue();
        assertThat(tracker.isDue(1)).isTrue();
        assertThat(tracker.newRequest(1).topics()).extracting(t -> t.name()).containsExactly("orders");
        assertThat(tracker.isDue(1)).isFalse(); // in flight
    }

    @Test
    void refreshBackoffGrowsExponentiallyOnRepeatedFailure() {
        tracker.newRequest(0);
        tracker.failed(0);
        assertThat(tracker.timeToNextUpdate(0)).isEqualTo(100);
        tracker.newRequest(100);
        tracker.failed(100);
        assertThat(tracker.timeToNextUpdate(100)).isEqualTo(200);
        tracker.newRequest(300);
        tracker.failed(300);
        assertThat(tracker.timeToNextUpdate(300)).isEqualTo(400);
        tracker.newRequest(700);
        tracker.update(response(5), 700, Instant.EPOCH);
        tracker.requestUpdate();
        assertThat(tracker.timeToNextUpdate(700)).isZero();
    }

    @Test
    void staleLeaderEpochFromALaggingBrokerIsIgnored() {
        tracker.newRequest(0);
        tracker.update(response(5, 7), 0, Instant.EPOCH);
        tracker.newRequest(1);
        ClusterMetadata m = tracker.update(response(4, 3), 1, Instant.EPOCH);
        assertThat(m.topic("t").orElseThrow().partitions().get(0).leaderEpoch()).isEqualTo(5);
        assertThat(m.topic("t").orElseThrow().partitions().get(0).leaderId()).isEqualTo(7);
        tracker.newRequest(2);
        m = tracker.update(response(6, 2), 2, Instant.EPOCH);
        assertThat(m.topic("t").orElseThrow().partitions().get(0).leaderId()).isEqualTo(2);
    }

    @Test
    void staleEpochsAreFoundByPartitionIndexInLargeTopicsAndTopicsWithGaps() {
        // 2,000 partitions 0..1999 (each at its own position), then the same topic described with gaps and out of
        // order (only odd indexes, descending): every stale entry must still be matched to its own partition.
        tracker.newRequest(0);
        tracker.update(topicResponse(java.util.stream.IntStream.range(0, 2000), 10, 1), 0, Instant.EPOCH);
        tracker.newRequest(1);
        ClusterMetadata m = tracker.update(topicResponse(
                java.util.stream.IntStream.range(0, 1000).map(i -> 1999 - 2 * i), 9, 2), 1, Instant.EPOCH);
        List<io.kwire.client.PartitionMetadata> ps = m.topic("t").orElseThrow().partitions();
        assertThat(ps).hasSize(1000);
        assertThat(ps).allSatisfy(p -> {
            assertThat(p.partition() % 2).isEqualTo(1);
            assertThat(p.leaderEpoch()).isEqualTo(10); // kept: the answer's epoch 9 is older
            assertThat(p.leaderId()).isEqualTo(1);
        });
        assertThat(ps.get(0).partition()).isEqualTo(1);
        tracker.newRequest(2);
        m = tracker.update(topicResponse(java.util.stream.IntStream.of(1999, 3, 8), 11, 3), 2, Instant.EPOCH);
        assertThat(m.topic("t").orElseThrow().partitions()).extracting(p -> p.partition() + ":" + p.leaderId())
                .containsExactly("3:3", "8:3", "1999:3");
        tracker.newRequest(3);
        m = tracker.update(topicResponse(java.util.stream.IntStream.of(8, 1999, 3, 5), 10, 4), 3, Instant.EPOCH);
        assertThat(m.topic("t").orElseThrow().partitions()).extracting(p -> p.partition() + ":" + p.leaderId())
                .containsExactly("3:3", "5:4", "8:3", "1999:3"); // 5 was not in the previous answer: taken as is
    }

    private static MetadataResponse topicResponse(java.util.stream.IntStream indexes, int epoch, int leader) {
        MetadataResponse r = response(epoch, leader);
        List<MetadataResponse.MetadataResponsePartition> ps = new java.util.ArrayList<>();
        indexes.forEach(i -> ps.add(new MetadataResponse.MetadataResponsePartition().setPartitionIndex(i)
                .setLeaderId(leader).setLeaderEpoch(epoch).setReplicaNodes(new java.util.ArrayList<>(List.of(leader)))
                .setIsrNodes(new java.util.ArrayList<>(List.of(leader)))));
        r.topics().get(0).setPartitions(ps);
        return r;
    }

    @Test
    void unauthorizedTopicsAreReportedApart() {
        MetadataResponse r = response(1);
        r.topics().add(new MetadataResponse.MetadataResponseTopic().setName("secret").setErrorCode((short) 29));
        tracker.newRequest(0);
        ClusterMetadata m = tracker.update(r, 0, Instant.EPOCH);
        assertThat(m.unauthorizedTopics()).containsExactly("secret");
        assertThat(m.topics()).containsOnlyKeys("t");
    }

    private static MetadataResponse response(int epoch) {
        return response(epoch, 1);
    }

    private static MetadataResponse response(int epoch, int leader) {
        MetadataResponse r = new MetadataResponse().setClusterId("c1").setControllerId(1);
        r.setBrokers(new java.util.ArrayList<>(List.of(
                new MetadataResponse.MetadataResponseBroker().setNodeId(1).setHost("h1").setPort(9092),
                new MetadataResponse.MetadataResponseBroker().setNodeId(2).setHost("h2").setPort(9092),
                new MetadataResponse.MetadataResponseBroker().setNodeId(7).setHost("h7").setPort(9092))));
        MetadataResponse.MetadataResponseTopic topic = new MetadataResponse.MetadataResponseTopic().setName("t")
                .setTopicId(new Uuid(1, 2));
        topic.setPartitions(new java.util.ArrayList<>(List.of(new MetadataResponse.MetadataResponsePartition()
                .setPartitionIndex(0).setLeaderId(leader).setLeaderEpoch(epoch)
                .setReplicaNodes(new java.util.ArrayList<>(List.of(leader)))
                .setIsrNodes(new java.util.ArrayList<>(List.of(leader))))));
        r.setTopics(new java.util.ArrayList<>(List.of(topic)));
        return r;
    }
}
