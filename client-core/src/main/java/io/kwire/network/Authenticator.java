package io.kwire.network;

import io.kwire.errors.AuthenticationException;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.nio.ByteBuffer;

/**
 * One SASL exchange on one connection, as a state machine the event loop drives without blocking: it hands out
 * the next request (SaslHandshake, then SaslAuthenticate rounds) and takes each response. Its methods are called on
 * the I/O thread; work of its own that may block (a mechanism step) it may run elsewhere and report through the
 * callback {@link AuthenticatorFactory#create(io.kwire.client.Node, NodeApiVersions, Runnable)} gives it.
 *
 * <p>Brokers older than Kafka 1.0 have no SaslAuthenticate: after a SaslHandshake v0 the SASL tokens travel as bare
 * size-prefixed frames without Kafka headers. An authenticator in that mode hands out {@link #nextRawToken()} and
 * takes {@link #onRawToken(ByteBuffer)}; the client routes every frame to it while {@link #awaitsRawToken()}.
 */
public interface Authenticator {

    /** The next request to send, or null when waiting for a response or for work of its own, or finished. */
    ApiRequest<?> nextRequest();

    /**
     * Takes the response to the last request.
     *
     * @throws AuthenticationException when the broker refuses the credentials or the exchange breaks
     */
    void onResponse(ApiResponse response);

    boolean isComplete();

    /** The session lifetime the broker granted (KIP-368), in ms; 0 when it set none. */
    long sessionLifetimeMs();

    /**
     * The next raw SASL token to send as a bare size-prefixed frame (brokers before 1.0), or null when none is
     * due. Asked for when {@link #nextRequest()} returns null.
     */
    default byte[] nextRawToken() {
        return null;
    }

    /** Whether the next frame from the broker is a raw SASL token (for {@link #onRawToken}), not a Kafka response. */
    default boolean awaitsRawToken() {
        return false;
    }

    /**
     * Takes a raw SASL token frame (without its size prefix). The buffer is valid only during the call.
     *
     * @throws AuthenticationException when the token is refused or the exchange breaks
     */
    default void onRawToken(ByteBuffer token) {
        throw new IllegalStateException(this + " does not use raw SASL tokens");
    }

    /**
     * The error to report when the broker closes the connection in the middle of the exchange, or null to report a
     * plain disconnect. Brokers before 1.0 answer bad credentials by closing the connection without a word.
     */
    default AuthenticationException onDisconnect() {
        return null;
    }

    /**
     * Takes the result of work the authenticator ran off the I/O thread, once it has said so through the callback
     * given to {@link AuthenticatorFactory#create(io.kwire.client.Node, NodeApiVersions, Runnable)}; the engine
     * then asks for the next request. Does nothing when no such work has finished.
     *
     * @throws AuthenticationException when that work failed
     */
    default void resume() {
    }

    /**
     * The connection closed during the exchange: release what it holds, now or when its own work ends. Must not
     * throw (the engine logs and goes on if it does).
     */
    default void onClose() {
    }
}
