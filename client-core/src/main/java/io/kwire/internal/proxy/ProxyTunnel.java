package io.kwire.internal.proxy;

import io.kwire.client.Node;
import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The proxy step of one broker connection: drives its {@link ProxyHandshake} over the non-blocking socket to the
 * proxy, writing and reading what the socket takes now and asking the selector for what it waits on. Once
 * {@link #advance} returns true the socket is a tunnel to the broker and the connection's set-up goes on (TLS,
 * ApiVersions, SASL) as if it had connected directly. The set-up timeout of the connection bounds the whole step.
 *
 * <p>One per connection attempt; only the I/O thread touches it.
 */
public final class ProxyTunnel {

    private final ProxyHandshake handshake;

    ProxyTunnel(ProxyHandshake handshake) {
        this.handshake = handshake;
    }

    /** The handshake for {@code proxy}'s protocol, asking for a tunnel to the node's advertised host and port. */
    public static ProxyTunnel to(ProxyUrl proxy, Node node) {
        return new ProxyTunnel(switch (proxy.scheme()) {
            case SOCKS5 -> new Socks5Handshake(proxy, node.host(), node.port(), node.toString());
            case HTTP -> new HttpConnectHandshake(proxy, node.host(), node.port(), node.toString());
        });
    }

    /**
     * Moves the handshake on as far as the socket allows.
     *
     * @return true once the tunnel is open; false when waiting for the socket (the key's interest is set for it)
     * @throws ProxyException when the proxy refused, failed, broke the protocol or the connection to it broke
     */
    public boolean advance(SocketChannel channel, SelectionKey key) {
        try {
            while (true) {
                ByteBuffer out = handshake.output();
                if (out.hasRemaining()) {
                    channel.write(out);
                    if (out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                        return false;
                    }
                }
                ByteBuffer in = handshake.inbox();
                int n = in.hasRemaining() ? channel.read(in) : 0;
                if (n < 0) {
                    throw handshake.closed();
                }
                if (n > 0 && handshake.received()) {
                    return true;
                }
                if (n == 0 && !handshake.output().hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                    return false;
                }
            }
        } catch (IOException e) {
            throw ProxyErrors.of(Reason.PROXY_UNREACHABLE, handshake.proxy, handshake.broker, "the connection to the"
                    + " proxy broke during its handshake (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "check that the proxy runs", e);
        }
    }
}
