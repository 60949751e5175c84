package io.kwire.internal.network;

import io.kwire.errors.FrameTooLargeException;
import io.kwire.errors.ProtocolException;
import io.kwire.network.Transport;
import io.kwire.protocol.SplicedFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Arrays;

/**
 * The bytes of one broker connection: a queue of encoded request frames, and a frame reader that cuts
 * size-prefixed response frames out of large reads. It knows nothing of requests or correlation ids;
 * {@link FrameHandler} gets each whole frame.
 *
 * <p>Requests are encoded straight into the connection's {@link SendQueue}. A flush lays the queued bytes end to end
 * into a staging buffer the caller owns (one per client, shared by its connections) and writes it with one system call.
 * For heap buffers the JDK would make that copy itself, into a temporary direct buffer; doing it here means a request
 * needs no buffer of its own and a {@link SplicedFrame} no view per record batch. A record batch the caller built in
 * direct memory ({@code RecordBatchBuilder.buildInto}) and at least {@link #DIRECT_WRITE_MIN} long is written as it is
 * instead, in a system call of its own. A transport that copies the bytes itself ({@link Transport#gathersWrites()}:
 * TLS encrypts them into records) is handed views of the queued buffers instead, so that the bytes are copied once, by
 * the transport.
 *
 * <p>Frames that fit a 64 KiB read buffer are handed over as views of it, to be decoded in place (a handler whose
 * response keeps slices copies the frame first); a frame larger than the read buffer is read straight into a
 * buffer of its exact size, so large fetch responses are never copied. The read buffer is borrowed from the
 * client's {@link BufferPool} for the length of a read and given back when the read ends between frames, so an
 * idle connection holds no buffer: one holding part of a frame keeps its buffer until the frame is complete. The
 * request side borrows the same way ({@link SendQueue}). Only used on the I/O thread.
 */
public final class Connection {

    /** Receives each complete response frame (without its size prefix). */
    @FunctionalInterface
    public interface FrameHandler {
        /**
         * @param frame  the frame's bytes
         * @param shared true when {@code frame} is a view of the connection's read buffer, valid only during this
         *               call: a decoder that keeps slices of it (bytes and records fields) must copy it first
         */
        void onFrame(ByteBuffer frame, boolean shared);
    }

    private static final int READ_BUFFER_SIZE = BufferPool.READ_BUFFER_BYTES;
    /**
     * The most one {@link #read} takes from the socket before returning, though more may be waiting: four read
     * buffers. See {@link #read}.
     */
    static final int READ_BUDGET = 4 * READ_BUFFER_SIZE;
    /** The least a flush copies per write after the socket took little: one TLS record's worth. */
    private static final int MIN_COPY = 16 * 1024;
    /**
     * A record batch in direct memory of at least this many bytes goes to the socket as it is, not through the
     * staging buffer; smaller ones are copied with the frames around them, which then share one system call.
     */
    static final int DIRECT_WRITE_MIN = 32 * 1024;
    /** Buffers handed to a gathering transport per write: a few queued frames, three pieces per record batch. */
    private static final int GATHER_VIEWS = 16;

    private final Transport transport;
    private final SelectionKey key;
    private final int maxFrameSize;
    private final BufferPool buffers;
    private final SendQueue sendQueue;
    /**
     * How many bytes the next flush copies per write: all the staging buffer holds while the socket takes everything,
     * twice what it took last while it takes less, so a slow socket does not cost a full staging copy per write.
     */
    private int copyLimit = Integer.MAX_VALUE;
    /**
     * Borrowed from {@link #buffers} during a read; kept between reads only while it holds part of a frame, null
     * otherwise.
     */
    private ByteBuffer readBuffer;
    /** Views of the queued buffers for a transport that gathers them ({@link #flushGathered}); null until then. */
    private ByteBuffer[] gathered;
    /** A frame too large for the read buffer, being filled directly; null when none. */
    private ByteBuffer largeFrame;
    /** Whether a {@link #read} is under way: a frame handler that closes the connection leaves it the buffer. */
    private boolean reading;
    private boolean closed;

    /**
     * @param buffers the client's spare buffers, shared with its other connections (all on the same I/O thread)
     */
    public Connection(Transport transport, SelectionKey key, int maxFrameSize, BufferPool buffers) {
        this.transport = transport;
        this.key = key;
        this.maxFrameSize = maxFrameSize;
        this.buffers = buffers;
        this.sendQueue = new SendQueue(buffers);
    }

    /** A connection with spare buffers of its own (tests). */
    Connection(Transport transport, SelectionKey key, int maxFrameSize) {
        this(transport, key, maxFrameSize, new BufferPool());
    }

    public Transport transport() {
        return transport;
    }

    public SelectionKey key() {
        return key;
    }

    /**
     * The buffer to encode the next request frames into, positioned after those already queued, with room for at
     * least {@code minRoom} bytes; {@link #queueFrames} then queues what was written.
     */
    public ByteBuffer frameBuffer(int minRoom) {
        return sendQueue.frameBuffer(minRoom);
    }

