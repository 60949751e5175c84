package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The read side of {@link Connection}: frames of every size (in the read buffer, across reads, larger than the
 * buffer) come out whole, once and in order however the socket cuts them, and one {@link Connection#read} takes
 * at most its budget from a socket that always has more.
 */
class ConnectionReadTest extends ConnectionTestSupport {

    @Test
    void framesOfEverySizeArriveWholeOnceAndInOrderWhateverTheSocketGives() throws IOException {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int size = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(200);
                    case 1 -> 40_000 + random.nextInt(10_000);
                    case 2 -> 60_000 + random.nextInt(10_000); // around the 64 KiB read buffer
                    default -> 100_000 + random.nextInt(300_000); // read into a buffer of its own
                };
                byte[] frame = new byte[size];
                random.nextBytes(frame);
                frames.add(frame);
            }
            ScriptedTransport transport = new ScriptedTransport(channel, wire(frames), random);
            Connection connection = new Connection(transport, key, 1 << 20);
            List<byte[]> got = new ArrayList<>();
            int calls = 0;
            while (got.size() < frames.size()) {
                assertThat(connection.read((frame, shared) -> {
                    byte[] b = new byte[frame.remaining()];
                    frame.duplicate().get(b);
                    got.add(b);
                })).isTrue();
                assertThat(++calls).as("seed %d: no progress", seed).isLessThan(100_000);
            }
            assertThat(got).as("seed %d", seed).hasSize(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                assertThat(got.get(i)).as("seed %d frame %d", seed, i).isEqualTo(frames.get(i));
            }
            assertThat(transport.remaining()).isZero();
        }
    }

    @Test
    void oneReadTakesAtMostItsBudgetFromASocketThatAlwaysHasMore() throws IOException {
        ScriptedTransport transport = new ScriptedTransport(channel, wire(frames(200, 46_000)), null);
        int calls = readAllWithinTheBudget(new Connection(transport, key, 1 << 20), transport, 200);
        assertThat(calls).isGreaterThanOrEqualTo(200 * 46_004 / (Connection.READ_BUDGET + 64 * 1024));
    }

    @Test
    void aLargeFrameCountsAgainstTheBudget() throws IOException {
        List<byte[]> frames = List.of(new byte[3 * Connection.READ_BUDGET], new byte[10], new byte[10]);
        ScriptedTransport transport = new ScriptedTransport(channel, wire(frames), null);
        transport.largestRead = Integer.MAX_VALUE; // the socket hands the whole large frame over in one read
        Connection connection = new Connection(transport, key, 1 << 24);
        List<Integer> sizes = new ArrayList<>();
        connection.read((frame, shared) -> sizes.add(frame.remaining()));
        assertThat(sizes).as("the large frame, and nothing after it in the same call").containsExactly(
                3 * Connection.READ_BUDGET);
        connection.read((frame, shared) -> sizes.add(frame.remaining()));
        assertThat(sizes).containsExactly(3 * Connection.READ_BUDGET, 10, 10);
    }

    /** A TLS engine holds bytes the selector cannot see: the budget still ends the call, and the caller is told. */
    @Test
    void bytesHeldByTheTransportCountAgainstTheBudgetAndAreReported() throws IOException {
        ScriptedTransport transport = new ScriptedTransport(channel, wire(frames(60, 46_000)), null);
        transport.buffering = true; // everything left counts as already read, as a TLS engine's plaintext would
        assertThat(readAllWithinTheBudget(new Connection(transport, key, 1 << 20), transport, 60)).isGreaterThan(1);
    }

    /**
     * Reads until the transport is empty, checking that each call takes its budget (less only at the end) and at most
     * one read buffer more, delivers something, and reports held bytes exactly while some are left; returns the calls.
     */
    private static int readAllWithinTheBudget(Connection connection, ScriptedTransport transport, int frames)
            throws IOException {
        int delivered = 0;
        int calls = 0;
        while (transport.remaining() > 0) {
            int before = transport.remaining();
            int[] count = {0};
            connection.read((frame, shared) -> count[0]++);
            int taken = before - transport.remaining();
            assertThat(taken).isGreaterThanOrEqualTo(Math.min(before, Connection.READ_BUDGET));
            assertThat(taken).isLessThan(Connection.READ_BUDGET + 64 * 1024);
            assertThat(count[0]).isPositive();
            assertThat(connection.hasBufferedInput()).isEqualTo(transport.buffering && transport.remaining() > 0);
            delivered += count[0];
            calls++;
        }
        assertThat(delivered).isEqualTo(frames);
        return calls;
    }

    private static List<byte[]> frames(int count, int size) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(new byte[size]); // 46,000 B: Metadata of 100 topics x 10 partitions is about this size
        }
        return frames;
    }

    @Test
    void aSocketThatGivesLessThanAskedIsDrainedInOneCall() throws IOException {
        List<byte[]> frames = List.of(new byte[100], new byte[2_000], new byte[30]);
        ScriptedTransport transport = new ScriptedTransport(channel, wire(frames), null);
        Connection connection = new Connection(transport, key, 1 << 20);
        int[] count = {0};
        assertThat(connection.read((frame, shared) -> count[0]++)).isTrue();
        assertThat(count[0]).isEqualTo(3);
        assertThat(transport.reads).isEqualTo(1);
        transport.endOfStream = true;
        assertThat(connection.read((frame, shared) -> count[0]++)).as("end of stream").isFalse();
    }

    /** Size-prefixed frames end to end, as a broker writes them. */
    static byte[] wire(List<byte[]> frames) {
        int total = 0;
        for (byte[] f : frames) {
            total += 4 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] f : frames) {
            b.putInt(f.length).put(f);
        }
        return b.array();
    }

    /**
     * A socket holding {@code bytes}: each read gives what fits, cut at a random length when a {@link Random} is
     * given (sometimes nothing at all), and never more than {@link #largestRead}.
     */
    static final class ScriptedTransport extends StubTransport {
        private final byte[] bytes;
        private final Random random;
        private int position;
        int largestRead = 64 * 1024;
        int reads;
        boolean endOfStream;
        /** Report what is left as buffered input, as a TLS transport does for bytes it already holds. */
        boolean buffering;

        ScriptedTransport(SocketChannel channel, byte[] bytes, Random random) {
            super(channel);
            this.bytes = bytes;
            this.random = random;
        }

        int remaining() {
            return bytes.length - position;
        }

        @Override
        public int read(ByteBuffer dst) {
            reads++;
            if (position == bytes.length && endOfStream) {
                return -1;
            }
            int n = Math.min(Math.min(dst.remaining(), remaining()), largestRead);
            if (random != null && n > 0) {
                n = random.nextInt(5) == 0 ? random.nextInt(n + 1) : n;
            }
            dst.put(bytes, position, n);
            position += n;
            return n;
        }

        @Override
        public boolean hasBufferedInput() {
            return buffering && remaining() > 0;
        }
    }
}
