package io.kwire.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte pipe under a broker connection: plain TCP, or TLS over it. Only called on the I/O thread.
 * Implementations never block: reads and writes move what the socket takes now and report the rest.
 */
public interface Transport {

    SocketChannel channel();

    /** Called once the channel is registered, so a TLS transport can ask for the readiness its handshake needs. */
    default void register(java.nio.channels.SelectionKey key) {
    }

    /**
     * Advances the transport's own handshake (TLS) as far as the socket allows.
     *
     * @return true once the handshake is complete (at once for plain TCP)
     */
    boolean handshake() throws IOException;

    /** Reads into {@code dst}; returns the bytes read, 0 if none are available, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes as much of {@code src} as the socket takes now, advancing its position; returns the bytes taken. The
     * buffer is the client's staging buffer, or a read-only view of a record batch the application built in direct
     * memory: the transport must not keep it after the call.
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Whether the connection should hand this transport its queued buffers as they are
     * ({@link #write(ByteBuffer[], int, int)}) rather than one staging buffer it copied them into. True for a
     * transport that copies the bytes anyway (TLS encrypts them into records of its own), so that a staging copy
     * would be one copy too many; false where the staging copy is the one the socket needs (a plain socket takes a
     * heap buffer only through a copy the JDK makes into direct memory).
     */
    default boolean gathersWrites() {
        return false;
    }

    /**
     * Writes as much of {@code srcs[offset]} to {@code srcs[offset + length - 1]}, in order, as the socket takes
     * now, advancing their positions; returns the bytes taken. The transport must not keep the buffers after the
     * call. By default one {@link #write(ByteBuffer)} per buffer, stopping at the first the socket did not take
     * whole.
     */
    default long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long written = 0;
        for (int i = offset; i < offset + length; i++) {
            written += write(srcs[i]);
            if (srcs[i].hasRemaining()) {
                break;
            }
        }
        return written;
    }

    /** Bytes this transport accepted but has not yet put on the wire (TLS records waiting for the socket). */
    boolean hasPendingOutput();

    /** Bytes already read from the socket and decoded, available without waiting for the socket (TLS). */
    boolean hasBufferedInput();

    /** Drains pending output; returns true when nothing is left. */
    boolean flush() throws IOException;

    void close();
}