    /** Gives back a frame buffer borrowed for frames that were then not queued (their encoding failed). */
    public void releaseUnusedFrameBuffer() {
        sendQueue.releaseIfEmpty();
    }

    /** Queues the whole frames (size prefixes included) written into {@link #frameBuffer} since {@code start}. */
    public void queueFrames(int start) {
        sendQueue.commit(start);
    }

    /** Queues a frame of its own: a request carrying bytes (record batches by reference, SASL tokens). */
    public void enqueue(SplicedFrame frame) {
        sendQueue.add(frame);
    }

    /** Whether {@link #flush} hands the queued buffers to the transport itself, needing no staging buffer. */
    public boolean gathersWrites() {
        return transport.gathersWrites();
    }

    public boolean hasQueuedSends() {
        return !sendQueue.isEmpty() || transport.hasPendingOutput();
    }

    /**
     * Writes every queued frame the socket accepts, one staging buffer's worth per system call (a large record
     * batch in direct memory as it is; for a transport that {@linkplain Transport#gathersWrites() gathers}: the
     * queued buffers themselves), and keeps
     * {@code OP_WRITE} interest exactly while something is left.
     *
     * @param staging scratch space for the write, shared with the client's other connections; its content is not
     *                needed after the call. Unused, and may be null, when the transport {@link #gathersWrites gathers}
     * @return bytes written
     */
    public long flush(ByteBuffer staging) throws IOException {
        if (transport.gathersWrites()) {
            long written = flushGathered();
            updateWriteInterest();
            return written;
        }
        if (transport.hasPendingOutput() && !transport.flush()) {
            updateWriteInterest();
            return 0;
        }
        long written = 0;
        while (!sendQueue.isEmpty()) {
            ByteBuffer direct = sendQueue.directHead(DIRECT_WRITE_MIN);
            int w;
            boolean full;
            if (direct != null) {
                w = transport.write(direct); // a record batch the caller built in direct memory: no staging copy
                full = direct.hasRemaining() || w == 0;
            } else {
                staging.clear().limit(Math.min(staging.capacity(), copyLimit));
                boolean sensitive = sendQueue.copyTo(staging, DIRECT_WRITE_MIN);
                try {
                    w = transport.write(staging.flip());
                    full = staging.hasRemaining() || w == 0;
                } finally {
                    if (sensitive) {
                        wipe(staging);
                    }
                }
                copyLimit = full ? Math.max(MIN_COPY, 2 * w)
                        : copyLimit > Integer.MAX_VALUE / 2 ? copyLimit : 2 * copyLimit;
            }
            written += w;
            sendQueue.drop(w);
            if (full || transport.hasPendingOutput()) {
                break; // the socket is full (TLS: records are waiting for it)
            }
        }
        updateWriteInterest();
        return written;
    }

    /**
     * The write of a transport that copies the bytes itself (TLS, into its records): the queued buffers go to it as
     * they are, no staging copy. Nothing of a sensitive frame stays behind in a buffer of the connection's: the
     * transport holds only ciphertext, and the queue wipes the frame once it is taken. Output the transport still
     * holds goes out with the next bytes, in the same system call, rather than on its own.
     */
    private long flushGathered() throws IOException {
        if (sendQueue.isEmpty()) {
            transport.flush();
            return 0;
        }
        ByteBuffer[] views = gathered;
        if (views == null) {
            views = new ByteBuffer[GATHER_VIEWS];
            gathered = views;
        }
        long written = 0;
        while (!sendQueue.isEmpty()) {
            int n = sendQueue.views(views);
            long w;
            boolean full;
            try {
                w = transport.write(views, 0, n);
                full = w == 0 || views[n - 1].hasRemaining();
            } finally {
                Arrays.fill(views, 0, n, null);
            }
            written += w;
            sendQueue.drop(w);
            if (full || transport.hasPendingOutput()) {
                break; // the socket is full (TLS: records are waiting for it)
            }
        }
        return written;
    }

    /** Zeroes the staging bytes of a round that carried a sensitive frame (credentials), whoever took them. */
    private static void wipe(ByteBuffer staging) {
        int n = staging.limit();
        staging.clear();
        for (int i = 0; i + 8 <= n; i += 8) {
            staging.putLong(i, 0L);
        }
        for (int i = n & ~7; i < n; i++) {
            staging.put(i, (byte) 0);
        }
    }

