package io.kwire.bench.tls;

import io.kwire.bench.roundtrip.TlsMaterial;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.Provider;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.conscrypt.Conscrypt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the user-space side of sending 1 MB over TLS 1.3 (AES-GCM) costs, by where the plaintext and the records
 * live: {@code SSLEngine.wrap} of a 1 MB heap batch into a 64 KiB network buffer, heap or direct, and the copies
 * around it that a socket write of a heap buffer adds (the JDK's temporary direct buffer), to decide which buffers
 * the TLS send path should use, and by whose cipher on the client's side: the JDK's own provider, Netty's engine over
 * netty-tcnative's BoringSSL (kwire's {@code sslEngine OPENSSL}), or Conscrypt (an older BoringSSL behind a JSSE
 * provider). Per operation: one megabyte wrapped (and copied where the case says so).
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main TlsWrapBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TlsWrapBenchmark {

    private static final int MB = 1 << 20;
    private static final int NET = 64 * 1024;

    /** heap: netOut on the heap; direct: netOut direct. */
    @Param({"heap", "direct"})
    public String netOut;

    /** heap or direct plaintext source. */
    @Param({"heap", "direct"})
    public String source;

    /**
     * jdk: the JDK's SunJSSE; openssl: Netty's engine over netty-tcnative (BoringSSL); conscrypt: Conscrypt's engine
     * (BoringSSL of 2021), for the wrapping side.
     */
    @Param({"jdk", "openssl", "conscrypt"})
    public String provider;

    private SSLEngine client;
    private SSLEngine server;
    private ByteBuffer app;
    private ByteBuffer src;
    private ByteBuffer net;
    private ByteBuffer tempDirect;
    private ByteBuffer appDirect;
    private ByteBuffer staging;
    private TlsMaterial material;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        material = TlsMaterial.create();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(material.keyStore())) {
            ks.load(in, TlsMaterial.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TlsMaterial.PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance(TlsMaterial.PROTOCOL);
        serverContext.init(kmf.getKeyManagers(), null, null);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(material.trustStore())) {
            ts.load(in, TlsMaterial.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        if ("openssl".equals(provider)) {
            client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).trustManager(tmf)
                    .protocols(TlsMaterial.PROTOCOL).build().newEngine(ByteBufAllocator.DEFAULT, "localhost", 9093);
        } else {
            SSLContext clientContext = clientContext();
            clientContext.init(null, tmf.getTrustManagers(), null);
            client = clientContext.createSSLEngine("localhost", 9093);
        }
        client.setUseClientMode(true);
        server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        handshake(client, server);
        src = "heap".equals(source) ? ByteBuffer.allocate(MB) : ByteBuffer.allocateDirect(MB);
        for (int i = 0; i < MB; i += 8) {
            src.putLong(i, i * 0x9E3779B97F4A7C15L);
        }
        int packet = client.getSession().getPacketBufferSize();
        net = "heap".equals(netOut) ? ByteBuffer.allocate(NET + packet) : ByteBuffer.allocateDirect(NET + packet);
        tempDirect = ByteBuffer.allocateDirect(NET + packet);
        staging = ByteBuffer.allocate(256 * 1024);
        app = ByteBuffer.allocate(64 * 1024); // Netty's engine asks for more room than one record's plaintext
        appDirect = ByteBuffer.allocateDirect(64 * 1024);
    }

    private SSLContext clientContext() throws Exception {
        if ("jdk".equals(provider)) {
            return SSLContext.getInstance(TlsMaterial.PROTOCOL);
        }
        Conscrypt.checkAvailability(); // throws, with the loader's cause, if the native library did not load
        Provider conscrypt = Conscrypt.newProvider();
        return SSLContext.getInstance(TlsMaterial.PROTOCOL, conscrypt);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        material = null;
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer c2s = ByteBuffer.allocate(1 << 16);
        ByteBuffer s2c = ByteBuffer.allocate(1 << 16);
        ByteBuffer app = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 1000; i++) {
            step(client, empty, c2s, s2c, app);
            step(server, empty, s2c, c2s, app);
            if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                // What each side sent last (a TLS 1.3 NewSessionTicket) must reach the other, or the next record's
                // sequence number would not be the one the receiver expects.
                drain(server, c2s, app);
                drain(client, s2c, app);
                return;
            }
        }
        throw new IllegalStateException("handshake did not finish");
    }

    private static void drain(SSLEngine receiver, ByteBuffer in, ByteBuffer app) throws Exception {
        in.flip();
        while (in.hasRemaining()) {
            app.clear();
            if (receiver.unwrap(in, app).bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
    }

    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws Exception {
        HandshakeStatus hs = e.getHandshakeStatus();
        while (hs == HandshakeStatus.NEED_TASK) {
            e.getDelegatedTask().run();
            hs = e.getHandshakeStatus();
        }
        if (hs == HandshakeStatus.NEED_WRAP) {
            e.wrap(empty, out);
        } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
            in.flip();
            app.clear();
            e.unwrap(in, app);
            in.compact();
        }
    }

    /** Wraps 1 MB into the network buffer, one 64 KiB network buffer at a time, emptied as a socket write would. */
    @Benchmark
    public long wrap() throws Exception {
        return wrap1Mb(false);
    }

    /** As {@link #wrap}, plus the copy of each network buffer into a direct one (a heap socket write's cost). */
    @Benchmark
    public long wrapThenCopyToDirect() throws Exception {
        return wrap1Mb(true);
    }

    private long wrap1Mb(boolean copyToDirect) throws Exception {
        src.clear();
        long produced = 0;
        while (src.hasRemaining()) {
            produced += fillNet(client);
            if (copyToDirect) {
                tempDirect.clear();
                tempDirect.put(net.flip());
            }
        }
        return produced;
    }

    /**
     * The receiving side, for a consumer's Fetch: the broker's engine (the JDK's, the same in every case) wraps 1 MB
     * into the network buffer, 64 KiB at a time, and the client's engine decrypts each record into a heap buffer, as
     * the client's transport does. The client engines differ only in the second half, so the differences between
     * the cases' times are the differences of their decryption.
     */
    @Benchmark
    public long serverWrapThenClientUnwrap() throws Exception {
        return serverWrapThenClientUnwrapInto(app);
    }

    /**
     * {@link #serverWrapThenClientUnwrap} with the client decrypting each record into a direct buffer and copying it
     * to the heap buffer itself. Netty's engine, given a heap buffer, decrypts into pooled direct memory of its own
     * and copies from there, with a pool allocation (and now and then a leak-tracking record) per record; this is
     * what doing that copy outside the engine would gain.
     */
    @Benchmark
    public long serverWrapThenClientUnwrapThroughDirect() throws Exception {
        return serverWrapThenClientUnwrapInto(appDirect);
    }

    /** Empties the network buffer and wraps the source into it with {@code engine} while a record fits; bytes made. */
    private long fillNet(SSLEngine engine) throws Exception {
        long produced = 0;
        net.clear();
        int packet = engine.getSession().getPacketBufferSize();
        while (src.hasRemaining() && net.remaining() >= packet) {
            produced += engine.wrap(src, net).bytesProduced();
        }
        return produced;
    }

    private long serverWrapThenClientUnwrapInto(ByteBuffer target) throws Exception {
        src.clear();
        long decrypted = 0;
        while (src.hasRemaining()) {
            fillNet(server);
            net.flip();
            while (net.hasRemaining()) {
                target.clear();
                SSLEngineResult r = client.unwrap(net, target);
                if (r.bytesConsumed() == 0) {
                    throw new IllegalStateException("unwrap consumed nothing: " + r);
                }
                if (target != app) {
                    app.clear().put(target.flip());
                }
                decrypted += r.bytesProduced();
            }
        }
        return decrypted;
    }

    /** The staging copy alone: 1 MB of the source into a 256 KiB heap buffer, a quarter at a time. */
    @Benchmark
    public long stagingCopy() {
        src.clear();
        long n = 0;
        while (src.hasRemaining()) {
            staging.clear();
            int k = Math.min(staging.remaining(), src.remaining());
            staging.put(0, src, src.position(), k);
            src.position(src.position() + k);
            n += k;
        }
        return n;
    }
}
