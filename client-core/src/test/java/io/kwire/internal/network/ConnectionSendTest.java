package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.SplicedFrame;
import io.kwire.protocol.message.ProduceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The send side of {@link Connection}: queued frames, plain and spliced, reach the transport byte for byte and in
 * order however little each write takes, the frames themselves are never moved, and write interest follows what
 * is left.
 */
class ConnectionSendTest extends ConnectionTestSupport {

    @Test
    void partialWritesDeliverEveryFrameInOrderAndKeepWriteInterestUntilDone() throws IOException {
        ThrottledTransport transport = new ThrottledTransport(channel, 3_000);
        Connection connection = new Connection(transport, key, 1 << 20);
        ByteBuffer expected = queueSmallSplicedAndLarge(connection);

        ByteBuffer staging = ByteBuffer.allocateDirect(8 * 1024);
        int flushes = 0;
        while (connection.hasQueuedSends()) {
            long w = connection.flush(staging);
            assertThat(w).isEqualTo(Math.min(3_000, expected.capacity() - transport.received.size() + w));
            flushes++;
            if (connection.hasQueuedSends()) {
                assertThat(key.interestOps() & SelectionKey.OP_WRITE).isNotZero();
            }
        }
        assertThat(key.interestOps() & SelectionKey.OP_WRITE).isZero();
        assertThat(flushes).isEqualTo((expected.capacity() + 2_999) / 3_000);
        assertThat(transport.received.toByteArray()).isEqualTo(expected.array());
        assertUnmoved(batches);
    }

