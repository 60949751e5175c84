package io.kwire.client;

import io.kwire.errors.KwireException;

/**
 * Supplies tokens for SASL/OAUTHBEARER. Called on the client's I/O thread each time a connection authenticates or
 * re-authenticates, so an implementation that fetches tokens over the network should not block: wrap it in a
 * {@link RefreshingTokenProvider}, which fetches ahead of expiry on a thread of its own.
 */
@FunctionalInterface
public interface OAuthBearerTokenProvider {

    /** A currently valid token; throw a {@link KwireException} if none can be had. */
    OAuthBearerToken token();
}
