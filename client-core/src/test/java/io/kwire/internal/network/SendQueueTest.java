package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.SplicedFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The send queue's frame buffer: frames keep their order across runs and spliced frames, partly sent bytes
 * survive the buffer being compacted or grown, a buffer grown for one huge request does not stay, and a drained
 * queue gives its borrowed buffer back to the client's pool.
 */
class SendQueueTest {

    private final BufferPool pool = new BufferPool();
    private final SendQueue queue = new SendQueue(pool);
    private final ByteArrayOutputStream expected = new ByteArrayOutputStream();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final Random random = new Random(42);

    @Test
    void runsAndSplicedFramesLeaveInTheOrderTheyWereQueued() {
        ByteBuffer first = queue.frameBuffer(10);
        assertThat(first.capacity()).as("the pool has none: the queue's own").isEqualTo(SendQueue.HOME_BYTES);
        write(100);
        write(200);
        queue.add(SplicedFrame.of(ByteBuffer.allocate(50).put(bytes(50)), false));
        expected.writeBytes(lastSpliced);
        write(300);
        send(1_000_000, 64);
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.frameBuffer(1).position()).as("starts over once drained").isZero();
    }

    @Test
    void compactingKeepsTheUnsentRestOfAFrameAndEveryQueuedOne() {
        write(6_000);
        write(6_000);
        send(7_000, 7_000); // the first frame and 1,000 bytes of the second are out
        write(3_000);
        // 12,000 + 3,000 used of 16 KiB: 2,000 more fit only after the sent bytes are dropped from the front.
        ByteBuffer b = queue.frameBuffer(2_000);
        assertThat(b.capacity()).as("compacted, not grown").isEqualTo(SendQueue.INITIAL_BYTES);
        assertThat(b.position()).isEqualTo(5_000 + 3_000); // the unsent rest of the second frame, then the third
        write(2_000);
        send(1_000_000, 1_500);
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aFrameLargerThanTheBufferGrowsItAndTheGrownBufferIsDroppedOnceDrained() {
        write(5_000);
        send(2_000, 2_000);
        write(3 * BufferPool.KEEP_FRAME_BYTES);
        assertThat(queue.frameBuffer(1).capacity()).isGreaterThan(BufferPool.KEEP_FRAME_BYTES);
        send(Long.MAX_VALUE, 256 * 1024);
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(queue.frameBuffer(1).capacity()).isEqualTo(SendQueue.INITIAL_BYTES);
    }

    @Test
    void uncommittedBytesAreNotSent() {
        write(100);
        ByteBuffer b = queue.frameBuffer(10);
        b.put(bytes(10)); // an encode that failed part-way: never committed
        b.position(b.position() - 10);
        write(20);
        send(Long.MAX_VALUE, 1_000);
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aSensitiveFrameIsWipedWhenSentOrCleared() {
        ByteBuffer sent = ByteBuffer.allocate(16).put(bytes(16));
        ByteBuffer dropped = ByteBuffer.allocate(16).put(bytes(16));
        queue.add(SplicedFrame.of(sent.duplicate(), true));
        send(Long.MAX_VALUE, 100);
        assertThat(sent.array()).containsOnly((byte) 0);
        queue.add(SplicedFrame.of(dropped.duplicate(), true));
        queue.clear();
        assertThat(dropped.array()).containsOnly((byte) 0);
    }

    /**
     * Random runs and spliced frames, sent through random staging sizes with random partial writes, the frame
     * buffer compacting and growing on the way: the bytes sent are the bytes queued, in order.
     */
    @Test
    void anyMixOfFramesAndPartialWritesSendsTheQueuedBytesInOrder() {
        for (int seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            SendQueue q = new SendQueue();
            List<ByteBuffer> secrets = new ArrayList<>();
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int step = 0; step < 60; step++) {
                int op = r.nextInt(3);
                if (op == 0) {
                    byte[] b = new byte[1 + r.nextInt(r.nextInt(10) == 0 ? 40_000 : 3_000)];
                    r.nextBytes(b);
                    ByteBuffer buf = q.frameBuffer(b.length);
                    int start = buf.position();
                    buf.put(b);
                    q.commit(start);
                    in.writeBytes(b);
                } else if (op == 1) {
                    byte[] b = new byte[1 + r.nextInt(5_000)];
                    r.nextBytes(b);
                    ByteBuffer head = ByteBuffer.allocate(b.length).put(b);
                    boolean sensitive = r.nextInt(4) == 0;
                    q.add(SplicedFrame.of(head.duplicate(), sensitive));
                    if (sensitive) {
                        secrets.add(head);
                    }
                    in.writeBytes(b);
                } else {
                    ByteBuffer staging = r.nextBoolean() ? ByteBuffer.allocate(1 + r.nextInt(20_000))
                            : ByteBuffer.allocateDirect(1 + r.nextInt(20_000));
                    q.copyTo(staging);
                    int taken = r.nextInt(staging.position() + 1); // the socket takes some of it
                    byte[] b = new byte[taken];
                    staging.flip().get(b);
                    out.writeBytes(b);
                    q.drop(taken);
                }
            }
            while (!q.isEmpty()) {
                ByteBuffer staging = ByteBuffer.allocate(8_192);
                q.copyTo(staging);
                staging.flip();
                out.write(staging.array(), 0, staging.limit());
                q.drop(staging.limit());
            }
            assertThat(out.toByteArray()).as("seed %d: sent intact, nothing wiped early", seed)
                    .isEqualTo(in.toByteArray());
            for (ByteBuffer secret : secrets) {
                assertThat(secret.array()).as("seed %d: wiped once sent", seed).containsOnly((byte) 0);
            }
        }
    }

    @Test
    void aDrainedQueueGivesItsBorrowedBufferBackForTheNextQueue() {
        write(6_000);
        ByteBuffer borrowed = queue.frameBuffer(1);
        assertThat(borrowed.capacity()).isEqualTo(SendQueue.INITIAL_BYTES);
        send(Long.MAX_VALUE, 1_000);
        assertThat(pool.idleFrameBuffers()).isOne();
        SendQueue other = new SendQueue(pool);
        assertThat(other.frameBuffer(10)).isSameAs(borrowed);
        assertThat(pool.idleFrameBuffers()).isZero();
        assertThat(queue.frameBuffer(10).capacity()).as("none left to lend: the queue's own")
                .isEqualTo(SendQueue.HOME_BYTES);
    }

    @Test
    void aSteadyFlowOfSmallRequestsReusesTheQueuesOwnBuffer() {
        write(300);
        write(300);
        send(Long.MAX_VALUE, 256);
        ByteBuffer own = queue.frameBuffer(1);
        assertThat(own.capacity()).as("grown once, for two frames").isEqualTo(1_024);
        for (int i = 0; i < 100; i++) {
            write(1 + random.nextInt(300));
            write(1 + random.nextInt(300));
            send(Long.MAX_VALUE, 256);
            assertThat(queue.frameBuffer(1)).isSameAs(own);
            assertThat(queue.frameBuffer(1).position()).isZero();
        }
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(pool.idleFrameBuffers()).isZero();
    }

    @Test
    void theQueuesOwnBufferGrowsToItsLimitAndBeyondThatItBorrows() {
        write(3_000);
        ByteBuffer grown = queue.frameBuffer(1);
        assertThat(grown.capacity()).isEqualTo(4_096);
        send(Long.MAX_VALUE, 1_000);
        assertThat(queue.frameBuffer(1)).as("kept once grown").isSameAs(grown);
        write(3_000);
        write(3_000);
        assertThat(queue.frameBuffer(1).capacity()).isEqualTo(SendQueue.INITIAL_BYTES);
        send(Long.MAX_VALUE, 1_000);
        assertThat(pool.idleFrameBuffers()).as("the larger one goes back").isOne();
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(SendQueue.HOME_MAX_BYTES).isEqualTo(4_096);
    }

    @Test
    void aQueueOfSplicedFramesAloneDrainsAndClearsWithoutAFrameBuffer() {
        queue.add(SplicedFrame.of(ByteBuffer.allocate(8).put(bytes(8)), false));
        expected.writeBytes(lastSpliced);
        send(Long.MAX_VALUE, 100);
        write(100);
        write(5_000); // borrows past the queue's own: none queued in it once drained
        send(Long.MAX_VALUE, 1_000);
        queue.add(SplicedFrame.of(ByteBuffer.allocate(8).put(bytes(8)), false));
        expected.writeBytes(lastSpliced);
        send(Long.MAX_VALUE, 100);
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
        queue.clear();
        assertThat(pool.idleFrameBuffers()).isOne();
    }

    @Test
    void clearDropsEverything() {
        write(100);
        queue.add(SplicedFrame.of(ByteBuffer.allocate(8).put(bytes(8)), false));
        queue.clear();
        assertThat(queue.isEmpty()).isTrue();
        ByteBuffer dst = ByteBuffer.allocate(100);
        queue.copyTo(dst);
        assertThat(dst.position()).isZero();
    }

    private byte[] lastSpliced;

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        lastSpliced = b;
        return b;
    }

    /** Queues one frame of {@code n} random bytes. */
    private void write(int n) {
        byte[] b = bytes(n);
        ByteBuffer out = queue.frameBuffer(n);
        int start = out.position();
        out.put(b);
        queue.commit(start);
        expected.writeBytes(b);
    }

    /** Sends up to {@code total} bytes, at most {@code perWrite} per write, as a socket would take them. */
    private void send(long total, int perWrite) {
        long left = total;
        ByteBuffer staging = ByteBuffer.allocate(perWrite);
        while (left > 0 && !queue.isEmpty()) {
            staging.clear().limit((int) Math.min(perWrite, left));
            queue.copyTo(staging);
            staging.flip();
            sent.write(staging.array(), 0, staging.limit());
            queue.drop(staging.limit());
            left -= staging.limit();
        }
    }
}
