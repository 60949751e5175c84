package io.kwire.internal.network;

import io.kwire.client.ClientObserver;
import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.ProxyUrl;
import io.kwire.client.Time;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.errors.ProtocolException;
import io.kwire.errors.ProxyException;
import io.kwire.internal.metadata.MetadataUpdater;
import io.kwire.internal.proxy.ProxyErrors;
import io.kwire.internal.proxy.ProxyTunnel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker connections of one {@link NetworkEngine}, at most one per node and {@link ConnectionClass} (grouped by
 * node in {@link NodeConnections}): opening them (each class's lazily, all behind the node's one back-off), the
 * node to use for a request that may go anywhere, their deadlines (set-up, request, idle, re-authentication), and
 * closing them, with the requests in flight failed and the node's {@link ConnectionHistory} told why. A connection
 * set-up step that throws ends up in {@link #failed}, which closes the connection with that exception as the reason.
 * A connection that is recycled ({@link Recycler}) leaves its node's place for a new one of its class and is closed
 * once drained. Only used on the I/O thread.
 *
 * <p>A poll with nothing due costs the same with one connection as with a hundred: one walk over the connections
 * ({@link #schedule}) finds the earliest deadline of each kind, and the next walks wait for the first of them. What
 * can bring a deadline forward between walks is reported: a connection opened ({@link #connect}), one becoming ready
 * or given a re-authentication time ({@link #rescheduled}), a request sent ({@link #requestSent}). Everything else
 * only moves deadlines later (use moves the idle deadline and the next probe; an answer moves the head request's
 * deadline to the next request's), so the earliest deadline known may have passed without anything being due: the
 * walk then finds nothing to do and computes the schedule afresh. While connections are being drained, every poll
 * walks them, as their closing depends on their requests ending.
 */
final class Connections {

    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    private final KafkaClientConfig config;
    private final Time time;
    private final RandomGenerator random;
    private final Selector selector;
    private final ClientObserver observer;
    private final ConnectionHistory history;
    private final SocketConnector connector;
    private final MetadataUpdater metadata;
    private final Completions completions;
    private final BrokerConnection.Shared shared;
    private final HostLookups lookups;
    private final Map<Integer, NodeConnections> byNode = new HashMap<>();
    /** Every open connection, of every node and class, those being drained ({@link Recycler}) among them. */
    private final List<BrokerConnection> open = new ArrayList<>();
    private final Recycler recycler;
    /** Reused to walk the connections while closing some of them, without allocating per poll. */
    private BrokerConnection[] scratch = new BrokerConnection[8];
    private final long maxIdleMs;
    private final long probeIntervalMs;
    /**
     * The earliest set-up, re-authentication, probe or recycling deadline (monotonic ms) of any open connection as
     * the last {@link #schedule} found it, or Long.MAX_VALUE: what the selector waits for, with {@link #headNanos}.
     */
    private long wakeAtMs = Long.MAX_VALUE;
    /** The earliest of {@link #wakeAtMs} and the idle deadlines, as the last {@link #schedule} found them. */
    private long checkAtMs = Long.MIN_VALUE;
    /** Whether some request is in flight whose deadline {@link #headNanos} accounts for. */
    private boolean anyHead;
    /** The earliest request deadline (nano time) in flight, when {@link #anyHead}. */
    private long headNanos;
    /** Something happened that may bring a deadline forward: the next poll walks the connections. */
    private boolean stale = true;
    /** The recycler's material generation at the last walk: a change makes every connection due. */
    private long scheduledGeneration;

    Connections(KafkaClientConfig config, RandomGenerator random, Selector selector, ClientObserver observer,
                ConnectionHistory history, SocketConnector connector, MetadataUpdater metadata,
                Completions completions, BrokerConnection.Shared shared, HostLookups lookups) {
        this.config = config;
        this.time = config.time();
        this.random = random;
        this.selector = selector;
        this.observer = observer;
        this.history = history;
        this.connector = connector;
        this.metadata = metadata;
        this.completions = completions;
        this.shared = shared;
        this.lookups = lookups;
        this.recycler = new Recycler(config, connector.transports(), random);
        this.maxIdleMs = config.connectionsMaxIdle().toMillis();
        this.probeIntervalMs = config.idleProbeInterval().toMillis();
    }

    /** The node's connection of class {@code c}, or null. */
    BrokerConnection get(int nodeId, ConnectionClass c) {
        NodeConnections n = byNode.get(nodeId);
        return n == null ? null : n.get(c);
    }

    /** The node's connections, or null when it has none. */
    NodeConnections node(int nodeId) {
        return byNode.get(nodeId);
    }

    Collection<BrokerConnection> all() {
        return open;
    }

    /**
     * Whether {@code c} is still its node's open connection of its class, or one being drained (not closed by an
     * earlier step).
     */
    boolean isOpen(BrokerConnection c) {
        return get(c.node.id(), c.connectionClass) == c || recycler.isDraining(c);
    }


    /**
     * Whether a connection to the node being drained (recycled) still has requests of class {@code cls} in flight:
     * until they have ended, further requests of the class wait, so that none overtakes them on the new connection.
     */
    boolean drainingHolds(int nodeId, ConnectionClass cls) {
        return !recycler.isEmpty() && recycler.holds(nodeId, cls);
    }

    /**
     * Starts a connection of class {@code c} to the node if it has none and the node's back-off allows (one back-off
     * for all classes: a broker refusing one class's connection is not asked for another's meanwhile); the TCP
     * connect does not block.
     */
    void connect(int nodeId, ConnectionClass c, long now) {
        if (get(nodeId, c) != null || !history.canConnect(nodeId, now)) {
            return;
        }
        Node node = metadata.nodeFor(nodeId);
        if (node != null) {
            initiateConnect(node, c, now);
        }
    }

    /**
     * Starts an attempt: at once to an address known (the next of the host's addresses not yet tried, or an IP
     * address given as text), else after a lookup of the host on a lookup thread ({@link HostLookups}), the attempt
     * waiting in step {@link BrokerConnection.Step#LOOKUP} meanwhile. With a proxy the proxy resolves the broker's
     * name, and the client looks up only the proxy's. The set-up timeout counts from here, the lookup included.
     */
    private void initiateConnect(Node node, ConnectionClass cls, long now) {
        int id = node.id();
        long setupTimeoutMs = history.markConnecting(id, now);
        NodeConnections group = byNode.computeIfAbsent(id, k -> new NodeConnections());
        BrokerConnection c = new BrokerConnection(node, cls, now, setupTimeoutMs, group.knownVersions(node), shared);
        ProxyUrl proxy = config.proxyUrl().orElse(null);
        if (proxy != null) {
            c.tunnelThrough(ProxyTunnel.to(proxy, node));
        }
        group.put(c);
        open.add(c);
        stale = true;
        InetAddress address = proxy == null ? history.nextAddress(id) : null;
        if (address == null) {
            String host = lookupHost(c);
            InetAddress[] known;
            try {
                known = lookups.immediate(host);
            } catch (UnknownHostException e) {
                lookupFailed(c, now, e);
                return;
            }
            if (known == null) {
                lookups.start(host); // lookupsDone goes on
                return;
            }
            address = firstAddress(c, known);
        }
        openSocket(c, address, now);
    }

    /** The host a connection's attempt looks up: the broker's, or the proxy's when there is one. */
    private String lookupHost(BrokerConnection c) {
        return config.proxyUrl().map(ProxyUrl::host).orElse(c.node.host());
    }

    /** The address to connect to from a lookup's result: a new round over the broker's addresses, or the proxy's. */
    private InetAddress firstAddress(BrokerConnection c, InetAddress[] addresses) {
        return config.proxyUrl().isPresent() ? addresses[0] : history.startRound(c.node.id(), List.of(addresses));
    }

    /** The address is known: opens the socket and starts the TCP connect (to the proxy, with one). */
    private void openSocket(BrokerConnection c, InetAddress address, long now) {
        Connection connection;
        long materialGeneration = recycler.generationForNewConnection(now);
        try {
            ProxyUrl proxy = config.proxyUrl().orElse(null);
            connection = proxy != null
                    ? connector.connect(c.node, new InetSocketAddress(address, proxy.port()), selector, c)
                    : connector.connect(c.node, address, selector, c);
        } catch (IOException | RuntimeException e) {
            connectFailed(c, now, ConnectErrors.describeConnect(e, address, c.node), e);
            return;
        }
        c.opened(connection);
        recycler.opened(c, materialGeneration);
        if (!connection.transport().channel().isConnected()) {
            return; // the selector reports the connect
        }
        try {
            c.onTcpConnected(now);
        } catch (IOException e) {
            closedByBroker(c, now, ConnectErrors.describe(e, c), e);
        } catch (RuntimeException e) {
            failed(c, now, e);
        }
    }

    /**
     * Takes the lookups that finished since the last poll: each connection waiting for that host opens its socket, or
     * fails with the lookup's error. One past its set-up deadline is left to {@link #expire}, which fails it as a
     * lookup that took too long. A result nobody waits for any more (the attempt timed out or was closed) is dropped;
     * as an attempt that starts while the host's lookup runs waits for that one, a slow lookup still serves the next
     * attempt.
     */
    void lookupsDone(long now) {
        for (HostLookups.Done done; (done = lookups.poll()) != null; ) {
            BrokerConnection[] all = scratch = open.toArray(scratch);
            for (int i = 0; i < all.length && all[i] != null; i++) {
                BrokerConnection c = all[i];
                all[i] = null;
                if (c.step() != BrokerConnection.Step.LOOKUP || !isOpen(c) || now >= c.setupDeadlineMs()
                        || !lookupHost(c).equals(done.host())) {
                    continue;
                }
                if (done.error() != null) {
                    lookupFailed(c, now, done.error());
                } else {
                    openSocket(c, firstAddress(c, done.addresses()), now);
                }
            }
        }
    }

    /** The lookup of the connection's host (the proxy's, with one) failed: the error says which and what to fix. */
    private void lookupFailed(BrokerConnection c, long now, Throwable cause) {
        ProxyUrl proxy = config.proxyUrl().orElse(null);
        if (proxy != null) {
            ProxyException error = ProxyErrors.lookupFailed(proxy, c.node, cause);
            close(c, now, ProxyErrors.reason(error, c.node), true, error);
            return;
        }
        String reason = ConnectErrors.lookupFailed(c.node, cause);
        close(c, now, reason, true, new NodeNotReadyException("Connection to " + c.node + " failed: " + reason, cause));
    }

    /** The TCP connect (to the proxy, with one, which the error then names) could not start. */
    private void connectFailed(BrokerConnection c, long now, String reason, Exception cause) {
        KwireException error;
        if (config.proxyUrl().isPresent()) {
            ProxyException proxyError = ProxyErrors.unreachable(config.proxyUrl().get(), c.node, cause);
            error = proxyError;
            reason = ProxyErrors.reason(proxyError, c.node);
        } else {
            error = new NodeNotReadyException("Connection to " + c.node + " failed: " + reason, cause);
        }
        close(c, now, reason, true, error);
    }

    /**
     * The node best suited for a request that may go anywhere: a ready connection with nothing in flight, else the
     * ready one with the fewest in flight, else one being set up, else the connectable node tried longest ago. Never
     * a node in back-off or throttled. The scan starts at a random node, so that equal nodes share the load.
     */
    OptionalInt leastLoadedNode(long now, ConnectionClass cls) {
        Node[] nodes = metadata.knownNodes();
        int size = nodes.length;
        if (size == 0) {
            return OptionalInt.empty();
        }
        int offset = random.nextInt(size);
        int best = Integer.MIN_VALUE;
        int bestInFlight = Integer.MAX_VALUE;
        int connecting = Integer.MIN_VALUE;
        int connectable = Integer.MIN_VALUE;
        long oldestAttempt = Long.MAX_VALUE;
        int maxInFlight = shared.maxInFlight();
        for (int i = 0; i < size; i++) {
            int id = nodes[(offset + i) % size].id();
            BrokerConnection c = get(id, cls);
            if (c == null) {
                long attempt = history.lastAttemptMs(id);
                if (history.canConnect(id, now) && attempt < oldestAttempt) {
                    oldestAttempt = attempt;
                    connectable = id;
                }
            } else if (c.step().isEstablished() && history.throttleDelay(id, now) == 0) {
                int inFlight = c.inFlight.size();
                if (inFlight == 0) {
                    return OptionalInt.of(id);
                }
                if (inFlight < bestInFlight && inFlight < maxInFlight) {
                    best = id;
                    bestInFlight = inFlight;
                }
            } else if (c.step().isSettingUp()) {
                connecting = id;
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

    /**
     * Milliseconds until the next set-up, request, re-authentication, probe or recycling deadline, or
     * Long.MAX_VALUE: how long the selector may wait. Idle connections are reaped by the next poll after their time,
     * without a deadline of their own. Between walks the answer may be a deadline that no longer stands (a request
     * answered since): the selector then wakes once early, and that poll's walk brings the schedule up to date.
     */
    long nextDeadlineMs(long now) {
        if (open.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (stale || !recycler.isEmpty()) {
            schedule(now);
            if (!recycler.isEmpty() && recycler.anyDrained()) {
                return 0; // closed by the next expire
            }
        }
        long next = wakeAtMs == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, wakeAtMs - now);
        if (anyHead) {
            next = Math.min(next, Math.max(0, (headNanos - time.nanoTime()) / 1_000_000 + 1));
        }
        return Math.min(next, recycler.nextCheckMs(now));
    }

    /**
     * A connection became ready (again), or its session was given a re-authentication time: probes, recycling by
     * age and re-authentication may now come before anything the last walk saw.
     */
    void rescheduled() {
        stale = true;
    }

    /** A request went in flight: its deadline may be the earliest. Per request, so no more than a comparison. */
    void requestSent(InFlightRequest r) {
        if (!anyHead || r.deadlineNanos - headNanos < 0) {
            anyHead = true;
            headNanos = r.deadlineNanos;
        }
    }

    /**
     * Walks the open connections for their earliest deadlines: the selector's ({@link #nextDeadlineMs}) and the time
     * {@link #expire} next has something to do. Each term is the one {@link #expire} acts on.
     */
    private void schedule(long now) {
        long wake = Long.MAX_VALUE;
        long check = Long.MAX_VALUE;
        boolean head = false;
        long earliestHead = 0;
        for (int i = 0; i < open.size(); i++) {
            BrokerConnection c = open.get(i);
            wake = Math.min(wake, c.setupDeadlineMs());
            wake = Math.min(wake, recycler.dueAtMs(c));
            InFlightRequest r = c.inFlight.peekFirst();
            if (r == null) {
                wake = Math.min(wake, c.reauthenticateAtMs());
                wake = Math.min(wake, c.nextProbeMs(probeIntervalMs));
            } else {
                // Neither starts while requests are in flight, so a time already past must not keep the selector
                // from waiting. A re-authentication that came due waits for the connection's last answer, which
                // reports it (BrokerConnection.onFrame); the next probe is at least an interval after that answer.
                long reauth = c.reauthenticateAtMs();
                wake = Math.min(wake, reauth > now ? reauth : Long.MAX_VALUE);
                long probe = c.nextProbeMs(probeIntervalMs);
                wake = Math.min(wake, probe == Long.MAX_VALUE ? probe : Math.max(probe, plus(now, probeIntervalMs)));
                if (!head || r.deadlineNanos - earliestHead < 0) {
                    head = true;
                    earliestHead = r.deadlineNanos;
                }
            }
            // Counted whether or not the connection is idle now, so that one going idle later needs no report (use
            // only moves it later); a busy connection past it is looked at every poll until used or idle, as before.
            check = Math.min(check, plus(c.lastActivityMs(), maxIdleMs));
        }
        wakeAtMs = wake;
        checkAtMs = Math.min(check, wake);
        anyHead = head;
        headNanos = earliestHead;
        stale = false;
    }

    private static long plus(long t, long ms) {
        long sum = t + ms;
        return sum < t ? Long.MAX_VALUE : sum;
    }

    /** Closes connections past their set-up or request deadline or idle too long; starts due re-authentications. */
    void expire(long now) {
        if (open.isEmpty()) {
            return;
        }
        recycler.refresh(now);
        long nowNanos = time.nanoTime();
        if (!stale && now < checkAtMs && (!anyHead || nowNanos - headNanos < 0) && recycler.isEmpty()
                && recycler.generation() == scheduledGeneration) {
            return; // nothing is due before the earliest deadline the last walk found
        }
        scheduledGeneration = recycler.generation(); // what this walk's dueReason compares connections with
        long maxIdle = maxIdleMs;
        BrokerConnection[] all = scratch = open.toArray(scratch);
        for (int i = 0; i < all.length && all[i] != null; i++) {
            BrokerConnection c = all[i];
            all[i] = null;
            if (!isOpen(c)) {
                continue;
            }
            if (now >= c.setupDeadlineMs()) {
                setupTimedOut(c, now);
                continue;
            }
            InFlightRequest head = c.inFlight.peekFirst();
            if (head != null && nowNanos - head.deadlineNanos >= 0) {
                c.inFlight.pollFirst();
                head.fail(new KwireTimeoutException(head.apiKey.displayName() + " v" + head.version + " to " + c.node
                        + " timed out after " + config.requestTimeout().toMillis() + " ms"), nowNanos);
                completions.add(head);
                close(c, now, c.isProbe(head) ? "no answer to a liveness probe (ApiVersions) within "
                        + config.requestTimeout().toMillis() + " ms: the broker is hung or cut off" : "request timed out",
                        true, null);
                continue;
            }
            if (c.isIdle() && now - c.lastActivityMs() >= maxIdle) {
                log.debug("Closing idle connection to {}", c.node);
                close(c, now, "idle for " + (now - c.lastActivityMs()) + " ms", false, null);
                continue;
            }
            if (c.isDrained()) {
                close(c, now, recycler.drainedReason(c), false, null);
                continue;
            }
            String recycle = recycler.dueReason(c, now);
            if (recycle != null) {
                recycle(c, now, recycle);
                continue;
            }
            try {
                c.maybeReauthenticate(now);
                c.maybeProbe(now, probeIntervalMs);
            } catch (RuntimeException e) {
                failed(c, now, e);
            }
        }
        schedule(now);
    }


    /** The set-up deadline passed: a lookup that gave no answer is named as such, the proxy's as a proxy failure. */
    private void setupTimedOut(BrokerConnection c, long now) {
        if (c.step() == BrokerConnection.Step.REAUTHENTICATING) {
            String reason = "a SASL step of the re-authentication (KIP-368) not done within "
                    + config.requestTimeout().toMillis() + " ms (requestTimeout)";
            close(c, now, reason, true, new KwireTimeoutException("Connection to " + c.node + " failed: " + reason));
            return;
        }
        long timeoutMs = c.setupDeadlineMs() - c.setupStartMs();
        ProxyUrl proxy = config.proxyUrl().orElse(null);
        if (c.step() == BrokerConnection.Step.LOOKUP && proxy != null) {
            ProxyException error = ProxyErrors.lookupTimedOut(proxy, c.node, timeoutMs);
            close(c, now, ProxyErrors.reason(error, c.node), true, error);
            return;
        }
        String reason = c.step() == BrokerConnection.Step.LOOKUP ? ConnectErrors.lookupTimedOut(c.node, timeoutMs)
                : "connection set-up timed out (" + c.step().publicState().name().toLowerCase(Locale.ROOT) + ") after "
                + (now - c.setupStartMs()) + " ms";
        close(c, now, reason, true, new KwireTimeoutException("Connection to " + c.node + " failed: " + reason));
    }

    /**
     * Recycles a ready connection: it leaves its node's place and takes no new requests. With requests in flight, a
     * new connection to the node is started at once for the requests to come, and the old one closes once those in
     * flight have ended, so recycling fails none of them. With none, it closes at once, as an idle connection does,
     * and the next request for the node opens the new one: a connection nobody uses is not kept open by recycling.
     */
    private void recycle(BrokerConnection c, long now, String why) {
        NodeConnections group = byNode.get(c.node.id());
        if (group != null && group.remove(c) && group.isEmpty()) {
            byNode.remove(c.node.id());
        }
        c.drain();
        recycler.startDraining(c, why);
        if (c.isDrained()) {
            log.debug("Recycling the idle connection to {} because {}", c.node, why);
            close(c, now, recycler.drainedReason(c), false, null);
            return;
        }
        log.info("Recycling the connection to {} because {}: new requests go to a new connection, the {} in flight"
                + " on this one finish there", c.node, why, c.inFlight.size());
        connect(c.node.id(), c.connectionClass, now);
    }

    /**
     * A connection step threw: the connection closes at once with that exception as the reason. The authenticator's
     * refusal is an authentication failure; anything else that is not a {@link KwireException} is wrapped in one
     * that names the step.
     */
    void failed(BrokerConnection c, long now, RuntimeException e) {
        if (e instanceof AuthenticationException auth) {
            observer.authenticationFailed(c.node, auth);
            close(c, now, "authentication failed: " + auth.getMessage(), true, auth);
            return;
        }
        if (e instanceof ProxyException proxy) {
            close(c, now, ProxyErrors.reason(proxy, c.node), true, proxy);
            return;
        }
        KwireException error = e instanceof KwireException k ? k : new KwireException("Connection to " + c.node
                + " failed in step " + c.step() + ": " + e, e);
        close(c, now, error.getMessage(), true, error);
    }

    /**
     * The connection broke on the broker's side or in the transport: end of stream, a reset, a failed TLS handshake
     * (which the observer also hears as an authentication failure). During a raw SASL exchange a close is how a
     * broker before 1.0 refuses credentials, so the authenticator may turn it into an authentication failure; a
     * time-out or a protocol error is never reported that way.
     */
    void closedByBroker(BrokerConnection c, long now, String reason, IOException cause) {
        if (c.step() == BrokerConnection.Step.TCP && cause != null && config.proxyUrl().isPresent()) {
            failed(c, now, ProxyErrors.unreachable(config.proxyUrl().get(), c.node, cause)); // the connect to the proxy
            return;
        }
        // An SSLHandshakeException after the handshake: a TLS 1.3 broker refusing the client's certificate on the first
        // read (TlsTransport), or a renegotiation the broker started that failed: both are refused handshakes.
        if (cause instanceof SSLException ssl && (c.inTransportHandshake() || ssl instanceof SSLHandshakeException)) {
            KwireException tls = ConnectErrors.tlsFailure(ssl, c, reason);
            observer.authenticationFailed(c.node, tls instanceof AuthenticationException a ? a
                    : new AuthenticationException(reason, cause));
            if (tls != null) { // waiting will not mend it: the caller hears this, typed
                close(c, now, reason, true, tls);
                return;
            }
        }
        KwireException authFailure;
        try {
            authFailure = c.authenticationFailureOnDisconnect();
        } catch (RuntimeException e) {
            log.warn("The authenticator of {} threw on a disconnect; reporting a plain disconnect", c.node, e);
            authFailure = null;
        }
        if (authFailure == null) {
            String message = "Connection to " + c.node + " failed: " + reason;
            KwireException error = cause == null ? null : c.step() == BrokerConnection.Step.TCP
                    ? new NodeNotReadyException(message, cause) // the connect itself failed: the node is not there
                    : new DisconnectedException(message, cause);
            close(c, now, reason, true, error);
            return;
        }
        observer.authenticationFailed(c.node, authFailure);
        close(c, now, "authentication failed: " + authFailure.getMessage(), true, authFailure);
    }

    /**
     * Closes the connection and fails what is in flight on it. A protocol error (forged size, wrong correlation id,
     * garbage) or an authentication failure is what the callers need to see, not the disconnect it caused.
     */
    void close(BrokerConnection c, long now, String reason, boolean failure, KwireException cause) {
        int id = c.node.id();
        boolean settingUp = c.step().isSettingUp() || c.isUnproven();
        boolean drained = recycler.remove(c);
        c.close();
        NodeConnections group = byNode.get(id);
        if (group != null && group.remove(c) && group.isEmpty()) {
            byNode.remove(id);
        }
        open.remove(c);
        long nowNanos = time.nanoTime();
        boolean passCause = cause instanceof ProtocolException || cause instanceof AuthenticationException;
        for (InFlightRequest r; (r = c.inFlight.pollFirst()) != null; ) {
            r.fail(passCause ? cause : new DisconnectedException("Connection to " + c.node + " closed before the "
                    + r.apiKey.displayName() + " response arrived: " + reason), nowNanos);
            completions.add(r);
        }
        if (drained) { // the node has moved on to a new connection: its history is that one's
            log.debug("Recycled connection to {} closed: {}", c.node, reason);
            observer.connectionClosed(c.node, reason);
            return;
        }
        if (!failure) {
            if (history.failures(id) == 0) { // after a failed attempt of another class, its back-off stands
                history.markClosed(id);
            }
            observer.connectionClosed(c.node, reason);
            return;
        }
        KwireException error = cause != null ? cause
                : new DisconnectedException("Connection to " + c.node + " failed: " + reason);
        history.markFailed(id, now, reason, error, settingUp);
        metadata.tracker().requestUpdate();
        if (settingUp) {
            log.debug("Connection to {} failed: {}", c.node, reason);
            observer.connectionFailed(c.node, error);
        } else {
            log.info("Connection to {} closed: {}", c.node, reason);
            observer.connectionClosed(c.node, reason);
        }
    }

    /**
     * Real brokers are known: closes the bootstrap connections with nothing in flight, and forgets the bootstrap
     * nodes left without a connection.
     */
    void bootstrapDone(long now) {
        for (BrokerConnection c : new ArrayList<>(open)) {
            if (c.node.isBootstrap() && c.inFlight.isEmpty()) {
                close(c, now, "bootstrap complete", false, null);
                if (!byNode.containsKey(c.node.id())) {
                    history.remove(c.node.id());
                }
            }
        }
    }

    /** Closes every connection of the node, of every class and those being drained, as asked by the caller. */
    void closeNode(int nodeId, long now) {
        for (BrokerConnection c : new ArrayList<>(open)) { // those being drained too
            if (c.node.id() == nodeId) {
                close(c, now, "closed by the client", false, null);
            }
        }
    }

    /** Closes every connection, failing what is in flight as closed by the client. */
    void closeAll(long now) {
        long nowNanos = time.nanoTime();
        for (BrokerConnection c : new ArrayList<>(open)) {
            for (InFlightRequest r; (r = c.inFlight.pollFirst()) != null; ) {
                r.fail(new ClientClosedException("The client was closed before the " + r.apiKey.displayName()
                        + " response arrived"), nowNanos);
                completions.add(r);
            }
            close(c, now, "client closed", false, null);
        }
    }
}
