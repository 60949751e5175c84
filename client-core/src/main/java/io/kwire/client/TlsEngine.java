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
     * {@code io.netty:netty-handler} (4.1.100 or later; its tests run on 4.1.100 and 4.2.15) and a netty-tcnative
     * for its platform (such as {@code io.netty:netty-tcnative-boringssl-static}); without them the client fails to
     * start with a {@link io.kwire.errors.ConfigException} that says which is missing. Its AES-GCM encrypts from and
     * into direct memory, so the client wraps records straight into the buffer the socket sends from: in
     * docs/benchmarks.md ("The plaintext's copy, made by kwire"), a 1 MB Produce costs the client thread 12-21% less
     * CPU per MB than with the JDK's engine, and less again for a batch built in direct memory
     * ({@code RecordBatchBuilder.buildInto}), which it encrypts where it is.
     *
     * <p>It is built only from the client's own TLS files and stores, never from a given {@code sslContext} (nor
     * one handed over later with {@code updateSslContext}). Its protocols and TLS 1.2 suites stay within what the
     * JDK's engine would offer: TLSv1.3 and TLSv1.2 only, TLS 1.2 suites a JDK client enables by default, and without
     * {@code sslCiphers} the forward-secret AEAD ones among them. BoringSSL always offers its three TLS 1.3 suites,
     * so {@code sslCiphers} names all of them or none (which turns TLS 1.3 off); key sizes, groups and signature
     * schemes are BoringSSL's. It refuses a TLS 1.2 renegotiation, which no Kafka broker starts, by failing the
     * connection.
     */
    OPENSSL
}
