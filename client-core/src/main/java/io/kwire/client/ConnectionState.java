package io.kwire.client;

/**
 * The state of the client's connection to one broker, as a user may read it ({@code KwireClient.connectionStates()},
 * the health details). A connection moves forward through its set-up one step at a time and falls back to
 * {@link #DISCONNECTED} from any step on failure.
 */
public enum ConnectionState {
    /** No connection; the node may be backing off before the next attempt. */
    DISCONNECTED,
    /**
     * Looking up the broker's host name (the proxy's, when {@code proxyUrl} is set) on the client's lookup thread
     * ({@link KafkaClientConfig#hostResolver()}); not entered when the addresses are known.
     */
    RESOLVING,
    /** TCP connect in progress (to the proxy, when {@code proxyUrl} is set). */
    CONNECTING,
    /** Connected to the proxy ({@code proxyUrl}), asking it for a tunnel to the broker. */
    PROXY_HANDSHAKE,
    /** TLS handshake in progress. */
    TLS_HANDSHAKE,
    /** ApiVersions sent, waiting for the broker's version ranges. */
    CHECKING_API_VERSIONS,
    /** SASL handshake and authentication in progress. */
    AUTHENTICATING,
    /**
     * Asking the broker which cluster it belongs to, to refuse a broker of another cluster before it takes requests
     * (when a cluster id is known and the broker has no ApiVersions v5 to check it, KIP-1242).
     */
    CHECKING_CLUSTER_ID,
    /** Ready for requests. */
    READY,
    /** Open and authenticated before, running the SASL exchange again (KIP-368): new requests wait meanwhile. */
    REAUTHENTICATING;

    /** Between the start of an attempt (its lookup or TCP connect) and the first time the connection is ready. */
    public boolean isSettingUp() {
        return this != DISCONNECTED && this != READY && this != REAUTHENTICATING;
    }

    /** Whether a TCP connection to the broker is established (through the proxy's tunnel when there is one). */
    public boolean isConnected() {
        return this != DISCONNECTED && this != RESOLVING && this != CONNECTING && this != PROXY_HANDSHAKE;
    }
}
