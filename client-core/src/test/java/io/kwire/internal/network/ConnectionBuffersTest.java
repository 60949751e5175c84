package io.kwire.internal.network;

import static io.kwire.internal.network.ConnectionReadTest.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.KwireException;
import io.kwire.internal.network.ConnectionReadTest.ScriptedTransport;
import io.kwire.protocol.message.MetadataRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Connections borrow their read buffer from the client's pool for the length of a read: an idle connection holds
 * none, the next connection to read gets the same one, and a connection keeps its buffer only while it holds part
 * of a frame that fits it. A frame buffer borrowed for a request that then fails to encode goes back at once.
 */
class ConnectionBuffersTest extends ConnectionTestSupport {

    private final BufferPool pool = new BufferPool();
    private final List<ByteBuffer> frames = new ArrayList<>();
    private final List<Boolean> shared = new ArrayList<>();

    private Connection connection(ScriptedTransport transport) {
        return new Connection(transport, key, 1 << 20, pool);
    }

    private boolean read(Connection connection) throws IOException {
        return connection.read((frame, isShared) -> {
            frames.add(frame);
            shared.add(isShared);
        });
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] content(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        return b;
    }

    @Test
    void aFrameThatFailsToEncodeGivesTheFrameBufferItBorrowedBack() throws IOException {
        pool.giveBackFrameBuffer(ByteBuffer.allocate(64 * 1024));
        Connection c = connection(new ScriptedTransport(channel, wire(List.of()), null));
        MetadataRequest bad = new MetadataRequest().setTopics(new ArrayList<>(List.of(
                new MetadataRequest.MetadataRequestTopic().setName(null)))); // not nullable before version 10
        FrameCodec codec = new FrameCodec("client");
        assertThatThrownBy(() -> codec.encode(c, bad, (short) 9, 1)).isInstanceOf(KwireException.class);
        assertThat(c.hasQueuedSends()).isFalse();
        assertThat(pool.idleFrameBuffers()).as("the borrowed frame buffer is back in the pool").isOne();

        MetadataRequest good = new MetadataRequest().setTopics(new ArrayList<>(List.of(
                new MetadataRequest.MetadataRequestTopic().setName("t"))));
        assertThat(codec.encode(c, good, (short) 9, 2)).isPositive();
        assertThat(pool.idleFrameBuffers()).as("borrowed again for a frame that is queued").isZero();
        assertThatThrownBy(() -> codec.encode(c, bad, (short) 9, 3)).isInstanceOf(KwireException.class);
        assertThat(pool.idleFrameBuffers()).as("kept: it holds the queued frame").isZero();
        assertThat(c.hasQueuedSends()).isTrue();
    }

