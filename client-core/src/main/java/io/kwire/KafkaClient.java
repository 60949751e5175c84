package io.kwire;

import io.kwire.client.BrokerVersion;
import io.kwire.client.BrokerVersions;
import io.kwire.client.ClientResponse;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.TlsStatus;
import io.kwire.client.UnavailableNodePolicy;
import io.kwire.client.VersionRange;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.internal.network.EngineView;
import io.kwire.internal.network.NetworkEngine;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.NodeApiVersions;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;

/**
 * The asynchronous request/response network client, kwire's counterpart of kafka-python's {@code KafkaClient}:
 * connections to brokers, cluster metadata, API-version negotiation, back-off and timeouts, driven by
 * {@link #poll}. This class is the reference's API; the event loop, the connections and their set-up steps, and
 * the metadata refreshes are the internal engine's ({@code io.kwire.internal}).
 *
 * <p><b>Not thread-safe</b>, like the reference: the thread that calls {@link #poll} owns it, and
 * {@link #wakeup()} is the one method any thread may call. {@link KwireClient} is the thread-safe face that runs
 * the poll loop on an I/O thread of its own.
 */
public final class KafkaClient implements AutoCloseable {

    private final KafkaClientConfig config;
    private final NetworkEngine engine;
    private final EngineView view;
    private final boolean failFast;

    /**
     * A client whose connections use the configured security protocol: plain TCP or TLS, with or without SASL.
     *
     * @throws io.kwire.errors.ConfigException for unreadable TLS material or an unknown SASL mechanism
     */
    public KafkaClient(KafkaClientConfig config) {
        this(config, SecurityPair.of(config));
    }

    private KafkaClient(KafkaClientConfig config, SecurityPair security) {
        this(config, security.transports(), security.authenticators());
    }

    /**
     * A client with its own transport and SASL exchange (for example with user-registered SASL mechanisms). The
     * client owns both factories from here on and closes them with itself: give each client its own.
     */
    public KafkaClient(KafkaClientConfig config, TransportFactory transportFactory,
                       AuthenticatorFactory authenticatorFactory) {
        this.config = config;
        this.engine = new NetworkEngine(config, transportFactory, authenticatorFactory, new SplittableRandom());
        this.view = engine.view();
        this.failFast = config.unavailableNodePolicy() == UnavailableNodePolicy.FAIL_FAST;
    }

    /**
     * Hands the client new TLS material, for example a rotated certificate: connections opened from now on use
     * {@code context}, and with {@link KafkaClientConfig#sslRecycleConnections()} the open ones move over during the
     * next polls without failing a request in flight. May be called from any thread; a later change of the TLS
     * files the client watches, if any, replaces it in turn.
     *
     * @throws io.kwire.errors.ConfigException when the client does not use TLS, or the context supports none of the
     *                                         configured protocols or not the configured ciphers
     * @throws io.kwire.errors.ClientClosedException when the client is closed
     */
    public void updateSslContext(SSLContext context) {
        engine.transports().updateSslContext(context);
        engine.wakeup();
    }

    /** Where the TLS material stands (rotation, the last reload and its error); empty without TLS. */
    public Optional<TlsStatus> tlsStatus() {
        return view.tlsStatus();
    }

    // ---------------------------------------------------------------- metadata

    public KafkaClientConfig config() {
        return config;
    }

    /** The latest cluster snapshot. */
    public ClusterMetadata cluster() {
        return engine.metadata().cluster();
    }

