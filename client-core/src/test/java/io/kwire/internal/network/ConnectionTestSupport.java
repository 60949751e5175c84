package io.kwire.internal.network;

import io.kwire.network.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the {@link Connection} tests share: a selection key for an unconnected channel (a connection needs one for
 * its write interest), and a transport with nothing to say that a test gives its reads or its writes.
 */
abstract class ConnectionTestSupport {

    Selector selector;
    SocketChannel channel;
    SelectionKey key;

    @BeforeEach
    void openKey() throws IOException {
        selector = Selector.open();
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        key = channel.register(selector, SelectionKey.OP_READ);
    }

    @AfterEach
    void closeKey() throws IOException {
        channel.close();
        selector.close();
    }

    /** A transport that reads nothing, refuses writes, and has nothing buffered either way. */
    abstract static class StubTransport implements Transport {
        private final SocketChannel channel;

        StubTransport(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public SocketChannel channel() {
            return channel;
        }

        @Override
        public boolean handshake() {
            return true;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return 0;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new UnsupportedOperationException("this test transport does not write");
        }

        @Override
        public boolean hasPendingOutput() {
            return false;
        }

        @Override
        public boolean hasBufferedInput() {
            return false;
        }

        @Override
        public boolean flush() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
