package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.Uuid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterMetadataTest {

    private static PartitionMetadata partition(int index, int leader) {
        return new PartitionMetadata(index, leader, 0, List.of(leader), List.of(leader), List.of(), (short) 0);
    }

    private static Node node(int id) {
        return new Node(id, "broker-" + id, 9092, null);
    }

    @Test
    void findsBrokersByIdWhateverOrderTheResponseListedThemIn() {
        List<Node> brokers = List.of(node(7), node(-3), node(2), node(11), node(0));
        ClusterMetadata metadata = new ClusterMetadata("c", 2, brokers, Map.of(), Set.of(), Instant.EPOCH);

        for (Node n : brokers) {
            assertThat(metadata.broker(n.id())).containsSame(n);
        }
        assertThat(metadata.broker(1)).isEmpty();
        assertThat(metadata.broker(12)).isEmpty();
        assertThat(metadata.broker(-4)).isEmpty();
        assertThat(metadata.controller()).contains(node(2));
        assertThat(metadata.brokers()).as("the listing keeps the response's order").containsExactlyElementsOf(brokers);
        assertThat(ClusterMetadata.empty().broker(0)).isEmpty();
    }

    @Test
    void aDuplicateIdFindsTheFirstListedLikeAScan() {
        Node first = new Node(3, "first", 9092, null);
        Node second = new Node(3, "second", 9092, null);
        assertThat(new ClusterMetadata("c", 3, List.of(node(1), first, second), Map.of(), Set.of(), Instant.EPOCH)
                .broker(3)).containsSame(first);
        Node farFirst = new Node(100_000, "first", 9092, null);
        Node farSecond = new Node(100_000, "second", 9092, null);
        assertThat(new ClusterMetadata("c", 3, List.of(farFirst, node(1), farSecond, node(7)), Map.of(), Set.of(),
                Instant.EPOCH).broker(100_000)).containsSame(farFirst);
    }

    @Test
    void findsBrokersWhoseIdsAreFarApart() {
        List<Node> brokers = List.of(node(Integer.MAX_VALUE), node(1001), node(Integer.MIN_VALUE), node(5000));
        ClusterMetadata metadata = new ClusterMetadata("c", 1001, brokers, Map.of(), Set.of(), Instant.EPOCH);

        for (Node n : brokers) {
            assertThat(metadata.broker(n.id())).containsSame(n);
        }
        assertThat(metadata.broker(1002)).isEmpty();
        assertThat(metadata.broker(0)).isEmpty();
        assertThat(metadata.broker(Integer.MAX_VALUE - 1)).isEmpty();
    }

    @Test
    void sortsPartitionsByIndexAndFindsThemWithOrWithoutGaps() {
        List<PartitionMetadata> shuffled = List.of(partition(4, 0), partition(0, 1), partition(9, 2), partition(2, 0));
        TopicMetadata topic = new TopicMetadata("t", Uuid.ZERO, false, shuffled, (short) 0);

        assertThat(topic.partitions()).extracting(PartitionMetadata::partition).containsExactly(0, 2, 4, 9);
        assertThat(topic.partition(9)).map(PartitionMetadata::leaderId).contains(2);
        assertThat(topic.partition(2)).map(PartitionMetadata::leaderId).contains(0);
        assertThat(topic.partition(0)).map(PartitionMetadata::leaderId).contains(1);
        assertThat(topic.partition(3)).isEmpty();
        assertThat(topic.partition(10)).isEmpty();
        assertThat(topic.partition(-1)).isEmpty();

        List<PartitionMetadata> dense = new ArrayList<>();
        IntStream.range(0, 1000).forEach(i -> dense.add(partition(i, i % 3)));
        TopicMetadata big = new TopicMetadata("big", Uuid.ZERO, false, dense, (short) 0);
        assertThat(big.partitions()).isEqualTo(dense);
        IntStream.range(0, 1000).forEach(i -> assertThat(big.partition(i)).map(PartitionMetadata::partition).contains(i));
    }

    @Test
    void leaderForNamesOnlyALeaderThisSnapshotKnows() {
        TopicMetadata topic = new TopicMetadata("t", Uuid.ZERO, false,
                List.of(partition(0, 5), partition(1, -1), partition(3, 8)), (short) 0);
        ClusterMetadata metadata = new ClusterMetadata("c", 5, List.of(node(8), node(5)), Map.of("t", topic),
                Set.of(), Instant.EPOCH);

        assertThat(metadata.leaderFor("t", 0)).contains(node(5));
        assertThat(metadata.leaderFor("t", 3)).contains(node(8));
        assertThat(metadata.leaderFor("t", 1)).as("no leader").isEmpty();
        assertThat(metadata.leaderFor("t", 2)).as("no such partition").isEmpty();
        assertThat(metadata.leaderFor("other", 0)).isEmpty();

        ClusterMetadata leaderGone = new ClusterMetadata("c", 5, List.of(node(5)), Map.of("t", topic), Set.of(),
                Instant.EPOCH);
        assertThat(leaderGone.leaderFor("t", 3)).as("a leader missing from the broker list").isEmpty();
    }
}
