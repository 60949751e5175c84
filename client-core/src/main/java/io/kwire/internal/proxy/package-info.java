/**
 * The proxy step of a broker connection's set-up ({@code proxyUrl}): the SOCKS5 (RFC 1928, RFC 1929) and HTTP
 * CONNECT handshakes as small state machines over bytes ({@link io.kwire.internal.proxy.ProxyHandshake}), driven over
 * the non-blocking socket by {@link io.kwire.internal.proxy.ProxyTunnel}, and the typed errors they raise
 * ({@link io.kwire.internal.proxy.ProxyErrors}). Used by {@code io.kwire.internal.network}'s connections.
 *
 * <p>Internal: no compatibility promise.
 */
package io.kwire.internal.proxy;
