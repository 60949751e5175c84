package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.MetadataResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What decoding hands out: immutable compact lists, shared equal int lists, default structs made on demand. */
class DecodedMessageTest {

    private static final short METADATA_VERSION = 12;
    private static final short FETCH_VERSION = 16;

    @Test
    void intListsEqualAndHashLikeAnyListOfTheSameIntegers() {
        for (int n = 0; n <= 5; n++) {
            int[] values = new int[n];
            List<Integer> boxed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values[i] = 1000 + 7 * i;
                boxed.add(values[i]);
            }
            IntList list = IntList.of(values);
            int size = n;
            assertThat(list).isEqualTo(boxed).hasSameHashCodeAs(boxed).hasSize(n);
            assertThat(boxed).isEqualTo(list);
            assertThat(list.toIntArray()).containsExactly(values);
            assertThat(list.toString()).isEqualTo(boxed.toString());
            assertThatThrownBy(() -> list.getInt(size)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
            if (n > 0) {
                assertThat(list.getInt(n - 1)).isEqualTo(values[n - 1]);
                assertThat(list.containsInt(values[n - 1])).isTrue();
                assertThat(list.indexOf(values[n - 1])).isEqualTo(n - 1);
                assertThatThrownBy(() -> list.set(0, 5)).isInstanceOf(UnsupportedOperationException.class);
            }
            assertThat(list.contains(999)).isFalse();
            assertThat(list.contains("1000")).isFalse();
        }
        assertThat(IntList.of(1, 2, 3)).isNotEqualTo(IntList.of(1, 2)).isNotEqualTo(IntList.of(1, 2, 4));
    }

