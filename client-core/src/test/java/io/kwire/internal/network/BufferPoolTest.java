package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's spare buffers: the last one given back is the next one taken, and few are kept. */
class BufferPoolTest {

    private final BufferPool pool = new BufferPool();

    @Test
    void aReadBufferGivenBackIsTheNextOneTakenEmpty() {
        ByteBuffer b = pool.takeReadBuffer();
        assertThat(b.capacity()).isEqualTo(BufferPool.READ_BUFFER_BYTES);
        b.put(new byte[100]);
        pool.giveBackReadBuffer(b);
        assertThat(pool.idleReadBuffers()).isOne();
        ByteBuffer again = pool.takeReadBuffer();
        assertThat(again).isSameAs(b);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(again.capacity());
        assertThat(pool.idleReadBuffers()).isZero();
        assertThat(pool.takeReadBuffer()).as("none idle: a new one").isNotSameAs(b);
    }

    @Test
    void aBurstLeavesAtMostTheIdleLimitBehind() {
        List<ByteBuffer> reads = new ArrayList<>();
        List<ByteBuffer> frames = new ArrayList<>();
        for (int i = 0; i < 3 * BufferPool.IDLE_LIMIT; i++) {
            reads.add(pool.takeReadBuffer());
            frames.add(ByteBuffer.allocate(SendQueue.INITIAL_BYTES));
        }
        reads.forEach(pool::giveBackReadBuffer);
        frames.forEach(pool::giveBackFrameBuffer);
        assertThat(pool.idleReadBuffers()).isEqualTo(BufferPool.IDLE_LIMIT);
        assertThat(pool.idleFrameBuffers()).isEqualTo(BufferPool.IDLE_LIMIT);
    }

    @Test
    void aFrameBufferIsLentOnlyWhenOneWasGivenBackAndNotWhenItGrewTooLarge() {
        assertThat(pool.takeFrameBuffer()).as("the queue falls back on its own").isNull();
        ByteBuffer b = ByteBuffer.allocate(SendQueue.INITIAL_BYTES).put(new byte[10]);
        pool.giveBackFrameBuffer(b);
        pool.giveBackFrameBuffer(ByteBuffer.allocate(BufferPool.KEEP_FRAME_BYTES * 2));
        assertThat(pool.idleFrameBuffers()).isOne();
        ByteBuffer again = pool.takeFrameBuffer();
        assertThat(again).isSameAs(b);
        assertThat(again.position()).isZero();
        assertThat(pool.takeFrameBuffer()).isNull();
    }
}
