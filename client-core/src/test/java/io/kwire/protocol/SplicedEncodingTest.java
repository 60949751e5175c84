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
        ProduceRequest request = new ProduceRequest().setAcks((short) 1).setTimeoutMs(1_000);
        ProduceRequest.TopicProduceData topic = new ProduceRequest.TopicProduceData().setName("topic");
        topic.setPartitionData(new ArrayList<>(List.of(
                new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(first),
                new ProduceRequest.PartitionProduceData().setIndex(1).setRecords(second),
                new ProduceRequest.PartitionProduceData().setIndex(2).setRecords(window))));
        request.setTopicData(new ArrayList<>(List.of(topic)));
        short v = 9;
        ByteBuffer copied = ByteBuffer.allocate(request.size(v));
        request.write(new ByteWriter(copied), v);
        SplicedFrame.Builder builder = new SplicedFrame.Builder();
        ByteBuffer head = ByteBuffer.allocate(copied.capacity() - request.splicedSize(v, THRESHOLD));
        request.write(new ByteWriter(head, builder, THRESHOLD), v);
        SplicedFrame frame = builder.build(head, false);
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
