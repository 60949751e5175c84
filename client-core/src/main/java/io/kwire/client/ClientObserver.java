package io.kwire.client;

import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.protocol.ApiKey;

/**
 * The observability hook: the client tells it what happens on the wire. The Spring module binds it to
 * Micrometer; the core knows no metrics library.
 *
 * <p>Every method is called on the client's I/O thread and must return quickly without blocking; the default
 * implementations do nothing. Arguments are primitives and shared objects so that observing costs no
 * allocation per request.
 */
public interface ClientObserver {

    ClientObserver NONE = new ClientObserver() { };

    /** The node of a request for any node that ended before one could be chosen. */
    int NO_NODE = Integer.MIN_VALUE;

    /** How a request ended. */
    enum Outcome {
        SUCCESS, TIMEOUT, DISCONNECTED, FAILED;

        /** How a request that ended with {@code error} ({@code null}: a response arrived) is counted. */
        public static Outcome of(Throwable error) {
            return error == null ? SUCCESS
                    : error instanceof KwireTimeoutException ? TIMEOUT
                    : error instanceof DisconnectedException ? DISCONNECTED
                    : FAILED;
        }
    }

    /** A TCP connection (and any TLS/SASL handshake) completed and the node is ready for requests. */
    default void connectionReady(Node node) { }

    /** An established connection was closed, by either side. */
    default void connectionClosed(Node node, String reason) { }

    /** A connection attempt failed before the node became ready (DNS, refused, timeout, handshake). */
    default void connectionFailed(Node node, KwireException cause) { }

    /** The broker refused our credentials. */
    default void authenticationFailed(Node node, KwireException cause) { }

    /**
     * A request ended, including one that failed before it was sent (its node could not be had, it timed out
     * waiting, the client closed): then {@code version} is -1 and both byte counts are 0. A request refused on the
     * caller's thread before the client took it ({@code QueueFullException}, a closed client) is not reported: the
     * caller has its future failed at once.
     *
     * @param latencyNanos  from the moment the request was queued until it ended
     * @param bytesSent     size of the request frame, including its size prefix
     * @param bytesReceived size of the response frame, 0 when none arrived
     */
    default void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                  int bytesReceived, Outcome outcome) { }

    /** A response carried a throttle time (KIP-219): the client holds further sends to the node until it passes. */
    default void throttled(int nodeId, ApiKey api, int throttleTimeMs) { }

    /** A new cluster snapshot replaced the old one. */
    default void metadataUpdated(ClusterMetadata metadata) { }
}
