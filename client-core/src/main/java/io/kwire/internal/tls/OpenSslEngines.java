package io.kwire.internal.tls;

import io.kwire.errors.ConfigException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
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
 * <p>Native memory is freed when kwire is done with it, not when the collector gets to it: a transport
 * {@linkplain #release(SSLEngine) releases} its engine (the OpenSSL {@code SSL}) when it closes, and the owner of the
 * context {@linkplain #release() releases} it when the client closes or a reload replaces it. Each engine holds a
 * reference to its context, so the context's {@code SSL_CTX} goes with the last of them: connections opened before a
 * reload keep working on the old material until they close. Netty's provider keeps a finalizer on both as a safety
 * net, for an engine or context some failure path never released.
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
    /** The owner's reference has been given back: engines still open may hold their own. */
    private final AtomicBoolean released = new AtomicBoolean();

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
    static OpenSslEngines create(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        ensureAvailable();
        try {
            // Hostname verification is set per engine (SSLParameters), as for the JDK's engine: Netty 4.2's
            // builder would turn it on by default, and 4.1's has no setting for it.
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL);
            if (keyManagers != null && keyManagers.length > 0) {
                builder.keyManager(keyManagers[0]);
            }
            if (trustManagers != null && trustManagers.length > 0) {
                builder.trustManager(trustManagers[0]);
            }
            return new OpenSslEngines(builder.build());
        } catch (SSLException | RuntimeException e) {
            ConfigException failure = new ConfigException("sslEngine", "sslEngine OPENSSL: cannot build the OpenSSL"
                    + " context (" + OpenSsl.versionString() + "): " + e.getMessage());
            failure.initCause(e);
            throw failure;
        } catch (LinkageError e) {
            throw new ConfigException("sslEngine", "sslEngine OPENSSL: the netty-handler on the classpath lacks "
                    + e.getMessage() + " (" + e.getClass().getSimpleName() + "); use Netty 4.1.100 or later (kwire's"
                    + " tests run on 4.1.100 and 4.2.15), or set sslEngine to JDK");
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
     * The configured protocols and suites as BoringSSL can honour them, within what the JDK's engine would offer for
     * the same configuration: only TLSv1.3 and TLSv1.2, and only TLS 1.2 suites a client-mode JDK engine enables by
     * default (the default list too is cut to those). Under TLS 1.3 BoringSSL offers its own three suites whatever
     * the JDK's policy says, and key sizes, groups and signature schemes are BoringSSL's (the certificate path is
     * still checked by the JDK's trust manager). A suite list without a TLS 1.3 suite rules TLS 1.3 out, one without a TLS 1.2 suite rules TLS 1.2
     * out, as they do for the JDK's engine. Under TLS 1.3, BoringSSL always offers its three suites, so a list that
     * names some of them but not all is refused rather than ignored. An empty list gets {@link #DEFAULT_TLS12} and
     * the TLS 1.3 suites.
     *
     * @param protocols the configured protocols, never empty
     * @param ciphers   the configured suites, or null for the default
     * @throws ConfigException naming sslEnabledProtocols or sslCiphers when BoringSSL cannot honour them
     */
    static Suites suites(String[] protocols, String[] ciphers) {
        List<String> unsafe = Arrays.stream(protocols).filter(p -> !p.equals("TLSv1.3") && !p.equals("TLSv1.2"))
                .toList();
        if (!unsafe.isEmpty()) {
            throw new ConfigException("sslEnabledProtocols", "sslEnabledProtocols " + unsafe + ": the OpenSSL engine"
                    + " takes TLSv1.3 and TLSv1.2 only (the JDK's engine disables the older ones too): leave them out");
        }
        Set<String> jdkDefaults = jdkDefaultSuites();
        if (ciphers == null) {
            List<String> all = new ArrayList<>(DEFAULT_TLS12.stream().filter(jdkDefaults::contains).toList());
            all.addAll(TLS13);
            return new Suites(protocols, all.toArray(String[]::new));
        }
        // A signalling value (SCSV) is not a suite, and OpenSSL sends its own.
        List<String> named = Arrays.stream(ciphers).filter(c -> !c.endsWith("_SCSV")).distinct().toList();
        List<String> tls13 = named.stream().filter(TLS13::contains).toList();
        List<String> tls12 = named.stream().filter(c -> !TLS13.contains(c)).toList();
        if (!tls13.isEmpty() && !tls13.containsAll(TLS13)) {
            throw new ConfigException("sslCiphers", "sslCiphers " + tls13 + ": under TLS 1.3 the OpenSSL engine ("
                    + version() + ") always offers " + TLS13 + " and cannot leave one out: name all three, or none"
                    + " (which turns TLS 1.3 off), or set sslEngine to JDK");
        }
        List<String> refused = tls12.stream().filter(c -> !jdkDefaults.contains(c)).toList();
        if (!refused.isEmpty()) {
            throw new ConfigException("sslCiphers", "sslCiphers " + refused + " are not suites the JDK's engine would"
                    + " offer (unknown, or ruled out as weak by the JDK's defaults and jdk.tls.disabledAlgorithms):"
                    + " the OpenSSL engine offers none that the JDK's would not; use JSSE names of suites such as "
                    + DEFAULT_TLS12.get(0));
        }
        List<String> kept = Arrays.stream(protocols)
                .filter(p -> !(p.equals("TLSv1.3") && tls13.isEmpty()) && !(p.equals("TLSv1.2") && tls12.isEmpty()))
                .toList();
        if (kept.isEmpty()) {
            throw new ConfigException("sslCiphers", "sslCiphers " + Arrays.toString(ciphers) + " name no cipher suite"
                    + " of the protocols in sslEnabledProtocols " + Arrays.toString(protocols));
        }
        return new Suites(kept.toArray(String[]::new), named.toArray(String[]::new));
    }

    /**
     * The suites a client-mode JDK engine of this JVM enables by default: its policy, jdk.tls.client.cipherSuites and
     * jdk.tls.disabledAlgorithms applied.
     */
    private static Set<String> jdkDefaultSuites() {
        try {
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(new KeyManager[0], new TrustManager[0], null);
            SSLEngine probe = jdk.createSSLEngine();
            probe.setUseClientMode(true);
            return new HashSet<>(Arrays.asList(probe.getEnabledCipherSuites()));
        } catch (GeneralSecurityException e) {
            throw new ConfigException("sslCiphers", "sslCiphers: cannot read the JDK's default cipher suites to"
                    + " check the list against: " + e.getMessage());
        }
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
     * Gives back the context's own reference: its native memory is freed now if no engine made from it is still
     * open, else when the last of them is released. Called once by the owner; later calls do nothing.
     */
    void release() {
        if (released.compareAndSet(false, true)) {
            releaseOnce((ReferenceCounted) context);
        }
    }

    /** The references to the context: its owner's and one per engine not yet released (for tests). */
    int references() {
        return ((ReferenceCounted) context).refCnt();
    }

    /**
     * Frees the engine's native state (its OpenSSL {@code SSL}) now, with its reference to the context; the engine is
     * closed for good. Releasing it again does nothing.
     */
    static void release(SSLEngine engine) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            releaseOnce(openSsl);
        }
    }

    private static void releaseOnce(ReferenceCounted counted) {
        if (counted.refCnt() > 0) {
            try {
                counted.release();
            } catch (IllegalReferenceCountException e) {
                // released by another thread in between: what this call was for is done
            }
        }
    }
}