    @Test
    void decodedStructListsBehaveAsImmutableLists() {
        MetadataResponse m = metadata(List.of(1), List.of(1));
        m.setTopics(List.of(topic("a"), topic("b"), topic("c")));
        List<MetadataResponse.MetadataResponseTopic> topics = roundTrip(m).topics();
        List<MetadataResponse.MetadataResponseTopic> copy = new ArrayList<>(topics);
        assertThat(topics).isEqualTo(copy).hasSameHashCodeAs(copy).isNotEqualTo(copy.subList(0, 2));
        assertThat(copy).isEqualTo(topics);
        assertThat(topics.subList(1, 3)).isEqualTo(copy.subList(1, 3));
        assertThat(topics.indexOf(copy.get(2))).isEqualTo(2);
        assertThat(topics.contains(topic("d"))).isFalse();
        java.util.ListIterator<MetadataResponse.MetadataResponseTopic> it = topics.listIterator(3);
        assertThat(it.previous().name()).isEqualTo("c");
        assertThat(it.previous().name()).isEqualTo("b");
        assertThat(it.nextIndex()).isEqualTo(1);
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> topics.removeIf(t -> true)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> topics.sort(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> topics.set(0, topic("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> topics.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aPartitionWhoseIsrIsItsReplicaListSharesOneImmutableList() {
        MetadataResponse decoded = roundTrip(metadata(List.of(1001, 1002, 1003), List.of(1001, 1002, 1003)));
        MetadataResponse.MetadataResponsePartition p = decoded.topics().get(0).partitions().get(0);
        assertThat(p.replicaNodes()).isInstanceOf(IntList.class).containsExactly(1001, 1002, 1003);
        assertThat(p.isrNodes()).isSameAs(p.replicaNodes());
        assertThat(p.offlineReplicas()).isSameAs(IntList.EMPTY);
        assertThat(((IntList) p.isrNodes()).getInt(2)).isEqualTo(1003);

        MetadataResponse.MetadataResponsePartition shrunk = roundTrip(metadata(List.of(1, 2, 3, 4, 5),
                List.of(1, 2, 3, 4))).topics().get(0).partitions().get(0);
        assertThat(shrunk.isrNodes()).isNotSameAs(shrunk.replicaNodes()).containsExactly(1, 2, 3, 4);
        MetadataResponse.MetadataResponsePartition wide = roundTrip(metadata(List.of(1, 2, 3, 4, 5),
                List.of(1, 2, 3, 4, 5))).topics().get(0).partitions().get(0);
        assertThat(wide.isrNodes()).isSameAs(wide.replicaNodes());
    }

    @Test
    void decodedListsAreReadOnlyButFieldsCanBeSetToNewLists() {
        MetadataResponse decoded = roundTrip(metadata(List.of(1), List.of(1)));
        assertThatThrownBy(() -> decoded.topics().add(new MetadataResponse.MetadataResponseTopic()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> decoded.topics().get(0).partitions().get(0).replicaNodes().add(2))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(decoded.brokers()).isEmpty();
        assertThatThrownBy(() -> decoded.brokers().add(new MetadataResponse.MetadataResponseBroker()))
                .isInstanceOf(UnsupportedOperationException.class);

        decoded.setTopics(new ArrayList<>(decoded.topics()));
        decoded.topics().add(new MetadataResponse.MetadataResponseTopic().setName("added"));
        decoded.topics().get(0).partitions().get(0).setLeaderId(9); // elements stay mutable
        MetadataResponse again = roundTrip(decoded);
        assertThat(again.topics()).hasSize(2);
        assertThat(again.topics().get(0).partitions().get(0).leaderId()).isEqualTo(9);
        assertThat(again).isEqualTo(decoded);
    }

    @Test
    void anAbsentTaggedStructReadsAsItsDefaultAndCanBeChangedThroughItsGetter() {
        FetchResponse.PartitionData decoded = roundTrip(fetch(new FetchResponse.PartitionData().setPartitionIndex(3)))
                .responses().get(0).partitions().get(0);
        assertThat(decoded.abortedTransactions()).isSameAs(List.of()); // one shared empty list for every empty array
        assertThat(decoded).isEqualTo(new FetchResponse.PartitionData().setPartitionIndex(3))
                .hasSameHashCodeAs(new FetchResponse.PartitionData().setPartitionIndex(3));
        assertThat(decoded.isDefaultValue()).isFalse();
        assertThat(decoded.toString()).contains("currentLeader=LeaderIdAndEpoch(leaderId=-1, leaderEpoch=-1)");

        FetchResponse.LeaderIdAndEpoch leader = decoded.currentLeader();
        assertThat(leader.isDefaultValue()).isTrue();
        assertThat(decoded.currentLeader()).isSameAs(leader);
        leader.setLeaderId(4).setLeaderEpoch(12);
        FetchResponse.PartitionData back = roundTrip(fetch(decoded)).responses().get(0).partitions().get(0);
        assertThat(back.currentLeader().leaderId()).isEqualTo(4);
        assertThat(back.currentLeader().leaderEpoch()).isEqualTo(12);
        assertThat(back.snapshotId().isDefaultValue()).isTrue();

        // A struct that cannot be null reads as its default when set to null, and is written as absent.
        back.setCurrentLeader(null);
        assertThat(back.currentLeader().leaderId()).isEqualTo(-1);
        assertThat(roundTrip(fetch(back)).responses().get(0).partitions().get(0).currentLeader().isDefaultValue())
                .isTrue();
    }

    private static MetadataResponse metadata(List<Integer> replicas, List<Integer> isr) {
        MetadataResponse.MetadataResponsePartition p = new MetadataResponse.MetadataResponsePartition()
                .setPartitionIndex(0).setLeaderId(replicas.get(0)).setReplicaNodes(replicas).setIsrNodes(isr);
        MetadataResponse.MetadataResponseTopic t = new MetadataResponse.MetadataResponseTopic().setName("t")
                .setTopicId(new Uuid(1, 2)).setPartitions(List.of(p));
        return new MetadataResponse().setTopics(List.of(t));
    }

    private static MetadataResponse.MetadataResponseTopic topic(String name) {
        return new MetadataResponse.MetadataResponseTopic().setName(name).setTopicId(new Uuid(5, name.hashCode()));
    }

    private static FetchResponse fetch(FetchResponse.PartitionData p) {
        return new FetchResponse().setResponses(List.of(new FetchResponse.FetchableTopicResponse()
                .setTopicId(new Uuid(3, 4)).setPartitions(List.of(p))));
    }

    private static MetadataResponse roundTrip(MetadataResponse m) {
        ByteBuffer buf = ByteBuffer.allocate(m.size(METADATA_VERSION));
        m.write(new ByteWriter(buf), METADATA_VERSION);
        return MetadataResponse.decode(new ByteReader(buf.flip()), METADATA_VERSION);
    }

    private static FetchResponse roundTrip(FetchResponse m) {
        ByteBuffer buf = ByteBuffer.allocate(m.size(FETCH_VERSION));
        m.write(new ByteWriter(buf), FETCH_VERSION);
        return FetchResponse.decode(new ByteReader(buf.flip()), FETCH_VERSION);
    }
}
