package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.security.TestCerts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsTransport} driven by a selector loop against a JDK SSLServerSocket over loopback. */
@Timeout(60)
class TlsTransportTest {

    @TempDir
    static Path dir;
    static TestCerts localhost;
    static TestCerts wrongHost;
    static TestCerts client;

    private ServerSocket server;
    private Selector selector;

    @BeforeAll
    static void certs() throws Exception {
        localhost = TestCerts.create(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        wrongHost = TestCerts.create(dir, "wronghost", "dns:broker.invalid");
        client = TestCerts.create(dir, "client", "dns:client.invalid");
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (selector != null) {
            selector.close();
        }
    }

    /** An echo server presenting {@code certs}; requires a client certificate when {@code trustedClient} is set. */
    private CompletableFuture<Long> startEchoServer(TestCerts certs, TestCerts trustedClient) throws Exception {
        return startEchoServer(certs, trustedClient, false);
    }

    /**
     * With {@code rehandshake}, the server calls {@code startHandshake()} again after its first echo: a KeyUpdate
     * (asking the client to update too) under TLS 1.3, a renegotiation under TLS 1.2.
     */
    CompletableFuture<Long> startEchoServer(TestCerts certs, TestCerts trustedClient, boolean rehandshake)
            throws Exception {
        return startEchoServer(certs, trustedClient, rehandshake, null);
    }

    /** With a {@code gate}, the server completes the handshake, then reads nothing until the gate opens. */
    private CompletableFuture<Long> startEchoServer(TestCerts certs, TestCerts trustedClient, boolean rehandshake,
                                                   CountDownLatch gate) throws Exception {
        SSLContext ctx = certs.serverContext(trustedClient);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10,
                java.net.InetAddress.getLoopbackAddress());
        if (trustedClient != null) {
            s.setNeedClientAuth(true);
        }
        server = s;
        return CompletableFuture.supplyAsync(() -> {
            long echoed = 0;
            try (SSLSocket socket = (SSLSocket) s.accept()) {
                if (gate != null) {
                    socket.startHandshake();
                    gate.await();
                }
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buf = new byte[32 * 1024];
                int n;
                boolean first = true;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    echoed += n;
                    if (rehandshake && first) {
                        first = false;
                        socket.startHandshake();
                    }
                }
            } catch (IOException e) {
                return -1L;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1L;
            }
            return echoed;
        });
    }

    TlsTransport connect(KafkaClientConfig config) throws Exception {
        return connect(config, engine -> engine);
    }

    TlsTransport connect(KafkaClientConfig config, java.util.function.UnaryOperator<SSLEngine> engines)
            throws Exception {
        selector = Selector.open();
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        ch.configureBlocking(false);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        SslContextFactory ssl = SslContextFactory.create(config);
        Node node = new Node(1, "localhost", server.getLocalPort(), null);
        // Told which engine it is: a test's wrapper around Netty's engine still takes the OpenSSL path.
        TlsTransport t = new TlsTransport(ch, engines.apply(ssl.createEngine(node)), node.address(), ssl.openSsl());
        t.register(key);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!t.handshake()) {
            selector.select(100);
            selector.selectedKeys().clear();
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        return t;
    }

    /** The engine under test: the JDK's here, OpenSSL's in {@link OpenSslTlsTransportTest}. */
    TlsEngine engine() {
        return TlsEngine.JDK;
    }

    KafkaClientConfig.Builder builder() {
        return KafkaClientConfig.builder().sslEngine(engine());
    }

    KafkaClientConfig.Builder tls() throws Exception {
        return builder().bootstrapServers("localhost:9093")
                .securityProtocol(SecurityProtocol.SSL)
                .sslCafile(localhost.writeCertPem(dir.resolve("ca.pem")));
    }

    /** Sends {@code data} and reads the echo back through the transport, like the client's event loop. */
    byte[] echo(TlsTransport t, byte[] data) throws IOException {
        return echo(t, data, 64 * 1024);
    }

    private byte[] echo(TlsTransport t, byte[] data, int readChunk) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(data);
        ByteBuffer in = ByteBuffer.allocate(data.length);
        SelectionKey key = t.channel().keyFor(selector);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (in.hasRemaining()) {
            if (out.hasRemaining() || t.hasPendingOutput()) {
                if (t.hasPendingOutput()) {
                    t.flush();
                }
                t.write(out);
            }
            boolean wantWrite = out.hasRemaining() || t.hasPendingOutput();
            key.interestOps(SelectionKey.OP_READ | (wantWrite ? SelectionKey.OP_WRITE : 0));
            ByteBuffer chunk = ByteBuffer.allocate(readChunk);
            int n;
            do {
                chunk.clear();
                n = t.read(chunk);
                if (n < 0) {
                    throw new IOException("unexpected end of stream");
                }
                chunk.flip();
                in.put(chunk);
            } while (n > 0 || t.hasBufferedInput());
            if (in.hasRemaining()) {
                selector.select(50);
                selector.selectedKeys().clear();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("echo timed out with " + in.position() + " of " + data.length);
            }
        }
        return in.array();
    }

    /**
     * Sends {@code srcs} with gathering writes and reads the echo back, like the client's event loop; checks that
     * each write reports exactly the bytes it took from the buffers.
     */
    byte[] echoGathered(TlsTransport t, ByteBuffer[] srcs) throws IOException {
        return echoGathered(t, srcs, remaining(srcs));
    }

    /** As {@link #echoGathered(TlsTransport, ByteBuffer[])}, reading {@code total} bytes back. */
    private byte[] echoGathered(TlsTransport t, ByteBuffer[] srcs, long total) throws IOException {
        ByteBuffer in = ByteBuffer.allocate((int) total);
        SelectionKey key = t.channel().keyFor(selector);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (in.hasRemaining()) {
            if (remaining(srcs) > 0 || t.hasPendingOutput()) {
                if (t.hasPendingOutput()) {
                    t.flush();
                }
                long before = remaining(srcs);
                long n = t.write(srcs, 0, srcs.length);
                assertThat(before - remaining(srcs)).as("bytes taken from the buffers").isEqualTo(n);
            }
            boolean wantWrite = remaining(srcs) > 0 || t.hasPendingOutput();
            key.interestOps(SelectionKey.OP_READ | (wantWrite ? SelectionKey.OP_WRITE : 0));
            int n;
            do {
                n = t.read(in);
                if (n < 0) {
                    throw new IOException("unexpected end of stream");
                }
            } while (n > 0 && in.hasRemaining());
            if (in.hasRemaining()) {
                selector.select(50);
                selector.selectedKeys().clear();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("echo timed out with " + in.position() + " of " + total);
            }
        }
        return in.array();
    }

    private static long remaining(ByteBuffer[] buffers) {
        long n = 0;
        for (ByteBuffer b : buffers) {
            n += b.remaining();
        }
        return n;
    }

    static byte[] concat(ByteBuffer[] buffers) {
        ByteBuffer all = ByteBuffer.allocate((int) remaining(buffers));
        for (ByteBuffer b : buffers) {
            all.put(b.duplicate());
        }
        return all.array();
    }

    private static ByteBuffer random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    /** Heap, direct, empty and read-only buffers, one of 2 MB: records gather across them, in order. */
    @Test
    void gatheringWriteSendsSeveralBuffersOfEveryKindInOrder() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null);
        TlsTransport t = connect(tls().build());
        ByteBuffer direct = ByteBuffer.allocateDirect(30_000).put(random(30_000, 3)).flip();
        ByteBuffer[] srcs = {random(7, 1), random(2 * 1024 * 1024 + 5, 2), direct, ByteBuffer.allocate(0),
            random(9_000, 4).position(1_000).asReadOnlyBuffer(), random(1, 5)};
        byte[] expected = concat(srcs);
        assertThat(echoGathered(t, srcs)).isEqualTo(expected);
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(expected.length);
    }

    /** A peer that reads nothing fills the socket: writes take what fits, keep records pending, then resume. */
    @Test
    void gatheringWriteStopsAtAFullSocketAndResumesWhereItStopped() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, false, gate);
        TlsTransport t = connect(tls().build());
        ByteBuffer[] srcs = {random(100, 6), random(16 * 1024 * 1024, 7), random(50_000, 8)};
        byte[] expected = concat(srcs);
        long total = expected.length;
        long taken = 0;
        long n;
        do {
            long before = remaining(srcs);
            n = t.write(srcs, 0, srcs.length);
            assertThat(before - remaining(srcs)).isEqualTo(n);
            taken += n;
        } while (n > 0);
        assertThat(taken).as("the socket filled up before 16 MB").isLessThan(total);
        assertThat(t.hasPendingOutput()).isTrue();
        assertThat(t.flush()).isFalse();
        assertThat(t.holdsWire()).as("unwritten records keep the wire buffer").isTrue();
        assertPlaintextBufferZeroed();

        gate.countDown();
        assertThat(echoGathered(t, srcs, total)).as("the bytes taken so far, then the rest").isEqualTo(expected);
        assertThat(t.holdsWire()).as("given back once written").isFalse();
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(total);
    }

    /**
     * The engine copies plaintext into the network buffer before it encrypts it there: a wrap that throws after the
     * copy must not let that buffer, plaintext and all, go back to the thread's spares (closing writes close_notify
     * into the network buffer and would give it back once written).
     */
    @Test
    void aWrapThatFailsLeavesNoPlaintextInTheThreadsSpares() throws Exception {
        startEchoServer(localhost, null);
        FailingEngine[] engine = new FailingEngine[1];
        TlsTransport t = connect(tls().build(), e -> engine[0] = new FailingEngine(e));
        byte[] secret = new byte[4096];
        new Random(7).nextBytes(secret);
        engine[0].failAtWrap = engine[0].wraps + 1;

        assertThatThrownBy(() -> t.write(new ByteBuffer[] {ByteBuffer.wrap(secret)}, 0, 1))
                .isInstanceOf(SSLException.class).hasMessageContaining("failed on purpose");
        t.close();

        assertThat(t.holdsNetOut()).isFalse();
        assertThat(t.holdsWire()).isFalse();

        // A slice from the middle: close_notify may be written over the start of a buffer.
        byte[] needle = Arrays.copyOfRange(secret, 1000, 1064);
        TlsBuffers spares = TlsBuffers.current();
        List<ByteBuffer> netOuts = new ArrayList<>();
        while (spares.idleNetOut() > 0) {
            netOuts.add(spares.takeNetOut(1));
        }
        List<ByteBuffer> wires = new ArrayList<>();
        while (spares.idleWire() > 0) {
            wires.add(spares.takeWire(1));
        }
        List<ByteBuffer> all = new ArrayList<>(netOuts);
        all.addAll(wires);
        all.add(spares.plaintext()); // the OpenSSL engine's gathering buffer
        for (ByteBuffer b : all) {
            byte[] bytes = new byte[b.capacity()];
            b.duplicate().clear().get(bytes);
            assertThat(indexOf(bytes, needle)).as("plaintext in a spare").isNegative();
        }
        netOuts.forEach(spares::giveBackNetOut);
        wires.forEach(spares::giveBackWire);
    }

    /**
     * A write of several records that fails on its last, shorter one: nothing of the records before it may stay in a
     * buffer either (with the OpenSSL engine the thread's plaintext buffer held a whole record before the short one
     * overwrote only its start).
     */
    @Test
    void aWriteThatFailsOnALaterRecordLeavesNoPlaintextBehind() throws Exception {
        startEchoServer(localhost, null);
        FailingEngine[] engine = new FailingEngine[1];
        TlsTransport t = connect(tls().build(), e -> engine[0] = new FailingEngine(e));
        byte[] secret = new byte[40 * 1024]; // records of 16, 16 and 8 KiB
        new Random(17).nextBytes(secret);
        engine[0].failAtWrap = engine[0].wraps + 3;

        assertThatThrownBy(() -> t.write(new ByteBuffer[] {ByteBuffer.wrap(secret)}, 0, 1))
                .isInstanceOf(SSLException.class).hasMessageContaining("failed on purpose");
        t.close();

        // The second record's 16 KiB outlived the third's 8 KiB only in the plaintext buffer (OpenSSL); the JDK's
        // engine encrypted it in netOut before the failure.
        assertPlaintextBufferZeroed();
    }

    /** The thread's plaintext buffer (the OpenSSL engine's) holds nothing but zeroes. */
    static void assertPlaintextBufferZeroed() {
        ByteBuffer plaintext = TlsBuffers.current().plaintext();
        byte[] left = new byte[plaintext.capacity()];
        plaintext.get(0, left);
        assertThat(left).as("the thread's plaintext buffer").containsOnly(0);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * An engine around the real one that can fail a wrap (copying its input first, as the JDK's engine would before
     * it encrypts in place), and notes what kind of buffer each wrap reads.
     */
    static final class FailingEngine extends SSLEngine {
        private final SSLEngine delegate;
        /** Wraps of application data so far. */
        int wraps;
        /** The wrap of application data (counted from 1) that fails, or 0. */
        int failAtWrap;
        /** For each wrap of application data, whether its first buffer was direct. */
        final List<Boolean> sourcesDirect = new ArrayList<>();

        FailingEngine(SSLEngine delegate) {
            this.delegate = delegate;
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            boolean data = length > 0 && srcs[offset].hasRemaining();
            if (data) {
                wraps++;
                sourcesDirect.add(srcs[offset].isDirect());
            }
            if (data && wraps == failAtWrap) {
                ByteBuffer src = srcs[offset].duplicate();
                src.limit(src.position() + Math.min(src.remaining(), dst.remaining()));
                dst.put(src); // what the JDK does before it encrypts in place
                throw new SSLException("wrap failed on purpose");
            }
            return delegate.wrap(srcs, offset, length, dst);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            return delegate.unwrap(src, dsts, offset, length);
        }

        @Override
        public Runnable getDelegatedTask() {
            return delegate.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            delegate.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return delegate.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            delegate.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return delegate.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return delegate.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            delegate.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return delegate.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return delegate.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            delegate.setEnabledProtocols(protocols);
        }

        @Override
        public javax.net.ssl.SSLSession getSession() {
            return delegate.getSession();
        }

        @Override
        public javax.net.ssl.SSLSession getHandshakeSession() {
            return delegate.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            delegate.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return delegate.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            delegate.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return delegate.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            delegate.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return delegate.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            delegate.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return delegate.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            delegate.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return delegate.getEnableSessionCreation();
        }
    }

    @Test
    void handshakeEchoLargeWritesAndClose() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null);
        TlsTransport t = connect(tls().build());
        assertThat(t.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        byte[] small = "hello over TLS".getBytes();
        assertThat(echo(t, small)).isEqualTo(small);
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        assertThat(echo(t, big)).isEqualTo(big);
        t.close(); // close_notify: the server's read returns -1 and it reports what it echoed
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(small.length + big.length);
        assertThat(t.channel().isOpen()).isFalse();
    }

    /** Reads smaller than a TLS record go through the transport's own buffer and hasBufferedInput(). */
    @Test
    void smallReadsKeepLeftoverDecryptedBytes() throws Exception {
        startEchoServer(localhost, null);
        TlsTransport t = connect(tls().build());
        byte[] data = new byte[400_000];
        new Random(5).nextBytes(data);
        assertThat(echo(t, data, 1000)).isEqualTo(data);
        byte[] small = java.util.Arrays.copyOf(data, 40_000);
        assertThat(echo(t, small, 7)).isEqualTo(small);
        t.close();
    }

    @Test
    void tls12Works() throws Exception {
        startEchoServer(localhost, null);
        TlsTransport t = connect(tls().sslEnabledProtocols("TLSv1.2").build());
        assertThat(t.engine().getSession().getProtocol()).isEqualTo("TLSv1.2");
        byte[] data = new byte[200_000];
        new Random(3).nextBytes(data);
        assertThat(echo(t, data)).isEqualTo(data);
        t.close();
    }

    @Test
    void tls13KeyUpdateFromTheServerIsAnswered() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, true);
        TlsTransport t = connect(tls().build());
        assertThat(echo(t, "first".getBytes())).isEqualTo("first".getBytes());
        byte[] data = new byte[500_000];
        new Random(11).nextBytes(data);
        for (int i = 0; i < 3; i++) {
            assertThat(echo(t, data)).isEqualTo(data);
        }
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(5 + 3L * data.length);
    }

    @Test
    void tls12RenegotiationFromTheServerWorks() throws Exception {
        Renegotiation r = renegotiation();
        for (int i = 0; i < 2; i++) {
            assertThat(echo(r.transport(), r.data())).isEqualTo(r.data());
        }
        r.transport().close();
        assertThat(r.echoed().get(10, TimeUnit.SECONDS)).isEqualTo(5 + 2L * r.data().length);
    }

    /** A TLS 1.2 connection whose server renegotiates after its first echo, and the data to send next. */
    record Renegotiation(TlsTransport transport, CompletableFuture<Long> echoed, byte[] data) {
    }

    Renegotiation renegotiation() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, true);
        TlsTransport t = connect(tls().sslEnabledProtocols("TLSv1.2").build());
        assertThat(echo(t, "first".getBytes())).isEqualTo("first".getBytes());
        byte[] data = new byte[300_000];
        new Random(12).nextBytes(data);
        return new Renegotiation(t, echoed, data);
    }

    @Test
    void serverCloseIsEndOfStream() throws Exception {
        SSLContext ctx = localhost.serverContext(null);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10,
                java.net.InetAddress.getLoopbackAddress());
        server = s;
        CompletableFuture.runAsync(() -> {
            try (SSLSocket socket = (SSLSocket) s.accept()) {
                socket.startHandshake();
                socket.getOutputStream().write("bye".getBytes());
                socket.getOutputStream().flush();
            } catch (IOException ignored) {
                // test fails on the client side
            }
        });
        TlsTransport t = connect(tls().build());
        ByteBuffer buf = ByteBuffer.allocate(100);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        while ((n = t.read(buf)) >= 0) {
            selector.select(50);
            selector.selectedKeys().clear();
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        assertThat(new String(buf.array(), 0, buf.position())).isEqualTo("bye");
        t.close();
    }

    @Test
    void hostnameMismatchFailsUnlessCheckingIsOff() throws Exception {
        startEchoServer(wrongHost, null);
        KafkaClientConfig checked = builder().bootstrapServers("localhost:9093")
                .securityProtocol(SecurityProtocol.SSL)
                .sslCafile(wrongHost.writeCertPem(dir.resolve("wrong-ca.pem"))).build();
        assertThatThrownBy(() -> connect(checked)).isInstanceOf(SSLException.class)
                .hasMessageContaining("localhost").hasMessageContaining("sslCheckHostname");
        server.close();
        selector.close();

        startEchoServer(wrongHost, null);
        KafkaClientConfig unchecked = builder().bootstrapServers("localhost:9093")
                .securityProtocol(SecurityProtocol.SSL).sslCheckHostname(false)
                .sslCafile(wrongHost.writeCertPem(dir.resolve("wrong-ca.pem"))).build();
        TlsTransport t = connect(unchecked);
        assertThat(echo(t, "ok".getBytes())).isEqualTo("ok".getBytes());
        t.close();
    }

    @Test
    void untrustedServerFails() throws Exception {
        startEchoServer(localhost, null);
        KafkaClientConfig config = builder().bootstrapServers("localhost:9093")
                .securityProtocol(SecurityProtocol.SSL)
                .sslCafile(wrongHost.writeCertPem(dir.resolve("other-ca.pem"))).build();
        assertThatThrownBy(() -> connect(config)).isInstanceOf(SSLException.class)
                .hasMessageContaining("not signed by a trusted CA");
    }

    /** Reads and discards until the end of stream or an error, for at most 20 s. */
    private void readUntilEnd(TlsTransport t) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (t.read(in.clear()) >= 0) {
            selector.select(50);
            selector.selectedKeys().clear();
            assertThat(System.nanoTime()).as("end of stream or an error within 20 s").isLessThan(deadline);
        }
    }

    @Test
    void aClientCertificateRefusedAfterTheTls13HandshakeIsReportedAsAFailedHandshake() throws Exception {
        startEchoServer(localhost, client);
        TlsTransport t = connect(tls().build()); // no certificate: under TLS 1.3 the client finishes its side first
        assertThat(t.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThatThrownBy(() -> readUntilEnd(t)).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("refused the TLS handshake after the client's side of it had completed")
                .hasMessageContaining("the broker requires a client certificate it trusts");
        t.close();
    }

    @Test
    void aRecordThatFailsToDecryptBeforeAnyDataIsATlsErrorNotARefusedHandshake() throws Exception {
        SSLContext ctx = localhost.serverContext(null);
        ServerSocket plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server = plain;
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            // The raw socket alone is closed, as a Kafka broker hangs up after a fatal alert: no close_notify that
            // would hand the client's engine a second chance to report the error.
            try (Socket raw = plain.accept()) {
                SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "localhost", raw.getPort(),
                        false);
                tls.setUseClientMode(false);
                tls.startHandshake();
                // An application-data record whose authentication tag cannot match, written past the TLS layer:
                // the client's engine fails it itself (no alert from the broker).
                byte[] forged = new byte[5 + 32];
                forged[0] = 23;
                forged[1] = 3;
                forged[2] = 3;
                forged[4] = 32;
                raw.getOutputStream().write(forged);
                raw.getOutputStream().flush();
                raw.getInputStream().read(new byte[64]); // the client's alert, or its close
            } catch (IOException e) {
                // the client's close may reset the connection
            }
        });
        TlsTransport t = connect(tls().build());
        assertThatThrownBy(() -> readUntilEnd(t)).isInstanceOf(SSLException.class)
                .isNotInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("TLS error on the connection to");
        t.close();
        served.get(20, TimeUnit.SECONDS);
    }

    @Test
    void mutualTlsWithEncryptedPemKey() throws Exception {
        startEchoServer(localhost, client);
        KafkaClientConfig config = tls()
                .sslCertfile(client.writeCertPem(dir.resolve("client.pem")))
                .sslKeyfile(client.writeEncryptedKeyPem(dir.resolve("client-key.pem"), "key-secret-42"))
                .sslPassword("key-secret-42").build();
        TlsTransport t = connect(config);
        assertThat(echo(t, "mtls".getBytes())).isEqualTo("mtls".getBytes());
        t.close();
    }

    @Test
    void mutualTlsWithKeystore() throws Exception {
        startEchoServer(localhost, client);
        KafkaClientConfig config = builder().bootstrapServers("localhost:9093")
                .securityProtocol(SecurityProtocol.SSL)
                .sslKeystoreLocation(client.p12).sslKeystorePassword(TestCerts.STORE_PASSWORD)
                .sslTruststoreLocation(localhost.p12).sslTruststorePassword(TestCerts.STORE_PASSWORD).build();
        TlsTransport t = connect(config);
        assertThat(echo(t, "keystore".getBytes())).isEqualTo("keystore".getBytes());
        t.close();
    }

    @Test
    void plaintextPeerThatClosesIsReportedAsNotTls() throws Exception {
        ServerSocket plain = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
        server = plain;
        CompletableFuture.runAsync(() -> {
            try (Socket s = plain.accept()) {
                s.getInputStream().read(new byte[4]); // a Kafka broker reads a huge "size" and drops the connection
            } catch (IOException ignored) {
                // closed
            }
        });
        assertThatThrownBy(() -> connect(tls().build())).isInstanceOf(SSLException.class)
                .hasMessageContaining(TlsTransport.NOT_TLS_HINT);
    }

    @Test
    void plaintextPeerThatAnswersWithAKafkaFrameIsReportedAsNotTls() throws Exception {
        ServerSocket plain = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
        server = plain;
        CompletableFuture.runAsync(() -> {
            try (Socket s = plain.accept()) {
                s.getInputStream().read(new byte[100]);
                s.getOutputStream().write(new byte[] {0, 0, 0, 6, 0, 0, 0, 1, 0, 35});
                Thread.sleep(2000);
            } catch (IOException | InterruptedException ignored) {
                // closed
            }
        });
        assertThatThrownBy(() -> connect(tls().build())).isInstanceOf(SSLException.class)
                .hasMessageContaining("not TLS").hasMessageContaining(TlsTransport.NOT_TLS_HINT);
    }

    private static void assertHoldsNoBuffers(TlsTransport t) {
        assertThat(t.holdsWire()).as("wire").isFalse();
        assertThat(t.holdsNetIn()).as("netIn").isFalse();
        assertThat(t.holdsNetOut()).as("netOut").isFalse();
        assertThat(t.holdsAppIn()).as("appIn").isFalse();
    }

    /** An idle connection holds none of the large buffers; the next connection on the thread reuses them. */
    @Test
    void idleConnectionsGiveTheirBuffersBackToTheThreadForTheNext() throws Exception {
        startEchoServer(localhost, null);
        TlsTransport first = connect(tls().build());
        assertHoldsNoBuffers(first);
        byte[] data = random(200_000, 9).array();
        assertThat(echo(first, data)).isEqualTo(data);
        assertHoldsNoBuffers(first);
        TlsBuffers spares = TlsBuffers.current();
        assertThat(spares.idleWire()).isPositive();
        boolean direct = engine() == TlsEngine.OPENSSL; // OpenSSL's netIn is direct, from a shelf of its own
        assertThat(direct ? spares.idleNetInDirect() : spares.idleNetIn()).isPositive();
        ByteBuffer wire = spares.takeWire(1);
        spares.giveBackWire(wire);
        ByteBuffer netIn = direct ? spares.takeNetInDirect(1) : spares.takeNetIn(1);
        spares.giveBackNetIn(netIn);
        int idleWire = spares.idleWire();
        int idleNetIn = direct ? spares.idleNetInDirect() : spares.idleNetIn();
        first.close();
        server.close();
        selector.close();

        startEchoServer(localhost, null);
        TlsTransport second = connect(tls().build());
        assertThat(echo(second, data)).isEqualTo(data);
        assertHoldsNoBuffers(second);
        assertThat(spares.idleWire()).isEqualTo(idleWire);
        assertThat(direct ? spares.idleNetInDirect() : spares.idleNetIn()).isEqualTo(idleNetIn);
        assertThat(spares.takeWire(1)).as("the same wire buffer, lent and given back").isSameAs(wire);
        assertThat(direct ? spares.takeNetInDirect(1) : spares.takeNetIn(1))
                .as("the same netIn buffer, lent and given back").isSameAs(netIn);
        second.close();
    }

    /** Decrypted bytes the caller has not taken keep appIn; it is given back once they are taken. */
    @Test
    void appInIsKeptWhileItHoldsDecryptedBytes() throws Exception {
        startEchoServer(localhost, null);
        TlsTransport t = connect(tls().build());
        byte[] data = random(1000, 10).array();
        assertThat(echo(t, Arrays.copyOf(data, 1))).hasSize(1);
        ByteBuffer out = ByteBuffer.wrap(data);
        while (out.hasRemaining()) {
            t.write(out);
        }
        ByteBuffer small = ByteBuffer.allocate(7);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (t.read(small) == 0) {
            selector.select(50);
            selector.selectedKeys().clear();
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        assertThat(small.position()).isEqualTo(7);
        assertThat(t.holdsAppIn()).isTrue();
        assertThat(t.hasBufferedInput()).isTrue();
        ByteBuffer rest = ByteBuffer.allocate(data.length);
        rest.put(small.flip());
        while (rest.hasRemaining()) {
            if (t.read(rest) == 0) {
                selector.select(50);
                selector.selectedKeys().clear();
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        assertThat(rest.array()).isEqualTo(data);
        assertHoldsNoBuffers(t);
        t.close();
    }

    /** Part of a record keeps netIn until the rest arrives: here the first bytes of the broker's handshake. */
    @Test
    void netInIsKeptWhileItHoldsPartOfARecord() throws Exception {
        ServerSocket partial = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
        server = partial;
        CountDownLatch answer = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> {
            try (Socket s = partial.accept()) {
                s.getInputStream().read(new byte[100]);
                answer.await();
                s.getOutputStream().write(new byte[] {22, 3, 3, 0, 64, 2, 0, 0});
                s.getOutputStream().flush();
                while (s.getInputStream().read(new byte[1024]) >= 0) {
                    // the rest of the ClientHello, until the client closes
                }
            } catch (IOException | InterruptedException ignored) {
                // closed
            }
        });
        selector = Selector.open();
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", partial.getLocalPort()));
        ch.configureBlocking(false);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Node node = new Node(1, "localhost", partial.getLocalPort(), null);
        TlsTransport t = new TlsTransport(ch, SslContextFactory.create(tls().build()).createEngine(node),
                node.address());
        t.register(key);
        assertThat(t.handshake()).isFalse();
        assertThat(t.holdsNetIn()).as("nothing received yet").isFalse();
        answer.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!t.holdsNetIn()) {
            selector.select(50);
            selector.selectedKeys().clear();
            assertThat(t.handshake()).isFalse();
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        assertThat(t.handshake()).isFalse();
        assertThat(t.holdsNetIn()).as("still waiting for the rest of the record").isTrue();
        assertThat(t.hasBufferedInput()).isFalse();
        t.close();
    }
}
