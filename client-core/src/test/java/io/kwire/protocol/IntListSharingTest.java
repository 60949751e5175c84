package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small decoded {@code []int32} lists are shared by equal lists that one reader decodes later (replica lists
 * repeat across partitions and responses): never a list with other values, and lists are immutable, so sharing
 * is invisible to callers but for the memory it saves.
 */
class IntListSharingTest {

    private static ByteBuffer ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.flip();
    }

    @Test
    void equalListsDecodedThroughOneReaderShareOneInstanceAcrossResets() {
        ByteReader reader = new ByteReader(ints(1, 2, 3));
        IntList first = IntList.read(reader, 3, null);
        IntList second = IntList.read(reader.reset(ints(1, 2, 3)), 3, null);
        assertThat(second).isSameAs(first).containsExactly(1, 2, 3);

        IntList shorter = IntList.read(reader.reset(ints(1, 2)), 2, null);
        assertThat(shorter).isNotSameAs(first).containsExactly(1, 2);
        IntList other = IntList.read(reader.reset(ints(3, 2, 1)), 3, null);
        assertThat(other).containsExactly(3, 2, 1);
    }

    @Test
    void aFifthDistinctListPushesTheOldestOut() {
        ByteReader reader = new ByteReader(ByteBuffer.allocate(0));
        List<int[]> orders = List.of(new int[] {1, 2, 3}, new int[] {2, 3, 1}, new int[] {3, 1, 2},
                new int[] {1, 3, 2}, new int[] {2, 1, 3});
        IntList firstSeen = null;
        for (int[] order : orders) {
            IntList list = IntList.read(reader.reset(ints(order)), 3, null);
            assertThat(list.toIntArray()).isEqualTo(order);
            if (firstSeen == null) {
                firstSeen = list;
            }
        }
        IntList again = IntList.read(reader.reset(ints(1, 2, 3)), 3, null);
        assertThat(again).as("evicted: a new list of the same values").isNotSameAs(firstSeen)
                .containsExactly(1, 2, 3);
        assertThat(IntList.read(reader.reset(ints(2, 1, 3)), 3, null).toIntArray())
                .containsExactly(2, 1, 3);
    }

    @Test
    void separateReadersShareNothing() {
        IntList a = IntList.read(new ByteReader(ints(5, 6)), 2, null);
        IntList b = IntList.read(new ByteReader(ints(5, 6)), 2, null);
        assertThat(b).isNotSameAs(a).isEqualTo(a);
    }
}
