package io.kwire.internal.network;

import java.nio.ByteBuffer;

/**
 * The spare read buffers and request frame buffers of one client, shared by its connections, so that an idle
 * connection holds neither: a connection borrows a read buffer for the length of a read (longer only while it holds
 * part of a frame), and a {@link SendQueue} borrows a frame buffer when its own small one is not enough, until the
 * queue drains. With one I/O thread, reads need one buffer however many connections there are; only connections
 * left holding part of a frame, and queues not yet written, hold more.
 *
 * <p>At most {@link #IDLE_LIMIT} idle buffers of each kind are kept, so a burst that had many out at once leaves
 * little behind; the others are left to the garbage collector. A buffer given back may still be read by no one:
 * a read buffer's frames are views valid only during {@link Connection.FrameHandler#onFrame} (a response that keeps
 * slices of its frame is decoded from a copy), and a frame buffer holds no secrets (requests that carry them get a
 * frame of their own, wiped once sent). Only used on the I/O thread.
 */
final class BufferPool {

    /** The size of a read buffer: frames up to this (with their size prefix) are decoded in place. */
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /** How many idle buffers of each kind are kept. */
    static final int IDLE_LIMIT = 4;
    /** The largest frame buffer kept: one grown further by a huge request or a slow socket is let go. */
    static final int KEEP_FRAME_BYTES = 64 * 1024;

    private final ByteBuffer[] readBuffers = new ByteBuffer[IDLE_LIMIT];
    private int idleReadBuffers;
    private final ByteBuffer[] frameBuffers = new ByteBuffer[IDLE_LIMIT];
    private int idleFrameBuffers;

    /** An empty read buffer of {@link #READ_BUFFER_BYTES}: the one given back last, or a new one. */
    ByteBuffer takeReadBuffer() {
        if (idleReadBuffers == 0) {
            return ByteBuffer.allocate(READ_BUFFER_BYTES);
        }
        ByteBuffer b = readBuffers[--idleReadBuffers];
        readBuffers[idleReadBuffers] = null;
        return b;
    }

    /** Takes back a read buffer no frame handed out from it is still being read from; kept while there is room. */
    void giveBackReadBuffer(ByteBuffer b) {
        if (idleReadBuffers < IDLE_LIMIT) {
            readBuffers[idleReadBuffers++] = b.clear();
        }
    }

    /** An empty frame buffer given back earlier (the last one first), or null when there is none. */
    ByteBuffer takeFrameBuffer() {
        if (idleFrameBuffers == 0) {
            return null;
        }
        ByteBuffer b = frameBuffers[--idleFrameBuffers];
        frameBuffers[idleFrameBuffers] = null;
        return b;
    }

    /** Takes back a frame buffer whose frames were all sent: kept while there is room, unless it grew too large. */
    void giveBackFrameBuffer(ByteBuffer b) {
        if (idleFrameBuffers < IDLE_LIMIT && b.capacity() <= KEEP_FRAME_BYTES) {
            frameBuffers[idleFrameBuffers++] = b.clear();
        }
    }

    int idleReadBuffers() {
        return idleReadBuffers;
    }

    int idleFrameBuffers() {
        return idleFrameBuffers;
    }
}
