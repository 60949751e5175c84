package io.kwire.internal.network;

import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionCounts;
import io.kwire.client.ConnectionState;
import io.kwire.client.Node;
import io.kwire.client.TlsStatus;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.KwireException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.errors.ProxyException;
import io.kwire.network.NodeApiVersions;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What a {@link NetworkEngine} knows about nodes and their connections, read without changing anything: the
 * connection state a user sees, counts for health reports, and errors that say what happened to each node. A node
 * may have a connection per {@link ConnectionClass}: what is asked of a node without a class speaks of its control
 * connection, except counts of requests and connections, which take every class. Only used on the engine's polling
 * thread.
 */
public final class EngineView {

    /** Beyond this many addresses, {@link #noBrokersAvailable} counts failures by kind and lists only these. */
    private static final int SUMMARY_AFTER = 10;

    private final NetworkEngine engine;

    EngineView(NetworkEngine engine) {
        this.engine = engine;
    }

    /**
     * The node's connection state: that of its control connection's step, else of its most advanced connection of
     * another class, else {@link ConnectionState#DISCONNECTED}.
     */
    public ConnectionState state(int nodeId) {
        NodeConnections group = engine.node(nodeId);
        BrokerConnection c = group == null ? null : group.leading();
        return c == null ? ConnectionState.DISCONNECTED : c.step().publicState();
    }

    /** The state of the node's connection of class {@code c} (merged: control's). */
    public ConnectionState state(int nodeId, ConnectionClass c) {
        BrokerConnection conn = engine.connection(nodeId, c);
        return conn == null ? ConnectionState.DISCONNECTED : conn.step().publicState();
    }

