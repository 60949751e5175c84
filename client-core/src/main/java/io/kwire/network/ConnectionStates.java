package io.kwire.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection state of every node, with its reconnect back-off, connection set-up deadline (KIP-601),
 * throttle window (KIP-219), DNS addresses still to try (KIP-302) and last error. All methods take the current
 * time in milliseconds, so tests step a clock instead of sleeping. Only used on the I/O thread.
 */
public final class ConnectionStates {

    /** Resolves a host name to all its addresses; replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final class NodeState {
        ConnectionState state = ConnectionState.DISCONNECTED;
        int failures;
        long lastAttemptMs = Long.MIN_VALUE / 2;
        long backoffMs;
        long setupDeadlineMs = Long.MAX_VALUE;
        long throttleUntilMs;
        List<InetAddress> addresses = List.of();
        int nextAddress;
        String lastError;
        long lastErrorMs;
    }

    private final Map<Integer, NodeState> nodes = new HashMap<>();
    private final ExponentialBackoff reconnectBackoff;
    private final ExponentialBackoff setupTimeout;
    private final Resolver resolver;

    public ConnectionStates(ExponentialBackoff reconnectBackoff, ExponentialBackoff setupTimeout, Resolver resolver) {
        this.reconnectBackoff = reconnectBackoff;
        this.setupTimeout = setupTimeout;
        this.resolver = resolver;
    }

    private NodeState node(int id) {
        return nodes.computeIfAbsent(id, k -> new NodeState());
    }

    /** Whether the node has been connected to (or tried) and not removed since. */
    public boolean isTracked(int id) {
        return nodes.containsKey(id);
    }

    public ConnectionState state(int id) {
        NodeState s = nodes.get(id);
        return s == null ? ConnectionState.DISCONNECTED : s.state;
    }

    /** Disconnected and past its back-off: a new attempt may start now. */
    public boolean canConnect(int id, long nowMs) {
        NodeState s = nodes.get(id);
        return s == null || (s.state == ConnectionState.DISCONNECTED && nowMs >= s.lastAttemptMs + s.backoffMs);
    }

    /** Disconnected and still inside its back-off window. */
    public boolean isBlackedOut(int id, long nowMs) {
        NodeState s = nodes.get(id);
        return s != null && s.state == ConnectionState.DISCONNECTED && nowMs < s.lastAttemptMs + s.backoffMs;
    }

    /**
     * As kafka-python defines it: when disconnected, the time left of the back-off; when connecting, 0 so the
     * caller polls for the connect to finish; when connected, a very large number.
     */
    public long connectionDelay(int id, long nowMs) {
        NodeState s = nodes.get(id);
        if (s == null) {
            return 0;
        }
        if (s.state == ConnectionState.DISCONNECTED) {
            return Math.max(0, s.lastAttemptMs + s.backoffMs - nowMs);
        }
        return s.state == ConnectionState.READY ? Long.MAX_VALUE : 0;
    }

    /** When a ready node may be sent to again after a throttle, or 0. */
    public long throttleDelay(int id, long nowMs) {
        NodeState s = nodes.get(id);
        return s == null ? 0 : Math.max(0, s.throttleUntilMs - nowMs);
    }

    public void throttle(int id, long nowMs, long throttleMs) {
        NodeState s = node(id);
        s.throttleUntilMs = Math.max(s.throttleUntilMs, nowMs + throttleMs);
    }

    /**
     * The address for the next connection attempt: the next of the host's addresses not yet tried in this round,
     * resolving the host again once all have been tried, so DNS changes are picked up on reconnect.
     */
    public InetAddress nextAddress(int id, String host) throws UnknownHostException {
        NodeState s = node(id);
        if (s.nextAddress >= s.addresses.size()) {
            s.addresses = List.of(resolver.resolve(host));
            s.nextAddress = 0;
        }
        return s.addresses.get(s.nextAddress++);
    }

    public void markConnecting(int id, long nowMs) {
        NodeState s = node(id);
        s.state = ConnectionState.CONNECTING;
        s.lastAttemptMs = nowMs;
        s.setupDeadlineMs = nowMs + setupTimeout.backoffMs(s.failures + 1);
    }

    /** Moves a connection that is being set up to its next step. */
    public void advance(int id, ConnectionState next) {
        node(id).state = next;
    }

    public void markReady(int id) {
        NodeState s = node(id);
        s.state = ConnectionState.READY;
        s.failures = 0;
        s.backoffMs = 0;
        s.setupDeadlineMs = Long.MAX_VALUE;
        s.nextAddress = s.addresses.size(); // resolve again on the next connect
    }

    /** A failed attempt or a broken connection: back off exponentially before the next attempt. */
    public void markFailed(int id, long nowMs, String error) {
        NodeState s = node(id);
        s.state = ConnectionState.DISCONNECTED;
        s.failures++;
        s.lastAttemptMs = nowMs;
        s.backoffMs = reconnectBackoff.backoffMs(s.failures);
        s.setupDeadlineMs = Long.MAX_VALUE;
        s.lastError = error;
        s.lastErrorMs = nowMs;
    }

    /** A deliberate close (idle, or asked by the caller): no failure is counted and no back-off applies. */
    public void markClosed(int id) {
        NodeState s = node(id);
        s.state = ConnectionState.DISCONNECTED;
        s.backoffMs = 0;
        s.setupDeadlineMs = Long.MAX_VALUE;
    }

    public boolean isSetupTimedOut(int id, long nowMs) {
        NodeState s = nodes.get(id);
        return s != null && s.state.isSettingUp() && nowMs >= s.setupDeadlineMs;
    }

    /** Milliseconds until the set-up deadline of a connecting node, or Long.MAX_VALUE. */
    public long setupTimeRemaining(int id, long nowMs) {
        NodeState s = nodes.get(id);
        return s == null || !s.state.isSettingUp() ? Long.MAX_VALUE : Math.max(0, s.setupDeadlineMs - nowMs);
    }

    public long lastAttemptMs(int id) {
        NodeState s = nodes.get(id);
        return s == null ? Long.MIN_VALUE : s.lastAttemptMs;
    }

    public int failures(int id) {
        NodeState s = nodes.get(id);
        return s == null ? 0 : s.failures;
    }

    /** The last error of the node, or null. */
    public String lastError(int id) {
        NodeState s = nodes.get(id);
        return s == null ? null : s.lastError;
    }

    public long lastErrorMs(int id) {
        NodeState s = nodes.get(id);
        return s == null ? 0 : s.lastErrorMs;
    }

    public void remove(int id) {
        nodes.remove(id);
    }

    public int count(ConnectionState state) {
        int n = 0;
        for (NodeState s : nodes.values()) {
            if (s.state == state) {
                n++;
            }
        }
        return n;
    }
}