    @Test
    void aFrameTooBigForTheQueuesOwnBufferThatFailsToEncodeGivesTheLargerOneBack() throws IOException {
        Connection c = connection(new ScriptedTransport(channel, wire(List.of()), null));
        List<MetadataRequest.MetadataRequestTopic> topics = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) { // about 10 KB: past what the queue's own buffer grows to (4 KiB)
            topics.add(new MetadataRequest.MetadataRequestTopic().setName("topic-" + i));
        }
        topics.add(new MetadataRequest.MetadataRequestTopic().setName(null)); // fails after the larger buffer is made
        MetadataRequest bad = new MetadataRequest().setTopics(topics);
        assertThat(pool.idleFrameBuffers()).isZero();
        assertThatThrownBy(() -> new FrameCodec("client").encode(c, bad, (short) 9, 1))
                .isInstanceOf(KwireException.class);
        assertThat(c.hasQueuedSends()).isFalse();
        assertThat(pool.idleFrameBuffers()).as("the buffer made for the frame went to the pool").isOne();
    }

    @Test
    void aConnectionThatReadWholeFramesHoldsNoBufferAndTheNextConnectionReadsIntoTheSameOne() throws IOException {
        Connection a = connection(new ScriptedTransport(channel, wire(List.of(bytes(100, 1), bytes(2_000, 2))), null));
        Connection b = connection(new ScriptedTransport(channel, wire(List.of(bytes(300, 3))), null));
        assertThat(read(a)).isTrue();
        assertThat(pool.idleReadBuffers()).as("a gave its buffer back").isOne();
        assertThat(read(b)).isTrue();
        assertThat(pool.idleReadBuffers()).isOne();
        assertThat(shared).containsOnly(true);
        assertThat(frames).hasSize(3);
        assertThat(frames.get(2).array()).as("b read into a's buffer").isSameAs(frames.get(0).array());
        assertThat(content(frames.get(2))).isEqualTo(bytes(300, 3));
    }

    @Test
    void aPartialFrameKeepsItsBufferAcrossReadsWhileOtherConnectionsReadIntoAnother() throws IOException {
        byte[] big = bytes(10_000, 1);
        ScriptedTransport slow = new ScriptedTransport(channel, wire(List.of(big)), null);
        slow.largestRead = 4_000;
        Connection a = connection(slow);
        Connection b = connection(new ScriptedTransport(channel, wire(List.of(bytes(300, 2), bytes(40, 3))), null));
        assertThat(read(a)).isTrue();
        assertThat(slow.remaining()).isPositive();
        assertThat(pool.idleReadBuffers()).as("a holds part of a frame").isZero();
        assertThat(read(b)).isTrue();
        assertThat(pool.idleReadBuffers()).as("b borrowed another and gave it back").isOne();
        assertThat(read(a)).isTrue();
        assertThat(slow.remaining()).isPositive();
        assertThat(pool.idleReadBuffers()).as("a still holds its own").isOne();
        while (slow.remaining() > 0) {
            assertThat(read(a)).isTrue();
        }
        assertThat(frames).hasSize(3);
        ByteBuffer whole = frames.get(2);
        assertThat(content(whole)).as("a's frame, whole across its reads").isEqualTo(big);
        assertThat(whole.array()).isNotSameAs(frames.get(0).array());
        assertThat(pool.idleReadBuffers()).as("both buffers back once the frame was whole").isEqualTo(2);
    }

    @Test
    void aFrameLargerThanTheReadBufferFillsABufferOfItsOwnWhileTheReadBufferGoesBack() throws IOException {
        byte[] large = bytes(200_000, 1);
        ScriptedTransport slow = new ScriptedTransport(channel, wire(List.of(large)), null);
        slow.largestRead = 30_000;
        Connection a = connection(slow);
        Connection b = connection(new ScriptedTransport(channel, wire(List.of(bytes(300, 2))), null));
        assertThat(read(a)).isTrue();
        assertThat(slow.remaining()).isPositive();
        assertThat(pool.idleReadBuffers()).as("the large frame has a buffer of its own").isOne();
        assertThat(read(b)).isTrue();
        while (slow.remaining() > 0) {
            assertThat(read(a)).isTrue();
        }
        assertThat(frames).hasSize(2);
        assertThat(shared).containsExactly(true, false);
        assertThat(frames.get(1).array()).hasSize(large.length);
        assertThat(content(frames.get(1))).isEqualTo(large);
        assertThat(pool.idleReadBuffers()).isOne();
    }

    @Test
    void closingAConnectionGivesBackTheBufferOfItsPartialFrame() throws IOException {
        ScriptedTransport slow = new ScriptedTransport(channel, wire(List.of(bytes(10_000, 1))), null);
        slow.largestRead = 4_000;
        Connection a = connection(slow);
        assertThat(read(a)).isTrue();
        assertThat(pool.idleReadBuffers()).isZero();
        a.close();
        assertThat(pool.idleReadBuffers()).isOne();
        assertThat(pool.takeReadBuffer().position()).isZero();
    }

    @Test
    void aHandlerThatClosesTheConnectionLeavesTheBufferToTheReadUnderWay() throws IOException {
        Connection[] a = new Connection[1];
        a[0] = connection(new ScriptedTransport(channel, wire(List.of(bytes(100, 1), bytes(100, 2), bytes(8, 3))),
                null));
        List<byte[]> got = new ArrayList<>();
        assertThat(a[0].read((frame, isShared) -> {
            got.add(content(frame));
            a[0].close();
            assertThat(pool.idleReadBuffers()).as("not while its frame is being handled").isZero();
        })).isTrue();
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).isEqualTo(bytes(100, 1));
        assertThat(pool.idleReadBuffers()).isOne();
    }
}
