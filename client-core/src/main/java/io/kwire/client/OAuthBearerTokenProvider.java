package io.kwire.client;

import io.kwire.errors.KwireException;

/**
 * Supplies tokens for SASL/OAUTHBEARER. Called on the client's I/O thread each time a connection authenticates or
 * re-authenticates, so an implementation that fetches tokens over the network should cache them and refresh in
 * the background rather than block.
 */
@FunctionalInterface
public interface OAuthBearerTokenProvider {

    /** A currently valid token; throw a {@link KwireException} if none can be had. */
    OAuthBearerToken token();
}
