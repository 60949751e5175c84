package io.kwire.internal.network;

import io.kwire.client.Node;
import io.kwire.network.TransportFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a non-blocking socket to one address of a node, with the configured socket options, registers it with
 * the selector and wraps it in the transport the security protocol asks for. Only used on the I/O thread.
 */
public final class SocketConnector {

    private static final Logger log = LoggerFactory.getLogger(SocketConnector.class);

    /** What the connector needs from the configuration. */
    public record Settings(SelectorProvider provider, Map<SocketOption<?>, Object> socketOptions,
                           OptionalInt receiveBufferBytes, OptionalInt sendBufferBytes, int maxResponseSize) {
    }

    private final Settings settings;
    private final TransportFactory transportFactory;
    /** The spare read and frame buffers of the connections this connector opens: one I/O thread, one pool. */
    private final BufferPool buffers = new BufferPool();

    public SocketConnector(Settings settings, TransportFactory transportFactory) {
        this.settings = settings;
        this.transportFactory = transportFactory;
    }

    TransportFactory transports() {
        return transportFactory;
    }

    /**
     * Starts a TCP connect. The returned connection's key is interested in {@code OP_CONNECT}, or in
     * {@code OP_READ} when the connect completed at once (check {@link SocketChannel#isConnected()}).
     *
     * @throws IOException with the channel already closed
     */
    public Connection connect(Node node, InetAddress address, Selector selector, Object attachment) throws IOException {
        return connect(node, new InetSocketAddress(address, node.port()), selector, attachment);
    }

    /**
     * Starts a TCP connect for the node to {@code target}: the node's own address, or the proxy's when the node is
     * reached through one.
     *
     * @throws IOException with the channel already closed
     */
    public Connection connect(Node node, InetSocketAddress target, Selector selector, Object attachment)
            throws IOException {
        SocketChannel channel = settings.provider().openSocketChannel();
        try {
            channel.configureBlocking(false);
            applySocketOptions(channel);
            boolean connected = channel.connect(target);
            SelectionKey key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                    attachment);
            Connection connection = new Connection(transportFactory.create(channel, node), key,
                    settings.maxResponseSize(), buffers);
            connection.transport().register(key);
            log.debug("Connecting to {} at {}", node, target);
            return connection;
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void applySocketOptions(SocketChannel channel) throws IOException {
        // TCP keep-alive is on unless the configured options say otherwise (as Apache's client has it): a broker
        // that vanishes without a FIN is noticed even on an idle connection.
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        for (Map.Entry<SocketOption<?>, Object> e : settings.socketOptions().entrySet()) {
            channel.setOption((SocketOption) e.getKey(), e.getValue());
        }
        settings.receiveBufferBytes().ifPresent(v -> setQuietly(channel, StandardSocketOptions.SO_RCVBUF, v));
        settings.sendBufferBytes().ifPresent(v -> setQuietly(channel, StandardSocketOptions.SO_SNDBUF, v));
    }

    private static void setQuietly(SocketChannel channel, SocketOption<Integer> option, int value) {
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            log.warn("Could not set {} to {}: {}", option.name(), value, e.getMessage());
        }
    }
}
