package io.kwire.internal.network;

import io.kwire.client.ConnectionClass;
import io.kwire.client.Node;
import io.kwire.network.NodeApiVersions;

/**
 * The open connections to one broker, at most one per {@link ConnectionClass}, and what they share: the broker's API
 * versions, learnt by the first connection and given to the next ones while a connection to the same address stays
 * established (a broker restarted, perhaps upgraded, closes them all, and the next connection asks again). What
 * outlives the connections (back-off, failures) is the broker's {@link ConnectionHistory}. Only used on the I/O
 * thread.
 */
final class NodeConnections {

    private static final ConnectionClass[] CLASSES = ConnectionClass.values();

    private final BrokerConnection[] byClass = new BrokerConnection[CLASSES.length];
    private int count;
    /**
     * Set when a request went on another class's connection (the reference face's fallback to the control connection
     * while its own class's is not ready); cleared once no such request is in flight.
     */
    private boolean carriesForeign;

    BrokerConnection get(ConnectionClass c) {
        return byClass[c.ordinal()];
    }

    /** The control connection, else any other open one, else null: the one that speaks for the node. */
    BrokerConnection leading() {
        BrokerConnection best = null;
        for (BrokerConnection c : byClass) {
            if (c != null && (best == null || c.step().isEstablished() && !best.step().isEstablished())) {
                best = c;
            }
            if (best != null && best.connectionClass == ConnectionClass.CONTROL) {
                return best;
            }
        }
        return best;
    }

    void put(BrokerConnection c) {
        if (byClass[c.connectionClass.ordinal()] == null) {
            count++;
        }
        byClass[c.connectionClass.ordinal()] = c;
    }

    /** Removes {@code c} if it is still its class's connection; returns whether it was. */
    boolean remove(BrokerConnection c) {
        int i = c.connectionClass.ordinal();
        if (byClass[i] != c) {
            return false;
        }
        byClass[i] = null;
        count--;
        return true;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether some connection of the node is set up and authenticated. */
    boolean anyEstablished() {
        for (BrokerConnection c : byClass) {
            if (c != null && c.step().isEstablished()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some connection of the node is being set up. */
    boolean anySettingUp() {
        for (BrokerConnection c : byClass) {
            if (c != null && c.step().isSettingUp()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The versions an established connection to {@code node}'s address learnt, for a new connection to use instead
     * of asking again; null when there is none, or the node moved to another address.
     */
    NodeApiVersions knownVersions(Node node) {
        for (BrokerConnection c : byClass) {
            if (c != null && c.step().isEstablished() && c.versions() != null && c.node.host().equals(node.host())
                    && c.node.port() == node.port()) {
                return c.versions();
            }
        }
        return null;
    }

    /** Marks that {@code carrier} took a request of another class. */
    void carriedForeign() {
        carriesForeign = true;
    }

    /**
     * The connection, not {@code c}'s own, on which requests of class {@code c} are in flight, or null: while there is
     * one, further requests of the class follow them there, so that requests of one class never overtake each other
     * on two connections.
     */
    BrokerConnection carrierOf(ConnectionClass c) {
        if (!carriesForeign) {
            return null;
        }
        boolean any = false;
        for (BrokerConnection d : byClass) {
            if (d == null) {
                continue;
            }
            for (InFlightRequest r : d.inFlight) {
                if (r.connectionClass != d.connectionClass) {
                    any = true;
                    if (r.connectionClass == c) {
                        return d;
                    }
                }
            }
        }
        carriesForeign = any;
        return null;
    }
}
