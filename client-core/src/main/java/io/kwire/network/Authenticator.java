package io.kwire.network;

import io.kwire.client.AuthenticationException;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;

/**
 * One SASL exchange on one connection, as a state machine the event loop drives without blocking: it hands out
 * the next request (SaslHandshake, then SaslAuthenticate rounds) and takes each response. Only used on the I/O
 * thread.
 */
public interface Authenticator {

    /** The next request to send, or null when waiting for a response or finished. */
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
}
