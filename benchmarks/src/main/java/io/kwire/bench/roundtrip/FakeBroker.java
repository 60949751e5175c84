package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A fake broker that answers from canned bytes, meant to run in a JVM of its own ({@link FakeBrokerProcess}).
 * One thread per connection with a blocking socket: one large read, cut every complete request frame, copy the
 * canned answer for each (correlation id patched in) into one output buffer, one write. So it costs two system
 * calls per batch of requests, whatever the batch size, and the client under test is the bottleneck.
 *
 * <p>It answers ApiVersions (every API both kwire and kafka-clients know), Metadata (for N requested topics:
 * N topics of {@value Payloads#PARTITIONS_PER_TOPIC} partitions on a 3-broker cluster whose node 0 is this
 * process) and Produce (success for partition 0, records not looked at). Anything else closes the connection.
 * Exits when its standard input closes. With {@code --tls KEYSTORE} it listens with TLS 1.3 instead (blocking
 * {@code SSLSocket}s, the same answers, one write per batch).
 */
public final class FakeBroker {

    private final int port;
    /** The ports of every listener when one process plays many brokers ({@link ManyFakeBrokers}), else null. */
    private final java.util.List<Integer> brokerPorts;
    private final ConcurrentHashMap<Long, byte[]> canned = new ConcurrentHashMap<>();

    FakeBroker(int port) {
        this(port, null);
    }

    FakeBroker(int port, java.util.List<Integer> brokerPorts) {
        this.port = port;
        this.brokerPorts = brokerPorts;
    }

    /** {@code FakeBroker [port] [--tls KEYSTORE]}: with a key store (PKCS12), a TLS 1.3 listener instead. */
    public static void main(String[] args) throws Exception {
        int requestedPort = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 0;
        Path keyStore = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tls")) {
                keyStore = Path.of(args[++i]);
            }
        }
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // wait for the parent to go away
                }
            } catch (IOException ignored) {
                // parent gone
            }
            System.exit(0);
        }, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        if (keyStore != null) {
            serveTls(keyStore, requestedPort);
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", requestedPort));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        FakeBroker broker = new FakeBroker(port);
        System.out.println("PORT " + port);
        System.out.flush();
        while (true) {
            SocketChannel ch = server.accept();
            Thread t = new Thread(() -> broker.serve(ch), "fake-broker-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    /** A TLS 1.3 listener: blocking {@link SSLSocket}s, one thread each, the same answers. Never returns. */
    private static void serveTls(Path keyStore, int requestedPort) throws Exception {
        SSLContext context = TlsMaterial.serverContext(keyStore);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(requestedPort, 50, InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] {TlsMaterial.PROTOCOL});
        FakeBroker broker = new FakeBroker(server.getLocalPort());
        System.out.println("PORT " + server.getLocalPort());
        System.out.flush();
        while (true) {
            SSLSocket s = (SSLSocket) server.accept();
            Thread t = new Thread(() -> {
                try (s) {
                    s.setTcpNoDelay(true);
                    StreamChannel io = new StreamChannel(s.getInputStream(), s.getOutputStream());
                    broker.serve(io, io, false);
                } catch (IOException e) {
                    // client went away
                }
            }, "fake-broker-tls-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * A TLS socket's streams as a channel of heap buffers (the streams take arrays); a write is one stream write,
     * cut into 16 KB records by the socket.
     */
    private record StreamChannel(InputStream in, OutputStream out) implements ByteChannel {
        @Override
        public int read(ByteBuffer b) throws IOException {
            int n = in.read(b.array(), b.arrayOffset() + b.position(), b.remaining());
            if (n > 0) {
                b.position(b.position() + n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer b) throws IOException {
            int n = b.remaining();
            out.write(b.array(), b.arrayOffset() + b.position(), n);
            out.flush();
            b.position(b.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    void serve(SocketChannel ch) {
        try (ch) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            serve(ch, ch, true);
        } catch (IOException e) {
            // client went away
        }
    }

    /**
     * Answers every complete request frame of each read with one write. The input buffer holds five 1 MB Produce
     * requests.
     */
    private void serve(ReadableByteChannel ch, WritableByteChannel och, boolean direct) {
        // Many brokers in one process answer small requests only: smaller buffers keep 200 connections in 60 MB.
        int inSize = brokerPorts == null ? 8 << 20 : 64 << 10;
        int outSize = brokerPorts == null ? 4 << 20 : 256 << 10;
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(inSize) : ByteBuffer.allocate(inSize);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(outSize) : ByteBuffer.allocate(outSize);
        try {
            while (true) {
                if (ch.read(in) < 0) {
                    return;
                }
                in.flip();
                out.clear();
                while (in.remaining() >= 4) {
                    int start = in.position();
                    int size = in.getInt(start);
                    if (in.remaining() < 4 + size) {
                        break;
                    }
                    byte[] answer = answer(in, start + 4);
                    if (answer == null) {
                        return;
                    }
                    if (out.remaining() < answer.length + 8) {
                        writeFully(och, out.flip());
                        out.clear();
                    }
                    out.putInt(answer.length + 4).putInt(in.getInt(start + 8)).put(answer);
                    in.position(start + 4 + size);
                }
                in.compact();
                if (out.position() > 0) {
                    writeFully(och, out.flip());
                }
                if (!in.hasRemaining()) {
                    throw new IOException("request frame larger than the input buffer");
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The response bytes after the correlation id, for the request whose header starts at {@code pos}. */
    private byte[] answer(ByteBuffer in, int pos) {
        short apiKey = in.getShort(pos);
        short version = in.getShort(pos + 2);
        int topics = 0;
        if (apiKey == ApiKeys.METADATA.id) {
            topics = metadataTopicCount(in, pos, version);
        } else if (apiKey != ApiKeys.API_VERSIONS.id && apiKey != ApiKeys.PRODUCE.id) {
            return null;
        }
        long key = ((long) apiKey << 48) | ((long) (version & 0xffff) << 32) | (topics & 0xffffffffL);
        byte[] a = canned.get(key);
        if (a == null) {
            a = build(apiKey, version, topics);
            canned.put(key, a);
        }
        return a;
    }

    private static int metadataTopicCount(ByteBuffer in, int pos, short version) {
        ApiKeys k = ApiKeys.METADATA;
        int p = pos + 8;
        int clientIdLength = in.getShort(p);
        p += 2 + Math.max(clientIdLength, 0);
        boolean flexible = k.requestHeaderVersion(version) >= 2;
        if (flexible) {
            int[] r = uvarint(in, p);
            int tagged = r[0];
            p = r[1];
            for (int i = 0; i < tagged; i++) {
                p = uvarint(in, p)[1];
                int[] len = uvarint(in, p);
                p = len[1] + len[0];
            }
            int n = uvarint(in, p)[0];
            return n == 0 ? 0 : n - 1;
        }
        return Math.max(in.getInt(p), 0);
    }

    private static int[] uvarint(ByteBuffer b, int p) {
        int value = 0;
        int shift = 0;
        while (true) {
            byte x = b.get(p++);
            value |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return new int[] {value, p};
            }
            shift += 7;
        }
    }

    /** Success for partition 0 of the benchmark's topic (named, and with the zero topic id of newer versions). */
    private static ApiMessage produceResponse() {
        ProduceResponseData.TopicProduceResponseCollection topics = new ProduceResponseData.TopicProduceResponseCollection();
        topics.add(new ProduceResponseData.TopicProduceResponse().setName(Scenario.PRODUCE_TOPIC)
                .setPartitionResponses(List.of(new ProduceResponseData.PartitionProduceResponse().setIndex(0)
                        .setBaseOffset(0).setLogAppendTimeMs(-1).setLogStartOffset(0))));
        return new ProduceResponseData().setResponses(topics);
    }

    private byte[] build(short apiKey, short version, int topics) {
        ApiKeys k = ApiKeys.forId(apiKey);
        ApiMessage body = apiKey == ApiKeys.API_VERSIONS.id ? Payloads.apiVersionsResponse()
                : apiKey == ApiKeys.PRODUCE.id ? produceResponse()
                : brokerPorts != null ? ManyFakeBrokers.metadataResponse(topics, brokerPorts)
                : Payloads.metadataResponse(topics, Payloads.PARTITIONS_PER_TOPIC, "127.0.0.1", port);
        if (apiKey == ApiKeys.API_VERSIONS.id && version > k.latestVersion(false)) {
            // As a broker does for an ApiVersions newer than its own (KIP-511): v0, UNSUPPORTED_VERSION, and the
            // ranges it supports, so the client asks again at a version both know (kwire's codec is newer).
            ((org.apache.kafka.common.message.ApiVersionsResponseData) body)
                    .setErrorCode(org.apache.kafka.common.protocol.Errors.UNSUPPORTED_VERSION.code());
            version = 0;
        }
        short headerVersion = k.responseHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(0);
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer b = ByteBuffer.allocate(size);
        ByteBufferAccessor acc = new ByteBufferAccessor(b);
        header.write(acc, cache, headerVersion);
        body.write(acc, cache, version);
        byte[] all = b.array();
        byte[] rest = new byte[all.length - 4];
        System.arraycopy(all, 4, rest, 0, rest.length);
        return rest;
    }
}
