/**
 * TLS and SASL for broker connections.
 *
 * <ul>
 *   <li>{@link io.kwire.internal.tls.TlsTransport}: TLS over a non-blocking socket with an {@link javax.net.ssl.SSLEngine},
 *       driven by the client's event loop (handshake, batched writes, post-handshake messages, close_notify).</li>
 *   <li>{@link io.kwire.internal.tls.SslContextFactory}: the {@link javax.net.ssl.SSLContext} from the {@code ssl*}
 *       settings (PEM files, key and trust stores, CRL, protocols, ciphers, hostname verification).</li>
 *   <li>{@link io.kwire.security.SaslAuthenticator}: SaslHandshake + SaslAuthenticate (Kafka 1.0+, KIP-152) with
 *       KIP-368 session lifetimes, over the mechanisms of a {@link io.kwire.security.SaslMechanismRegistry}: PLAIN,
 *       SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI, and any a user registers.</li>
 *   <li>{@link io.kwire.security.KerberosLogin}: the GSSAPI client's Kerberos login, made when the client is created
 *       and renewed on its own thread as {@link io.kwire.security.KerberosRefreshPolicy} says.</li>
 *   <li>{@link io.kwire.security.SecurityFactories}: picks both by {@code securityProtocol}:
 *       {@code new KafkaClient(config, SecurityFactories.transportFactory(config),
 *       SecurityFactories.authenticatorFactory(config))}.</li>
 * </ul>
 * No password, key password or token appears in a log line, an exception message or a {@code toString()}.
 */
package io.kwire.security;
