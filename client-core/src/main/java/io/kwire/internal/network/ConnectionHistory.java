package io.kwire.internal.network;

import io.kwire.errors.KwireException;
import io.kwire.internal.util.ExponentialBackoff;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to each node's connections, kept across connections: consecutive failures and the reconnect
 * back-off they earn, the connection set-up timeout that grows with them (KIP-601), the throttle window
 * (KIP-219), the DNS addresses still to try (KIP-302) and the last error. Back-off is per broker, whatever
 * connection failed. The live connection's own step belongs to its {@link BrokerConnection}; this class keeps no
 * state enum. Every method takes the current time in milliseconds, so tests step a clock instead of sleeping.
 * Only used on the I/O thread.
 */
public final class ConnectionHistory {

    private static final class NodeHistory {
        int failures;
        long lastAttemptMs = Long.MIN_VALUE / 2;
        long backoffMs;
        long throttleUntilMs;
        List<InetAddress> addresses = List.of();
        int nextAddress;
        String lastError;
        KwireException lastFailure;
        /** Whether the last failure was of an attempt to set a connection up, not the loss of one that was ready. */
        boolean attemptFailed;
        long lastErrorMs;
    }

    private final Map<Integer, NodeHistory> nodes = new HashMap<>();
    private final ExponentialBackoff reconnectBackoff;
    private final ExponentialBackoff setupTimeout;

    public ConnectionHistory(ExponentialBackoff reconnectBackoff, ExponentialBackoff setupTimeout) {
        this.reconnectBackoff = reconnectBackoff;
        this.setupTimeout = setupTimeout;
    }

    private NodeHistory node(int id) {
        return nodes.computeIfAbsent(id, k -> new NodeHistory());
    }

    /** Whether the node has been connected to (or tried) and not removed since. */
    public boolean isTracked(int id) {
        return nodes.containsKey(id);
    }

    /** Milliseconds left of the node's reconnect back-off; 0 when a new attempt may start now. */
    public long backoffRemaining(int id, long nowMs) {
        NodeHistory s = nodes.get(id);
        return s == null ? 0 : Math.max(0, s.lastAttemptMs + s.backoffMs - nowMs);
    }

    /** Past its back-off: a new attempt may start now (if the node has no connection). */
    public boolean canConnect(int id, long nowMs) {
        return backoffRemaining(id, nowMs) == 0;
    }

    /** Failed and still inside its back-off window. */
    public boolean isBlackedOut(int id, long nowMs) {
        return backoffRemaining(id, nowMs) > 0;
    }

    /** When a ready node may be sent to again after a throttle, or 0. */
    public long throttleDelay(int id, long nowMs) {
        NodeHistory s = nodes.get(id);
        return s == null ? 0 : Math.max(0, s.throttleUntilMs - nowMs);
    }

    public void throttle(int id, long nowMs, long throttleMs) {
        NodeHistory s = node(id);
        s.throttleUntilMs = Math.max(s.throttleUntilMs, nowMs + throttleMs);
    }

    /**
     * The address for the next connection attempt: the next of the host's addresses not yet tried in this round, or
     * null once all have been tried (or none is known): the host is then looked up again, so DNS changes are picked
     * up on reconnect, and {@link #startRound} begins the next round.
     */
    public InetAddress nextAddress(int id) {
        NodeHistory s = nodes.get(id);
        return s == null || s.nextAddress >= s.addresses.size() ? null : s.addresses.get(s.nextAddress++);
    }

    /** A new round over the host's {@code addresses} (as looked up); returns the first, for this attempt. */
    public InetAddress startRound(int id, List<InetAddress> addresses) {
        NodeHistory s = node(id);
        s.addresses = List.copyOf(addresses);
        s.nextAddress = 1;
        return s.addresses.get(0);
    }

    /**
     * Records the start of an attempt.
     *
     * @return the set-up timeout for this attempt: it grows with the consecutive failures before it (KIP-601)
     */
    public long markConnecting(int id, long nowMs) {
        NodeHistory s = node(id);
        s.lastAttemptMs = nowMs;
        return setupTimeout.backoffMs(s.failures + 1);
    }

    /** A connection completed its set-up: failures and back-off start again from zero. */
    public void markReady(int id) {
        NodeHistory s = node(id);
        s.failures = 0;
        s.backoffMs = 0;
        s.nextAddress = s.addresses.size(); // resolve again on the next connect
    }

    /**
     * A failed attempt or a broken connection: back off exponentially before the next attempt.
     *
     * @param reason  what happened, in a few words for health reports ({@code connection refused by host:port})
     * @param error   the exception a caller waiting for the node is failed with
     * @param attempt whether the connection failed while being set up (the node could not be reached or refused
     *                the client), rather than being lost after it was ready
     */
    public void markFailed(int id, long nowMs, String reason, KwireException error, boolean attempt) {
        NodeHistory s = node(id);
        s.failures++;
        s.lastAttemptMs = nowMs;
        s.backoffMs = reconnectBackoff.backoffMs(s.failures);
        s.lastError = reason;
        s.lastFailure = error;
        s.attemptFailed = attempt;
        s.lastErrorMs = nowMs;
    }

    /** A deliberate close (idle, or asked by the caller): no failure is counted and no back-off applies. */
    public void markClosed(int id) {
        node(id).backoffMs = 0;
    }

    public long lastAttemptMs(int id) {
        NodeHistory s = nodes.get(id);
        return s == null ? Long.MIN_VALUE : s.lastAttemptMs;
    }

    public int failures(int id) {
        NodeHistory s = nodes.get(id);
        return s == null ? 0 : s.failures;
    }

    /** What happened to the node's last failed connection, in a few words, or null. */
    public String lastError(int id) {
        NodeHistory s = nodes.get(id);
        return s == null ? null : s.lastError;
    }

    /** The last error of the node, or null. */
    public KwireException lastFailure(int id) {
        NodeHistory s = nodes.get(id);
        return s == null ? null : s.lastFailure;
    }

    /**
     * The failure of the node's last connection attempt when no attempt has succeeded since, or null: what a request
     * for the node fails with while the node cannot be reached. The loss of a connection that was ready does not
     * count: the next attempt may well succeed at once.
     */
    public KwireException failedAttempt(int id) {
        NodeHistory s = nodes.get(id);
        return s == null || s.failures == 0 || !s.attemptFailed ? null : s.lastFailure;
    }

    public long lastErrorMs(int id) {
        NodeHistory s = nodes.get(id);
        return s == null ? 0 : s.lastErrorMs;
    }

    public void remove(int id) {
        nodes.remove(id);
    }
}