    /** A copy of the state of every known node and every node with a connection, by node id. */
    public Map<Integer, ConnectionState> states() {
        Map<Integer, ConnectionState> out = new TreeMap<>();
        for (int id : engine.metadata().knownNodeIds()) {
            out.put(id, state(id));
        }
        for (BrokerConnection c : engine.connections()) {
            out.put(c.node.id(), state(c.node.id()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether the node's control connection is set up and authenticated: ready, or re-authenticating (KIP-368). */
    public boolean isEstablished(int nodeId) {
        BrokerConnection c = engine.connection(nodeId, ConnectionClass.CONTROL);
        return c != null && c.step().isEstablished();
    }

    /** How many nodes have a connection, of any class, set up and authenticated (ready, or re-authenticating). */
    public int establishedCount() {
        int n = 0;
        for (BrokerConnection c : engine.connections()) {
            NodeConnections group = engine.node(c.node.id());
            if (group != null && group.leading() == c && group.anyEstablished()) { // each node counted once, at its leading connection
                n++;
            }
        }
        return n;
    }

    /** How many nodes have a connection being set up and none established. */
    public int settingUpCount() {
        int n = 0;
        for (BrokerConnection c : engine.connections()) {
            NodeConnections group = engine.node(c.node.id());
            if (group != null && group.leading() == c && group.anySettingUp() && !group.anyEstablished()) {
                n++;
            }
        }
        return n;
    }

    /** Connections ready and being set up, by class, over all nodes; every class present. */
    public Map<ConnectionClass, ConnectionCounts> countsByClass() {
        int[] ready = new int[ConnectionClass.values().length];
        int[] settingUp = new int[ready.length];
        for (BrokerConnection c : engine.connections()) {
            if (c.step().isEstablished()) {
                ready[c.connectionClass.ordinal()]++;
            } else if (c.step().isSettingUp()) {
                settingUp[c.connectionClass.ordinal()]++;
            }
        }
        Map<ConnectionClass, ConnectionCounts> out = new EnumMap<>(ConnectionClass.class);
        for (ConnectionClass c : ConnectionClass.values()) {
            out.put(c, ready[c.ordinal()] + settingUp[c.ordinal()] == 0 ? ConnectionCounts.NONE
                    : new ConnectionCounts(ready[c.ordinal()], settingUp[c.ordinal()]));
        }
        return Collections.unmodifiableMap(out);
    }

    /** A node with an established control connection (ready or re-authenticating), if any. */
    public OptionalInt establishedNode() {
        for (BrokerConnection c : engine.connections()) {
            if (c.connectionClass == ConnectionClass.CONTROL && c.step().isEstablished()) {
                return OptionalInt.of(c.node.id());
            }
        }
        return OptionalInt.empty();
    }

    public int inFlightRequestCount() {
        int n = 0;
        for (BrokerConnection c : engine.connections()) {
            n += c.inFlight.size();
        }
        return n; // those being drained among them
    }

    /** The node's requests in flight, on the connections of every class and those being drained. */
    public int inFlightRequestCount(int nodeId) {
        int n = 0;
        for (BrokerConnection c : engine.connections()) {
            if (c.node.id() == nodeId) {
                n += c.inFlight.size();
            }
        }
        return n;
    }

    /** The requests in flight on the node's connection of class {@code c} (merged: control's). */
    public int inFlightRequestCount(int nodeId, ConnectionClass c) {
        BrokerConnection conn = engine.connection(nodeId, c);
        return conn == null ? 0 : conn.inFlight.size();
    }

    /**
     * As kafka-python defines it, of the node's control connection: without one, the time left of the node's
     * back-off; while one is set up, 0 so the caller polls for it; when connected, a very large number.
     */
    public long connectionDelay(int nodeId, long nowMs) {
        BrokerConnection c = engine.connection(nodeId, ConnectionClass.CONTROL);
        if (c == null) {
            return engine.history().backoffRemaining(nodeId, nowMs);
        }
        return c.step().isSettingUp() ? 0 : Long.MAX_VALUE;
    }

    /** True if the client has connected to (or tried) the node and it has no connection now. */
    public boolean isDisconnected(int nodeId) {
        return engine.history().isTracked(nodeId) && engine.node(nodeId) == null;
    }

    /** Whether the client knows the node: a broker of the metadata, or a bootstrap address. */
    public boolean isKnown(int nodeId) {
        return engine.metadata().nodeFor(nodeId) != null;
    }

    /** The versions the node's control connection (else another one) learnt, or null if it has none yet. */
    public NodeApiVersions apiVersions(int nodeId) {
        NodeConnections group = engine.node(nodeId);
        BrokerConnection c = group == null ? null : group.leading();
        return c == null ? null : c.versions();
    }

    /** The node's last connection error, or null: what a caller waiting for that node may be failed with. */
    public KwireException lastFailure(int nodeId) {
        return engine.history().lastFailure(nodeId);
    }

    /** {@link #unavailableBecause(int, ConnectionClass, long)} of the control class. */
    public KwireException unavailableBecause(int nodeId, long nowMs) {
        return unavailableBecause(nodeId, ConnectionClass.CONTROL, nowMs);
    }

    /**
     * The failure that keeps a request of class {@code c} from the node now, or null: the node has no connection of
     * that class, the node's last connection attempt (of any class) failed, none has succeeded since, and the node is
     * still backing off from that failure.
     */
    public KwireException unavailableBecause(int nodeId, ConnectionClass c, long nowMs) {
        if (engine.connection(nodeId, c) != null || !engine.history().isBlackedOut(nodeId, nowMs)) {
            return null;
        }
        return engine.history().failedAttempt(nodeId);
    }

    /** Milliseconds until the node may be connected to again; 0 when it may now. */
    public long backoffRemaining(int nodeId, long nowMs) {
        return engine.history().backoffRemaining(nodeId, nowMs);
    }

    /** Whether every node the client knows is {@linkplain #unavailableBecause unavailable} now. */
    public boolean allKnownNodesUnavailable(long nowMs) {
        Node[] nodes = engine.metadata().knownNodes();
        for (Node n : nodes) {
            if (unavailableBecause(n.id(), nowMs) == null) {
                return false;
            }
        }
        return nodes.length > 0;
    }

    /** When the node's last connection error happened, in the engine's milliseconds, or 0. */
    public long lastErrorMs(int nodeId) {
        return engine.history().lastErrorMs(nodeId);
    }

    /** Why the node's control connection cannot take a request now, in a few words. */
    public String describe(int nodeId, long nowMs) {
        return describe(nodeId, ConnectionClass.CONTROL, nowMs);
    }

    /** Why the node's connection of class {@code cls} cannot take a request now, in a few words. */
    public String describe(int nodeId, ConnectionClass cls, long nowMs) {
        if (!isKnown(nodeId)) {
            return "unknown node";
        }
        BrokerConnection c = engine.connection(nodeId, cls);
        if (c == null) {
            String err = engine.history().lastError(nodeId);
            long delay = engine.history().backoffRemaining(nodeId, nowMs);
            return "disconnected" + (delay > 0 ? ", reconnecting in " + delay + " ms" : "")
                    + (err == null ? "" : ", last error: " + err);
        }
        String held = c.holdReason(nowMs);
        if (held != null) {
            return held;
        }
        if (c.step() == BrokerConnection.Step.READY) {
            long throttle = engine.history().throttleDelay(nodeId, nowMs);
            return throttle > 0 ? "throttled by the broker for " + throttle + " ms"
                    : c.inFlight.size() + " requests in flight (max " + engine.maxInFlight() + ")";
        }
        return c.step().publicState().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /**
     * Why no broker can take a request: the {@link AuthenticationException} when every known address refused the
     * client's credentials or certificate (the one thing to fix), the {@link ProxyException} when every known address
     * failed in the proxy's step (the proxy is down, or refused), else a {@link NoBrokersAvailableException} naming
     * each address with its own failure, the newest failure as its cause.
     */
    public KwireException unavailable(Duration waited) {
        KwireException first = null;
        for (Node n : engine.metadata().knownNodes()) {
            KwireException failure = engine.history().failedAttempt(n.id());
            boolean auth = failure instanceof AuthenticationException;
            boolean proxy = failure instanceof ProxyException; // every connection goes through the one proxy
            if (!(auth || proxy) || (first != null && (first instanceof AuthenticationException) != auth)) {
                return noBrokersAvailable(waited);
            }
            first = first == null ? failure : first;
        }
        return first != null ? first : noBrokersAvailable(waited);
    }

    /**
     * An error naming every known address, each with its own cause; with many addresses, a count per kind of
     * failure and the first few addresses, so that a thousand refused addresses make a short message.
     */
    public NoBrokersAvailableException noBrokersAvailable(Duration waited) {
        long now = engine.nowMs();
        Node[] nodes = engine.metadata().knownNodes();
        StringBuilder sb = new StringBuilder("No broker available after ").append(waited.toMillis()).append(" ms");
        KwireException newest = null;
        long newestMs = Long.MIN_VALUE;
        Map<String, Integer> kinds = new TreeMap<>();
        for (Node n : nodes) {
            KwireException f = engine.history().lastFailure(n.id());
            if (f != null && engine.history().lastErrorMs(n.id()) > newestMs) {
                newest = f;
                newestMs = engine.history().lastErrorMs(n.id());
            }
            kinds.merge(kindOf(engine.history().lastError(n.id()), n.id(), now), 1, Integer::sum);
        }
        if (nodes.length > SUMMARY_AFTER) {
            sb.append(": ").append(nodes.length).append(" addresses:");
            kinds.forEach((kind, count) -> sb.append(' ').append(count).append(' ').append(kind).append(';'));
            sb.setLength(sb.length() - 1);
            sb.append("; the first ").append(SUMMARY_AFTER).append(':');
        } else {
            sb.append(':');
        }
        for (int i = 0; i < Math.min(nodes.length, SUMMARY_AFTER); i++) {
            Node n = nodes[i];
            String err = engine.history().lastError(n.id());
            sb.append("\n  ").append(n.address()).append(": ").append(err != null ? err : describe(n.id(), now));
        }
        return new NoBrokersAvailableException(sb.toString(), newest);
    }

    /** The kind of a node's failure, for the summary of many addresses: its reason without the address. */
    private String kindOf(String reason, int nodeId, long nowMs) {
        String text = reason != null ? reason : describe(nodeId, nowMs);
        int cut = text.length();
        for (String marker : new String[] {" by ", " of ", " with ", " after ", ":", ","}) {
            int at = text.indexOf(marker);
            if (at > 0 && at < cut) {
                cut = at;
            }
        }
        return text.substring(0, cut);
    }

    /** The newest connection-level error of any known node, for health reporting. */
    public Optional<String> lastError() {
        String best = null;
        long bestTime = Long.MIN_VALUE;
        for (int id : engine.metadata().knownNodeIds()) {
            String err = engine.history().lastError(id);
            if (err != null && engine.history().lastErrorMs(id) > bestTime) {
                best = err;
                bestTime = engine.history().lastErrorMs(id);
            }
        }
        return Optional.ofNullable(best);
    }

    /** When the newest error of {@link #lastError()} happened, in the engine's milliseconds, or 0. */
    public long lastErrorMs() {
        long bestTime = 0;
        for (int id : engine.metadata().knownNodeIds()) {
            bestTime = Math.max(bestTime, engine.history().lastErrorMs(id));
        }
        return bestTime;
    }

    /** The TLS material's rotation state; empty without TLS. */
    public Optional<TlsStatus> tlsStatus() {
        return engine.transports().tlsStatus();
    }

    /** A problem with the client's own credentials, such as failing Kerberos renewals; for health reporting. */
    public Optional<String> credentialProblem() {
        return engine.authenticators().credentialProblem();
    }
}
