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

    /** Writes as much of {@code src} as the socket takes now, advancing its position; returns the bytes taken. */
    int write(ByteBuffer src) throws IOException;

    /** Bytes this transport accepted but has not yet put on the wire (TLS records waiting for the socket). */
    boolean hasPendingOutput();

    /** Bytes already read from the socket and decoded, available without waiting for the socket (TLS). */
    boolean hasBufferedInput();

    /** Drains pending output; returns true when nothing is left. */
    boolean flush() throws IOException;

    void close();
}
