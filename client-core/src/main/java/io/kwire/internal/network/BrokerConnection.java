package io.kwire.internal.network;

import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.Node;
import io.kwire.client.Time;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.ProtocolException;
import io.kwire.internal.metadata.ClusterIdentity;
import io.kwire.internal.proxy.ProxyTunnel;
import io.kwire.network.Authenticator;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.NodeApiVersions;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.Errors;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker connection of one {@link ConnectionClass}, from the start of its attempt (the lookup of its host when
 * the address is not known, then the TCP connect) until it closes: its set-up as an explicit {@link Step}, the
 * requests in flight on it in send order, and the broker's API versions (asked for in the set-up, or taken from an
 * established connection of another class to the same broker). Set-up responses (ApiVersions, SASL) come straight
 * to the step that sent them, inside the read that cut their frame; an exception thrown by a step propagates to its
 * caller in the engine, which hands it to {@link Connections#failed}: the connection closes at once with that
 * exception as the reason.
 *
 * <p>Only the I/O thread touches it. A connection is not reused: after {@link #close} a new attempt makes a new one.
 */
final class BrokerConnection {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);

    /** The steps of a connection, in order; a failure in any of them closes it. */
    enum Step {
        /**
         * The host name (the proxy's, with a proxy) being looked up on a lookup thread ({@link HostLookups}): no
         * socket yet. Skipped when the address is known.
         */
        LOOKUP(ConnectionState.RESOLVING),
        /** TCP connect in progress. */
        TCP(ConnectionState.CONNECTING),
        /** Connected to the proxy ({@code proxyUrl}), asking it for a tunnel to the broker (never entered without). */
        PROXY(ConnectionState.PROXY_HANDSHAKE),
        /** TLS handshake in progress (never entered by a plaintext connection). */
        TLS(ConnectionState.TLS_HANDSHAKE),
        /** ApiVersions sent, waiting for the broker's version ranges. */
        API_VERSIONS(ConnectionState.CHECKING_API_VERSIONS),
        /** SASL handshake and authentication in progress. */
        SASL(ConnectionState.AUTHENTICATING),
        /**
         * The broker's cluster id asked with Metadata and checked against the client's ({@link ClusterIdentity}):
         * when an id is known and the broker did not confirm it in ApiVersions v5 (KIP-1242).
         */
        CLUSTER_ID(ConnectionState.CHECKING_CLUSTER_ID),
        /** Takes requests. */
        READY(ConnectionState.READY),
        /** KIP-368: the SASL exchange again on the open connection; new requests wait, those in flight finish. */
        REAUTHENTICATING(ConnectionState.REAUTHENTICATING),
        /**
         * Being recycled ({@link Recycler}): takes no new requests, closes once those in flight have ended. Out of
         * its node's place, so never in a node's reported state; READY stands for it.
         */
        DRAINING(ConnectionState.READY);

        private final ConnectionState publicState;

        Step(ConnectionState publicState) {
            this.publicState = publicState;
        }

        /** Between the start of the attempt (its lookup or TCP connect) and the first time the connection is ready. */
        boolean isSettingUp() {
            return compareTo(READY) < 0;
        }

        /** Set up and authenticated: ready, or re-authenticating while its session is still valid. */
        boolean isEstablished() {
            return this == READY || this == REAUTHENTICATING;
        }

        ConnectionState publicState() {
            return publicState;
        }
    }

    /** What the connection reports to its engine. */
    interface Events {
        /** The connection has frames to flush in this poll's write pass. */
        void queued(BrokerConnection connection);

        /** The broker answered ApiVersions: its version ranges are known. */
        void apiVersionsKnown(BrokerConnection connection);

        /** A request ended (answered, failed or sent without a response expected); its future is completed later. */
        void ended(InFlightRequest request);

        /** A request went in flight: its deadline may be the earliest of the engine's. */
        void requestInFlight(InFlightRequest request);

        /**
         * The connection is about to become ready (again), perhaps with a re-authentication time: deadlines that did
         * not apply to it (probes, recycling by age, re-authentication) may now come before the others.
         */
        void deadlinesChanged(BrokerConnection connection);

        /** A response carried a throttle time (KIP-219). */
        void throttled(BrokerConnection connection, ApiKey api, int throttleMs, long nowMs);

        /** The set-up completed: the connection takes requests from now on. */
        void ready(BrokerConnection connection, long nowMs);

        /**
         * The connection's authenticator finished work it ran off the I/O thread: {@link #resumeAuthentication} is
         * due. Called from that work's thread.
         */
        void authenticationProgressed(BrokerConnection connection);
    }

    /** What every connection of one engine shares. */
    record Shared(FrameCodec codec, Time time, RandomGenerator random, AuthenticatorFactory authenticators,
                  NodeApiVersions fixedVersions, String softwareName, String softwareVersion, long requestTimeoutNanos,
                  int maxInFlight, Events events, ClusterIdentity identity) {
    }

    final Node node;
    final ConnectionClass connectionClass;
    /** The socket and its transport; null while the host is looked up ({@link Step#LOOKUP}). */
    Connection connection;
    final ArrayDeque<InFlightRequest> inFlight = new ArrayDeque<>();
    private final Shared shared;
    private final long setupStartMs;
    private final long setupDeadlineMs;
    /** When the authenticator's current step off the I/O thread is given up, if this is a re-authentication. */
    private long authStepDeadlineMs = Long.MAX_VALUE;
    private final Connection.FrameHandler frameHandler = this::onFrame;
    private Step step = Step.LOOKUP;
    private NodeApiVersions versions;
    /** The broker's versions known from another connection to it, or null: the set-up skips ApiVersions. */
    private final NodeApiVersions knownVersions;
    /**
     * Ready on versions known from another connection, with no answer from the broker on this one yet: nothing has
     * proven that the broker serves it. Until the first frame arrives, a close counts as a failed attempt and the
     * engine has not been told it is ready (so back-off does not restart from zero for a broker that accepts and
     * drops connections).
     */
    private boolean unproven;
    /** The ApiVersions request in flight carries the client's cluster id and this node's id (KIP-1242). */
    private boolean identitySent;
    /** The broker confirmed the cluster id and node id (ApiVersions v5 answered without error). */
    private boolean identityConfirmed;
    /** The broker refused them (REBOOTSTRAP_REQUIRED): the Metadata of {@link Step#CLUSTER_ID} tells why. */
    private boolean identityRefused;
    private Authenticator authenticator;
    /** The proxy's handshake until the tunnel is open; null without a proxy. */
    private ProxyTunnel proxy;
    private long reauthenticateAtMs = Long.MAX_VALUE;
    private long lastActivityMs;
    /** When the last liveness probe went out, or Long.MIN_VALUE / 2. */
    private long lastProbeMs = Long.MIN_VALUE / 2;
    /** The liveness probe in flight, or null. */
    private InFlightRequest probe;
    /** Set while {@link #maybeProbe} sends, so that {@link #send} knows the request for a probe. */
    private boolean sendingProbe;
    private int nextCorrelationId;
    /** The time of the read in progress, for the frames it cuts. */
    private long readNowMs;
    /** Waiting in the engine's write pass. */
    boolean queued;
    /** Waiting in the engine's pending reads: its transport holds bytes the selector cannot report. */
    boolean pendingRead;
    /** The transport's TLS material generation when this connection was opened ({@link Recycler}). */
    long materialGeneration;
    /** How long this connection may serve before it is recycled ({@link Recycler}), or 0 for no limit. */
    long maxAgeMs;

    /** A connection attempt in step {@link Step#LOOKUP}: {@link #opened} gives it its socket. */
    BrokerConnection(Node node, ConnectionClass connectionClass, long nowMs, long setupTimeoutMs,
                     NodeApiVersions knownVersions, Shared shared) {
        this.node = node;
        this.connectionClass = connectionClass;
        this.knownVersions = knownVersions;
        this.shared = shared;
        this.setupStartMs = nowMs;
        this.setupDeadlineMs = nowMs + setupTimeoutMs;
        this.lastActivityMs = nowMs;
    }

    Step step() {
        return step;
    }

    /**
     * Whether the transport's own handshake (TLS) is under way or about to be: after the TCP connect and before
     * ApiVersions. A TLS failure can surface in the first handshake call, while the step is still {@link Step#TCP}:
     * on loopback the broker's answer may arrive within that call (or in {@link Step#PROXY}, right after the tunnel
     * opened).
     */
    boolean inTransportHandshake() {
        return step == Step.TCP || step == Step.PROXY || step == Step.TLS;
    }

    NodeApiVersions versions() {
        return versions;
    }

    /** Set up on another connection's versions and not yet answered by the broker: a close is a failed attempt. */
    boolean isUnproven() {
        return unproven;
    }

    long lastActivityMs() {
        return lastActivityMs;
    }

    /** Whether a request may be queued now (throttling, which is per broker, is the engine's to check). */
    boolean canSend(long nowMs) {
        return step == Step.READY && inFlight.size() < shared.maxInFlight() && nowMs < reauthenticateAtMs;
    }

    /** Ready, with nothing in flight or queued, since {@code lastActivityMs}: may be reaped once idle long enough. */
    boolean isIdle() {
        return step == Step.READY && inFlight.isEmpty() && !connection.hasQueuedSends();
    }

    /**
     * The deadline of the set-up, or, during a re-authentication, of a SASL step that runs off the I/O thread (it has
     * no request in flight that could time out meanwhile; while one is in flight, its own timeout applies);
     * Long.MAX_VALUE otherwise.
     */
    long setupDeadlineMs() {
        if (step.isSettingUp()) {
            return setupDeadlineMs;
        }
        return step == Step.REAUTHENTICATING && inFlight.isEmpty() ? authStepDeadlineMs : Long.MAX_VALUE;
    }

    long setupStartMs() {
        return setupStartMs;
    }

    /** When re-authentication is due (KIP-368), or Long.MAX_VALUE. */
    long reauthenticateAtMs() {
        return reauthenticateAtMs;
    }

    /** Why requests wait while the connection is open, or null when it takes them. */
    String holdReason(long nowMs) {
        if (step == Step.REAUTHENTICATING || (step == Step.READY && nowMs >= reauthenticateAtMs)) {
            return "re-authenticating (KIP-368)";
        }
        return null;
    }

    // ---------------------------------------------------------------- set-up steps

    /** The address is known and the TCP connect started: the connection has its socket. */
    void opened(Connection socket) {
        if (step != Step.LOOKUP) {
            throw new IllegalStateException("A connection gets its socket once, not in step " + step);
        }
        this.connection = socket;
        step = Step.TCP;
    }

    /** Makes the connection go through a proxy: set before the TCP connect (to the proxy) completes. */
    void tunnelThrough(ProxyTunnel tunnel) {
        this.proxy = tunnel;
    }

    /**
     * The TCP connect completed: the proxy's handshake next when there is a proxy, then the transport's handshake
     * (TLS), or ApiVersions for plain TCP.
     */
    void onTcpConnected(long nowMs) throws IOException {
        connection.key().interestOps(SelectionKey.OP_READ);
        if (proxy != null) {
            step = Step.PROXY;
            continueProxy(nowMs);
        } else {
            continueTls(nowMs);
        }
    }

    /** Advances the proxy's handshake as far as the socket allows; once the tunnel is open, the transport's. */
    void continueProxy(long nowMs) throws IOException {
        if (proxy.advance(connection.transport().channel(), connection.key())) {
            proxy = null;
            continueTls(nowMs);
        }
    }

    /**
     * Advances the transport's handshake (TLS) as far as the socket allows; once it is done (at once for plain TCP,
     * which never enters {@link Step#TLS}), asks for the broker's API versions.
     */
    void continueTls(long nowMs) throws IOException {
        if (!connection.transport().handshake()) {
            step = Step.TLS; // the transport asked the selector for what it needs
            return;
        }
        connection.key().interestOps(SelectionKey.OP_READ);
        NodeApiVersions given = shared.fixedVersions() != null ? shared.fixedVersions() : knownVersions;
        if (given != null) {
            versions = given;
            unproven = given == knownVersions;
            afterApiVersions(nowMs);
        } else {
            sendApiVersions(ApiKey.API_VERSIONS.highestSupportedVersion(), nowMs);
        }
    }

    private void sendApiVersions(short version, long nowMs) {
        step = Step.API_VERSIONS;
        ApiVersionsRequest request = new ApiVersionsRequest();
        if (version >= 3) {
            request.setClientSoftwareName(shared.softwareName()).setClientSoftwareVersion(shared.softwareVersion());
        }
        // KIP-1242: both ids or neither (a 4.4 broker refuses one without the other as INVALID_REQUEST), so only for
        // a broker known from metadata (bootstrap addresses have no node id yet) once the cluster id is known.
        String clusterId = shared.identity().clusterId();
        identitySent = version >= 5 && clusterId != null && node.id() >= 0 && !identityRefused;
        if (identitySent) {
            request.setClusterId(clusterId).setNodeId(node.id());
        }
        send(request, version, null, true, nowMs);
    }

    private void onApiVersions(ApiVersionsResponse response, short sentVersion, long nowMs) {
        if (identitySent && Errors.REBOOTSTRAP_REQUIRED.is(response.errorCode())) {
            // Another cluster, or another broker of ours now at this node's address: ask again without the ids and
            // let the broker's Metadata answer (step CLUSTER_ID) tell which.
            identityRefused = true;
            sendApiVersions(sentVersion, nowMs);
            return;
        }
        identityConfirmed = identitySent && response.errorCode() == Errors.NONE.code();
        Map<Short, short[]> ranges = ranges(response, node);
        if (Errors.UNSUPPORTED_VERSION.is(response.errorCode())) {
            // The broker is older than our ApiVersions version; it lists the range it does support (KIP-511).
            short[] r = ranges.get(ApiKey.API_VERSIONS.id());
            short retry = r == null ? 0 : (short) Math.min(r[1], sentVersion - 1);
            if (retry < sentVersion) {
                sendApiVersions(retry, nowMs);
                return;
            }
        }
        if (response.errorCode() != Errors.NONE.code()) {
            throw new KwireException("ApiVersions to " + node + " failed with "
                    + Errors.forCode(response.errorCode()).label());
        }
        versions = new NodeApiVersions(ranges);
        try {
            versions.latestUsableVersion(ApiKey.METADATA);
        } catch (KwireException e) { // a broker kwire cannot ask for metadata is no use: say so now, not in poll
            throw new ProtocolException("ApiVersions answer from " + node + " offers no Metadata version kwire can"
                    + " use: " + e.getMessage());
        }
        shared.events().apiVersionsKnown(this);
        afterApiVersions(nowMs);
    }

    /**
     * The version ranges of an ApiVersions answer, checked before anything is done with them: every API key once,
     * never negative (a known or a future key), and 0 <= min <= max. Anything else is not an ApiVersions answer,
     * whatever sent it, and the connection cannot be trusted.
     *
     * @throws ProtocolException naming the broker and what was wrong
     */
    static Map<Short, short[]> ranges(ApiVersionsResponse response, Node node) {
        Map<Short, short[]> ranges = new HashMap<>();
        for (ApiVersionsResponse.ApiVersion v : response.apiKeys()) {
            if (v.apiKey() < 0 || v.minVersion() < 0 || v.minVersion() > v.maxVersion()) {
                throw new ProtocolException("ApiVersions answer from " + node + " is malformed: API key " + v.apiKey()
                        + " with versions " + v.minVersion() + ".." + v.maxVersion()
                        + " (keys and versions are never negative, and min <= max)");
            }
            if (ranges.put(v.apiKey(), new short[] {v.minVersion(), v.maxVersion()}) != null) {
                throw new ProtocolException("ApiVersions answer from " + node + " lists API key " + v.apiKey()
                        + " twice");
            }
        }
        return ranges;
    }

    private void afterApiVersions(long nowMs) {
        Authenticator auth = newAuthenticator();
        if (auth == null) {
            becomeReady(nowMs);
            return;
        }
        step = Step.SASL;
        authenticator = auth;
        continueAuthentication(nowMs);
    }

    private Authenticator newAuthenticator() {
        return shared.authenticators().create(node, versions, () -> shared.events().authenticationProgressed(this));
    }

    /**
     * The authenticator's own work (a mechanism step off the I/O thread) has finished: takes its result and sends
     * what comes next. Nothing happens when the exchange has ended or the connection closed meanwhile.
     *
     * @throws io.kwire.errors.AuthenticationException when that work failed
     */
    void resumeAuthentication(long nowMs) {
        Authenticator auth = authenticator;
        if (auth == null || (step != Step.SASL && step != Step.REAUTHENTICATING)) {
            return;
        }
        auth.resume();
        continueAuthentication(nowMs);
    }

    private void continueAuthentication(long nowMs) {
        Authenticator auth = authenticator;
        if (auth.isComplete()) {
            long lifetime = auth.sessionLifetimeMs();
            authenticator = null;
            // KIP-368: re-authenticate at 85-95% of the session the broker granted.
            reauthenticateAtMs = lifetime <= 0 ? Long.MAX_VALUE
                    : nowMs + (long) (lifetime * (0.85 + 0.10 * shared.random().nextDouble()));
            becomeReady(nowMs);
            return;
        }
        ApiRequest<?> next = auth.nextRequest();
        if (next != null) {
            send(next, versions.latestUsableVersion(next.apiKey()), null, true, nowMs);
            return;
        }
        byte[] token = auth.nextRawToken();
        if (token != null) {
            FrameCodec.encodeRawToken(connection, token);
            lastActivityMs = nowMs;
            shared.events().queued(this);
            continueAuthentication(nowMs); // the last raw token may complete the exchange
        } else if (step == Step.REAUTHENTICATING) {
            // Nothing to send: a step of the authenticator's own runs, with no request in flight to time out.
            authStepDeadlineMs = nowMs + shared.requestTimeoutNanos() / 1_000_000;
            shared.events().deadlinesChanged(this);
        }
    }

    private void becomeReady(long nowMs) {
        shared.events().deadlinesChanged(this);
        if (step.isSettingUp() && step != Step.CLUSTER_ID && needsClusterCheck()) {
            step = Step.CLUSTER_ID;
            MetadataRequest request = new MetadataRequest().setTopics(new ArrayList<>()); // no topics, just the ids
            send(request, versions.latestUsableVersion(ApiKey.METADATA), null, true, nowMs);
            return;
        }
        boolean first = step.isSettingUp();
        step = Step.READY;
        lastActivityMs = nowMs;
        if (first && !unproven) {
            shared.events().ready(this, nowMs);
        }
    }

    /**
     * Whether the broker's cluster id must be asked before the connection takes requests: a cluster id is known, the
     * broker did not confirm it in ApiVersions v5, and its Metadata names the cluster (v2 and later: not 0.10.0).
     */
    private boolean needsClusterCheck() {
        return !identityConfirmed && shared.identity().clusterId() != null
                && versions.ranges().getOrDefault(ApiKey.METADATA.id(), new short[] {0, 0})[1] >= 2;
    }

    /**
     * The broker's Metadata answer in step {@link Step#CLUSTER_ID}: a broker of another cluster closes the connection
     * with a {@link io.kwire.errors.ClusterIdMismatchException}; one of ours that refused our ids in ApiVersions v5
     * sits at another node's address, which the client's metadata has not caught up with.
     */
    private void onClusterId(MetadataResponse response, long nowMs) {
        ClusterIdentity identity = shared.identity();
        if (identityRefused && (response.clusterId() == null || response.clusterId().equals(identity.clusterId()))) {
            throw new DisconnectedException("The broker at " + node.host() + ":" + node.port() + " is not node "
                    + node.id() + " (it refused that node id in ApiVersions, KIP-1242): the client's metadata is"
                    + " stale");
        }
        if (identityRefused && response.clusterId() != null) {
            throw identity.refused(response.clusterId(), node);
        }
        identity.check(response.clusterId(), node);
        becomeReady(nowMs);
    }

    /**
     * KIP-368: once the session nears its end and the requests in flight have finished, runs the SASL exchange again
     * on this connection; requests resume when it completes.
     */
    void maybeReauthenticate(long nowMs) {
        if (step != Step.READY || nowMs < reauthenticateAtMs || !inFlight.isEmpty()) {
            return;
        }
        reauthenticateAtMs = Long.MAX_VALUE;
        Authenticator auth = newAuthenticator();
        if (auth != null) {
            step = Step.REAUTHENTICATING;
            authenticator = auth;
            continueAuthentication(nowMs);
        }
    }

    /** Recycling: from now on it takes no new requests, and its owner closes it once those in flight have ended. */
    void drain() {
        if (step != Step.READY) {
            throw new IllegalStateException("Only a ready connection is drained, not one in step " + step);
        }
        step = Step.DRAINING;
    }

    /** Draining, and nothing left to wait for: no request in flight, no frame waiting to be written. */
    boolean isDrained() {
        return step == Step.DRAINING && inFlight.isEmpty() && !connection.hasQueuedSends();
    }

    /**
     * The error to report when the broker closed the connection: during a raw SASL exchange, how a broker before 1.0
     * refuses credentials; null for a plain disconnect.
     */
    KwireException authenticationFailureOnDisconnect() {
        return authenticator == null ? null : authenticator.onDisconnect();
    }

    // ---------------------------------------------------------------- requests and responses

    /**
     * Encodes the request into the send queue and tracks it. A {@code null} future makes it a set-up request, whose
     * response goes to the current step; an encode failure of a set-up request fails the connection, that of any
     * other fails its future.
     */
    <R extends ApiResponse> void send(ApiRequest<R> request, short version, CompletableFuture<R> future,
                                      boolean internal, long nowMs) {
        send(request, version, future, internal, connectionClass, nowMs);
    }

    /** As {@link #send(ApiRequest, short, CompletableFuture, boolean, long)}, for a request of class {@code routed}. */
    <R extends ApiResponse> void send(ApiRequest<R> request, short version, CompletableFuture<R> future,
                                      boolean internal, ConnectionClass routed, long nowMs) {
        if (version >= 3 && request instanceof ApiVersionsRequest av && av.clientSoftwareName().isEmpty()) {
            // Brokers refuse an empty software name (KIP-511): name ourselves as the handshake does.
            av.setClientSoftwareName(shared.softwareName()).setClientSoftwareVersion(shared.softwareVersion());
        }
        long nowNanos = shared.time().nanoTime();
        InFlightRequest r = new InFlightRequest(request, version, node.id(), nextCorrelationId++, future, nowNanos,
                nowNanos + shared.requestTimeoutNanos(), internal);
        r.connectionClass = routed;
        try {
            r.bytesSent = shared.codec().encode(connection, request, version, r.correlationId);
        } catch (RuntimeException e) {
            KwireException error = e instanceof KwireException k ? k : new KwireException("Could not encode "
                    + r.apiKey.displayName() + " v" + version + ": " + e, e);
            if (r.isSetupRequest()) {
                throw error;
            }
            shared.codec().logEncodeFailure(r.apiKey, version, error);
            r.fail(error, nowNanos);
            shared.events().ended(r);
            return;
        }
        if (sendingProbe) {
            probe = r; // a probe is not use: it must not keep an idle connection from being reaped
        } else {
            lastActivityMs = nowMs;
        }
        if (request instanceof ProduceRequest p && p.acks() == 0) {
            r.completedNanos = nowNanos; // no response will come
            shared.events().ended(r);
        } else {
            inFlight.addLast(r);
            shared.events().requestInFlight(r);
        }
        shared.events().queued(this);
    }

    /**
     * Checks that an idle broker still answers: after {@code intervalMs} with nothing sent or received, an
     * ApiVersions request goes out. An answer proves the broker alive; none within the request timeout closes the
     * connection like any request that timed out, so a broker that hangs (SIGSTOP, a frozen VM) is noticed without
     * traffic. The probe does not count as use for idle reaping.
     */
    void maybeProbe(long nowMs, long intervalMs) {
        if (intervalMs <= 0 || step != Step.READY || !inFlight.isEmpty() || nowMs >= reauthenticateAtMs
                || nowMs - Math.max(lastActivityMs, lastProbeMs) < intervalMs) {
            return;
        }
        lastProbeMs = nowMs;
        sendingProbe = true;
        try {
            send(new ApiVersionsRequest(), versions.latestUsableVersion(ApiKey.API_VERSIONS), new CompletableFuture<>(),
                    true, nowMs);
        } finally {
            sendingProbe = false;
        }
    }

    /** Whether {@code r} is this connection's liveness probe. */
    boolean isProbe(InFlightRequest r) {
        return r != null && r == probe;
    }

    /** When the next liveness probe is due, or Long.MAX_VALUE. */
    long nextProbeMs(long intervalMs) {
        if (intervalMs <= 0 || step != Step.READY) {
            return Long.MAX_VALUE;
        }
        long from = Math.max(lastActivityMs, lastProbeMs);
        long at = from + intervalMs;
        return at < from ? Long.MAX_VALUE : at;
    }

    /** Reads what the socket has, up to the read budget; false when the broker closed the connection. */
    boolean read(long nowMs) throws IOException {
        readNowMs = nowMs;
        return connection.read(frameHandler);
    }

    private void onFrame(ByteBuffer frame, boolean sharedBuffer) {
        long nowMs = readNowMs;
        if (authenticator != null && authenticator.awaitsRawToken()) {
            authenticator.onRawToken(frame);
            continueAuthentication(nowMs);
            return;
        }
        InFlightRequest head = inFlight.peekFirst();
        if (sharedBuffer && head != null && head.apiKey.responseRetainsFrame()) {
            // The response will keep slices (records, bytes): give it bytes of its own, not the read buffer's.
            byte[] copy = new byte[frame.remaining()];
            frame.get(frame.position(), copy);
            frame = ByteBuffer.wrap(copy);
        }
        int frameBytes = frame.remaining() + 4;
        FrameCodec codec = shared.codec();
        try {
            ByteReader body = codec.readHeader(frame, head, node); // a stray or mismatched frame throws here
            inFlight.pollFirst();
            if (inFlight.isEmpty() && nowMs >= reauthenticateAtMs && step == Step.READY) {
                shared.events().deadlinesChanged(this); // the re-authentication that waited for this answer is due
            }
            if (unproven) {
                unproven = false;
                if (step == Step.READY) { // else becomeReady tells, once the SASL exchange this frame is part of ends
                    shared.events().ready(this, nowMs);
                }
            }
            if (head == probe) {
                probe = null;
            } else {
                lastActivityMs = nowMs;
            }
            head.bytesReceived = frameBytes;
            head.completedNanos = shared.time().nanoTime();
            try {
                head.response = codec.decodeBody(body, head, node);
            } catch (KwireException e) {
                head.error = e;
                shared.events().ended(head);
                throw e;
            }
        } finally {
            codec.release();
        }
        int throttle = head.response.throttleTimeMs();
        if (throttle > 0) {
            shared.events().throttled(this, head.apiKey, throttle, nowMs);
        }
        shared.events().ended(head);
        if (head.isSetupRequest()) {
            onSetupResponse(head, nowMs);
        }
    }

    private void onSetupResponse(InFlightRequest r, long nowMs) {
        if (step == Step.API_VERSIONS) {
            onApiVersions((ApiVersionsResponse) r.response, r.version, nowMs);
        } else if (step == Step.CLUSTER_ID) {
            onClusterId((MetadataResponse) r.response, nowMs);
        } else if (authenticator != null) {
            authenticator.onResponse(r.response);
            continueAuthentication(nowMs);
        } else {
            throw new IllegalStateException("A set-up response (" + r.apiKey.displayName() + ") arrived in step "
                    + step);
        }
    }

    /** Closes the socket; the requests still in flight are left for the engine to fail. */
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (authenticator != null) {
            Authenticator auth = authenticator;
            authenticator = null;
            try {
                auth.onClose();
            } catch (RuntimeException e) {
                log.warn("SASL authenticator of the connection to {} failed to release what it held", node, e);
            }
        }
    }

    @Override
    public String toString() {
        return "BrokerConnection{" + node + ", " + connectionClass.tag() + ", " + step + ", " + inFlight.size()
                + " in flight}";
    }
}
