package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.internal.tls.SslContextFactory;
import io.kwire.internal.tls.TlsTransport;
import io.kwire.protocol.SplicedFrame;
import io.kwire.security.TestCerts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Connection} over a real {@link TlsTransport} (a gathering transport) against a JDK TLS echo server:
 * what a sensitive frame leaves behind when the queued buffers go to the engine without a staging copy.
 */
@Timeout(60)
class ConnectionTlsSendTest {

    @TempDir
    Path dir;

    private SSLServerSocket server;
    private Selector selector;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (selector != null) {
            selector.close();
        }
    }

    /**
     * A sensitive frame (a SASL token) leaves no plaintext behind: the staging buffer is never touched, the
     * transport's output buffers hold only ciphertext, and the frame itself is zeroed once sent; the broker still
     * gets the token.
     */
    @Test
    void aSensitiveFrameLeavesNoPlaintextBehindOnATlsConnection() throws Exception {
        TestCerts certs = TestCerts.create(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        server = (SSLServerSocket) certs.serverContext(null).getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(this::echo);
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("localhost:9093")
                .securityProtocol(SecurityProtocol.SSL).sslCafile(certs.writeCertPem(dir.resolve("ca.pem"))).build();
        selector = Selector.open();
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        ch.configureBlocking(false);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Node node = new Node(1, "localhost", server.getLocalPort(), null);
        TlsTransport t = new TlsTransport(ch, SslContextFactory.create(config).createEngine(node), node.address());
        t.register(key);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!t.handshake()) {
            select(deadline);
        }

        Connection connection = new Connection(t, key, 1 << 20);
        byte[] token = "\0alice\0pa55word-in-a-token".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer secret = ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token);
        ByteBuffer head = secret.duplicate();
        connection.enqueue(SplicedFrame.of(secret, true));
        ByteBuffer staging = ByteBuffer.allocate(64 * 1024);
        while (connection.hasQueuedSends()) {
            connection.flush(staging);
            select(deadline);
        }
        assertThat(head.array()).as("the frame zeroed once sent").containsOnly((byte) 0);
        assertThat(staging.array()).as("no staging copy").containsOnly((byte) 0);
        assertThat(indexOf(wholeBuffer(t, "netOut", "takeNetOut"), token)).as("no plaintext among the records")
                .isEqualTo(-1);
        assertThat(indexOf(wholeBuffer(t, "wire", "takeWire"), token)).as("nor among those sent").isEqualTo(-1);

        ByteBuffer back = ByteBuffer.allocate(4 + token.length);
        while (back.hasRemaining()) {
            assertThat(t.read(back)).isNotNegative();
            if (back.hasRemaining()) {
                select(deadline);
            }
        }
        assertThat(Arrays.copyOfRange(back.array(), 4, back.capacity())).isEqualTo(token);
        connection.close();
    }

    private void select(long deadline) throws IOException {
        selector.select(50);
        selector.selectedKeys().clear();
        assertThat(System.nanoTime()).isLessThan(deadline);
    }

    /** Echoes what one client sends until it closes. */
    private void echo() {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // the test fails on the client side
        }
    }

    /**
     * One of the transport's output buffers, over its whole capacity, heap or direct: the one it holds, or once it
     * gave it back empty, the one on top of the thread's spares ({@code TlsBuffers}, taken with {@code take}).
     */
    private static byte[] wholeBuffer(TlsTransport t, String field, String take) throws ReflectiveOperationException {
        Field f = TlsTransport.class.getDeclaredField(field);
        f.setAccessible(true);
        ByteBuffer held = (ByteBuffer) f.get(t);
        if (held == null) {
            Class<?> spares = Class.forName("io.kwire.internal.tls.TlsBuffers");
            Method current = spares.getDeclaredMethod("current");
            Method takeSpare = spares.getDeclaredMethod(take, int.class);
            current.setAccessible(true);
            takeSpare.setAccessible(true);
            held = (ByteBuffer) takeSpare.invoke(current.invoke(null), 1);
        }
        ByteBuffer all = held.duplicate().clear();
        byte[] bytes = new byte[all.capacity()];
        all.get(bytes);
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(
                new String(needle, StandardCharsets.ISO_8859_1));
    }
}
