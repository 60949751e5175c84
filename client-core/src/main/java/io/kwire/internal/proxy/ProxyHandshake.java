package io.kwire.internal.proxy;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import java.nio.ByteBuffer;

/**
 * A proxy's handshake as a state machine over bytes, with no socket of its own: {@link #output()} holds what to send
 * next, {@link #inbox()} takes what the proxy sends, at most as much as the handshake still expects, and
 * {@link #received()} parses it and says when the tunnel is open. Everything the proxy sends is bounded by the inbox's
 * capacity; a reply that does not fit, or that is not the protocol, fails with a {@link ProxyException}.
 *
 * <p>One per connection attempt; only the I/O thread touches it.
 */
abstract class ProxyHandshake {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    final ProxyUrl proxy;
    /** The broker's host name or address, as the broker advertises it: the proxy resolves it. */
    final String brokerHost;
    final int brokerPort;
    /** The broker in messages: {@code node 1 (kafka-1:9092)}. */
    final String broker;
    /** What the proxy sent of the reply being read, in write mode. */
    final ByteBuffer in;
    private ByteBuffer out = NOTHING;
    /** Whether the proxy has sent anything at all: a close before that is an unreachable proxy, not a broken one. */
    private boolean answered;

    ProxyHandshake(ProxyUrl proxy, String brokerHost, int brokerPort, String broker, int maxReplyBytes) {
        this.proxy = proxy;
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        this.broker = broker;
        this.in = ByteBuffer.allocate(maxReplyBytes);
    }

    /** What to send next; empty while the handshake waits for the proxy. The caller advances its position. */
    final ByteBuffer output() {
        return out;
    }

    final void send(byte[] bytes) {
        out = ByteBuffer.wrap(bytes);
    }

    /**
     * Room for the next read, never more than the handshake still expects (so that no byte after the proxy's reply
     * is taken), or empty when it expects nothing.
     */
    final ByteBuffer inbox() {
        in.limit(in.position() + Math.max(0, Math.min(wanted(), in.capacity() - in.position())));
        return in;
    }

    /**
     * Parses what {@link #inbox()} received.
     *
     * @return true once the tunnel to the broker is open
     * @throws ProxyException when the proxy refused, failed or broke the protocol
     */
    final boolean received() {
        if (in.position() > 0) {
            answered = true;
        }
        return parse();
    }

    /** The most bytes the next read may take. */
    abstract int wanted();

    /** Parses the reply so far; may queue the next request with {@link #send}. */
    abstract boolean parse();

    /** The proxy closed the connection before the tunnel was open. */
    ProxyException closed() {
        if (!answered) {
            return ProxyErrors.of(Reason.PROXY_UNREACHABLE, proxy, broker, "the proxy closed the connection without"
                    + " answering", "check that proxyUrl names the proxy's port and that the proxy's client rules"
                    + " admit this host");
        }
        return ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy closed the connection in the middle of"
                + " its answer (" + in.position() + " bytes of it received)", ProxyErrors.fixProtocol(proxy));
    }

    /** The broker's {@code host:port} for the proxy, an IPv6 address in brackets. */
    final String brokerAddress() {
        return (brokerHost.indexOf(':') >= 0 ? "[" + brokerHost + "]" : brokerHost) + ":" + brokerPort;
    }
}
