package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.message.ProduceRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large record batches go into the frame by reference: a spliced frame, laid out byte by byte, is exactly an
 * ordinary copying encode, however the copy is cut into pieces.
 */
class SplicedEncodingTest {

    private static final int THRESHOLD = 4096;

    @Test
    void splicedPiecesConcatenateToTheCopiedEncodingAtEveryVersion() {
        ByteBuffer big = random(10_000);
        ByteBuffer small = random(100);
        ByteBuffer medium = random(5_000);
        ProduceRequest request = new ProduceRequest().setAcks((short) -1).setTimeoutMs(30_000);
        ProduceRequest.TopicProduceData topic = new ProduceRequest.TopicProduceData().setName("t");
        topic.setPartitionData(new ArrayList<>(List.of(
                new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(big),
                new ProduceRequest.PartitionProduceData().setIndex(1).setRecords(small),
                new ProduceRequest.PartitionProduceData().setIndex(2).setRecords(medium))));
        request.setTopicData(new ArrayList<>(List.of(topic)));

        for (short v = 3; v <= 12; v++) {
            int size = request.size(v);
            ByteBuffer copied = ByteBuffer.allocate(size);
            request.write(new ByteWriter(copied), v);

            int spliced = request.splicedSize(v, THRESHOLD);
            assertThat(spliced).isEqualTo(15_000);
            SplicedFrame.Builder builder = new SplicedFrame.Builder();
            ByteBuffer rest = ByteBuffer.allocate(size - spliced);
            request.write(new ByteWriter(rest, builder, THRESHOLD), v);
            SplicedFrame frame = builder.build(rest, false);

            assertThat(frame.size()).isEqualTo(size);
            assertThat(frame.splicedValues()).isEqualTo(2); // the 100-byte batch is copied
            ByteBuffer joined = ByteBuffer.allocate(size + 10);
            assertThat(frame.copyTo(0, joined)).isEqualTo(size);
            assertThat(Arrays.copyOf(joined.array(), size)).as("version %d", v).isEqualTo(copied.array());
            assertThat(big.position()).isZero(); // the caller's buffer is not moved
        }
    }

    @Test
    void copyingInChunksOfAnySizeFromAnyOffsetGivesTheSameBytes() {
        ByteBuffer first = random(5_000);
        ByteBuffer second = random(4_096).position(0);
        // A value that is a window of a larger buffer: only its remaining bytes belong to the frame.
        ByteBuffer window = random(9_000).position(1_000).limit(7_000);
        ProduceRequest request = produce(first, second, window);
        ByteBuffer copied = copied(request);
        SplicedFrame frame = spliced(request);
        assertThat(frame.splicedValues()).isEqualTo(3);

        for (int chunk : new int[] {1, 7, 4_096, 4_097, 100_000}) {
            ByteBuffer out = ByteBuffer.allocate(frame.size());
            int from = 0;
            while (from < frame.size()) {
                ByteBuffer piece = ByteBuffer.allocateDirect(chunk);
                int n = frame.copyTo(from, piece);
                assertThat(n).isEqualTo(Math.min(chunk, frame.size() - from));
                out.put(piece.flip());
                from += n;
            }
            assertThat(out.array()).as("chunks of %d", chunk).isEqualTo(copied.array());
        }
        assertThat(window.position()).isEqualTo(1_000);
        assertThat(window.limit()).isEqualTo(7_000);
        assertThat(frame.copyTo(frame.size(), ByteBuffer.allocate(10))).isZero();
    }