    private void updateWriteInterest() {
        if (!key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int wanted = hasQueuedSends() ? (ops | SelectionKey.OP_WRITE) : (ops & ~SelectionKey.OP_WRITE);
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    /**
     * Reads what the socket has, up to {@link #READ_BUDGET} bytes, and hands every complete frame to
     * {@code handler}.
     *
     * <p>The budget keeps one poll from decoding every outstanding response of a busy connection before the caller
     * can send the requests that replace them: while large responses stream in, the socket is never empty, and a
     * read that drained it would leave the broker without requests until the last response had arrived. It also
     * keeps one connection from holding up the client's others. Bytes left in the socket make the selector (level
     * triggered) report the connection again on the next poll. Bytes a TLS engine already holds are invisible to the
     * selector: when the budget ends a call with some left, {@link #hasBufferedInput()} says so, and the caller must
     * read again without waiting for the selector.
     *
     * @return false at end of stream (the broker closed the connection)
     * @throws ProtocolException for a frame size that is negative, over the limit, or not a Kafka frame at all
     */
    public boolean read(FrameHandler handler) throws IOException {
        reading = true;
        try {
            return readFrames(handler);
        } finally {
            reading = false;
            releaseReadBuffer();
        }
    }

    /**
     * Gives the read buffer back when it holds no part of a frame (or the connection is closed): every frame cut
     * from it was handed over as a view valid only during its handler call, so no one reads it any more.
     */
    private void releaseReadBuffer() {
        ByteBuffer b = readBuffer;
        if (b != null && (b.position() == 0 || closed)) {
            readBuffer = null;
            buffers.giveBackReadBuffer(b);
        }
    }

    private boolean readFrames(FrameHandler handler) throws IOException {
        int budget = READ_BUDGET;
        while (!closed) {
            if (largeFrame != null) {
                int n = transport.read(largeFrame);
                if (n < 0) {
                    return false;
                }
                budget -= n;
                if (largeFrame.hasRemaining()) {
                    if (n > 0 && budget > 0 && transport.hasBufferedInput()) {
                        continue;
                    }
                    return true;
                }
                ByteBuffer frame = largeFrame.flip();
                largeFrame = null;
                handler.onFrame(frame, false);
                if (budget <= 0) {
                    return true;
                }
                continue;
            }
            if (readBuffer == null) {
                readBuffer = buffers.takeReadBuffer();
            }
            int space = readBuffer.remaining();
            int n = transport.read(readBuffer);
            if (n < 0) {
                return false;
            }
            readBuffer.flip();
            try {
                cutFrames(handler);
            } finally {
                readBuffer.compact();
            }
            boolean buffered = transport.hasBufferedInput();
            if (largeFrame == null && n < space && !buffered) {
                return true; // the socket gave less than we asked for: it is drained, no need for another call
            }
            budget -= n;
            if (budget <= 0) {
                return true; // more may be waiting: the selector reports the socket, hasBufferedInput the engine
            }
        }
        return true; // closed by a frame handler
    }

    private void cutFrames(FrameHandler handler) {
        while (!closed && readBuffer.remaining() >= 4) {
            int start = readBuffer.position();
            int size = readBuffer.getInt(start);
            checkFrameSize(size, start);
            if (size + 4 > readBuffer.capacity()) {
                // Too big for the shared buffer: move what we have into a buffer of its own and read the rest there.
                largeFrame = ByteBuffer.allocate(size);
                readBuffer.position(start + 4);
                int have = Math.min(size, readBuffer.remaining());
                largeFrame.put(readBuffer.slice(readBuffer.position(), have));
                readBuffer.position(readBuffer.position() + have);
                if (!largeFrame.hasRemaining()) {
                    ByteBuffer frame = largeFrame.flip();
                    largeFrame = null;
                    handler.onFrame(frame, false);
                }
                continue;
            }
            if (readBuffer.remaining() < size + 4) {
                return;
            }
            ByteBuffer view = readBuffer.slice(start + 4, size);
            readBuffer.position(start + 4 + size);
            handler.onFrame(view, true);
        }
    }

    private void checkFrameSize(int size, int start) {
        if (size >= 0 && size <= maxFrameSize) {
            return;
        }
        byte b0 = readBuffer.get(start);
        byte b1 = readBuffer.get(start + 1);
        if ((b0 == 0x15 || b0 == 0x16) && b1 == 0x03) {
            throw new FrameTooLargeException("Received a TLS record on a plaintext connection: the broker's listener "
                    + "expects TLS. Set securityProtocol to SSL (or SASL_SSL), or use the broker's plaintext port");
        }
        if (b0 == 'H' && b1 == 'T') {
            throw new FrameTooLargeException("Received an HTTP response: this address is a web server, not a Kafka "
                    + "broker. Check bootstrapServers");
        }
        if (size < 0) {
            throw new FrameTooLargeException("Received a negative frame size " + size + ": the peer is not speaking "
                    + "the Kafka protocol on this port");
        }
        throw new FrameTooLargeException("Received a frame of " + size + " bytes, above maxResponseSize (" + maxFrameSize
                + " bytes). Raise maxResponseSize if responses this large are expected, or check that this port is a "
                + "Kafka broker");
    }

    /**
     * Whether bytes already read from the socket wait in the transport (a TLS engine's decrypted or complete
     * records): the selector does not report them, so a caller whose {@link #read} ended on its budget must read
     * again without waiting.
     */
    public boolean hasBufferedInput() {
        return !closed && transport.hasBufferedInput();
    }

    /** Closes the socket; a frame handler may call this, and the read in progress then stops. */
    public void close() {
        closed = true;
        key.cancel();
        transport.close();
        sendQueue.clear();
        largeFrame = null;
        if (!reading) {
            releaseReadBuffer();
        }
    }
}
