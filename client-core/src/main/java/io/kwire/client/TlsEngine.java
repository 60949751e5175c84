package io.kwire.client;

/**
 * Which TLS implementation encrypts the client's connections ({@link KafkaClientConfig#sslEngine()}). Both check
 * certificates the same way: the trust managers the client builds from its files, stores or the JVM's trust store
 * (CRL checks and hostname verification included) judge the broker's certificate; only the handshake's and the
 * records' cryptography differ.
 */
public enum TlsEngine {

    /** The JDK's own {@code SSLEngine} (SunJSSE); the default, and the one a given {@code sslContext} brings. */
    JDK,

    /**
     * OpenSSL or BoringSSL through netty-tcnative, by way of Netty's {@code SSLEngine}: the application adds
     * {@code io.netty:netty-handler} and a netty-tcnative for its platform (such as
     * {@code io.netty:netty-tcnative-boringssl-static}); without them the client fails to start with a
     * {@link io.kwire.errors.ConfigException} that says which is missing. Its AES-GCM encrypts from and into direct
     * buffers, so the client wraps records straight into the buffer the socket sends from: on the machine of
     * docs/benchmarks.md, wrapping 1 MB costs 160 us where the JDK's engine and the copy for the socket cost 206.
     * Built only from the client's own TLS files and stores: a given {@code sslContext} is always the JDK's.
     */
    OPENSSL
}
