/**
 * TLS over {@link javax.net.ssl.SSLEngine} for the non-blocking loop: the transport, the SSL context built from PEM
 * files or key stores (rebuilt when the files change, {@link io.kwire.internal.tls.ReloadingTlsTransportFactory}),
 * and PEM parsing. Chosen by {@code io.kwire.security.SecurityFactories}.
 *
 * <p>Internal: no compatibility promise.
 */
package io.kwire.internal.tls;
