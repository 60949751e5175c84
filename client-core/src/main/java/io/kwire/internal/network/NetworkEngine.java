package io.kwire.internal.network;

import io.kwire.client.BrokerVersions;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClientResponse;
import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.Time;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireException;
import io.kwire.internal.metadata.MetadataTracker;
import io.kwire.internal.metadata.MetadataUpdater;
import io.kwire.internal.util.ExponentialBackoff;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.NodeApiVersions;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop under both client faces. One {@link #poll}: send a metadata request if one is due, flush the queued
 * frames of each connection with one write per staging buffer, select (spinning briefly first while requests are
 * likely in flight, {@link SelectSpin}), read and cut frames (each connection matches
 * them to its requests), expire set-up and request timeouts and reap idle connections, flush again, and complete the
 * futures of everything that ended. Time, randomness (back-off jitter, re-authentication time, the least-loaded
 * scan's start) and the selector provider come from outside, so a test can step the loop with a manual clock.
 *
 * <p>Connections are {@link BrokerConnection}s, one per broker and {@link ConnectionClass}, each owning its set-up
 * steps; a request's class is decided once by the {@link ConnectionRouter}. What outlives a connection (back-off,
 * failures, last error) is the broker's {@link ConnectionHistory}, shared by its classes; nodes and refreshes are the
 * {@link MetadataUpdater}'s. An exception thrown by a connection's set-up step closes that connection at once with
 * that exception as the reason.
 *
 * <p>Not thread-safe: the polling thread owns it; {@link #wakeup()} and {@link #authenticationProgressed} (which a
 * SASL thread calls) are the methods any thread may call.
 */
public final class NetworkEngine implements BrokerConnection.Events, MetadataUpdater.Network {

    private static final Logger log = LoggerFactory.getLogger(NetworkEngine.class);
    /**
     * The most one write system call sends. A 1 MB record batch takes four writes, a few microseconds next to the
     * milliseconds the broker spends on it, and a client holds only this much staging memory for all connections.
     */
    private static final int SEND_STAGING_BYTES = 256 * 1024;
    /** How long {@link #close} waits for the host lookups' threads to end: idle ones end at once, a hung one never. */
    private static final long LOOKUP_CLOSE_WAIT_MS = 100;

    private final KafkaClientConfig config;
    private final Time time;
    private final Selector selector;
    private final ClientObserver observer;
    private final ConnectionHistory history;
    private final MetadataUpdater metadata;
    private final Completions completions;
    private final BrokerConnection.Shared shared;
    private final AuthenticatorFactory authenticators;
    private final TransportFactory transports;
    private final Connections connections;
    private final HostLookups lookups;
    private final ConnectionRouter router;
    private final EngineView view;
    private final List<BrokerConnection> dirty = new ArrayList<>();
    /** Connections whose last read ended on its budget with bytes left in the transport (TLS): read next poll. */
    private final ArrayDeque<BrokerConnection> pendingReads = new ArrayDeque<>();
    /** Connections whose authenticator finished a step off this thread (queued by that thread). */
    private final ConcurrentLinkedQueue<BrokerConnection> resumes = new ConcurrentLinkedQueue<>();
    private final Consumer<SelectionKey> keyHandler = this::handleKey;
    /**
     * Where every connection lays out its queued frames for the write system call; allocated on first use. Direct
     * for plain TCP, so the JDK makes no copy of its own; on the heap for TLS, whose ciphers work fastest on arrays.
     */
    private ByteBuffer sendStaging;
    private final SelectSpin spin;
    /** Whether this poll wrote bytes or the last one read some: requests are likely in flight. */
    private boolean active;
    private NodeApiVersions lastVersions;
    private boolean closed;

    /**
     * An engine whose connections use {@code transports} and {@code authenticators}; it owns both factories from
     * here on and closes them with itself, or at once if construction fails.
     *
     * @param random the source of back-off jitter, re-authentication times and the least-loaded scan's start
     */
    public NetworkEngine(KafkaClientConfig config, TransportFactory transports, AuthenticatorFactory authenticators,
                         RandomGenerator random) {
        this.config = config;
        this.time = config.time();
        this.authenticators = authenticators;
        this.transports = transports;
        this.observer = GuardedObserver.wrap(config.observer());
        this.completions = new Completions(observer);
        try {
            ExponentialBackoff reconnect = new ExponentialBackoff(config.reconnectBackoff().toMillis(),
                    config.reconnectBackoffMax().toMillis(), 0.2, random::nextDouble);
            ExponentialBackoff setup = new ExponentialBackoff(config.socketConnectionSetupTimeout().toMillis(),
                    config.socketConnectionSetupTimeoutMax().toMillis(), 0.2, random::nextDouble);
            this.history = new ConnectionHistory(reconnect, setup);
            MetadataTracker tracker = new MetadataTracker(config.metadataMaxAge().toMillis(), new ExponentialBackoff(
                    config.retryBackoff().toMillis(), config.retryBackoffMax().toMillis(), 0.2, random::nextDouble));
            List<Node> bootstrap = BootstrapAddresses.parse(config.bootstrapServers(), config.clientDnsLookup(),
                    config.hostResolver());
            this.metadata = new MetadataUpdater(config, tracker, bootstrap, observer, nowMs());
            NodeApiVersions fixedVersions = config.apiVersion()
                    .map(v -> new NodeApiVersions(BrokerVersions.apiVersionsFor(v))).orElse(null);
            this.shared = new BrokerConnection.Shared(new FrameCodec(config.clientId()), time, random, authenticators,
                    fixedVersions, config.clientSoftwareName(), config.clientSoftwareVersion(),
                    config.requestTimeout().toNanos(), config.maxInFlightRequestsPerConnection(), this,
                    metadata.identity());
            SocketConnector connector = new SocketConnector(new SocketConnector.Settings(config.selectorProvider(),
                    config.socketOptions(), config.receiveBufferBytes(), config.sendBufferBytes(),
                    config.maxResponseSize()), transports);
            try {
                this.selector = config.selectorProvider().openSelector();
            } catch (IOException e) {
                throw new KwireException("Could not open a selector: " + e.getMessage(), e);
            }
            this.lookups = new HostLookups(config.hostResolver(), this::wakeup, "kwire-dns-" + config.clientId());
            this.connections = new Connections(config, random, selector, observer, history, connector, metadata,
                    completions, shared, lookups);
        } catch (RuntimeException e) {
            // A Kerberos login or an OpenSSL context made for this client must not outlive the failure.
            closeFactories();
            throw e;
        }
        this.router = new ConnectionRouter(config);
        this.spin = new SelectSpin(config.pollSpin().toNanos());
        this.view = new EngineView(this);
        metadata.attach(this);
    }

    public KafkaClientConfig config() {
        return config;
    }

    public MetadataUpdater metadata() {
        return metadata;
    }

    /** Monotonic milliseconds: every deadline in the engine is measured on this clock, never the wall clock. */
    public long nowMs() {
        return time.nanoTime() / 1_000_000;
    }

    // ---------------------------------------------------------------- the loop

    /**
     * One round of network I/O, waiting at most {@code timeoutMs} (less when a refresh or a deadline is due sooner,
     * none when something already ended or {@code future} is done).
     *
     * @param collect whether to return the requests that ended (the reference's {@code poll} result)
     */
    public List<ClientResponse> poll(long timeoutMs, Future<?> future, boolean collect) {
        if (closed) {
            throw new ClientClosedException("The client is closed");
        }
        long now = nowMs();
        long metadataWait = metadata.maybeUpdate(now);
        flushDirty(now);
        long wait = Math.min(timeoutMs, Math.min(metadataWait, connections.nextDeadlineMs(now)));
        // A finished host lookup or SASL step needs no check here: its thread wakes the selector after queuing it.
        if (!completions.isEmpty() || !pendingReads.isEmpty() || (future != null && future.isDone())) {
            wait = 0;
        }
        int pending = pendingReads.size();
        select(wait);
        readPending(pending);
        now = nowMs();
        connections.lookupsDone(now);
        resumeAuthentications(now);
        connections.expire(now);
        flushDirty(now);
        return completions.completeEnded(collect);
    }

    /** Sends what comes next on connections whose SASL step, run off this thread, has finished. */
    private void resumeAuthentications(long now) {
        BrokerConnection c;
        while ((c = resumes.poll()) != null) {
            if (!connections.isOpen(c)) {
                continue;
            }
            try {
                c.resumeAuthentication(now);
            } catch (RuntimeException e) {
                connections.failed(c, now, e);
            }
        }
    }

    /** Whether a finished host lookup waits to be taken by the next poll; for tests. */
    boolean lookupsWaiting() {
        return lookups.hasResults();
    }

    /** How long the selector may wait now for the connections' deadlines; for tests. */
    long deadlineWaitMs() {
        return connections.nextDeadlineMs(nowMs());
    }

    private void select(long waitMs) {
        try {
            // The consumer form hands each ready key straight to us: no selected-key set to iterate and clear.
            active = spin.select(selector, keyHandler, waitMs, active) > 0;
        } catch (IOException e) {
            throw new KwireException("Selector failed: " + e.getMessage(), e);
        } finally {
            spin.polled();
        }
    }

    /**
     * Tells the observer of a request that ended before it was sent: version -1, no bytes. For the client faces,
     * on the polling thread, so that metrics count the requests an outage failed.
     */
    public void reportUnsent(ApiKey api, int nodeId, long createdNanos, KwireException error) {
        observer.requestCompleted(api, (short) -1, nodeId, time.nanoTime() - createdNanos, 0, 0,
                Completions.outcome(error));
    }

    /** Wakes a thread blocked in {@link #poll}; safe from any thread. */
    public void wakeup() {
        spin.wakeupRequested();
        selector.wakeup();
    }

    private void handleKey(SelectionKey key) {
        BrokerConnection c = (BrokerConnection) key.attachment();
        if (!connections.isOpen(c) || !key.isValid()) {
            return;
        }
        long now = nowMs();
        try {
            if (key.isConnectable()) {
                if (((SocketChannel) key.channel()).finishConnect()) {
                    c.onTcpConnected(now);
                }
                return;
            }
            if (c.step() == BrokerConnection.Step.PROXY) {
                c.continueProxy(now);
                return;
            }
            if (c.step() == BrokerConnection.Step.TLS) {
                c.continueTls(now);
                return;
            }
            if (key.isReadable() && !read(c, now)) {
                return;
            }
            if (connections.isOpen(c) && key.isValid() && key.isWritable()) {
                c.connection.flush(stagingFor(c.connection));
            }
        } catch (IOException e) {
            String reason = ConnectErrors.describe(e, c);
            connections.closedByBroker(c, now, reason, e);
        } catch (RuntimeException e) {
            connections.failed(c, now, e);
        }
    }

    /**
     * Reads what the connection has, up to its read budget; false when the broker closed it. A read that ended with
     * bytes left in the transport, where the selector cannot see them, queues the connection for the next poll.
     */
    private boolean read(BrokerConnection c, long now) throws IOException {
        if (!c.read(now)) {
            connections.closedByBroker(c, now, "the broker closed the connection", null);
            return false;
        }
        if (connections.isOpen(c) && c.connection.hasBufferedInput() && !c.pendingRead) {
            c.pendingRead = true;
            pendingReads.add(c);
        }
        return true;
    }

    /** Reads again the first {@code n} connections queued by {@link #read}, those queued before this poll. */
    private void readPending(int n) {
        for (int i = 0; i < n && !pendingReads.isEmpty(); i++) {
            BrokerConnection c = pendingReads.pollFirst();
            c.pendingRead = false;
            if (!connections.isOpen(c) || !c.connection.hasBufferedInput()) {
                continue; // closed, or the selector's own read this poll took the rest
            }
            long now = nowMs();
            try {
                read(c, now);
            } catch (IOException e) {
                connections.closedByBroker(c, now, ConnectErrors.describe(e, c), e);
            } catch (RuntimeException e) {
                connections.failed(c, now, e);
            }
        }
    }

    /** The staging buffer, allocated on first use: a TLS client's gathering connections never need one. */
    private ByteBuffer stagingFor(Connection connection) {
        return connection.gathersWrites() ? null : sendStaging();
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
            BrokerConnection c = dirty.get(i);
            c.queued = false;
            if (!connections.isOpen(c)) {
                continue;
            }
            try {
                if (c.connection.flush(stagingFor(c.connection)) > 0) {
                    active = true;
                }
            } catch (IOException e) {
                connections.close(c, now, "write failed: " + e.getMessage(), true, null);
            } catch (RuntimeException e) {
                connections.failed(c, now, e);
            }
        }
        dirty.clear();
    }

    // ---------------------------------------------------------------- BrokerConnection.Events

    @Override
    public void authenticationProgressed(BrokerConnection c) {
        resumes.add(c);
        wakeup();
    }

    @Override
    public void queued(BrokerConnection c) {
        if (!c.queued) {
            c.queued = true;
            dirty.add(c);
        }
    }

    @Override
    public void ended(InFlightRequest request) {
        completions.add(request);
    }

    @Override
    public void requestInFlight(InFlightRequest request) {
        connections.requestSent(request);
    }

    @Override
    public void deadlinesChanged(BrokerConnection c) {
        connections.rescheduled();
    }

    @Override
    public void throttled(BrokerConnection c, ApiKey api, int throttleMs, long nowMs) {
        history.throttle(c.node.id(), nowMs, throttleMs);
        observer.throttled(c.node.id(), api, throttleMs);
    }

    @Override
    public void apiVersionsKnown(BrokerConnection c) {
        lastVersions = c.versions();
    }

    @Override
    public void ready(BrokerConnection c, long nowMs) {
        history.markReady(c.node.id());
        log.debug("Connection to {} is ready", c.node);
        observer.connectionReady(c.node);
    }

    // ---------------------------------------------------------------- connecting

    /**
     * Starts a control connection to the node if it has none and its back-off allows; returns true if one is under
     * way or ready. The TCP connect starts here, without blocking.
     */
    public boolean connect(int nodeId) {
        return connect(nodeId, ConnectionClass.CONTROL);
    }

    /** As {@link #connect(int)}, for the node's connection of class {@code c} (merged classes: control's). */
    public boolean connect(int nodeId, ConnectionClass c) {
        ConnectionClass cls = router.effective(c);
        connect(nodeId, cls, nowMs());
        return connections.get(nodeId, cls) != null;
    }

    @Override
    public void connect(int nodeId, long now) {
        connect(nodeId, ConnectionClass.CONTROL, now);
    }

    private void connect(int nodeId, ConnectionClass c, long now) {
        if (!closed) {
            connections.connect(nodeId, c, now);
        }
    }

    /** The class that carries {@code c}'s requests: itself if it has connections of its own, else CONTROL. */
    public ConnectionClass effective(ConnectionClass c) {
        return router.effective(c);
    }

    /** The class {@code request} travels on, {@code override} (may be null) being the caller's choice. */
    public ConnectionClass route(ApiRequest<?> request, ConnectionClass override) {
        return router.route(request, override);
    }

    // ---------------------------------------------------------------- sending

    /** Whether the node has a ready control connection with room, outside any throttle window. */
    @Override
    public boolean canSend(int nodeId, long now) {
        return canSend(nodeId, ConnectionClass.CONTROL, now);
    }

    /** Whether the node's connection of class {@code c} (merged: control's) is ready with room, not throttled. */
    public boolean canSend(int nodeId, ConnectionClass c, long now) {
        return canSend(connections.get(nodeId, router.effective(c)), nodeId, now);
    }

    private boolean canSend(BrokerConnection c, int nodeId, long now) {
        return canSend(c, nodeId, c == null ? null : c.connectionClass, now);
    }

    /**
     * Whether {@code c} can take a request of class {@code cls} now: ready with room, not throttled, and no request of
     * the class still in flight on a connection being drained (recycled), which a new one must not overtake.
     */
    private boolean canSend(BrokerConnection c, int nodeId, ConnectionClass cls, long now) {
        return c != null && c.canSend(now) && history.throttleDelay(nodeId, now) == 0
                && !connections.drainingHolds(nodeId, cls);
    }

    /**
     * Queues the request on the node's connection of its own class if that can take it now, else on the control
     * connection while its own is set up: {@link #trySend(int, ConnectionClass, ApiRequest, CompletableFuture,
     * boolean)} with the class {@link #route} gives and the fallback.
     */
    public <R extends ApiResponse> boolean trySend(int nodeId, ApiRequest<R> request, CompletableFuture<R> future) {
        return trySend(nodeId, route(request, null), request, future, true);
    }

    /**
     * Queues the request on the node's connection of class {@code cls} (as {@link #route} decided) if it can take it
     * now, completing {@code future} when it ends; returns false (leaving the future alone) when it is not ready. The
     * version is the highest both sides support; none in common fails the future with
     * {@link io.kwire.errors.UnsupportedVersionException}.
     *
     * @param fallback whether, while the class's own connection is not established, the request may go on the
     *                 control connection instead (the reference face, whose callers wait for {@code ready(node)},
     *                 the control class); requests of a class follow those still in flight on another connection,
     *                 so that they never overtake each other
     */
    public <R extends ApiResponse> boolean trySend(int nodeId, ConnectionClass cls, ApiRequest<R> request,
                                                   CompletableFuture<R> future, boolean fallback) {
        long now = nowMs();
        NodeConnections group = connections.node(nodeId);
        BrokerConnection c = group == null ? null : group.get(cls);
        if (group != null && fallback && cls != ConnectionClass.CONTROL) {
            BrokerConnection carrier = group.carrierOf(cls);
            if (carrier != null) {
                c = carrier;
            } else if (c == null || !c.step().isEstablished()) {
                connect(nodeId, cls, now); // the class's own connection, for the requests after this one
                c = group.get(ConnectionClass.CONTROL);
            }
        }
        if (!canSend(c, nodeId, cls, now)) {
            return false;
        }
        if (c.connectionClass != cls) {
            group.carriedForeign();
        }
        send(c, request, future, false, cls, now);
        return true;
    }

    @Override
    public short metadataVersion(int nodeId) {
        return connections.get(nodeId, ConnectionClass.CONTROL).versions().latestUsableVersion(ApiKey.METADATA);
    }

    @Override
    public void send(int nodeId, MetadataRequest request, CompletableFuture<MetadataResponse> future, long now) {
        send(connections.get(nodeId, ConnectionClass.CONTROL), request, future, true, ConnectionClass.CONTROL, now);
    }

    private <R extends ApiResponse> void send(BrokerConnection c, ApiRequest<R> request, CompletableFuture<R> future,
                                              boolean internal, ConnectionClass cls, long now) {
        short version;
        try {
            version = VersionChoice.choose(request, c.versions());
        } catch (KwireException e) {
            future.completeExceptionally(e);
            return;
        }
        c.send(request, version, future, internal, cls, now);
    }

    // ---------------------------------------------------------------- MetadataUpdater.Network

    /**
     * The node best suited for a request that may go anywhere: a ready connection with nothing in flight, else the
     * ready one with the fewest in flight, else one being set up, else the connectable node tried longest ago. Never
     * a node in back-off or throttled. The scan starts at a random node, so that equal nodes share the load.
     */
    @Override
    public OptionalInt leastLoadedNode(long now) {
        return connections.leastLoadedNode(now, ConnectionClass.CONTROL);
    }

    /** As {@link #leastLoadedNode(long)}, judged by the nodes' connections of class {@code c}. */
    public OptionalInt leastLoadedNode(long now, ConnectionClass c) {
        return connections.leastLoadedNode(now, router.effective(c));
    }

    @Override
    public boolean isBlackedOut(int nodeId, long now) {
        return connections.node(nodeId) == null && history.isBlackedOut(nodeId, now);
    }

    @Override
    public void bootstrapDone(long now) {
        connections.bootstrapDone(now);
    }

    @Override
    public void forget(Collection<Integer> nodeIds) {
        for (int id : nodeIds) {
            history.remove(id);
        }
    }

    // ---------------------------------------------------------------- what the API reads

    /** The connections of a node, or null; for {@link EngineView}. */
    NodeConnections node(int nodeId) {
        return connections.node(nodeId);
    }

    /** The node's connection of class {@code c} (merged: control's), or null; for {@link EngineView}. */
    BrokerConnection connection(int nodeId, ConnectionClass c) {
        return connections.get(nodeId, router.effective(c));
    }

    ConnectionRouter router() {
        return router;
    }

    Collection<BrokerConnection> connections() {
        return connections.all();
    }

    ConnectionHistory history() {
        return history;
    }

    int maxInFlight() {
        return shared.maxInFlight();
    }

    /** What the engine knows about nodes and connections, for the client faces and health reports. */
    public EngineView view() {
        return view;
    }

    /** The version ranges of the broker that answered ApiVersions last, or null. */
    public NodeApiVersions lastApiVersions() {
        return lastVersions;
    }

    public AuthenticatorFactory authenticators() {
        return authenticators;
    }

    /** The transports of new connections: their TLS material and its rotation state. */
    public TransportFactory transports() {
        return transports;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes every connection to one node, of every class; their in-flight requests fail as disconnected, their
     * futures at once.
     */
    public void close(int nodeId) {
        connections.closeNode(nodeId, nowMs()); // those being drained too, which no group holds
        completions.completeEnded(false);
    }

    /**
     * Closes every connection and the selector; every pending future completes (exceptionally). The engine counts as
     * closed from the start: a callback that sends or connects during the close opens nothing.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connections.closeAll(nowMs());
            completions.completeAll();
            metadata.close();
        } finally {
            closeLookups();
            sendStaging = null; // a direct buffer: its memory goes with the next collection, not the engine object's
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Closing the selector failed: {}", e.getMessage());
            }
            closeFactories();
        }
    }

    /** Closes the transport and authenticator factories, the one whatever the other does. */
    private void closeFactories() {
        try {
            transports.close();
        } catch (RuntimeException e) {
            log.warn("Closing the transport factory failed", e);
        } finally {
            authenticators.close();
        }
    }

    /**
     * Stops the host lookups: their threads end at once unless one is blocked in the operating system's resolver,
     * which no interrupt ends; such a thread (a daemon) ends when the name server answers.
     */
    private void closeLookups() {
        try {
            Set<String> left = lookups.close(LOOKUP_CLOSE_WAIT_MS);
            if (!left.isEmpty()) {
                log.warn("The DNS lookup of {} was still running {} ms after the client closed; its thread ends when"
                        + " the name server answers", left, LOOKUP_CLOSE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