    @Test
    void aFlushWritesAsManyStagingBuffersAsTheSocketTakes() throws IOException {
        ThrottledTransport transport = new ThrottledTransport(channel, Integer.MAX_VALUE);
        Connection connection = new Connection(transport, key, 1 << 20);
        List<ByteBuffer> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ByteBuffer frame = random(1_000 + i, i);
            frames.add(frame);
            queue(connection, frame);
        }
        long written = connection.flush(ByteBuffer.allocate(4 * 1024));
        assertThat(written).isEqualTo(20 * 1_000 + 190);
        assertThat(transport.writes).isEqualTo((20_190 + 4_095) / 4_096);
        ByteBuffer expected = ByteBuffer.allocate(20_190);
        frames.forEach(f -> expected.put(f.duplicate()));
        assertThat(transport.received.toByteArray()).isEqualTo(expected.array());
        assertThat(connection.hasQueuedSends()).isFalse();
    }

    @Test
    void aFullSocketLeavesTheQueueForTheNextFlush() throws IOException {
        ThrottledTransport transport = new ThrottledTransport(channel, 0);
        Connection connection = new Connection(transport, key, 1 << 20);
        queue(connection, random(500, 3));
        assertThat(connection.flush(ByteBuffer.allocate(1024))).isZero();
        assertThat(connection.hasQueuedSends()).isTrue();
        assertThat(key.interestOps() & SelectionKey.OP_WRITE).isNotZero();

        transport.limit = 200;
        assertThat(connection.flush(ByteBuffer.allocate(1024))).isEqualTo(200);
        transport.limit = Integer.MAX_VALUE;
        assertThat(connection.flush(ByteBuffer.allocate(1024))).isEqualTo(300);
        assertThat(transport.received.toByteArray()).isEqualTo(random(500, 3).array());
        assertThat(key.interestOps() & SelectionKey.OP_WRITE).isZero();
    }

    /** Queues {@code frame}'s bytes the way the client encodes a request: into the connection's frame buffer. */
    private static void queue(Connection connection, ByteBuffer frame) {
        ByteBuffer out = connection.frameBuffer(frame.remaining());
        int start = out.position();
        out.put(frame.duplicate());
        connection.queueFrames(start);
    }

    @Test
    void aSensitiveFrameIsWipedFromTheStagingBufferAndItsOwnBufferOnceSent() throws IOException {
        ThrottledTransport transport = new ThrottledTransport(channel, Integer.MAX_VALUE);
        Connection connection = new Connection(transport, key, 1 << 20);
        ByteBuffer secret = ByteBuffer.allocate(200);
        byte[] token = "\0alice\0the-password".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        secret.putInt(token.length).put(token);
        ByteBuffer head = secret.duplicate();
        connection.enqueue(SplicedFrame.of(secret, true));
        ByteBuffer staging = ByteBuffer.allocate(1024);
        connection.flush(staging);

        assertThat(transport.received.toByteArray()).hasSize(4 + token.length);
        assertThat(staging.array()).as("staging bytes of the token zeroed").containsOnly((byte) 0);
        assertThat(head.array()).as("the frame's own bytes zeroed once sent").containsOnly((byte) 0);
    }

    @Test
    void framesAfterASensitiveOneGoOutInTheSameFlush() throws IOException {
        ThrottledTransport transport = new ThrottledTransport(channel, Integer.MAX_VALUE);
        Connection connection = new Connection(transport, key, 1 << 20);
        connection.enqueue(SplicedFrame.of(ByteBuffer.allocate(100).put(random(100, 11).array()), true));
        for (int i = 0; i < 3; i++) {
            queue(connection, random(1_000, 12 + i));
        }
        assertThat(connection.flush(ByteBuffer.allocate(1024))).isEqualTo(3_100);
        assertThat(connection.hasQueuedSends()).isFalse();
        assertThat(transport.writes).as("one write per staging buffer, the socket never full").isEqualTo(4);
    }

    @Test
    void ordinaryFramesAreLeftInTheStagingBuffer() throws IOException {
        // The wipe costs a pass over the staging bytes: only rounds with a sensitive frame pay it.
        ThrottledTransport transport = new ThrottledTransport(channel, Integer.MAX_VALUE);
        Connection connection = new Connection(transport, key, 1 << 20);
        queue(connection, random(100, 9));
        ByteBuffer staging = ByteBuffer.allocate(1024);
        connection.flush(staging);
        assertThat(java.util.Arrays.copyOf(staging.array(), 100)).isEqualTo(random(100, 9).array());
    }

    @Test
    void aGatheringTransportGetsTheQueuedBuffersThemselvesInOrderHoweverLittleEachWriteTakes() throws IOException {
        GatheringTransport transport = new GatheringTransport(channel, 3_000);
        Connection connection = new Connection(transport, key, 1 << 20);
        ByteBuffer expected = queueSmallSplicedAndLarge(connection);

        ByteBuffer staging = ByteBuffer.allocate(8 * 1024);
        while (connection.hasQueuedSends()) {
            long before = transport.received.size();
            long w = connection.flush(staging);
            assertThat(w).isEqualTo(Math.min(3_000, expected.capacity() - before));
            if (connection.hasQueuedSends()) {
                assertThat(key.interestOps() & SelectionKey.OP_WRITE).isNotZero();
            }
        }
        assertThat(key.interestOps() & SelectionKey.OP_WRITE).isZero();
        assertThat(transport.received.toByteArray()).isEqualTo(expected.array());
        assertThat(transport.maxBuffers).as("the batches come as buffers of their own").isGreaterThan(1);
        assertThat(staging.position()).isZero();
        assertThat(staging.array()).as("no staging copy").containsOnly((byte) 0);
        assertUnmoved(batches);
    }

    @Test
    void moreQueuedFramesThanOneGatherHoldsGoOutInOneFlush() throws IOException {
        GatheringTransport transport = new GatheringTransport(channel, Integer.MAX_VALUE);
        Connection connection = new Connection(transport, key, 1 << 20);
        ByteBuffer expected = ByteBuffer.allocate(40 * 300);
        for (int i = 0; i < 40; i++) {
            ByteBuffer frame = random(300, 20 + i);
            expected.put(frame.duplicate());
            if (i % 2 == 0) {
                connection.enqueue(SplicedFrame.of(ByteBuffer.allocate(300).put(frame), false));
            } else {
                queue(connection, frame); // a run of its own between two spliced frames
            }
        }
        assertThat(connection.flush(ByteBuffer.allocate(1024))).isEqualTo(40 * 300);
        assertThat(transport.writes).as("one write per gather of views").isGreaterThan(1);
        assertThat(connection.hasQueuedSends()).isFalse();
        assertThat(transport.received.toByteArray()).isEqualTo(expected.array());
    }

    @Test
    void aSensitiveFrameGoesToAGatheringTransportUncopiedAndIsWipedOnceWhollySent() throws IOException {
        GatheringTransport transport = new GatheringTransport(channel, 10);
        Connection connection = new Connection(transport, key, 1 << 20);
        ByteBuffer secret = ByteBuffer.allocate(200);
        byte[] token = "\0alice\0the-password".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        secret.putInt(token.length).put(token);
        ByteBuffer head = secret.duplicate();
        connection.enqueue(SplicedFrame.of(secret, true));
        ByteBuffer staging = ByteBuffer.allocate(1024);

        assertThat(connection.flush(staging)).isEqualTo(10);
        assertThat(head.get(4)).as("not wiped while part of it is unsent").isEqualTo((byte) 0);
        assertThat(head.get(5)).isEqualTo((byte) 'a');
        while (connection.hasQueuedSends()) {
            connection.flush(staging);
        }
        assertThat(transport.received.toByteArray()).hasSize(4 + token.length);
        assertThat(head.array()).as("the frame's own bytes zeroed once sent").containsOnly((byte) 0);
        assertThat(staging.array()).as("never copied into the staging buffer").containsOnly((byte) 0);
    }

    /**
     * Record batches the caller built in direct memory go to a copying transport as they are when large, in writes
     * of their own that resume where the socket stopped; small ones, heap ones and the frames around them still go
     * through the staging buffer. The bytes arrive in order, the batches unmoved.
     */
    @Test
    void largeDirectBatchesAreWrittenAsTheyAreAndTheRestThroughStaging() throws IOException {
        ThrottledTransport transport = new ThrottledTransport(channel, 7_000);
        Connection connection = new Connection(transport, key, 1 << 20);
        List<ByteBuffer> produce = List.of(direct(random(40_000, 31)), random(50, 32),
                direct(random(1_000, 33)), direct(random(100_000, 34)));
        SplicedFrame spliced = splicedProduce(produce);
        ByteBuffer small = random(100, 35);
        queue(connection, small);
        connection.enqueue(spliced);
        queue(connection, random(3_000, 36));
        ByteBuffer expected = ByteBuffer.allocate(100 + spliced.size() + 3_000);
        expected.put(small.duplicate());
        spliced.copyTo(0, expected);
        expected.put(random(3_000, 36));

        ByteBuffer staging = ByteBuffer.allocate(16 * 1024);
        while (connection.hasQueuedSends()) {
            connection.flush(staging);
        }
        assertThat(transport.received.toByteArray()).isEqualTo(expected.array());
        assertThat(transport.directBytes).as("the two large direct batches, and nothing else, uncopied")
                .isEqualTo(140_000);
        assertThat(transport.stagedBytes).isEqualTo(expected.capacity() - 140_000);
        assertUnmoved(produce);
    }

    private static ByteBuffer direct(ByteBuffer heap) {
        return ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
    }

    private final List<ByteBuffer> batches = new ArrayList<>();

    private SplicedFrame splicedProduce() {
        batches.add(random(6_000, 4));
        batches.add(random(50, 5));
        batches.add(random(4_500, 6));
        return splicedProduce(batches);
    }

    /** A Produce of these batches, one per partition, encoded with every batch spliced in by reference. */
    private static SplicedFrame splicedProduce(List<ByteBuffer> records) {
        ProduceRequest request = new ProduceRequest().setAcks((short) -1).setTimeoutMs(5_000);
        ProduceRequest.TopicProduceData topic = new ProduceRequest.TopicProduceData().setName("orders");
        List<ProduceRequest.PartitionProduceData> partitions = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            partitions.add(new ProduceRequest.PartitionProduceData().setIndex(i).setRecords(records.get(i)));
        }
        topic.setPartitionData(partitions);
        request.setTopicData(new ArrayList<>(List.of(topic)));
        short v = 9;
        int size = request.size(v);
        SplicedFrame.Builder builder = new SplicedFrame.Builder();
        ByteBuffer head = ByteBuffer.allocate(4 + size - request.splicedSize(v, 4096));
        ByteWriter writer = new ByteWriter(head, builder, 4096);
        writer.writeInt(size);
        request.write(writer, v);
        return builder.build(head, false);
    }

    private static ByteBuffer random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    /** Takes at most {@code limit} bytes per write, as a socket with little room does, and keeps them. */
    private abstract static class KeepingTransport extends StubTransport {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int limit;
        int writes;

        KeepingTransport(SocketChannel channel, int limit) {
            super(channel);
            this.limit = limit;
        }

        /** Moves up to {@code max} bytes of {@code src} into {@link #received}; returns how many. */
        int keep(ByteBuffer src, int max) {
            int n = Math.min(src.remaining(), max);
            byte[] b = new byte[n];
            src.get(b);
            received.write(b, 0, n);
            return n;
        }
    }

    /** Gathers (as TLS does) up to the limit across the buffers it is given; refuses the single-buffer write. */
    private static final class GatheringTransport extends KeepingTransport {
        int maxBuffers;

        GatheringTransport(SocketChannel channel, int limit) {
            super(channel, limit);
        }

        @Override
        public boolean gathersWrites() {
            return true;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            writes++;
            maxBuffers = Math.max(maxBuffers, length);
            int left = limit;
            for (int i = offset; i < offset + length && left > 0; i++) {
                left -= keep(srcs[i], left);
            }
            return limit - left;
        }
    }

    /** Writes one staged buffer at a time. */
    private static final class ThrottledTransport extends KeepingTransport {
        ThrottledTransport(SocketChannel channel, int limit) {
            super(channel, limit);
        }

        long directBytes;
        long stagedBytes;

        @Override
        public int write(ByteBuffer src) {
            writes++;
            int n = keep(src, limit);
            if (src.isDirect()) {
                directBytes += n;
            } else {
                stagedBytes += n;
            }
            return n;
        }
    }

    /** Queues a 100 B frame, a spliced Produce and a 10,000 B frame; returns the bytes they make, in order. */
    private ByteBuffer queueSmallSplicedAndLarge(Connection connection) {
        ByteBuffer small = random(100, 1);
        SplicedFrame spliced = splicedProduce();
        ByteBuffer tail = random(10_000, 2);
        queue(connection, small);
        connection.enqueue(spliced);
        queue(connection, tail);
        ByteBuffer expected = ByteBuffer.allocate(100 + spliced.size() + 10_000);
        expected.put(small.duplicate());
        spliced.copyTo(0, expected);
        expected.put(tail.duplicate());
        return expected;
    }

    private static void assertUnmoved(List<ByteBuffer> batches) {
        for (ByteBuffer batch : batches) {
            assertThat(batch.position()).as("record batches are read, never moved").isZero();
            assertThat(batch.limit()).isEqualTo(batch.capacity());
        }
    }
}
