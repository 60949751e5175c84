package io.kwire.client;

import io.kwire.errors.KwireException;

/**
 * Supplies tokens for SASL/OAUTHBEARER. Called each time a connection authenticates or re-authenticates, on one of
 * the client's SASL threads (so a slow call holds up that connection, not the I/O thread; at most four run at once),
 * possibly on several at once: an implementation must be thread-safe. One that fetches tokens over the network is
 * best wrapped in a {@link RefreshingTokenProvider}, which fetches ahead of expiry on a thread of its own, so no
 * authentication waits.
 */
@FunctionalInterface
public interface OAuthBearerTokenProvider {

    /** A currently valid token; throw a {@link KwireException} if none can be had. */
    OAuthBearerToken token();
}
