package io.kwire.testkit;

import io.kwire.network.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A {@link Transport} that passes every call to another one: a test overrides the calls it watches or changes
 * (recording what is written, holding back what is read) and leaves the rest to the real transport. Used as the
 * transport it wraps is: on the client's I/O thread only.
 */
public abstract class ForwardingTransport implements Transport {

    /** The transport every call goes to unless overridden. */
    protected final Transport delegate;

    protected ForwardingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    @Override
    public SocketChannel channel() {
        return delegate.channel();
    }

    @Override
    public void register(SelectionKey key) {
        delegate.register(key);
    }

    @Override
    public boolean handshake() throws IOException {
        return delegate.handshake();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return delegate.write(src);
    }

    @Override
    public boolean hasPendingOutput() {
        return delegate.hasPendingOutput();
    }

    @Override
    public boolean hasBufferedInput() {
        return delegate.hasBufferedInput();
    }

    @Override
    public boolean flush() throws IOException {
        return delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
