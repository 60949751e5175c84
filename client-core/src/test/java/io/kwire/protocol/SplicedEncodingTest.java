package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.message.ProduceRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large record batches go into the frame by reference: the pieces a splicing writer produces, laid end to end,
 * are exactly the bytes of an ordinary copying encode.
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
            List<ByteBuffer> pieces = new ArrayList<>();
            ByteBuffer rest = ByteBuffer.allocate(size - spliced);
            ByteWriter writer = new ByteWriter(rest, pieces, THRESHOLD);
            request.write(writer, v);
            writer.finish();

            ByteBuffer joined = ByteBuffer.allocate(size);
            pieces.forEach(p -> joined.put(p.duplicate()));
            assertThat(joined.position()).isEqualTo(size);
            assertThat(joined.array()).as("version %d", v).isEqualTo(copied.array());
            assertThat(pieces).anySatisfy(p -> assertThat(p.array()).isSameAs(big.array()));
            assertThat(pieces).anySatisfy(p -> assertThat(p.array()).isSameAs(medium.array()));
            assertThat(big.position()).isZero(); // the caller's buffer is not moved
        }
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