    /**
     * Tracks a topic; the future completes after the next metadata response. On a closed client the future fails
     * with {@link ClientClosedException}, as {@link #send} and {@link #requestMetadataUpdate} do.
     */
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        return engine.isClosed() ? closedFuture() : engine.metadata().addTopic(topic);
    }

    /** Replaces the set of tracked topics. */
    public void setTopics(Collection<String> topics) {
        ensureOpen();
        engine.metadata().tracker().setTopics(topics);
    }

    /** Whether metadata covers every topic of the cluster rather than only the tracked ones. */
    public void setAllTopics(boolean allTopics) {
        engine.metadata().tracker().setAllTopics(allTopics);
    }

    /** Asks for a metadata refresh on the next poll (subject to the refresh back-off). */
    public CompletableFuture<ClusterMetadata> requestMetadataUpdate() {
        return engine.isClosed() ? closedFuture() : engine.metadata().requestUpdate();
    }

    // ---------------------------------------------------------------- connections

    /** Milliseconds to wait before sending to the node, as kafka-python defines it. */
    public long connectionDelay(int nodeId) {
        return view.connectionDelay(nodeId, engine.nowMs());
    }

    /**
     * The version ranges of the broker that answered ApiVersions last, as the reference's {@code get_api_versions};
     * empty (the reference's None) until one has answered. A client configured with a fixed {@code apiVersion}
     * never asks, so this stays empty for it; {@link #checkVersion} then reports the configured release.
     */
    public Map<ApiKey, VersionRange> getApiVersions() {
        return toRanges(engine.lastApiVersions());
    }

    /** The version ranges the node advertised, or empty if it has no ready connection yet. */
    public Map<ApiKey, VersionRange> getApiVersions(int nodeId) {
        return toRanges(view.apiVersions(nodeId));
    }

    private static Map<ApiKey, VersionRange> toRanges(NodeApiVersions versions) {
        if (versions == null) {
            return Map.of();
        }
        Map<ApiKey, VersionRange> out = new EnumMap<>(ApiKey.class);
        for (ApiKey key : ApiKey.values()) {
            short[] range = versions.ranges().get(key.id());
            if (range != null) {
                out.put(key, new VersionRange(range[0], range[1]));
            }
        }
        return out;
    }

    public int inFlightRequestCount() {
        return view.inFlightRequestCount();
    }

    /** The node's requests in flight, on its connections of every {@link ConnectionClass}. */
    public int inFlightRequestCount(int nodeId) {
        return view.inFlightRequestCount(nodeId);
    }

    /** The requests in flight on the node's connection of class {@code c}. */
    public int inFlightRequestCount(int nodeId, ConnectionClass c) {
        return view.inFlightRequestCount(nodeId, c);
    }

    /**
     * True if the client has connected to (or tried) the node and it has no connection now, closed or failed;
     * such a node may have left the metadata since.
     */
    public boolean isDisconnected(int nodeId) {
        return view.isDisconnected(nodeId);
    }

    /** Whether the node's control connection can take a request now (metadata first, as below). */
    public boolean isReady(int nodeId) {
        return isReady(nodeId, true);
    }

    /**
     * Whether the node's connection of class {@code c} can take a request now (a class without connections of its
     * own asks the control connection). Metadata refreshes, which travel on the control connection, do not hold up
     * the other classes.
     */
    public boolean isReady(int nodeId, ConnectionClass c) {
        long now = engine.nowMs();
        if (engine.effective(c) == ConnectionClass.CONTROL && engine.metadata().hasPriority(now)) {
            return false;
        }
        return engine.canSend(nodeId, c, now);
    }

    /**
     * Whether a request can be sent to the node's control connection now; {@link #send(int, ApiRequest)} of another
     * class uses it too while that class's own connection is being set up. With {@code metadataPriority}, a node is
     * not ready while a metadata refresh is due or in flight, so that the refresh goes first.
     */
    public boolean isReady(int nodeId, boolean metadataPriority) {
        long now = engine.nowMs();
        if (metadataPriority && engine.metadata().hasPriority(now)) {
            return false;
        }
        return engine.canSend(nodeId, now);
    }

    /** Starts connecting to the node if it is not connected; returns whether it is ready now. */
    public boolean ready(int nodeId) {
        return ready(nodeId, true);
    }

    public boolean ready(int nodeId, boolean metadataPriority) {
        maybeConnect(nodeId);
        return isReady(nodeId, metadataPriority);
    }

    /** Starts connecting the node's connection of class {@code c} if it has none; returns whether it is ready now. */
    public boolean ready(int nodeId, ConnectionClass c) {
        ensureOpen();
        engine.connect(nodeId, c);
        return isReady(nodeId, c);
    }

    /**
     * The {@link ConnectionClass} {@code request} travels on: its API's class (as configured), {@code SLOW} for a
     * broker-side wait beyond the threshold, {@code CONTROL} for a class merged into it.
     */
    public ConnectionClass connectionClassOf(ApiRequest<?> request) {
        return engine.route(request, null);
    }

    /**
     * Starts a connection to the node if none exists and its back-off allows; returns true if one is under way or
     * ready. Unlike the reference, which queues the connection for the next poll, the connect starts here
     * (non-blocking), and {@code wakeup} defaults to false: a client polled by one thread has nothing to wake.
     */
    public boolean maybeConnect(int nodeId) {
        return maybeConnect(nodeId, false);
    }

    /** As {@link #maybeConnect(int)}, then wakes a thread blocked in {@link #poll} when {@code wakeup} is true. */
    public boolean maybeConnect(int nodeId, boolean wakeup) {
        ensureOpen();
        boolean underWay = engine.connect(nodeId);
        if (wakeup) {
            wakeup();
        }
        return underWay;
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
        return engine.leastLoadedNode(engine.nowMs());
    }

    /**
     * A copy of every node's connection state: that of its control connection, else of its most advanced connection
     * of another class.
     */
    public Map<Integer, ConnectionState> connectionStates() {
        return view.states();
    }

    /** The state of the node's connection of class {@code c} (a class merged into control: control's). */
    public ConnectionState connectionState(int nodeId, ConnectionClass c) {
        return view.state(nodeId, c);
    }

    // ---------------------------------------------------------------- requests

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
     * <p>The request travels on the node's connection of its {@link ConnectionClass} ({@link #connectionClassOf});
     * while that connection is being set up (started here), it goes on the control connection, which is what
     * {@link #ready(int)} prepares, so the reference's "ready, then send" keeps working. Requests of one class never
     * overtake each other: while some are in flight on the control connection, the next follow them there.
     *
     * <p>Record batches (and other byte fields of 4 KiB or more) are written to the socket by reference, not
     * copied: leave their buffers unchanged until the future completes.
     */
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request, boolean wakeup) {
        return send(nodeId, request, null, wakeup);
    }

    /**
     * As {@link #send(int, ApiRequest, boolean)} without waking a polling thread, on the node's connection of class
     * {@code connectionClass} and no other: when that connection is not ready ({@link #ready(int, ConnectionClass)}),
     * the future fails with {@link NodeNotReadyException} and the connection starts. A class without connections of
     * its own ({@link KafkaClientConfig#connectionClasses()}) means the control connection.
     */
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             ConnectionClass connectionClass) {
        return send(nodeId, request, java.util.Objects.requireNonNull(connectionClass, "connectionClass"), false);
    }

    private <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                              ConnectionClass override, boolean wakeup) {
        CompletableFuture<R> future = new CompletableFuture<>();
        if (engine.isClosed()) {
            future.completeExceptionally(new ClientClosedException("The client is closed"));
            return future;
        }
        ConnectionClass cls = engine.route(request, override);
        if (!engine.trySend(nodeId, cls, request, future, override == null)) {
            long created = config.time().nanoTime();
            engine.connect(nodeId, override == null ? ConnectionClass.CONTROL : cls);
            long now = engine.nowMs();
            NodeNotReadyException notReady = new NodeNotReadyException("Node " + nodeId + " is not ready to send ("
                    + (override == null ? "" : cls.tag() + " connection: ")
                    + view.describe(nodeId, override == null ? ConnectionClass.CONTROL : cls, now) + ")",
                    view.unavailableBecause(nodeId, cls, now));
            engine.reportUnsent(request.apiKey(), nodeId, created, notReady);
            future.completeExceptionally(notReady);
        } else if (wakeup) {
            wakeup();
        }
        return future;
    }

    /** Wakes a thread blocked in {@link #poll}; safe from any thread. */
    public void wakeup() {
        engine.wakeup();
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
        long deadline = engine.nowMs() + timeoutMs;
        List<ClientResponse> out = null;
        do {
            long wait = future == null ? timeoutMs : Math.max(0, deadline - engine.nowMs());
            List<ClientResponse> batch = engine.poll(wait, future, true);
            if (!batch.isEmpty()) {
                if (out == null) {
                    out = batch;
                } else {
                    out.addAll(batch);
                }
            }
        } while (future != null && !future.isDone() && engine.nowMs() < deadline && !engine.isClosed());
        return out == null ? List.of() : out;
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
     * <p>Under {@link io.kwire.client.UnavailableNodePolicy#FAIL_FAST} (the default) it does not wait out the
     * timeout for a node that cannot be had: when the node asked for, or every known node, failed its last connection
     * attempt and is backing off, it throws that failure at once.
     *
     * @param nodeId  a node to ask, or null for any
     * @param strict  refuse to guess when the answer matches no known release exactly
     * @throws NodeNotReadyException       if {@code nodeId} was given and did not become ready in time (its last
     *                                     failure as the cause), or could not be connected to
     * @throws io.kwire.errors.AuthenticationException if the broker refused the client's credentials or
     *                                     certificate (every broker, when no node was given)
     * @throws NoBrokersAvailableException if no node became ready; lists each address with its cause
     * @throws io.kwire.errors.KwireException the node's own failure, typed as
     *                                     {@link io.kwire.client.UnavailableNodePolicy} lists, when {@code nodeId}
     *                                     was given and could not be had
     */
    public BrokerVersion checkVersion(Integer nodeId, Duration timeout, boolean strict) {
        ensureOpen();
        long start = engine.nowMs();
        long deadline = start + timeout.toMillis();
        while (true) {
            ensureOpen(); // a callback of the poll below may have closed the client
            long now = engine.nowMs();
            int target;
            if (nodeId != null) {
                target = nodeId;
            } else {
                OptionalInt any = view.establishedNode();
                target = any.isPresent() ? any.getAsInt() : leastLoadedNode().orElse(Integer.MIN_VALUE);
            }
            if (target != Integer.MIN_VALUE) {
                engine.connect(target);
                if (view.isEstablished(target)) {
                    return BrokerVersions.infer(view.apiVersions(target).ranges(), strict);
                }
            }
            KwireException unavailable = nodeId != null ? view.unavailableBecause(nodeId, now)
                    : view.allKnownNodesUnavailable(now) ? view.unavailable(Duration.ofMillis(now - start)) : null;
            if (unavailable != null && (failFast || !unavailable.isRetriable())) {
                throw unavailable;
            }
            if (now >= deadline) {
                if (nodeId != null) {
                    throw new NodeNotReadyException("Node " + nodeId + " did not become ready within "
                            + timeout.toMillis() + " ms (" + view.describe(nodeId, now) + ")", view.lastFailure(nodeId));
                }
                throw view.unavailable(timeout);
            }
            engine.poll(Math.min(deadline - now, 100), null, false);
        }
    }

    // ---------------------------------------------------------------- closing

    /** Closes the node's connections, of every class; their in-flight requests fail as disconnected. */
    public void close(int nodeId) {
        engine.close(nodeId);
    }

    /**
     * Closes every connection and the selector; every pending future completes (exceptionally). The client counts as
     * closed from the start: a future's callback that sends or asks for metadata during the close gets a future
     * failed with {@link ClientClosedException} and opens no connection. The host-name lookup threads and the SASL
     * threads end too (each kind waited for at most 100 ms), but for one blocked in the operating system's resolver
     * or in a KDC request, which ends (a daemon) when its call returns. The transport and SASL factories close
     * last: with {@code sslEngine OPENSSL} the TLS context's native memory is freed then.
     */
    @Override
    public void close() {
        engine.close();
    }

    public boolean isClosed() {
        return engine.isClosed();
    }

    private void ensureOpen() {
        if (engine.isClosed()) {
            throw new ClientClosedException("The client is closed");
        }
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new ClientClosedException("The client is closed"));
    }
}