    /**
     * Copying that stops in front of large direct values, and the direct values handed out where they are, lay out
     * the same bytes as a plain copy, from any offset, in pieces of any size: the two agree on where a large direct
     * value begins and ends.
     */
    @Test
    void copyingAroundLargeDirectValuesAndWritingThemAsTheyAreGivesTheSameBytes() {
        ByteBuffer heap = random(6_000);
        ByteBuffer smallDirect = direct(random(5_000)); // spliced (over the threshold), under the direct minimum
        ByteBuffer bigDirect = direct(random(20_000)).position(500).limit(19_500); // a window of its buffer
        ProduceRequest request = produce(bigDirect, heap, smallDirect);
        ByteBuffer copied = copied(request);
        SplicedFrame frame = spliced(request);
        int min = 8_000;

        for (int chunk : new int[] {1, 999, 4_096, 100_000}) {
            ByteBuffer out = ByteBuffer.allocate(frame.size());
            int from = 0;
            int direct = 0;
            while (from < frame.size()) {
                ByteBuffer view = frame.directValueAt(from, min);
                int n;
                if (view != null) {
                    assertThat(view.isDirect()).isTrue();
                    assertThat(frame.directValueAt(from, 0)).as("a minimum of 0: never").isNull();
                    n = Math.min(chunk, view.remaining());
                    out.put(view.limit(view.position() + n));
                    direct += n;
                } else {
                    ByteBuffer piece = ByteBuffer.allocate(chunk);
                    n = frame.copyTo(from, piece, min);
                    assertThat(n).as("from %d: a copy that stopped at once has a direct view there", from)
                            .isPositive();
                    out.put(piece.flip());
                }
                from += n;
            }
            assertThat(out.array()).as("pieces of %d", chunk).isEqualTo(copied.array());
            assertThat(direct).as("the large direct value's bytes, every one of them").isEqualTo(19_000);
        }
        assertThat(bigDirect.position()).isEqualTo(500);
        assertThat(frame.directValueAt(0, min)).as("in the head").isNull();
        assertThat(frame.copyTo(0, ByteBuffer.allocate(frame.size()), 0)).as("0: no stop").isEqualTo(frame.size());
    }

    /** A Produce (acks 1) of these batches to one topic, one partition each. */
    private static ProduceRequest produce(ByteBuffer... batches) {
        List<ProduceRequest.PartitionProduceData> partitions = new ArrayList<>();
        for (int i = 0; i < batches.length; i++) {
            partitions.add(new ProduceRequest.PartitionProduceData().setIndex(i).setRecords(batches[i]));
        }
        ProduceRequest request = new ProduceRequest().setAcks((short) 1).setTimeoutMs(1_000);
        return request.setTopicData(new ArrayList<>(List.of(
                new ProduceRequest.TopicProduceData().setName("topic").setPartitionData(partitions))));
    }

    private static final short VERSION = 9;

    /** The request's ordinary, copying encoding at {@link #VERSION}. */
    private static ByteBuffer copied(ProduceRequest request) {
        ByteBuffer copied = ByteBuffer.allocate(request.size(VERSION));
        request.write(new ByteWriter(copied), VERSION);
        return copied;
    }

    /** The request encoded with its batches of {@link #THRESHOLD} bytes or more spliced in by reference. */
    private static SplicedFrame spliced(ProduceRequest request) {
        SplicedFrame.Builder builder = new SplicedFrame.Builder();
        ByteBuffer head = ByteBuffer.allocate(request.size(VERSION) - request.splicedSize(VERSION, THRESHOLD));
        request.write(new ByteWriter(head, builder, THRESHOLD), VERSION);
        return builder.build(head, false);
    }

    private static ByteBuffer direct(ByteBuffer heap) {
        return ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
    }

    @Test
    void aBuilderIsEmptyAfterEachBuild() {
        SplicedFrame.Builder builder = new SplicedFrame.Builder();
        for (int i = 0; i < 20; i++) {
            builder.add(i, random(4_096)); // grows past its first capacity
        }
        ByteBuffer head = ByteBuffer.allocate(32).position(20);
        SplicedFrame big = builder.build(head, false);
        assertThat(big.splicedValues()).isEqualTo(20);
        assertThat(big.size()).isEqualTo(20 + 20 * 4_096);

        SplicedFrame next = builder.build(ByteBuffer.allocate(8).position(8), false);
        assertThat(next.splicedValues()).isZero();
        assertThat(next.size()).isEqualTo(8);
    }

    @Test
    void aClearedBuilderForgetsTheValuesOfAnEncodeThatFailed() {
        SplicedFrame.Builder builder = new SplicedFrame.Builder();
        builder.add(4, random(5_000));
        builder.clear(); // what the client does when a write throws part-way
        SplicedFrame next = builder.build(ByteBuffer.allocate(8).position(8), false);
        assertThat(next.splicedValues()).isZero();
        assertThat(next.size()).isEqualTo(8);
    }

    @Test
    void messagesWithoutLargeBytesSpliceNothing() {
        ProduceRequest request = new ProduceRequest().setAcks((short) 1);
        assertThat(request.splicedSize((short) 9, THRESHOLD)).isZero();
        assertThat(new io.kwire.protocol.message.MetadataRequest().splicedSize((short) 12, THRESHOLD)).isZero();
    }

    private static ByteBuffer random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return ByteBuffer.wrap(b);
    }
}
