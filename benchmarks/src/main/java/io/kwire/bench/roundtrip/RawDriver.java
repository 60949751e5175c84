package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataResponse;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * The ceiling: pre-encoded request frames (only the correlation id patched), all outstanding requests in one
 * blocking write, one large blocking read, responses counted by their size prefix. No decoding at all.
 *
 * <p>{@link #decoding()} gives the same client that also decodes every response body with kwire's generated
 * decoder, after copying it to the heap as kwire's read buffer holds it: the floor of any client that hands its
 * caller a decoded response. Comparing kwire with it separates the cost of the client (connection, queues,
 * correlation, futures, request encoding) from the cost of the decoding itself.
 *
 * <p>{@link #spinning()} gives the raw client that never sleeps: a non-blocking socket read again at once until the
 * answer is there. Its CPU per request is the floor of any client that spins while it waits (its own work is two
 * system calls per batch, and the rest is the wait itself); the blocking raw client's is the floor of any client that
 * sleeps. Together they bound what a client can spend per request on two CPUs that go idle.
 */
public final class RawDriver extends Driver {

    private SocketChannel channel;
    private byte[] frame;
    private ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocateDirect(8 << 20);
    private int correlationId;
    private final boolean decode;
    private final boolean spin;
    private final ByteReader reader = new ByteReader(ByteBuffer.allocate(0));
    private final ByteBuffer heap = ByteBuffer.allocate(1 << 20);
    private Scenario scenario;
    private short responseVersion;
    private boolean flexibleHeader;
    /** A field store that depends on every decoded response, so the JIT cannot drop the decoding. */
    private long decodedSink;

    public RawDriver() {
        this(false, false);
    }

    private RawDriver(boolean decode, boolean spin) {
        this.decode = decode;
        this.spin = spin;
    }

    /** The raw client that also decodes each response with kwire's generated decoder (name "raw+decode"). */
    public static RawDriver decoding() {
        return new RawDriver(true, false);
    }

    /** The raw client that reads a non-blocking socket until the answer is there, never sleeping (name "raw-spin"). */
    public static RawDriver spinning() {
        return new RawDriver(false, true);
    }

    @Override
    public String name() {
        return decode ? "raw+decode" : spin ? "raw-spin" : "raw";
    }

    @Override
    public void connect(String host, int port) throws Exception {
        channel = SocketChannel.open(new InetSocketAddress(host, port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(!spin);
    }

    /** The version both clients settle on: the lower of the two libraries' maxima (what the fake broker offers). */
    static short version(ApiKeys key) {
        return (short) Math.min(key.latestVersion(false), io.kwire.protocol.ApiKey.forId(key.id).highestSupportedVersion());
    }

    @Override
    public void prepare(Scenario scenario) {
        ApiKeys key;
        ApiMessage body;
        switch (scenario) {
            case API_VERSIONS -> {
                key = ApiKeys.API_VERSIONS;
                body = new ApiVersionsRequestData().setClientSoftwareName("apache-kafka-java")
                        .setClientSoftwareVersion(org.apache.kafka.common.utils.AppInfoParser.getVersion());
            }
            case METADATA_1, METADATA_100 -> {
                key = ApiKeys.METADATA;
                body = Payloads.metadataRequest(scenario.topics);
            }
            default -> throw new IllegalArgumentException("raw client does not do " + scenario);
        }
        this.scenario = scenario;
        short version = version(key);
        responseVersion = version;
        flexibleHeader = key.responseHeaderVersion(version) >= 1;
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(0).setClientId("bench");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer b = ByteBuffer.allocate(4 + size);
        b.putInt(size);
        ByteBufferAccessor acc = new ByteBufferAccessor(b);
        header.write(acc, cache, headerVersion);
        body.write(acc, cache, version);
        frame = b.array();
        out = ByteBuffer.allocateDirect(frame.length * 64);
    }

    @Override
    protected long loop(int inFlight, long durationNanos) throws Exception {
        long end = System.nanoTime() + durationNanos;
        int outstanding = 0;
        long done = 0;
        boolean stop = false;
        int expected = correlationId;
        in.clear();
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                stop = true;
            }
            out.clear();
            while (!stop && outstanding < inFlight) {
                int at = out.position();
                out.put(frame).putInt(at + 8, correlationId++);
                sent();
                outstanding++;
            }
            if (out.position() > 0) {
                out.flip();
                while (out.hasRemaining()) { // raw-spin's non-blocking socket: the few small frames always fit
                    channel.write(out);
                }
            }
            if (stop && outstanding == 0) {
                return done;
            }
            int n;
            while ((n = channel.read(in)) == 0 && spin) {
                Thread.onSpinWait();
            }
            if (n < 0) {
                throw new IllegalStateException("raw: broker closed the connection");
            }
            long t = System.nanoTime();
            in.flip();
            while (in.remaining() >= 8) {
                int p = in.position();
                int size = in.getInt(p);
                if (in.remaining() < 4 + size) {
                    break;
                }
                if (in.getInt(p + 4) != expected++) {
                    throw new IllegalStateException("raw: correlation id mismatch");
                }
                in.position(p + 4 + size);
                if (decode) {
                    decode(p + 8, size - 4);
                }
                received(t);
                outstanding--;
                done++;
            }
            in.compact();
        }
    }

    /** Copies the response body at {@code in[at, at + length)} to the heap and decodes it, as kwire would. */
    private void decode(int at, int length) {
        heap.clear();
        heap.put(heap.position(), in, at, length).limit(length);
        ByteReader r = reader.reset(heap);
        if (flexibleHeader) {
            r.readUnsignedVarint(); // the response header's tagged fields
        }
        decodedSink += switch (scenario) {
            case API_VERSIONS -> ApiVersionsResponse.decode(r, responseVersion).apiKeys().size();
            case METADATA_1, METADATA_100 -> MetadataResponse.decode(r, responseVersion).topics().size();
            default -> throw new IllegalStateException(scenario.toString());
        };
    }

    @Override
    public void close() throws Exception {
        if (channel != null) {
            channel.close();
        }
    }
}
