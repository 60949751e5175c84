package io.kwire.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.Node;
import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProxyTunnel} over a real non-blocking socket to a scripted proxy on loopback: a reply that arrives a byte at a
 * time, and a proxy that closes, each seen through the selector as the engine sees them.
 */
@Timeout(30)
class ProxyTunnelTest {

    private static final Node BROKER = new Node(3, "kafka-3.example", 9092, null);

    /** Runs the tunnel over a connection to a proxy that answers with {@code script}; returns true once open. */
    private static boolean runAgainst(ProxyUrl proxy, ScriptedProxy script) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Selector selector = Selector.open();
             SocketChannel channel = SocketChannel.open()) {
            CompletableFuture<Void> proxySide = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    script.run(s.getInputStream(), s.getOutputStream());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            ProxyTunnel tunnel = ProxyTunnel.to(proxy, BROKER);
            try {
                boolean open = tunnel.advance(channel, key);
                while (!open) {
                    assertThat(selector.select(10_000)).as("the socket became ready").isPositive();
                    selector.selectedKeys().clear();
                    open = tunnel.advance(channel, key);
                }
                return true;
            } finally {
                channel.close();
                proxySide.get(10, TimeUnit.SECONDS);
            }
        }
    }

    interface ScriptedProxy {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    @Test
    void aSocksReplyThatArrivesAByteAtATimeOpensTheTunnel() throws Exception {
        assertThat(runAgainst(ProxyUrl.parse("socks5://u:pw@proxy:1080"), (in, out) -> {
            assertThat(in.readNBytes(4)).containsExactly(5, 2, 0, 2);
            dribble(out, 5, 2);
            assertThat(in.readNBytes(1 + 1 + 1 + 1 + 2)).containsExactly(1, 1, 'u', 2, 'p', 'w');
            dribble(out, 1, 0);
            byte[] connect = in.readNBytes(5 + "kafka-3.example".length() + 2);
            assertThat(connect[3]).as("address type: a domain name").isEqualTo((byte) 3);
            dribble(out, 5, 0, 0, 1, 127, 0, 0, 1, 0x23, 0x84);
            assertThat(in.read()).as("the client waits for the broker's side of the tunnel").isEqualTo(-1);
        })).isTrue();
    }

    @Test
    void anHttpProxyThatClosesWithoutAnsweringIsUnreachable() {
        assertThatThrownBy(() -> runAgainst(ProxyUrl.parse("http://proxy:3128"), (in, out) -> {
            // the whole request is read, so that the close is a FIN and not a reset
            String request = new String(in.readNBytes("CONNECT kafka-3.example:9092 HTTP/1.1\r\n".length()
                    + "Host: kafka-3.example:9092\r\n\r\n".length()));
            assertThat(request).endsWith("\r\n\r\n");
        })).isInstanceOfSatisfying(ProxyException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.PROXY_UNREACHABLE);
            assertThat(e.getMessage()).contains("node 3 (kafka-3.example:9092)", "http://proxy:3128",
                    "closed the connection without answering");
        });
    }

    private static void dribble(OutputStream out, int... bytes) throws Exception {
        for (int b : bytes) {
            out.write(b);
            out.flush();
        }
    }
}
