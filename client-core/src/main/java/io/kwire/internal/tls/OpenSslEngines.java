package io.kwire.internal.tls;

import io.kwire.errors.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Client engines from OpenSSL or BoringSSL through netty-tcnative ({@link io.kwire.client.TlsEngine#OPENSSL}): the
 * one class of the client that touches Netty, loaded only when that engine is configured, so that Netty stays an
 * optional dependency. The key and trust managers are the ones {@link SslContextFactory} builds for the JDK's
 * engine, so certificates are judged the same way; protocols, cipher suites and hostname verification are set per
 * engine through its {@code SSLParameters}, as for the JDK's.
 *
 * <p>Netty's engines hold native memory (the OpenSSL {@code SSL} object) until both directions are closed: a
 * transport {@linkplain #release releases} its engine when it closes. The context's own native memory goes when
 * the context is collected (Netty's non-reference-counted provider), which suits contexts that live as long as the
 * client's TLS material.
 */
final class OpenSslEngines {

    static final String ADD = "add io.netty:netty-handler and a netty-tcnative for this platform (such as"
            + " io.netty:netty-tcnative-boringssl-static) to the classpath, or set sslEngine to JDK";

    /**
     * TLS 1.2 suites when {@code sslCiphers} is empty: forward secret and authenticated only (ECDHE with AES-GCM or
     * ChaCha20-Poly1305). Netty's own default adds RSA key exchange and CBC suites, which the client does not offer.
     */
    static final List<String> DEFAULT_TLS12 = List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** The TLS 1.3 suites BoringSSL offers, always all of them: it has no way to leave one out. */
    static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private final SslContext context;

    private OpenSslEngines(SslContext context) {
        this.context = context;
    }

    /**
     * A context over these managers.
     *
     * @throws ConfigException naming {@code sslEngine} when netty-tcnative's native library did not load (the
     *                         caller has made sure that Netty itself is on the classpath: see
     *                         {@link SslContextFactory})
     */
    static OpenSslEngines create(KeyManager[] keyManagers, TrustManager[] trustManagers, boolean checkHostname) {
        ensureAvailable();
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .endpointIdentificationAlgorithm(checkHostname ? "HTTPS" : null);
        if (keyManagers != null && keyManagers.length > 0) {
            builder.keyManager(keyManagers[0]);
        }
        if (trustManagers != null && trustManagers.length > 0) {
            builder.trustManager(trustManagers[0]);
        }
        try {
            return new OpenSslEngines(builder.build());
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException("sslEngine", "sslEngine OPENSSL: cannot build the OpenSSL context ("
                    + OpenSsl.versionString() + "): " + e.getMessage());
        }
    }

    private static void ensureAvailable() {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new ConfigException("sslEngine", "sslEngine OPENSSL: netty-tcnative's native library did not load"
                    + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")")
                    + ": " + ADD);
        }
    }

    /** The protocols and cipher suites the engines are given: see {@link #suites}. */
    record Suites(String[] protocols, String[] ciphers) {
    }

    /**
     * The configured protocols and suites as BoringSSL can honour them, with the JDK engine's meaning: a suite list
     * without a TLS 1.3 suite rules TLS 1.3 out, one without a TLS 1.2 suite rules TLS 1.2 out. Under TLS 1.3,
     * BoringSSL always offers its three suites, so a list that names some of them but not all is refused rather
     * than ignored. An empty list gets {@link #DEFAULT_TLS12} and the TLS 1.3 suites.
     *
     * @param protocols the configured protocols, never empty
     * @param ciphers   the configured suites, or null for the default
     * @throws ConfigException naming sslCiphers when BoringSSL cannot honour the list
     */
    static Suites suites(String[] protocols, String[] ciphers) {
        if (ciphers == null) {
            List<String> all = new ArrayList<>(DEFAULT_TLS12);
            all.addAll(TLS13);
            return new Suites(protocols, all.toArray(String[]::new));
        }
        List<String> tls13 = Arrays.stream(ciphers).filter(c -> !c.contains("_WITH_")).toList();
        boolean anyTls12 = tls13.size() < ciphers.length;
        if (!tls13.isEmpty() && !tls13.containsAll(TLS13)) {
            throw new ConfigException("sslCiphers", "sslCiphers " + tls13 + ": under TLS 1.3 the OpenSSL engine ("
                    + version() + ") always offers " + TLS13 + " and cannot leave one out: name all three or none of"
                    + " them, or set sslEngine to JDK");
        }
        List<String> kept = Arrays.stream(protocols)
                .filter(p -> !(p.equals("TLSv1.3") && tls13.isEmpty()) && !(p.equals("TLSv1.2") && !anyTls12))
                .toList();
        if (kept.isEmpty()) {
            throw new ConfigException("sslCiphers", "sslCiphers " + Arrays.toString(ciphers) + " name no cipher suite"
                    + " of the protocols in sslEnabledProtocols " + Arrays.toString(protocols));
        }
        return new Suites(kept.toArray(String[]::new), ciphers);
    }

    /** A client-mode engine for {@code host:port} (SNI from the host); the caller sets its parameters. */
    SSLEngine newEngine(String host, int port) {
        return context.newEngine(ByteBufAllocator.DEFAULT, host, port);
    }

    /** An engine to read the supported protocols and cipher suites from; released at once by the caller. */
    SSLEngine probe() {
        return context.newEngine(ByteBufAllocator.DEFAULT);
    }

    /** The native library's name and version, for logs. */
    static String version() {
        return OpenSsl.versionString();
    }

    /**
     * Frees the engine's native state now: Netty frees it once both directions are closed. Closing the inbound side
     * before the broker's close_notify arrived is what a closing client does anyway.
     */
    static void release(SSLEngine engine) {
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException ignored) {
            // no close_notify from the broker: expected when the client closes first
        }
    }
}
