package io.kwire.network;

/**
 * The steps of a broker connection, in order. A connection moves forward one step at a time and falls back to
 * {@link #DISCONNECTED} from any step on failure.
 */
public enum ConnectionState {
    /** No socket; may be backing off before the next attempt. */
    DISCONNECTED,
    /** TCP connect in progress. */
    CONNECTING,
    /** TLS handshake in progress. */
    TLS_HANDSHAKE,
    /** ApiVersions sent, waiting for the broker's version ranges. */
    CHECKING_API_VERSIONS,
    /** SASL handshake and authentication in progress. */
    AUTHENTICATING,
    /** Ready for requests. */
    READY;

    /** Between the start of a TCP connect and readiness. */
    public boolean isSettingUp() {
        return this != DISCONNECTED && this != READY;
    }

    public boolean isConnected() {
        return this != DISCONNECTED && this != CONNECTING;
    }
}
