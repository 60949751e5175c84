package io.kwire.client;

import io.kwire.metadata.MetadataTracker;
import io.kwire.network.Authenticator;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.BootstrapAddresses;
import io.kwire.network.Connection;
import io.kwire.network.ConnectionState;
import io.kwire.network.ConnectionStates;
import io.kwire.network.ExponentialBackoff;
import io.kwire.network.NodeApiVersions;
import io.kwire.network.SocketConnector;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.FrameEncoder;
import io.kwire.protocol.SplicedFrame;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.RequestHeader;
import io.kwire.security.SecurityFactories;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous request/response network client, kwire's counterpart of kafka-python's {@code KafkaClient}:
 * connections to brokers, cluster metadata, API-version negotiation, back-off and timeouts, driven by
 * {@link #poll}.
 *
 * <p><b>Not thread-safe</b>, like the reference: the thread that calls {@link #poll} owns it, and
 * {@link #wakeup()} is the one method any thread may call. {@link KwireClient} is the thread-safe face that runs
 * the poll loop on an I/O thread of its own.
 *
 * <p>One poll: flush the queued frames of each connection with one write per staging buffer, select, read and cut frames,
 * match them to in-flight requests by correlation id, then expire set-up and request timeouts and reap idle
 * connections, and finally complete the futures of everything that ended.
 *
 * <p>This class is long because it carries the reference's whole public surface and the per-connection steps
 * that tie it together; the parts with a life of their own live beside it: socket set-up
 * ({@link SocketConnector}), framing and batched writes ({@link Connection}), per-node state and back-off
 * ({@link ConnectionStates}), metadata timing ({@link MetadataTracker}), TLS and SASL ({@code io.kwire.security}).
 */
public final class KafkaClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaClient.class);
    private static final short UNSUPPORTED_VERSION = 35;
    private static final short REBOOTSTRAP_REQUIRED = 129;

    /** Per-node connection bookkeeping: the socket, requests in flight, and negotiated versions. */
    private static final class NodeConnection {
        final Node node;
        Connection connection;
        final ArrayDeque<ClientResponse> inFlight = new ArrayDeque<>();
        NodeApiVersions versions;
        Authenticator authenticator;
        long reauthenticateAtMs = Long.MAX_VALUE;
        long lastActivityMs;
        boolean queued;
        /** In {@link #pendingReads}: its transport holds bytes the selector cannot report. */
        boolean pendingRead;

        Connection.FrameHandler frameHandler;

        NodeConnection(Node node) {
            this.node = node;
        }
    }

    private final KafkaClientConfig config;
    private final Time time;
    private final Selector selector;
    private final ConnectionStates states;
    private final MetadataTracker metadata;
    private final ClientObserver observer;
    private final SocketConnector connector;
    private final AuthenticatorFactory authenticatorFactory;
    private final NodeApiVersions fixedVersions;
    private final Map<Integer, Node> bootstrapNodes = new LinkedHashMap<>();
    private Map<Integer, Node> knownNodes;
    private final Map<Integer, NodeConnection> connections = new HashMap<>();
    private final List<NodeConnection> dirty = new ArrayList<>();
    /** Connections whose last read ended on its budget with bytes left in the transport (TLS): read next poll. */
    private final ArrayDeque<NodeConnection> pendingReads = new ArrayDeque<>();
    /** Requests that ended and whose futures are still to complete, oldest first (see {@link #completeEnded}). */
    private final ArrayDeque<ClientResponse> completed = new ArrayDeque<>();
    /** Reused to walk the connections while closing some of them, without allocating per poll. */
    private NodeConnection[] connectionScratch = new NodeConnection[8];
    /** {@link #knownNodes} as an array, for the least-loaded scan on every request for "any node". */
    private Node[] knownNodeArray = new Node[0];
    private final List<CompletableFuture<ClusterMetadata>> metadataWaiters = new ArrayList<>();
    private final RequestHeader header = new RequestHeader();
    /** Reads every response frame, one after another on the I/O thread: one reader for the client's life. */
    private final ByteReader frameReader = new ByteReader(ByteBuffer.allocate(0));
    private final ByteBuffer noFrame = ByteBuffer.allocate(0);
    /** Byte fields at least this large (record batches, mostly) are written by reference, not copied. */
    private static final int SPLICE_THRESHOLD = 4096;
    /**
     * Room asked of the send queue before a one-pass encode: a larger request that does not fit the room the
     * buffer happens to have takes the sized path, which makes room for exactly its length.
     */
    private static final int FRAME_ROOM = 256;
    /**
     * The most one write system call sends. A 1 MB record batch takes four writes, a few microseconds next to the
     * milliseconds the broker spends on it, and a client holds only this much staging memory for all connections.
     */
    private static final int SEND_STAGING_BYTES = 256 * 1024;
    private final long requestTimeoutNanos;
    /** Collects the record batches a frame sends by reference; reused from frame to frame. */
    private final SplicedFrame.Builder splices = new SplicedFrame.Builder();
    /**
     * Where every connection lays out its queued frames for the write system call; allocated on first use. Direct
     * for plain TCP, so the JDK makes no copy of its own; on the heap for TLS, whose ciphers work fastest on arrays.
     */
    private ByteBuffer sendStaging;
    private final java.util.function.Consumer<SelectionKey> keyHandler = this::handleKey;
    /** The time at which the ready key being handled was picked up; read by {@link #onFrame}. */
    private long eventNowMs;
    private final int maxInFlight;
    private int nextCorrelationId;
    private NodeApiVersions lastVersions;
    private long lastMetadataSuccessOrBootstrapMs;
    private boolean closed;

    /**
     * A client whose connections use the configured security protocol: plain TCP or TLS, with or without SASL.
     *
     * @throws ConfigException for unreadable TLS material or an unknown SASL mechanism
     */
    public KafkaClient(KafkaClientConfig config) {
        this(config, SecurityFactories.transportFactory(config), SecurityFactories.authenticatorFactory(config));
    }

    /** A client with its own transport and SASL exchange (for example with user-registered SASL mechanisms). */
    public KafkaClient(KafkaClientConfig config, TransportFactory transportFactory,
                       AuthenticatorFactory authenticatorFactory) {
        this.config = config;
        this.time = config.time();
        this.observer = GuardedObserver.wrap(config.observer());
        this.authenticatorFactory = authenticatorFactory;
        try {
            this.requestTimeoutNanos = config.requestTimeout().toNanos();
            this.maxInFlight = config.maxInFlightRequestsPerConnection();
            ExponentialBackoff reconnect = new ExponentialBackoff(config.reconnectBackoff().toMillis(),
                    config.reconnectBackoffMax().toMillis(), 0.2, () -> ThreadLocalRandom.current().nextDouble());
            ExponentialBackoff setup = new ExponentialBackoff(config.socketConnectionSetupTimeout().toMillis(),
                    config.socketConnectionSetupTimeoutMax().toMillis(), 0.2, () -> ThreadLocalRandom.current().nextDouble());
            this.states = new ConnectionStates(reconnect, setup, InetAddress::getAllByName);
            this.metadata = new MetadataTracker(config.metadataMaxAge().toMillis(), new ExponentialBackoff(
                    config.retryBackoff().toMillis(), config.retryBackoffMax().toMillis(), 0.2,
                    () -> ThreadLocalRandom.current().nextDouble()));
            this.fixedVersions = config.apiVersion().map(v -> new NodeApiVersions(BrokerVersions.apiVersionsFor(v)))
                    .orElse(null);
            for (Node node : BootstrapAddresses.parse(config.bootstrapServers(), config.clientDnsLookup(),
                    InetAddress::getAllByName)) {
                bootstrapNodes.put(node.id(), node);
            }
            this.connector = new SocketConnector(new SocketConnector.Settings(config.selectorProvider(),
                    config.socketOptions(), config.receiveBufferBytes(), config.sendBufferBytes(),
                    config.maxResponseSize()), transportFactory);
            setKnownNodes(new LinkedHashMap<>(bootstrapNodes));
            try {
                this.selector = config.selectorProvider().openSelector();
            } catch (IOException e) {
                throw new KwireException("Could not open a selector: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            authenticatorFactory.close(); // a Kerberos login made for this client must not outlive the failure
            throw e;
        }
        this.lastMetadataSuccessOrBootstrapMs = nowMs();
    }

    // ---------------------------------------------------------------- public API, as the reference has it

    public KafkaClientConfig config() {
        return config;
    }

    /** The latest cluster snapshot. */
    public ClusterMetadata cluster() {
        return metadata.snapshot();
    }

    /**
     * Tracks a topic; the future completes after the next metadata response. On a closed client the future fails
     * with {@link ClientClosedException}, as {@link #send} and {@link #requestMetadataUpdate} do.
     */
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        CompletableFuture<ClusterMetadata> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new ClientClosedException("The client is closed"));
            return f;
        }
        metadata.addTopic(topic);
        metadata.requestUpdate();
        metadataWaiters.add(f);
        return f;
    }

    /** Replaces the set of tracked topics. */
    public void setTopics(Collection<String> topics) {
        ensureOpen();
        metadata.setTopics(topics);
    }

    /** Whether metadata covers every topic of the cluster rather than only the tracked ones. */
    public void setAllTopics(boolean allTopics) {
        metadata.setAllTopics(allTopics);
    }

    /** Asks for a metadata refresh on the next poll (subject to the refresh back-off). */
    public CompletableFuture<ClusterMetadata> requestMetadataUpdate() {
        CompletableFuture<ClusterMetadata> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new ClientClosedException("The client is closed"));
            return f;
        }
        metadata.requestUpdate();
        metadataWaiters.add(f);
        return f;
    }

    /** Milliseconds to wait before sending to the node, as kafka-python defines it. */
    public long connectionDelay(int nodeId) {
        return states.connectionDelay(nodeId, nowMs());
    }

    /**
     * The version ranges of the broker that answered ApiVersions last, as the reference's {@code get_api_versions};
     * empty (the reference's None) until one has answered. A client configured with a fixed {@code apiVersion}
     * never asks, so this stays empty for it; {@link #checkVersion} then reports the configured release.
     */
    public Map<ApiKey, VersionRange> getApiVersions() {
        return toRanges(lastVersions);
    }

    /** The version ranges the node advertised, or empty if it has no ready connection yet. */
    public Map<ApiKey, VersionRange> getApiVersions(int nodeId) {
        NodeConnection nc = connections.get(nodeId);
        return toRanges(nc == null ? null : nc.versions);
    }

    private static Map<ApiKey, VersionRange> toRanges(NodeApiVersions versions) {
        if (versions == null) {
            return Map.of();
        }
        Map<ApiKey, VersionRange> out = new EnumMap<>(ApiKey.class);
        for (Map.Entry<Short, short[]> e : versions.ranges().entrySet()) {
            for (ApiKey key : ApiKey.values()) {
                if (key.id() == e.getKey()) {
                    out.put(key, new VersionRange(e.getValue()[0], e.getValue()[1]));
                }
            }
        }
        return out;
    }

    public int inFlightRequestCount() {
        int n = 0;
        for (NodeConnection nc : connections.values()) {
            n += nc.inFlight.size();
        }
        return n;
    }

    public int inFlightRequestCount(int nodeId) {
        NodeConnection nc = connections.get(nodeId);
        return nc == null ? 0 : nc.inFlight.size();
    }

    /**
     * True if the client has connected to (or tried) the node and it has no connection now, closed or failed;
     * such a node may have left the metadata since.
     */
    public boolean isDisconnected(int nodeId) {
        return states.isTracked(nodeId) && states.state(nodeId) == ConnectionState.DISCONNECTED;
    }

    public boolean isReady(int nodeId) {
        return isReady(nodeId, true);
    }

    /**
     * Whether a request can be sent to the node now. With {@code metadataPriority}, a node is not ready while a
     * metadata refresh is due or in flight, so that the refresh goes first.
     */
    public boolean isReady(int nodeId, boolean metadataPriority) {
        if (metadataPriority && (metadata.inProgress() || metadata.isDue(nowMs()))) {
            return false;
        }
        return canSendRequest(nodeId, nowMs());
    }

    /** Starts connecting to the node if it is not connected; returns whether it is ready now. */
    public boolean ready(int nodeId) {
        return ready(nodeId, true);
    }

    public boolean ready(int nodeId, boolean metadataPriority) {
        maybeConnect(nodeId);
        return isReady(nodeId, metadataPriority);
    }

    /**
     * Starts a connection to the node if none exists and its back-off allows; returns true if one is under way or
     * ready. Unlike the reference, which queues the connection for the next poll, the connect starts here (non-blocking),
     * and {@code wakeup} defaults to false: a client polled by one thread has nothing to wake.
     */
    public boolean maybeConnect(int nodeId) {
        return maybeConnect(nodeId, false);
    }

    /** As {@link #maybeConnect(int)}, then wakes a thread blocked in {@link #poll} when {@code wakeup} is true. */
    public boolean maybeConnect(int nodeId, boolean wakeup) {
        ensureOpen();
        long now = nowMs();
        if (states.state(nodeId) != ConnectionState.DISCONNECTED) {
            return true;
        }
        Node node = nodeFor(nodeId);
        if (node == null || !states.canConnect(nodeId, now)) {
            return false;
        }
        initiateConnect(node, now);
        if (wakeup) {
            wakeup();
        }
        return states.state(nodeId) != ConnectionState.DISCONNECTED;
    }

    /**
     * The node best suited for a request that may go anywhere: a ready connection with nothing in flight, else
     * the ready one with the fewest in flight, else one being connected, else the connectable node tried longest
     * ago. Never a node in back-off or throttled; before any metadata, a bootstrap node. The reference's documented
     * fallback is a random disconnected node; kwire prefers an open connection with room (as kafka-python's code
     * and Apache's {@code NetworkClient} do) and, among disconnected nodes, the one whose last attempt is oldest, so
     * repeated calls spread over the cluster instead of retrying one node.
     */
    public OptionalInt leastLoadedNode() {
        long now = nowMs();
        Node[] nodes = knownNodeArray;
        int size = nodes.length;
        if (size == 0) {
            return OptionalInt.empty();
        }
        int offset = ThreadLocalRandom.current().nextInt(size);
        int best = Integer.MIN_VALUE;
        int bestInFlight = Integer.MAX_VALUE;
        int connecting = Integer.MIN_VALUE;
        int connectable = Integer.MIN_VALUE;
        long oldestAttempt = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            Node node = nodes[(offset + i) % size];
            int id = node.id();
            ConnectionState state = states.state(id);
            if (state == ConnectionState.READY && states.throttleDelay(id, now) == 0) {
                int inFlight = inFlightRequestCount(id);
                if (inFlight == 0) {
                    return OptionalInt.of(id);
                }
                if (inFlight < bestInFlight && inFlight < maxInFlight) {
                    best = id;
                    bestInFlight = inFlight;
                }
            } else if (state.isSettingUp()) {
                connecting = id;
            } else if (state == ConnectionState.DISCONNECTED && states.canConnect(id, now)) {
                long attempt = states.lastAttemptMs(id);
                if (attempt < oldestAttempt) {
                    oldestAttempt = attempt;
                    connectable = id;
                }
            }
        }
        if (best != Integer.MIN_VALUE) {
            return OptionalInt.of(best);
        }
        if (connecting != Integer.MIN_VALUE) {
            return OptionalInt.of(connecting);
        }
        return connectable != Integer.MIN_VALUE ? OptionalInt.of(connectable) : OptionalInt.empty();
    }

    /** As {@link #send(int, ApiRequest, boolean)} without waking a polling thread (the reference's default wakes it). */
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request) {
        return send(nodeId, request, false);
    }

    /**
     * Queues a request to a ready node; the frame goes out on the next poll. If the node is not ready, starts
     * connecting and fails the future with {@link NodeNotReadyException}, as the reference does. A node the client
     * does not know (in no metadata and not a bootstrap node) fails the future the same way, naming it an unknown
     * node, where the reference raises an assertion: an asynchronous call reports through its future.
     *
     * <p>Record batches (and other byte fields of 4 KiB or more) are written to the socket by reference, not
     * copied: leave their buffers unchanged until the future completes.
     */
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request, boolean wakeup) {
        CompletableFuture<R> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new ClientClosedException("The client is closed"));
            return future;
        }
        if (!trySend(nodeId, request, future)) {
            maybeConnect(nodeId);
            future.completeExceptionally(new NodeNotReadyException("Node " + nodeId + " is not ready to send ("
                    + describeState(nodeId) + ")"));
        } else if (wakeup) {
            wakeup();
        }
        return future;
    }

    /**
     * Queues the request if the node can take it now, completing {@code future} when it ends; returns false
     * (leaving the future alone) when the node is not ready. Used by {@link KwireClient}.
     */
    <R extends ApiResponse> boolean trySend(int nodeId, ApiRequest<R> request, CompletableFuture<R> future) {
        long now = nowMs();
        if (!canSendRequest(nodeId, now)) {
            return false;
        }
        doSend(connections.get(nodeId), request, future, false, now);
        return true;
    }

    private String describeState(int nodeId) {
        long now = nowMs();
        ConnectionState state = states.state(nodeId);
        if (nodeFor(nodeId) == null) {
            return "unknown node";
        }
        if (state == ConnectionState.DISCONNECTED) {
            String err = states.lastError(nodeId);
            long delay = states.connectionDelay(nodeId, now);
            return "disconnected" + (delay > 0 ? ", reconnecting in " + delay + " ms" : "")
                    + (err == null ? "" : ", last error: " + err);
        }
        if (state == ConnectionState.READY) {
            NodeConnection nc = connections.get(nodeId);
            if (nc != null && (nc.authenticator != null || now >= nc.reauthenticateAtMs)) {
                return "re-authenticating (KIP-368)";
            }
            long throttle = states.throttleDelay(nodeId, now);
            return throttle > 0 ? "throttled by the broker for " + throttle + " ms"
                    : inFlightRequestCount(nodeId) + " requests in flight (max " + maxInFlight + ")";
        }
        return state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private boolean canSendRequest(int nodeId, long now) {
        NodeConnection nc = connections.get(nodeId);
        return nc != null && states.state(nodeId) == ConnectionState.READY && nc.inFlight.size() < maxInFlight
                && states.throttleDelay(nodeId, now) == 0 && nc.authenticator == null && now < nc.reauthenticateAtMs;
    }

    /** Wakes a thread blocked in {@link #poll}; safe from any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    /** One round of network I/O waiting at most {@code requestTimeout}, the reference's default timeout. */
    public List<ClientResponse> poll() {
        return poll(config.requestTimeout(), null);
    }

    /** One round of network I/O, waiting at most {@code timeout}. */
    public List<ClientResponse> poll(Duration timeout) {
        return poll(timeout, null);
    }

    /**
     * Network I/O: sends what is queued, reads what arrived, handles timeouts, and returns the requests that
     * ended. The wait is also cut short by the next metadata refresh and request deadline. With a {@code future},
     * keeps polling until it is done or {@code timeout} has passed; the reference has no such bound and polls until
     * the future is done.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative (the reference requires it non-negative)
     */
    public List<ClientResponse> poll(Duration timeout, Future<?> future) {
        ensureOpen();
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("poll timeout must not be negative: " + timeout);
        }
        long timeoutMs = timeout.toMillis();
        long deadline = nowMs() + timeoutMs;
        List<ClientResponse> out = null;
        do {
            long now = nowMs();
            long wait = future == null ? timeoutMs : Math.max(0, deadline - now);
            List<ClientResponse> batch = pollOnce(wait, future);
            if (!batch.isEmpty()) {
                if (out == null) {
                    out = batch;
                } else {
                    out.addAll(batch);
                }
            }
        } while (future != null && !future.isDone() && nowMs() < deadline && !closed);
        return out == null ? List.of() : out;
    }

    private List<ClientResponse> pollOnce(long timeoutMs, Future<?> future) {
        return pollOnce(timeoutMs, future, true);
    }

    /** One poll for {@link KwireClient}'s I/O thread, which reads results from the futures only. */
    void pollQuietly(long timeoutMs) {
        ensureOpen();
        pollOnce(timeoutMs, null, false);
    }

    private List<ClientResponse> pollOnce(long timeoutMs, Future<?> future, boolean collect) {
        long now = nowMs();
        long metadataWait = maybeUpdateMetadata(now);
        flushDirty(now);
        long wait = Math.min(timeoutMs, Math.min(metadataWait, nextTimeoutMs(now)));
        if (!completed.isEmpty() || !pendingReads.isEmpty() || (future != null && future.isDone())) {
            wait = 0;
        }
        int pending = pendingReads.size();
        select(wait);
        readPending(pending);
        now = nowMs();
        handleTimeouts(now);
        flushDirty(now);
        return completeEnded(collect);
    }

    private void select(long waitMs) {
        try {
            // The consumer form hands each ready key straight to us: no selected-key set to iterate and clear.
            if (waitMs <= 0) {
                selector.selectNow(keyHandler);
            } else {
                selector.select(keyHandler, waitMs);
            }
        } catch (IOException e) {
            throw new KwireException("Selector failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- connection set-up

    private Node nodeFor(int nodeId) {
        Node n = knownNodes.get(nodeId);
        if (n == null) {
            n = bootstrapNodes.get(nodeId);
        }
        if (n == null) {
            n = metadata.snapshot().broker(nodeId).orElse(null);
        }
        return n;
    }

    private void initiateConnect(Node node, long now) {
        int id = node.id();
        InetAddress address;
        try {
            address = states.nextAddress(id, node.host());
        } catch (UnknownHostException e) {
            states.markConnecting(id, now);
            connectFailed(node, now, "DNS lookup of " + node.host() + " failed", null);
            return;
        }
        states.markConnecting(id, now);
        NodeConnection nc = connections.computeIfAbsent(id, k -> newNodeConnection(node));
        try {
            nc.connection = connector.connect(node, address, selector, nc);
            nc.lastActivityMs = now;
            if (nc.connection.transport().channel().isConnected()) {
                onTcpConnected(nc, now);
            }
        } catch (IOException | RuntimeException e) {
            nc.connection = null;
            connectFailed(node, now, describeConnectError(e, address, node), e);
        }
    }

    private static String describeConnectError(Throwable e, InetAddress address, Node node) {
        String where = node.address() + (address == null ? "" : " (" + address.getHostAddress() + ")");
        if (e instanceof ConnectException) {
            return "connection refused by " + where;
        }
        return "could not connect to " + where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void onTcpConnected(NodeConnection nc, long now) throws IOException {
        SelectionKey key = nc.connection.key();
        key.interestOps(SelectionKey.OP_READ);
        states.advance(nc.node.id(), ConnectionState.TLS_HANDSHAKE);
        continueHandshake(nc, now);
    }

    private void continueHandshake(NodeConnection nc, long now) throws IOException {
        if (!nc.connection.transport().handshake()) {
            return; // the transport asked the selector for what it needs
        }
        nc.connection.key().interestOps(SelectionKey.OP_READ);
        if (fixedVersions != null) {
            nc.versions = fixedVersions;
            afterApiVersions(nc, now);
        } else {
            states.advance(nc.node.id(), ConnectionState.CHECKING_API_VERSIONS);
            sendApiVersions(nc, ApiKey.API_VERSIONS.highestSupportedVersion(), now);
        }
    }

    private void sendApiVersions(NodeConnection nc, short version, long now) {
        ApiVersionsRequest request = new ApiVersionsRequest();
        if (version >= 3) {
            request.setClientSoftwareName(config.clientSoftwareName())
                    .setClientSoftwareVersion(config.clientSoftwareVersion());
        }
        CompletableFuture<ApiVersionsResponse> f = new CompletableFuture<>();
        f.whenComplete((response, error) -> onApiVersions(nc, version, response, error));
        doSendAt(nc, request, version, f, true, now);
    }

    private void onApiVersions(NodeConnection nc, short sentVersion, ApiVersionsResponse response, Throwable error) {
        if (error != null || nc.connection == null) {
            return; // the connection failure was already handled
        }
        long now = nowMs();
        Map<Short, short[]> ranges = new HashMap<>();
        for (ApiVersionsResponse.ApiVersion v : response.apiKeys()) {
            ranges.put(v.apiKey(), new short[] {v.minVersion(), v.maxVersion()});
        }
        if (response.errorCode() == UNSUPPORTED_VERSION) {
            // The broker is older than our ApiVersions version; it lists the range it does support (KIP-511).
            short[] r = ranges.get(ApiKey.API_VERSIONS.id());
            short retry = r == null ? 0 : (short) Math.min(r[1], sentVersion - 1);
            if (retry < sentVersion) {
                sendApiVersions(nc, retry, now);
                return;
            }
        }
        if (response.errorCode() != 0) {
            closeConnection(nc, now, "ApiVersions failed with " + "error code " + response.errorCode(), true);
            return;
        }
        nc.versions = new NodeApiVersions(ranges);
        lastVersions = nc.versions;
        afterApiVersions(nc, now);
    }

    private void afterApiVersions(NodeConnection nc, long now) {
        Authenticator auth = authenticatorFactory.create(nc.node, nc.versions);
        if (auth == null) {
            markReady(nc, now);
            return;
        }
        states.advance(nc.node.id(), ConnectionState.AUTHENTICATING);
        nc.authenticator = auth;
        continueAuthentication(nc, now);
    }

    private void continueAuthentication(NodeConnection nc, long now) {
        Authenticator auth = nc.authenticator;
        if (auth.isComplete()) {
            long lifetime = auth.sessionLifetimeMs();
            nc.authenticator = null;
            // KIP-368: re-authenticate at 85-95% of the session the broker granted.
            nc.reauthenticateAtMs = lifetime <= 0 ? Long.MAX_VALUE
                    : now + (long) (lifetime * (0.85 + 0.10 * ThreadLocalRandom.current().nextDouble()));
            if (states.state(nc.node.id()) != ConnectionState.READY) {
                markReady(nc, now);
            }
            return;
        }
        ApiRequest<?> next = auth.nextRequest();
        if (next == null) {
            byte[] token = auth.nextRawToken();
            if (token != null) {
                sendRawToken(nc, token, now);
                continueAuthentication(nc, now); // the last raw token may complete the exchange
            }
            return;
        }
        CompletableFuture<ApiResponse> f = new CompletableFuture<>();
        f.whenComplete((response, error) -> {
            if (error != null || nc.connection == null) {
                return;
            }
            long t = nowMs();
            try {
                auth.onResponse(response);
            } catch (KwireException e) {
                authenticationFailed(nc, e, t);
                return;
            }
            continueAuthentication(nc, t);
        });
        @SuppressWarnings("unchecked")
        ApiRequest<ApiResponse> request = (ApiRequest<ApiResponse>) next;
        short version = nc.versions.latestUsableVersion(request.apiKey());
        doSendAt(nc, request, version, f, true, now);
    }

    /** A raw SASL token for a broker older than 1.0: a bare size-prefixed frame, no Kafka header. */
    private void sendRawToken(NodeConnection nc, byte[] token, long now) {
        // A frame of its own, wiped once sent: a token may hold a password.
        nc.connection.enqueue(SplicedFrame.of(ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token),
                true));
        nc.lastActivityMs = now;
        markQueued(nc);
    }

    /** Notes that the connection has frames to flush in this poll's write pass. */
    private void markQueued(NodeConnection nc) {
        if (!nc.queued) {
            nc.queued = true;
            dirty.add(nc);
        }
    }

    private void onRawToken(NodeConnection nc, ByteBuffer frame, long now) {
        Authenticator auth = nc.authenticator;
        try {
            auth.onRawToken(frame);
        } catch (KwireException e) {
            authenticationFailed(nc, e, now);
            return;
        }
        continueAuthentication(nc, now);
    }

    private void authenticationFailed(NodeConnection nc, KwireException e, long now) {
        states.markFailed(nc.node.id(), now, e.getMessage());
        observer.authenticationFailed(nc.node, e);
        closeConnection(nc, now, "authentication failed: " + e.getMessage(), true);
    }

    private void markReady(NodeConnection nc, long now) {
        states.markReady(nc.node.id());
        nc.lastActivityMs = now;
        log.debug("Connection to {} is ready", nc.node);
        observer.connectionReady(nc.node);
    }

    private void connectFailed(Node node, long now, String reason, Throwable cause) {
        states.markFailed(node.id(), now, reason);
        KwireException error = new KwireException("Connection to " + node + " failed: " + reason, cause);
        log.debug("{}", error.getMessage());
        observer.connectionFailed(node, error);
        metadata.requestUpdate();
        NodeConnection nc = connections.get(node.id());
        if (nc != null && nc.connection == null) {
            connections.remove(node.id());
        }
    }

    // ---------------------------------------------------------------- sending

    private <R extends ApiResponse> void doSend(NodeConnection nc, ApiRequest<R> request,
                                                CompletableFuture<R> future, boolean internal, long now) {
        short version;
        try {
            version = nc.versions.latestUsableVersion(request.apiKey());
        } catch (KwireException e) {
            future.completeExceptionally(e);
            return;
        }
        doSendAt(nc, request, version, future, internal, now);
    }

    private <R extends ApiResponse> void doSendAt(NodeConnection nc, ApiRequest<R> request, short version,
                                                  CompletableFuture<R> future, boolean internal, long now) {
        ApiKey key = request.apiKey();
        if (version >= 3 && request instanceof ApiVersionsRequest av && av.clientSoftwareName().isEmpty()) {
            // Brokers refuse an empty software name (KIP-511): name ourselves as the handshake does.
            av.setClientSoftwareName(config.clientSoftwareName()).setClientSoftwareVersion(config.clientSoftwareVersion());
        }
        int correlationId = nextCorrelationId++;
        boolean expectResponse = !(request instanceof ProduceRequest p && p.acks() == 0);
        long nowNanos = time.nanoTime();
        ClientResponse cr = new ClientResponse(request, version, nc.node.id(), correlationId, future, nowNanos,
                nowNanos + requestTimeoutNanos, expectResponse);
        cr.internal = internal;
        try {
            cr.bytesSent = encodeAndQueue(nc.connection, request, key, version, correlationId);
        } catch (KwireException e) {
            cr.error = e;
            cr.completedNanos = nowNanos;
            completed.add(cr);
            return;
        } catch (RuntimeException e) {
            cr.error = new KwireException("Could not encode " + key.displayName() + " v" + version + ": " + e, e);
            cr.completedNanos = nowNanos;
            completed.add(cr);
            return;
        }
        nc.lastActivityMs = now;
        if (expectResponse) {
            nc.inFlight.addLast(cr);
        } else {
            cr.completedNanos = nowNanos;
            completed.add(cr);
        }
        markQueued(nc);
    }

    /**
     * Encodes header and body straight into the connection's send queue. Most requests are written in one pass
     * into the room the queue's buffer has; one that does not fit is sized first, and the buffer grows for it.
     *
     * <p>Requests that can carry record batches or other byte fields, and requests that {@link #carriesSecrets carry
     * secrets}, get a frame of their own (a {@link SplicedFrame}), sized first: values of {@link #SPLICE_THRESHOLD}
     * bytes or more are not copied but referred to, and the connection copies them into its staging buffer as it
     * writes. A frame with secrets is wiped, with the staging bytes it passed through, once it is sent; none of it
     * goes into the queue's long-lived frame buffer.
     *
     * @return the frame's size on the wire
     */
    private int encodeAndQueue(Connection connection, ApiRequest<?> request, ApiKey key, short version,
                               int correlationId) {
        short headerVersion = key.requestHeaderVersion(version);
        header.setRequestApiKey(key.id()).setRequestApiVersion(version).setCorrelationId(correlationId)
                .setClientId(config.clientId());
        boolean secret = carriesSecrets(key);
        if (!key.requestCarriesBytes() && !secret) {
            ByteBuffer out = connection.frameBuffer(FRAME_ROOM);
            int start = out.position();
            if (!FrameEncoder.tryEncode(out, header, headerVersion, request, version)) {
                int length = FrameEncoder.frameLength(header, headerVersion, request, version);
                out = connection.frameBuffer(length);
                start = out.position();
                FrameEncoder.encode(out, length, header, headerVersion, request, version);
            }
            connection.queueFrames(start);
            return out.position() - start;
        }
        // A frame with secrets keeps every byte in its own head, which is wiped once sent.
        int threshold = secret ? Integer.MAX_VALUE : SPLICE_THRESHOLD;
        int size = header.size(headerVersion) + request.size(version);
        ByteBuffer head = ByteBuffer.allocate(4 + size - request.splicedSize(version, threshold));
        boolean queued = false;
        try {
            ByteWriter writer = new ByteWriter(head, splices, threshold);
            writer.writeInt(size);
            header.write(writer, headerVersion);
            request.write(writer, version);
            if (head.hasRemaining()) {
                throw new IllegalStateException("Encoded " + head.position() + " bytes of a frame head sized "
                        + head.capacity());
            }
            connection.enqueue(splices.build(head, secret));
            queued = true;
        } finally {
            splices.clear(); // after a failed write, no value of this request may reach the next frame
            if (!queued && secret) {
                java.util.Arrays.fill(head.array(), (byte) 0); // part of a token may be in it
            }
        }
        return 4 + size;
    }

    /**
     * Requests whose fields hold secrets: SASL tokens, SCRAM credentials, broker configs that may be passwords,
     * delegation token HMACs. They never share a buffer with other frames, and are wiped once sent.
     */
    static boolean carriesSecrets(ApiKey key) {
        return switch (key) {
            case SASL_AUTHENTICATE, ALTER_USER_SCRAM_CREDENTIALS, ALTER_CONFIGS, INCREMENTAL_ALTER_CONFIGS,
                    RENEW_DELEGATION_TOKEN, EXPIRE_DELEGATION_TOKEN -> true;
            default -> false;
        };
    }

    private ByteBuffer sendStaging() {
        ByteBuffer b = sendStaging;
        if (b == null) {
            b = config.securityProtocol().usesTls() ? ByteBuffer.allocate(SEND_STAGING_BYTES)
                    : ByteBuffer.allocateDirect(SEND_STAGING_BYTES);
            sendStaging = b;
        }
        return b;
    }

    private void flushDirty(long now) {
        for (int i = 0; i < dirty.size(); i++) {
            NodeConnection nc = dirty.get(i);
            nc.queued = false;
            if (nc.connection == null) {
                continue;
            }
            try {
                nc.connection.flush(sendStaging());
            } catch (IOException e) {
                closeConnection(nc, now, "write failed: " + e.getMessage(), true);
            }
        }
        dirty.clear();
    }

    // ---------------------------------------------------------------- receiving

    private void handleKey(SelectionKey key) {
        NodeConnection nc = (NodeConnection) key.attachment();
        if (nc.connection == null || nc.connection.key() != key || !key.isValid()) {
            return;
        }
        long now = nowMs();
        eventNowMs = now;
        try {
            if (key.isConnectable()) {
                if (((SocketChannel) key.channel()).finishConnect()) {
                    onTcpConnected(nc, now);
                }
                return;
            }
            if (states.state(nc.node.id()) == ConnectionState.TLS_HANDSHAKE) {
                continueHandshake(nc, now);
                return;
            }
            if (key.isReadable() && !read(nc, now)) {
                return;
            }
            if (nc.connection != null && key.isValid() && key.isWritable()) {
                nc.connection.flush(sendStaging());
            }
        } catch (ProtocolException e) {
            closeConnection(nc, now, e.getMessage(), true, e);
        } catch (IOException e) {
            String reason = describeIoError(e, nc, state(nc));
            if (e instanceof javax.net.ssl.SSLException && state(nc) == ConnectionState.TLS_HANDSHAKE) {
                observer.authenticationFailed(nc.node, new AuthenticationException(reason, e));
            }
            closedByBroker(nc, now, reason);
        }
    }

    /**
     * Reads what the connection has, up to its read budget; false when the broker closed it. A read that ended with
     * bytes left in the transport, where the selector cannot see them, queues the connection for the next poll.
     */
    private boolean read(NodeConnection nc, long now) throws IOException {
        if (!nc.connection.read(nc.frameHandler)) {
            closedByBroker(nc, now, "the broker closed the connection");
            return false;
        }
        if (nc.connection != null && nc.connection.hasBufferedInput() && !nc.pendingRead) {
            nc.pendingRead = true;
            pendingReads.add(nc);
        }
        return true;
    }

    /** Reads again the first {@code n} connections queued by {@link #read}, those queued before this poll. */
    private void readPending(int n) {
        for (int i = 0; i < n && !pendingReads.isEmpty(); i++) {
            NodeConnection nc = pendingReads.pollFirst();
            nc.pendingRead = false;
            if (nc.connection == null || !nc.connection.hasBufferedInput()) {
                continue; // closed, or the selector's own read this poll took the rest
            }
            long now = nowMs();
            eventNowMs = now;
            try {
                read(nc, now);
            } catch (ProtocolException e) {
                closeConnection(nc, now, e.getMessage(), true, e);
            } catch (IOException e) {
                closedByBroker(nc, now, describeIoError(e, nc, state(nc)));
            }
        }
    }

    /**
     * The broker ended the connection (end of stream or a reset). During a raw SASL exchange that is how a broker
     * before 1.0 refuses credentials, so the authenticator may turn it into an authentication failure; a time-out
     * or a protocol error is never reported that way.
     */
    private void closedByBroker(NodeConnection nc, long now, String reason) {
        AuthenticationException authFailure = nc.authenticator == null ? null : nc.authenticator.onDisconnect();
        if (authFailure == null) {
            closeConnection(nc, now, reason, true);
            return;
        }
        observer.authenticationFailed(nc.node, authFailure);
        closeConnection(nc, now, "authentication failed: " + authFailure.getMessage(), true, authFailure);
    }

    private ConnectionState state(NodeConnection nc) {
        return states.state(nc.node.id());
    }

    private static String describeIoError(IOException e, NodeConnection nc, ConnectionState state) {
        if (state == ConnectionState.CONNECTING && e instanceof ConnectException) {
            return "connection refused by " + nc.node.address();
        }
        if (state == ConnectionState.TLS_HANDSHAKE && e.getClass().getName().startsWith("javax.net.ssl")) {
            return "TLS handshake with " + nc.node.address() + " failed: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void onFrame(NodeConnection nc, ByteBuffer frame, boolean shared) {
        long now = eventNowMs;
        if (nc.authenticator != null && nc.authenticator.awaitsRawToken()) {
            onRawToken(nc, frame, now);
            return;
        }
        ClientResponse head = nc.inFlight.peekFirst();
        if (shared && head != null && head.apiKey.responseRetainsFrame()) {
            // The response will keep slices (records, bytes): give it bytes of its own, not the read buffer's.
            byte[] copy = new byte[frame.remaining()];
            frame.get(frame.position(), copy);
            frame = ByteBuffer.wrap(copy);
        }
        int frameBytes = frame.remaining() + 4;
        try {
            decodeFrame(nc, head, frame, frameBytes, now);
        } finally {
            frameReader.reset(noFrame); // keeps no large frame reachable until the next response
        }
    }

    private void decodeFrame(NodeConnection nc, ClientResponse head, ByteBuffer frame, int frameBytes, long now) {
        ByteReader reader = frameReader.reset(frame);
        int correlationId = reader.readInt();
        if (head == null) {
            throw new ProtocolException("Received a response (correlation id " + correlationId + ") from "
                    + nc.node + " with no request in flight");
        }
        if (correlationId != head.correlationId) {
            throw new ProtocolException("Correlation id mismatch from " + nc.node + ": expected "
                    + head.correlationId + " for " + head.apiKey.displayName() + ", got " + correlationId);
        }
        nc.inFlight.pollFirst();
        nc.lastActivityMs = now;
        head.bytesReceived = frameBytes;
        head.completedNanos = time.nanoTime();
        try {
            if (head.apiKey.responseHeaderVersion(head.version) >= 1) {
                skipTaggedFields(reader);
            }
            short decodeVersion = head.version;
            if (head.apiKey == ApiKey.API_VERSIONS) {
                ByteBuffer body = reader.buffer(); // the reader's position written back, for the peek
                if (body.remaining() >= 2 && body.getShort(body.position()) == UNSUPPORTED_VERSION) {
                    decodeVersion = 0; // a broker that does not know our version answers in v0 (KIP-511)
                }
            }
            head.response = head.request.decodeResponse(reader, decodeVersion);
        } catch (ProtocolException e) {
            head.error = e;
            completed.add(head);
            throw new ProtocolException("Malformed " + head.apiKey.displayName() + " v" + head.version
                    + " response from " + nc.node + ": " + e.getMessage(), e);
        }
        int throttle = head.response.throttleTimeMs();
        if (throttle > 0) {
            states.throttle(nc.node.id(), now, throttle);
            observer.throttled(nc.node.id(), head.apiKey, throttle);
        }
        completed.add(head);
    }

    private static void skipTaggedFields(ByteReader reader) {
        int count = reader.readUnsignedVarint();
        for (int i = 0; i < count; i++) {
            reader.readUnsignedVarint();
            reader.skip(reader.readUnsignedVarint());
        }
    }

    // ---------------------------------------------------------------- timeouts, idle, failures

    private long nextTimeoutMs(long now) {
        long next = Long.MAX_VALUE;
        long nowNanos = time.nanoTime();
        for (NodeConnection nc : connections.values()) {
            int id = nc.node.id();
            next = Math.min(next, states.setupTimeRemaining(id, now));
            ClientResponse head = nc.inFlight.peekFirst();
            if (head != null) {
                next = Math.min(next, Math.max(0, (head.deadlineNanos - nowNanos) / 1_000_000 + 1));
            }
            if (nc.reauthenticateAtMs != Long.MAX_VALUE) {
                next = Math.min(next, Math.max(0, nc.reauthenticateAtMs - now));
            }
        }
        return next;
    }

    private void handleTimeouts(long now) {
        if (connections.isEmpty()) {
            return;
        }
        long nowNanos = time.nanoTime();
        long maxIdle = config.connectionsMaxIdle().toMillis();
        NodeConnection[] all = connectionScratch = connections.values().toArray(connectionScratch);
        for (int i = 0; i < all.length && all[i] != null; i++) {
            NodeConnection nc = all[i];
            all[i] = null;
            int id = nc.node.id();
            if (nc.connection == null) {
                continue;
            }
            if (states.isSetupTimedOut(id, now)) {
                closeConnection(nc, now, "connection set-up timed out (" + state(nc).name().toLowerCase(java.util.Locale.ROOT)
                        + ") after " + (now - states.lastAttemptMs(id)) + " ms", true);
                continue;
            }
            ClientResponse head = nc.inFlight.peekFirst();
            if (head != null && nowNanos - head.deadlineNanos >= 0) {
                nc.inFlight.pollFirst();
                head.error = new KwireTimeoutException(head.apiKey.displayName() + " v" + head.version + " to "
                        + nc.node + " timed out after " + config.requestTimeout().toMillis() + " ms");
                head.completedNanos = nowNanos;
                completed.add(head);
                closeConnection(nc, now, "request timed out", true);
                continue;
            }
            if (state(nc) == ConnectionState.READY && nc.inFlight.isEmpty() && !nc.connection.hasQueuedSends()
                    && now - nc.lastActivityMs >= maxIdle) {
                log.debug("Closing idle connection to {}", nc.node);
                closeConnection(nc, now, "idle for " + (now - nc.lastActivityMs) + " ms", false);
                continue;
            }
            // KIP-368: once the session nears its end, hold new requests back, let those in flight finish, then
            // run the SASL exchange again on the same connection; requests resume when it completes.
            if (state(nc) == ConnectionState.READY && now >= nc.reauthenticateAtMs && nc.authenticator == null
                    && nc.inFlight.isEmpty()) {
                Authenticator auth = authenticatorFactory.create(nc.node, nc.versions);
                nc.reauthenticateAtMs = Long.MAX_VALUE;
                if (auth != null) {
                    nc.authenticator = auth;
                    continueAuthentication(nc, now);
                }
            }
        }
    }

    private void closeConnection(NodeConnection nc, long now, String reason, boolean failure) {
        closeConnection(nc, now, reason, failure, null);
    }

    private void closeConnection(NodeConnection nc, long now, String reason, boolean failure, KwireException cause) {
        int id = nc.node.id();
        ConnectionState stateBefore = states.state(id);
        if (nc.connection != null) {
            nc.connection.close();
            nc.connection = null;
        }
        connections.remove(id);
        nc.authenticator = null;
        long nowNanos = time.nanoTime();
        for (ClientResponse cr; (cr = nc.inFlight.pollFirst()) != null; ) {
            // A protocol error (forged size, wrong correlation id, garbage) is what the caller needs to see, not
            // the disconnect it caused.
            cr.error = cause instanceof ProtocolException ? cause
                    : new DisconnectedException("Connection to " + nc.node + " closed before the " + cr.apiKey.displayName()
                    + " response arrived: " + reason);
            cr.completedNanos = nowNanos;
            completed.add(cr);
        }
        if (failure) {
            states.markFailed(id, now, reason);
            metadata.requestUpdate();
            KwireException error = cause != null ? cause : new DisconnectedException("Connection to " + nc.node + " failed: " + reason);
            if (stateBefore.isSettingUp()) {
                log.debug("Connection to {} failed: {}", nc.node, reason);
                observer.connectionFailed(nc.node, error);
            } else {
                log.info("Connection to {} closed: {}", nc.node, reason);
                observer.connectionClosed(nc.node, reason);
            }
        } else {
            states.markClosed(id);
            observer.connectionClosed(nc.node, reason);
        }
    }

    private List<ClientResponse> completeEnded() {
        return completeEnded(true);
    }

    /**
     * Completes the futures of every request that ended, and tells the observer.
     *
     * @param collect whether to return the ended requests (the {@link #poll} result); the I/O thread of
     *                {@link KwireClient} does not need them, so it gets no list per poll
     */
    private List<ClientResponse> completeEnded(boolean collect) {
        // Only what had ended when the call began: a callback that sends a request ending at once (acks=0, an
        // encode failure) leaves it for the next poll, so a chain of such callbacks cannot run without I/O between.
        // A callback may call back in (close(nodeId), a nested poll): each call takes its entries from the queue,
        // so every future completes once, whichever call reaches it.
        int n = completed.size();
        if (n == 0) {
            return List.of();
        }
        List<ClientResponse> external = collect ? new ArrayList<>(n) : null;
        for (int i = 0; i < n; i++) {
            ClientResponse cr = completed.pollFirst();
            if (cr == null) {
                break; // a nested call completed the rest
            }
            ClientObserver.Outcome outcome = cr.error == null ? ClientObserver.Outcome.SUCCESS
                    : cr.error instanceof KwireTimeoutException ? ClientObserver.Outcome.TIMEOUT
                    : cr.error instanceof DisconnectedException ? ClientObserver.Outcome.DISCONNECTED
                    : ClientObserver.Outcome.FAILED;
            try {
                observer.requestCompleted(cr.apiKey, cr.version, cr.nodeId, cr.completedNanos - cr.createdNanos,
                        cr.bytesSent, cr.bytesReceived, outcome);
            } finally { // an observer's Error still lets the future complete; the rest wait in the queue
                if (cr.error == null) {
                    cr.future.complete(cr.response);
                } else {
                    cr.future.completeExceptionally(cr.error);
                }
            }
            if (collect && !cr.internal) {
                external.add(cr);
            }
        }
        return collect ? external : List.of();
    }

    // ---------------------------------------------------------------- metadata

    /** Sends a metadata request when one is due; returns how long until the next one might be. */
    private long maybeUpdateMetadata(long now) {
        if (metadata.inProgress()) {
            return Long.MAX_VALUE;
        }
        maybeRebootstrap(now);
        long wait = metadata.timeToNextUpdate(now);
        if (wait > 0) {
            return wait;
        }
        OptionalInt target = leastLoadedNode();
        if (target.isEmpty()) {
            return config.reconnectBackoff().toMillis();
        }
        int id = target.getAsInt();
        if (canSendRequest(id, now)) {
            NodeConnection nc = connections.get(id);
            CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
            f.whenComplete((response, error) -> onMetadata(response, error));
            doSend(nc, metadata.newRequest(now), f, true, now);
            return Long.MAX_VALUE;
        }
        if (states.state(id) == ConnectionState.DISCONNECTED) {
            Node node = nodeFor(id);
            if (node != null) {
                initiateConnect(node, now);
            }
        }
        return config.reconnectBackoff().toMillis();
    }

    private void onMetadata(MetadataResponse response, Throwable error) {
        long now = nowMs();
        if (error != null) {
            metadata.failed(now);
            return;
        }
        if (response.errorCode() == REBOOTSTRAP_REQUIRED) {
            metadata.failed(now);
            rebootstrap(now, "the broker asked for it (REBOOTSTRAP_REQUIRED)");
            return;
        }
        if (response.brokers().isEmpty()) {
            metadata.failed(now); // a broker that is still starting up answers with no brokers: keep the old view
            return;
        }
        ClusterMetadata snapshot = metadata.update(response, now, Instant.ofEpochMilli(time.currentTimeMillis()));
        lastMetadataSuccessOrBootstrapMs = now;
        Map<Integer, Node> next = new LinkedHashMap<>();
        for (Node b : snapshot.brokers()) {
            next.put(b.id(), b);
        }
        setKnownNodes(next);
        // Bootstrap connections have done their job once real brokers are known.
        for (NodeConnection nc : new ArrayList<>(connections.values())) {
            if (nc.node.isBootstrap() && nc.inFlight.isEmpty()) {
                closeConnection(nc, now, "bootstrap complete", false);
                states.remove(nc.node.id());
            }
        }
        observer.metadataUpdated(snapshot);
        if (!metadataWaiters.isEmpty()) {
            List<CompletableFuture<ClusterMetadata>> waiters = new ArrayList<>(metadataWaiters);
            metadataWaiters.clear();
            waiters.forEach(w -> w.complete(snapshot));
        }
    }

    /**
     * KIP-899/KIP-1102: when every known broker is unreachable, or no metadata has arrived for the rebootstrap
     * trigger time, start again from the bootstrap addresses (resolved afresh).
     */
    private void maybeRebootstrap(long now) {
        if (config.metadataRecoveryStrategy() != MetadataRecoveryStrategy.REBOOTSTRAP
                || knownNodes.keySet().equals(bootstrapNodes.keySet())) {
            return;
        }
        boolean allBlackedOut = true;
        for (int id : knownNodes.keySet()) {
            if (!states.isBlackedOut(id, now)) {
                allBlackedOut = false;
                break;
            }
        }
        if (allBlackedOut) {
            rebootstrap(now, "every known broker is unreachable");
        } else if (now - lastMetadataSuccessOrBootstrapMs >= config.metadataRecoveryRebootstrapTrigger().toMillis()) {
            rebootstrap(now, "no metadata for " + config.metadataRecoveryRebootstrapTrigger().toMillis() + " ms");
        }
    }

    private NodeConnection newNodeConnection(Node node) {
        NodeConnection nc = new NodeConnection(node);
        nc.frameHandler = (frame, shared) -> onFrame(nc, frame, shared); // one per connection, not one per read
        return nc;
    }

    private void setKnownNodes(Map<Integer, Node> nodes) {
        knownNodes = nodes;
        knownNodeArray = nodes.values().toArray(new Node[0]);
    }

    private void rebootstrap(long now, String why) {
        log.info("Rebootstrapping from {}: {}", config.bootstrapServers(), why);
        setKnownNodes(new LinkedHashMap<>(bootstrapNodes));
        for (int id : bootstrapNodes.keySet()) {
            states.remove(id);
        }
        lastMetadataSuccessOrBootstrapMs = now;
        metadata.requestUpdate();
    }

    // ---------------------------------------------------------------- versions

    /**
     * Infers the release of any broker (connecting to the least-loaded node), waiting at most
     * {@code apiVersionAutoTimeout} (2 s by default, the reference's timeout). With a fixed {@code apiVersion} in the
     * config, returns that release without asking a broker.
     */
    public BrokerVersion checkVersion() {
        return checkVersion(null, config.apiVersionAutoTimeout(), false);
    }

    /**
     * Infers the broker's Kafka release from its ApiVersions answer.
     *
     * @param nodeId  a node to ask, or null for any
     * @param strict  refuse to guess when the answer matches no known release exactly
     * @throws NodeNotReadyException       if {@code nodeId} was given and did not become ready in time
     * @throws NoBrokersAvailableException if no node became ready in time; lists each address with its cause
     */
    public BrokerVersion checkVersion(Integer nodeId, Duration timeout, boolean strict) {
        ensureOpen();
        long deadline = nowMs() + timeout.toMillis();
        while (true) {
            long now = nowMs();
            int target;
            if (nodeId != null) {
                target = nodeId;
            } else {
                OptionalInt any = readyNode();
                target = any.isPresent() ? any.getAsInt() : leastLoadedNode().orElse(Integer.MIN_VALUE);
            }
            if (target != Integer.MIN_VALUE) {
                maybeConnect(target);
                if (states.state(target) == ConnectionState.READY) {
                    NodeConnection nc = connections.get(target);
                    return BrokerVersions.infer(nc.versions.ranges(), strict);
                }
            }
            if (now >= deadline) {
                if (nodeId != null) {
                    throw new NodeNotReadyException("Node " + nodeId + " did not become ready within "
                            + timeout.toMillis() + " ms (" + describeState(nodeId) + ")");
                }
                throw noBrokersAvailable(timeout);
            }
            pollOnce(Math.min(deadline - now, 100), null);
        }
    }

    private OptionalInt readyNode() {
        for (Map.Entry<Integer, NodeConnection> e : connections.entrySet()) {
            if (states.state(e.getKey()) == ConnectionState.READY) {
                return OptionalInt.of(e.getKey());
            }
        }
        return OptionalInt.empty();
    }

    /** An error naming every address tried, each with its own cause. */
    NoBrokersAvailableException noBrokersAvailable(Duration waited) {
        StringBuilder sb = new StringBuilder("No broker available after ").append(waited.toMillis()).append(" ms:");
        Collection<Node> nodes = knownNodes.values();
        for (Node n : nodes) {
            String err = states.lastError(n.id());
            sb.append("\n  ").append(n.address()).append(": ")
                    .append(err != null ? err : describeState(n.id()));
        }
        return new NoBrokersAvailableException(sb.toString());
    }

    /** Last connection-level error of any node, for health reporting. */
    Optional<String> lastError() {
        String best = null;
        long bestTime = Long.MIN_VALUE;
        for (int id : knownNodes.keySet()) {
            String err = states.lastError(id);
            if (err != null && states.lastErrorMs(id) > bestTime) {
                best = err;
                bestTime = states.lastErrorMs(id);
            }
        }
        return Optional.ofNullable(best);
    }

    /** A problem with the client's own credentials, such as failing Kerberos renewals; for health reporting. */
    Optional<String> credentialProblem() {
        return authenticatorFactory.credentialProblem();
    }

    long lastErrorMs() {
        long bestTime = 0;
        for (int id : knownNodes.keySet()) {
            bestTime = Math.max(bestTime, states.lastErrorMs(id));
        }
        return bestTime;
    }

    /** A copy of every node's connection state. */
    public Map<Integer, ConnectionState> connectionStates() {
        Map<Integer, ConnectionState> out = new java.util.TreeMap<>();
        for (int id : knownNodes.keySet()) {
            out.put(id, states.state(id));
        }
        for (int id : connections.keySet()) {
            out.put(id, states.state(id));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    int connectionCount(ConnectionState state) {
        return states.count(state);
    }

    boolean metadataFresh() {
        return metadata.isFresh(nowMs());
    }

    // ---------------------------------------------------------------- closing

    /** Closes the connection to one node; its in-flight requests fail as disconnected. */
    public void close(int nodeId) {
        NodeConnection nc = connections.get(nodeId);
        if (nc != null) {
            closeConnection(nc, nowMs(), "closed by the client", false);
            completeEnded();
        }
    }

    /**
     * Closes every connection and the selector; every pending future completes (exceptionally). The client counts as
     * closed from the start: a future's callback that sends or asks for metadata during the close gets a future
     * failed with {@link ClientClosedException} and opens no connection.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            long now = nowMs();
            for (NodeConnection nc : new ArrayList<>(connections.values())) {
                for (ClientResponse cr : nc.inFlight) {
                    cr.error = new ClientClosedException("The client was closed before the "
                            + cr.apiKey.displayName() + " response arrived");
                    cr.completedNanos = time.nanoTime();
                    completed.add(cr);
                }
                nc.inFlight.clear();
                closeConnection(nc, now, "client closed", false);
            }
            while (!completed.isEmpty()) {
                completeEnded(false);
            }
            List<CompletableFuture<ClusterMetadata>> waiters = new ArrayList<>(metadataWaiters);
            metadataWaiters.clear();
            for (CompletableFuture<ClusterMetadata> w : waiters) {
                w.completeExceptionally(new ClientClosedException("The client was closed before metadata arrived"));
            }
        } finally {
            sendStaging = null; // a direct buffer: its memory goes with the next collection, not the client object's
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Closing the selector failed: {}", e.getMessage());
            }
            authenticatorFactory.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Monotonic milliseconds: every deadline in the client is measured on this clock, never the wall clock. */
    private long nowMs() {
        return time.nanoTime() / 1_000_000;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClientClosedException("The client is closed");
        }
    }
}
