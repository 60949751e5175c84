package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.Node;
import io.kwire.network.TransportFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The options a broker socket gets: kwire's defaults, then the configured ones, which win. */
class SocketConnectorTest {

    private static SocketChannel connect(Map<SocketOption<?>, Object> options) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); Selector selector = Selector.open()) {
            SocketConnector connector = new SocketConnector(new SocketConnector.Settings(SelectorProvider.provider(),
                    options, OptionalInt.empty(), OptionalInt.empty(), 1 << 20), TransportFactory.PLAINTEXT);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Connection c = connector.connect(new Node(1, "localhost", port, null), InetAddress.getLoopbackAddress(),
                    selector, null);
            return c.transport().channel();
        }
    }

    @Test
    void keepAliveIsOnByDefault() throws IOException {
        try (SocketChannel channel = connect(Map.of(StandardSocketOptions.TCP_NODELAY, true))) {
            assertThat(channel.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
            assertThat(channel.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
        }
    }

    @Test
    void configuredOptionsWinOverKwiresDefaults() throws IOException {
        try (SocketChannel channel = connect(Map.of(StandardSocketOptions.SO_KEEPALIVE, false,
                StandardSocketOptions.TCP_NODELAY, false))) {
            assertThat(channel.getOption(StandardSocketOptions.SO_KEEPALIVE)).isFalse();
            assertThat(channel.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
        }
    }
}
