package io.kwire.testkit;

import io.kwire.protocol.ApiKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted fake Kafka broker for faults a real broker cannot produce: a {@link ServerSocketChannel} on
 * 127.0.0.1 (ephemeral port by default) served by one I/O thread, reading frames {@code [int32 size][request
 * header][body]}, parsing the request header itself and answering each request with the {@link Reply} a
 * {@link RequestHandler} chose for its API key.
 *
 * <pre>{@code
 * try (FakeBroker broker = FakeBroker.start()) {
 *     broker.handle(18, RequestHandler.always(Reply.respond(apiVersionsBody)));
 *     broker.handle(3, request -> Reply.closeMidResponse(metadataBody));
 *     ... connect to 127.0.0.1:broker.port() ...
 *     assertThat(broker.awaitRequests(2, Duration.ofSeconds(5))).isTrue();
 * }
 * }</pre>
 *
 * <p><b>Request header.</b> {@code int16 api key, int16 api version, int32 correlation id, int16-length nullable
 * client id} and, for a flexible request (header v2), a tagged-field section that is skipped. Whether a request is
 * flexible comes from the first flexible version kwire's generated {@link ApiKey} has for its API key (the same
 * schemas the client encodes with), unless {@link Builder#firstFlexibleVersion(int, int)} sets another; an API key
 * {@code ApiKey} does not know (a controller-only API, a made-up key) is not flexible unless set there.
 *
 * <p><b>Throughput.</b> Reads go into a 64 KB (growing) buffer per connection and every complete frame in it is
 * handled before one write of all the replies, so pipelined requests cost one read and one write per batch.
 * Replies are written from their bytes with the correlation id patched in; nothing is re-encoded. Turn
 * {@link Builder#recordRequests(boolean) recording} off for benchmarks.
 *
 * <p>Long on purpose: the broker's selector loop, its framing and its scheduled replies are one state machine on one
 * thread; the faults themselves are named in {@link Reply}.
 */
public final class FakeBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FakeBroker.class);

    private static final int API_VERSIONS = 18;
    private static final int MAX_TRACKED_API_KEY = 1024;

    private final Selector selector;
    private final Thread thread;
    private final int port;
    private final InetAddress address;
    private final boolean record;
    private final int maxFrameSize;
    private final short[] firstFlexible;
    private final Map<Short, RequestHandler> handlers = new ConcurrentHashMap<>();
    private volatile RequestHandler defaultHandler;
    private volatile boolean dropNewConnections;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ReceivedRequest> received = new ConcurrentLinkedQueue<>();
    private final Object countLock = new Object();
    private long requestCount; // guarded by countLock
    private final AtomicLong connectionCount = new AtomicLong();
    private volatile int openConnections;
    private volatile boolean running = true;
    private volatile boolean closed;

    // I/O thread only
    private ServerSocketChannel server;
    private final Map<Long, Connection> connections = new LinkedHashMap<>();
    private final List<Connection> timed = new ArrayList<>();
    private long nextConnectionId = 1;

    private FakeBroker(Builder b) throws IOException {
        this.record = b.recordRequests;
        this.maxFrameSize = b.maxFrameSize;
        this.defaultHandler = b.defaultHandler;
        this.firstFlexible = FlexibleVersions.table(b.firstFlexible);
        this.address = InetAddress.getByName(b.host);
        this.selector = Selector.open();
        try {
            this.server = openServer(new InetSocketAddress(address, b.port));
        } catch (IOException e) {
            selector.close();
            throw e;
        }
        this.port = server.socket().getLocalPort();
        this.thread = new Thread(this::run, "kwire-fake-broker-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A broker on 127.0.0.1 and an ephemeral port, with the default settings. */
    public static FakeBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return address.getHostAddress() + ":" + port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(address, port);
    }

    /** Sets the handler for one API key (replacing an earlier one). */
    public FakeBroker handle(int apiKey, RequestHandler handler) {
        handlers.put((short) apiKey, handler);
        return this;
    }

    /** Removes the handler of an API key: its requests go to the default handler. */
    public FakeBroker unhandle(int apiKey) {
        handlers.remove((short) apiKey);
        return this;
    }

    /** The handler for API keys without one (and for handlers that return null). Default: close the connection. */
    public FakeBroker defaultHandler(RequestHandler handler) {
        this.defaultHandler = handler;
        return this;
    }

    /**
     * Whether the port accepts connections. {@code false} closes the listening socket, so connecting is refused
     * (existing connections stay); {@code true} binds the same port again. Returns when done.
     */
    public void acceptConnections(boolean accept) {
        onLoop(() -> {
            if (accept && server == null) {
                server = openServer(new InetSocketAddress(address, port));
                server.register(selector, SelectionKey.OP_ACCEPT);
            } else if (!accept && server != null) {
                server.close();
                selector.selectNow(); // flush the cancelled key
                server = null;
            }
            return null;
        });
    }

    /** Whether new connections are accepted and closed at once (the port still accepts at TCP level). */
    public void dropNewConnections(boolean drop) {
        this.dropNewConnections = drop;
    }

    /** Closes every open connection. Returns when done. */
    public void closeAllConnections() {
        onLoop(() -> {
            for (Connection c : new ArrayList<>(connections.values())) {
                c.close();
            }
            return null;
        });
    }

    /** Connections accepted since start. */
    public long connectionCount() {
        return connectionCount.get();
    }

    /** Connections open now. */
    public int openConnectionCount() {
        return openConnections;
    }

    /** Requests parsed since start (also when not recording them). */
    public long requestCount() {
        synchronized (countLock) {
            return requestCount;
        }
    }

    /** The requests received so far, in order (empty when recording is off). */
    public List<ReceivedRequest> requests() {
        return List.copyOf(received);
    }

    /** The recorded requests of one API key. */
    public List<ReceivedRequest> requests(int apiKey) {
        List<ReceivedRequest> out = new ArrayList<>();
        for (ReceivedRequest r : received) {
            if (r.apiKey() == apiKey) {
                out.add(r);
            }
        }
        return out;
    }

    /** Forgets the recorded requests (the count goes on). */
    public void clearRequests() {
        received.clear();
    }

    /** Waits until at least {@code n} requests have been received in all; false on timeout. */
    public boolean awaitRequests(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (countLock) {
            while (requestCount < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(countLock, left);
            }
            return true;
        }
    }

    /** Waits until at least {@code n} connections have been accepted in all; false on timeout. */
    public boolean awaitConnections(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connectionCount.get() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** Stops the I/O thread and closes every socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("fake broker thread {} did not stop", thread.getName());
        }
    }

    @Override
    public String toString() {
        return "FakeBroker[" + bootstrapServers() + ", connections=" + connectionCount() + ", requests="
                + requestCount() + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // I/O thread

    private interface LoopTask<T> {
        T run() throws IOException;
    }

    private <T> T onLoop(LoopTask<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                f.complete(task.run());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        selector.wakeup();
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) {
                throw new UncheckedIOException((IOException) c);
            }
            throw new IllegalStateException(c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("fake broker thread did not answer", e);
        }
    }

    private ServerSocketChannel openServer(InetSocketAddress at) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(at, 128);
            s.configureBlocking(false);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void run() {
        try {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (running) {
                long timeoutMs = nextTimeoutMillis();
                if (timeoutMs < 0) {
                    selector.selectNow();
                } else {
                    selector.select(timeoutMs);
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        Connection c = (Connection) key.attachment();
                        try {
                            if (key.isReadable()) {
                                c.read();
                            }
                            if (key.isValid() && key.isWritable()) {
                                c.flush();
                            }
                        } catch (IOException e) {
                            c.close();
                        }
                    }
                }
                if (!timed.isEmpty()) {
                    runDue();
                }
            }
        } catch (ClosedSelectorException e) {
            // closing
        } catch (Throwable t) {
            log.error("fake broker I/O thread failed", t);
        } finally {
            for (Connection c : new ArrayList<>(connections.values())) {
                c.close();
            }
            try {
                if (server != null) {
                    server.close();
                }
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run(); // completes callers' futures (the channels are closed by now)
            }
        }
    }

    /** -1: select without blocking; 0: block until woken; else the milliseconds to the next delayed reply. */
    private long nextTimeoutMillis() {
        if (timed.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Connection c : timed) {
            next = Math.min(next, c.pending.peekFirst().due);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(next - now + 999_999);
        return ms <= 0 ? -1 : ms;
    }

    private void runDue() {
        long now = System.nanoTime();
        for (Connection c : new ArrayList<>(timed)) {
            try {
                c.runPending(now);
                c.flush();
            } catch (IOException e) {
                c.close();
            }
        }
    }

    private void accept() throws IOException {
        if (server == null) {
            return;
        }
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            connectionCount.incrementAndGet();
            if (dropNewConnections) {
                ch.close();
                continue;
            }
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(nextConnectionId++, ch);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            connections.put(c.id, c);
            openConnections = connections.size();
        }
    }

    private short firstFlexibleVersion(short apiKey) {
        return apiKey >= 0 && apiKey < firstFlexible.length ? firstFlexible[apiKey] : -1;
    }

    private static final class Pending {
        final long due;
        final Reply reply;
        final short apiKey;
        final short apiVersion;
        final int correlationId;
        final boolean flexible;

        Pending(long due, Reply reply, short apiKey, short apiVersion, int correlationId, boolean flexible) {
            this.due = due;
            this.reply = reply;
            this.apiKey = apiKey;
            this.apiVersion = apiVersion;
            this.correlationId = correlationId;
            this.flexible = flexible;
        }
    }

    private final class Connection {
        final long id;
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ByteBuffer out = ByteBuffer.allocate(64 * 1024); // fill mode
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        boolean stalled;
        boolean closeAfterFlush;
        boolean closed;

        Connection(long id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        void read() throws IOException {
            int n;
            int total = 0;
            while ((n = channel.read(in)) > 0) {
                total += n;
                if (!in.hasRemaining()) {
                    break; // handle what we have; the selector will report the rest
                }
            }
            if (total > 0) {
                handleFrames();
            }
            if (n < 0) {
                flush(); // the client may only have shut down its output
                close();
                return;
            }
            flush();
        }

        private void handleFrames() throws IOException {
            in.flip();
            int handled = 0;
            long now = System.nanoTime();
            while (in.remaining() >= 4 && !closed) {
                int start = in.position();
                int size = in.getInt(start);
                if (size < 0 || size > maxFrameSize) {
                    log.debug("connection {}: frame size {} out of range, closing", id, size);
                    close();
                    return;
                }
                if (in.remaining() < 4 + size) {
                    if (in.capacity() < 4 + size) {
                        // grow so the whole frame fits
                        ByteBuffer bigger = ByteBuffer.allocate(Math.max(4 + size, in.capacity() * 2));
                        bigger.put(in);
                        in = bigger;
                        bigger.flip();
                    }
                    break;
                }
                handleFrame(start + 4, size, now);
                in.position(start + 4 + size);
                handled++;
            }
            in.compact();
            if (handled > 0) {
                synchronized (countLock) {
                    requestCount += handled;
                    countLock.notifyAll();
                }
            }
        }

        private void handleFrame(int offset, int size, long now) throws IOException {
            byte[] a = in.array();
            int end = offset + size;
            if (size < 10) { // api key, version, correlation id, client id length
                log.debug("connection {}: frame of {} bytes is too short for a request header, closing", id, size);
                close();
                return;
            }
            short apiKey = (short) (((a[offset] & 0xff) << 8) | (a[offset + 1] & 0xff));
            short apiVersion = (short) (((a[offset + 2] & 0xff) << 8) | (a[offset + 3] & 0xff));
            int correlationId = in.getInt(offset + 4);
            short clientIdLength = (short) (((a[offset + 8] & 0xff) << 8) | (a[offset + 9] & 0xff));
            int p = offset + 10;
            String clientId = null;
            if (clientIdLength >= 0) {
                if (p + clientIdLength > end) {
                    log.debug("connection {}: client id runs past the frame, closing", id);
                    close();
                    return;
                }
                clientId = new String(a, p, clientIdLength, StandardCharsets.UTF_8);
                p += clientIdLength;
            }
            short flexFrom = firstFlexibleVersion(apiKey);
            boolean flexible = flexFrom >= 0 && apiVersion >= flexFrom;
            if (flexible) {
                int[] cursor = {p};
                try {
                    long count = readUnsignedVarint(a, cursor, end);
                    for (long i = 0; i < count; i++) {
                        readUnsignedVarint(a, cursor, end); // tag
                        long length = readUnsignedVarint(a, cursor, end);
                        if (cursor[0] + length > end) {
                            throw new IllegalArgumentException("tagged field runs past the frame");
                        }
                        cursor[0] += (int) length;
                    }
                } catch (IllegalArgumentException e) {
                    log.debug("connection {}: bad request header tagged fields ({}), closing", id, e.getMessage());
                    close();
                    return;
                }
                p = cursor[0];
            }
            byte[] body = new byte[end - p];
            System.arraycopy(a, p, body, 0, body.length);
            ReceivedRequest request = new ReceivedRequest(apiKey, apiVersion, correlationId, clientId,
                    flexible ? 2 : 1, body, id, now);
            if (record) {
                received.add(request);
            }
            Reply reply = null;
            RequestHandler h = handlers.get(apiKey);
            try {
                if (h != null) {
                    reply = h.handle(request);
                }
                if (reply == null) {
                    RequestHandler d = defaultHandler;
                    reply = d == null ? null : d.handle(request);
                }
            } catch (RuntimeException e) {
                log.warn("fake broker handler failed on {}; closing the connection", request, e);
                reply = Reply.closeConnection();
            }
            if (reply == null) {
                reply = Reply.closeConnection();
            }
            if (stalled) {
                return;
            }
            if (pending.isEmpty() && reply.delayNanos == 0) {
                apply(reply, apiKey, apiVersion, correlationId, flexible);
            } else {
                if (pending.isEmpty()) {
                    timed.add(this);
                }
                pending.addLast(new Pending(now + reply.delayNanos, reply, apiKey, apiVersion, correlationId,
                        flexible));
            }
        }

        void runPending(long now) throws IOException {
            while (!pending.isEmpty() && !closed && !stalled) {
                Pending head = pending.peekFirst();
                if (head.due - now > 0) {
                    return;
                }
                pending.pollFirst();
                apply(head.reply, head.apiKey, head.apiVersion, head.correlationId, head.flexible);
            }
            if (pending.isEmpty() || stalled || closed) {
                pending.clear();
                timed.remove(this);
            }
        }

        private void apply(Reply r, short apiKey, short apiVersion, int correlationId, boolean flexible) {
            switch (r.kind) {
                case RESPOND:
                    writeFrame(r, apiKey, correlationId, flexible, false);
                    break;
                case CLOSE_MID_RESPONSE:
                    writeFrame(r, apiKey, correlationId, flexible, true);
                    closeAfterFlush = true;
                    stalled = true;
                    break;
                case RAW:
                    ensureOut(r.bytes.length);
                    out.put(r.bytes);
                    break;
                case RAW_THEN_CLOSE:
                    ensureOut(r.bytes.length);
                    out.put(r.bytes);
                    closeAfterFlush = true;
                    stalled = true;
                    break;
                case OVERSIZED_FRAME:
                    ensureOut(8);
                    out.putInt(r.correlationValue);
                    out.putInt(correlationId);
                    break;
                case STALL:
                    stalled = true;
                    break;
                case CLOSE:
                    closeAfterFlush = true;
                    stalled = true;
                    break;
                default:
                    throw new IllegalStateException(r.kind.name());
            }
        }

        private void writeFrame(Reply r, short apiKey, int correlationId, boolean flexible, boolean half) {
            int headerVersion = r.responseHeaderVersion >= 0 ? r.responseHeaderVersion
                    : (flexible && apiKey != API_VERSIONS ? 1 : 0);
            int headerSize = headerVersion == 1 ? 5 : 4;
            int size = headerSize + r.bytes.length;
            int corr = r.correlationIdFor(correlationId);
            if (!half) {
                ensureOut(4 + size);
                out.putInt(size).putInt(corr);
                if (headerVersion == 1) {
                    out.put((byte) 0);
                }
                out.put(r.bytes);
            } else {
                ByteBuffer frame = ByteBuffer.allocate(4 + size);
                frame.putInt(size).putInt(corr);
                if (headerVersion == 1) {
                    frame.put((byte) 0);
                }
                frame.put(r.bytes);
                int halfLength = Math.max(1, frame.capacity() / 2);
                ensureOut(halfLength);
                out.put(frame.array(), 0, halfLength);
            }
        }

        private void ensureOut(int more) {
            if (out.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
                out.flip();
                bigger.put(out);
                out = bigger;
            }
        }

        void flush() throws IOException {
            if (closed) {
                return;
            }
            if (out.position() > 0) {
                out.flip();
                channel.write(out);
                out.compact();
            }
            if (out.position() > 0) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else if (closeAfterFlush) {
                close();
            } else if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
            timed.remove(this);
            connections.remove(id);
            openConnections = connections.size();
            try {
                channel.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    static long readUnsignedVarint(byte[] a, int[] cursor, int end) {
        long value = 0;
        int shift = 0;
        while (true) {
            if (cursor[0] >= end) {
                throw new IllegalArgumentException("varint runs past the frame");
            }
            int b = a[cursor[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 28) {
                throw new IllegalArgumentException("varint longer than 5 bytes");
            }
        }
    }

    /** Settings of a {@link FakeBroker}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private boolean recordRequests = true;
        private int maxFrameSize = 100 * 1024 * 1024;
        private RequestHandler defaultHandler = RequestHandler.always(Reply.closeConnection());
        private final Map<Short, Short> firstFlexible = new HashMap<>();

        private Builder() {
        }

        /** The port to listen on; default 0, an ephemeral one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to listen on; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Whether {@link FakeBroker#requests()} keeps every request (default true; turn off for benchmarks). */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /** Frames announcing more bytes than this (or a negative size) close the connection. Default 100 MB. */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        /** The handler for API keys without one. Default: close the connection. */
        public Builder defaultHandler(RequestHandler handler) {
            this.defaultHandler = handler;
            return this;
        }

        /**
         * The first request version of an API key that is flexible (request header v2, response header v1), or -1
         * for none. Overrides what the generated {@link ApiKey} says, and is the only source for keys it does not
         * know.
         */
        public Builder firstFlexibleVersion(int apiKey, int version) {
            firstFlexible.put((short) apiKey, (short) version);
            return this;
        }

        public FakeBroker start() {
            try {
                return new FakeBroker(this);
            } catch (IOException e) {
                throw new UncheckedIOException("fake broker could not listen", e);
            }
        }
    }

    /**
     * The first flexible request version of each API key: kwire's generated {@link ApiKey}, built from the same Kafka
     * schemas the client speaks, then the builder's overrides. -1 (not flexible) for keys neither knows.
     */
    static final class FlexibleVersions {

        private FlexibleVersions() {
        }

        static short[] table(Map<Short, Short> overrides) {
            short[] t = new short[MAX_TRACKED_API_KEY];
            java.util.Arrays.fill(t, (short) -1);
            for (ApiKey key : ApiKey.values()) {
                t[key.id()] = key.firstFlexibleVersion();
            }
            overrides.forEach((k, v) -> {
                if (k < 0 || k >= MAX_TRACKED_API_KEY) {
                    throw new IllegalArgumentException("api key out of range: " + k);
                }
                t[k] = v;
            });
            return t;
        }
    }
}
