package io.kwire.internal.tls;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.Password;
import io.kwire.client.TlsEngine;
import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} and per-connection {@link SSLEngine}s from a {@link KafkaClientConfig}.
 *
 * <ul>
 *   <li>{@code sslContext} given: its keys and trust are used as they are, and the file and store keys below are
 *       not read; {@code sslCheckHostname}, {@code sslEnabledProtocols} and {@code sslCiphers} still apply to every
 *       engine (kafka-python ignores every other {@code ssl_*} key then; kwire never silently drops a protocol or
 *       cipher restriction, such as a Spring SSL bundle's options).</li>
 *   <li>Client key (mutual TLS): PEM ({@code sslCertfile} with the chain, {@code sslKeyfile} or the key inside the
 *       cert file, {@code sslPassword} for an encrypted PKCS#8 key), or a key store ({@code sslKeystoreLocation},
 *       type PKCS12, JKS or PEM, {@code sslKeystorePassword}, {@code sslKeyPassword}).</li>
 *   <li>Trust: PEM CA file ({@code sslCafile}), a trust store ({@code sslTruststoreLocation}), else the JVM's.</li>
 *   <li>{@code sslCrlfile}: PKIX validation that checks the broker's leaf certificate against that CRL (no OCSP, no
 *       network fetches).</li>
 *   <li>{@code sslEnabledProtocols}, {@code sslCiphers}; hostname verification ({@code HTTPS} endpoint
 *       identification against the broker's advertised host) unless {@code sslCheckHostname} is false.</li>
 * </ul>
 * Errors are {@link ConfigException}s naming the key and file at fault, never a password.
 */
public final class SslContextFactory implements AutoCloseable {

    /** The JDK's context; null with the OpenSSL engine. */
    private final SSLContext context;
    /** The OpenSSL engine's context; null with the JDK's. */
    private final OpenSslEngines openSsl;
    private final boolean checkHostname;
    private final String[] protocols;
    private final String[] ciphers;
    /** Closed: no more engines (guarded by this, so that no engine is made from a context being released). */
    private boolean closed;

    private SslContextFactory(SSLContext context, OpenSslEngines openSsl, boolean checkHostname, String[] protocols,
            String[] ciphers) {
        this.context = context;
        this.openSsl = openSsl;
        this.checkHostname = checkHostname;
        this.protocols = protocols;
        this.ciphers = ciphers;
    }

    /** Reads every file the config names and checks protocols and ciphers; fails fast on any mistake. */
    public static SslContextFactory create(KafkaClientConfig config) {
        return create(config, config.sslContext().orElse(null));
    }

    /**
     * As {@link #create(KafkaClientConfig)} with {@code context} in place of the config's {@code sslContext}, or,
     * when it is null, the context built from the files the config names.
     */
    public static SslContextFactory create(KafkaClientConfig config, SSLContext context) {
        Optional<SSLContext> given = Optional.ofNullable(context);
        boolean useOpenSsl = config.sslEngine() == TlsEngine.OPENSSL;
        if (useOpenSsl && given.isPresent()) {
            throw new ConfigException("sslEngine", "sslEngine OPENSSL builds its own context from the TLS files and"
                    + " stores and cannot use a given SSLContext, whose engines are its provider's: hand the client"
                    + " new files instead, or set sslEngine to JDK");
        }
        SSLContext ctx = useOpenSsl ? null : given.isPresent() ? given.get() : buildContext(config);
        String[] protocols = config.sslEnabledProtocols().isEmpty() ? null
                : config.sslEnabledProtocols().toArray(String[]::new);
        if (protocols != null && given.isPresent()) {
            // A given context may come from a provider without every protocol of the default list (FIPS, no
            // TLSv1.3): it gets those of the list it has, and fails only if it has none of them.
            Set<String> supported = new HashSet<>(Arrays.asList(ctx.createSSLEngine().getSupportedProtocols()));
            String[] usable = Arrays.stream(protocols).filter(supported::contains).toArray(String[]::new);
            if (usable.length == 0) {
                throw new ConfigException("sslEnabledProtocols", "sslEnabledProtocols: none of "
                        + Arrays.toString(protocols) + " is supported by the given sslContext; it supports " + supported);
            }
            protocols = usable;
        }
        String[] ciphers = config.sslCiphers().isEmpty() ? null : config.sslCiphers().toArray(String[]::new);
        OpenSslEngines openSsl = null;
        if (useOpenSsl) {
            openSsl = buildOpenSsl(config);
            try {
                OpenSslEngines.Suites suites = OpenSslEngines.suites(
                        protocols != null ? protocols : new String[] {"TLSv1.3", "TLSv1.2"}, ciphers);
                protocols = suites.protocols();
                ciphers = suites.ciphers();
            } catch (RuntimeException e) {
                openSsl.release();
                throw e;
            }
        }
        SslContextFactory f = new SslContextFactory(ctx, openSsl, config.sslCheckHostname(), protocols, ciphers);
        try {
            f.check(given.isPresent() ? "the given sslContext"
                    : useOpenSsl ? "the OpenSSL engine (" + OpenSslEngines.version() + ")" : "this JVM");
        } catch (RuntimeException | LinkageError e) {
            f.close(); // a LinkageError from an older Netty as well: the context's native memory goes now
            throw e;
        }
        return f;
    }

    private static OpenSslEngines buildOpenSsl(KafkaClientConfig config) {
        // Checked here, in a class that does not link against Netty, before OpenSslEngines (which does) is loaded.
        try {
            Class.forName("io.netty.handler.ssl.OpenSsl", false, SslContextFactory.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // OpenSslEngines.ADD is a compile-time constant, copied here: OpenSslEngines is not loaded.
            throw new ConfigException("sslEngine", "sslEngine OPENSSL needs Netty's TLS engine, which is not on the"
                    + " classpath: " + OpenSslEngines.ADD);
        }
        return OpenSslEngines.create(keyManagers(config), trustManagers(config));
    }

    /** The SSL context (as given, or built from the files); empty with the OpenSSL engine, which has none. */
    public Optional<SSLContext> context() {
        return Optional.ofNullable(context);
    }

    /** Which implementation makes the engines: {@code JDK (SunJSSE)} (a given context's provider), or OpenSSL's. */
    public String engineName() {
        return openSsl != null ? "OpenSSL (" + OpenSslEngines.version() + ")"
                : "JDK (" + context.getProvider().getName() + ")";
    }

    /** Whether engines come from OpenSSL through Netty ({@link TlsEngine#OPENSSL}). */
    public boolean openSsl() {
        return openSsl != null;
    }

    /** A client-mode engine for one connection to {@code node}, with SNI and hostname verification for its host. */
    public SSLEngine createEngine(Node node) {
        return createEngine(node.host(), node.port());
    }

    /**
     * @throws IllegalStateException once the factory is closed
     */
    public SSLEngine createEngine(String host, int port) {
        SSLEngine engine = newEngine(host, port);
        try {
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm(checkHostname ? "HTTPS" : null);
            if (protocols != null) {
                params.setProtocols(protocols);
            }
            if (ciphers != null) {
                params.setCipherSuites(ciphers);
            }
            engine.setSSLParameters(params);
            return engine;
        } catch (RuntimeException e) {
            if (openSsl != null) {
                OpenSslEngines.release(engine);
            }
            throw e;
        }
    }

    private synchronized SSLEngine newEngine(String host, int port) {
        if (closed) {
            throw new IllegalStateException("this TLS material was replaced or its client closed");
        }
        return openSsl != null ? openSsl.newEngine(host, port) : context.createSSLEngine(host, port);
    }

    /**
     * Whether {@link #createEngine} still makes engines: false once closed (a reload replaced the material, or the
     * client closed).
     */
    public synchronized boolean isOpen() {
        return !closed;
    }

    /**
     * No more engines from this factory. With the OpenSSL engine the context's native memory is freed now, or, while
     * engines made from it are still open (connections made before a reload), when the last of them closes. Nothing
     * to free with the JDK's engine. Any thread; idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (openSsl != null) {
            openSsl.release();
        }
    }

    /** The OpenSSL context's references (the factory's own while open, one per engine not yet released); for tests. */
    int openSslReferences() {
        return openSsl.references();
    }

    private void check(String source) {
        if (openSsl == null) {
            check(source, context.createSSLEngine());
            return;
        }
        SSLEngine probe = openSsl.probe();
        try {
            check(source, probe);
        } finally {
            OpenSslEngines.release(probe);
        }
        checkOpenSslTookTheSuites(source);
    }

    /**
     * Netty's engine keeps TLS 1.2 suites it was not asked for when a list it is given leaves them out in a way it
     * does not expect: an engine made as connections get theirs must offer no TLS 1.2 suite outside the list.
     */
    private void checkOpenSslTookTheSuites(String source) {
        SSLEngine engine = createEngine("localhost", 0);
        try {
            if (Arrays.stream(engine.getEnabledProtocols())
                    .allMatch(p -> p.equals("TLSv1.3") || p.equals("SSLv2Hello"))) {
                return; // TLS 1.3 only: no TLS 1.2 suite can be used, whatever the list says
            }
            Set<String> asked = new HashSet<>(Arrays.asList(ciphers));
            List<String> extra = Arrays.stream(engine.getEnabledCipherSuites())
                    .filter(c -> c.contains("_WITH_") && !asked.contains(c)).toList();
            if (!extra.isEmpty()) {
                throw new ConfigException("sslCiphers", "sslCiphers: " + source + " would also offer " + extra
                        + ", which the suites it was given (" + String.join(", ", ciphers) + ") leave out; set"
                        + " sslEngine to JDK");
            }
        } finally {
            OpenSslEngines.release(engine);
        }
    }

    private void check(String source, SSLEngine probe) {
        if (protocols != null) {
            Set<String> supported = new HashSet<>(Arrays.asList(probe.getSupportedProtocols()));
            List<String> unknown = Arrays.stream(protocols).filter(p -> !supported.contains(p)).toList();
            if (!unknown.isEmpty()) {
                throw new ConfigException("sslEnabledProtocols", "sslEnabledProtocols: " + unknown
                        + " not supported by " + source + "; supported: " + supported);
            }
        }
        if (ciphers != null) {
            Set<String> supported = new HashSet<>(Arrays.asList(probe.getSupportedCipherSuites()));
            List<String> unknown = Arrays.stream(ciphers).filter(c -> !supported.contains(c)).toList();
            if (!unknown.isEmpty()) {
                throw new ConfigException("sslCiphers", "sslCiphers: " + unknown
                        + " are not cipher suites " + source + " supports (use JSSE names, e.g."
                        + " TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)");
            }
        }
    }

    private static SSLContext buildContext(KafkaClientConfig config) {
        KeyManager[] keyManagers = keyManagers(config);
        TrustManager[] trustManagers = trustManagers(config);
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, trustManagers, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new KwireException("Cannot create the TLS context: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- key managers

    private static KeyManager[] keyManagers(KafkaClientConfig config) {
        if (config.sslCertfile().isPresent()) {
            Path certfile = config.sslCertfile().get();
            List<Pem.Block> certBlocks = Pem.read("sslCertfile", certfile);
            List<X509Certificate> chain = Pem.certificates("sslCertfile", certfile, certBlocks);
            if (chain.isEmpty()) {
                throw new ConfigException("sslCertfile", "sslCertfile: " + certfile + " holds no CERTIFICATE block");
            }
            PrivateKey key;
            if (config.sslKeyfile().isPresent()) {
                Path keyfile = config.sslKeyfile().get();
                key = Pem.privateKey("sslKeyfile", keyfile, Pem.read("sslKeyfile", keyfile), "sslPassword",
                        config.sslPassword().orElse(null));
                if (key == null) {
                    throw new ConfigException("sslKeyfile", "sslKeyfile: " + keyfile + " holds no PRIVATE KEY block");
                }
            } else {
                key = Pem.privateKey("sslCertfile", certfile, certBlocks, "sslPassword",
                        config.sslPassword().orElse(null));
                if (key == null) {
                    throw new ConfigException("sslKeyfile", "sslCertfile " + certfile
                            + " holds no private key: set sslKeyfile to the file with the client's private key");
                }
            }
            checkKeyMatches("sslKeyfile", key, chain.get(0));
            return keyManagersFor(key, chain);
        }
        if (config.sslKeystoreLocation().isPresent()) {
            Path file = config.sslKeystoreLocation().get();
            String type = config.sslKeystoreType();
            if ("PEM".equalsIgnoreCase(type)) {
                List<Pem.Block> blocks = Pem.read("sslKeystoreLocation", file);
                List<X509Certificate> chain = Pem.certificates("sslKeystoreLocation", file, blocks);
                PrivateKey key = Pem.privateKey("sslKeystoreLocation", file, blocks, "sslKeyPassword",
                        config.sslKeyPassword().orElse(null));
                if (key == null || chain.isEmpty()) {
                    throw new ConfigException("sslKeystoreLocation", "sslKeystoreLocation: PEM key store " + file
                            + " must hold the private key and its certificate chain");
                }
                return keyManagersFor(key, chain);
            }
            Password storePassword = config.sslKeystorePassword().orElse(null);
            KeyStore ks = loadStore("sslKeystoreLocation", "sslKeystorePassword", file, type, storePassword);
            Password keyPassword = config.sslKeyPassword().orElse(storePassword);
            char[] pw = keyPassword == null ? new char[0] : keyPassword.value().toCharArray();
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                return kmf.getKeyManagers();
            } catch (UnrecoverableKeyException e) {
                String which = config.sslKeyPassword().isPresent() ? "sslKeyPassword" : "sslKeystorePassword";
                throw new ConfigException(which, which + " does not unlock the private key in " + file
                        + " (wrong key password?" + (config.sslKeyPassword().isPresent() ? ""
                        : " set sslKeyPassword if the key's password differs from the store's") + ")");
            } catch (GeneralSecurityException e) {
                throw new ConfigException("sslKeystoreLocation", "sslKeystoreLocation: cannot use the keys in " + file
                        + ": " + e.getMessage());
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
        return null;
    }

    private static void checkKeyMatches(String key, PrivateKey privateKey, X509Certificate leaf) {
        String certAlg = leaf.getPublicKey().getAlgorithm();
        String keyAlg = privateKey.getAlgorithm();
        boolean compatible = certAlg.equals(keyAlg) || (certAlg.startsWith("EC") && keyAlg.startsWith("EC"))
                || (certAlg.equals("EdDSA") || keyAlg.equals("EdDSA"));
        if (!compatible) {
            throw new ConfigException(key, key + ": the private key (" + keyAlg + ") does not belong to the first "
                    + "certificate in sslCertfile (" + certAlg + " key)");
        }
        if (privateKey instanceof java.security.interfaces.RSAPrivateCrtKey rsa
                && leaf.getPublicKey() instanceof java.security.interfaces.RSAPublicKey pub
                && !rsa.getModulus().equals(pub.getModulus())) {
            throw new ConfigException(key, key + ": the private key does not belong to the first certificate in"
                    + " sslCertfile (" + leaf.getSubjectX500Principal().getName() + ")");
        }
    }

    private static KeyManager[] keyManagersFor(PrivateKey key, List<X509Certificate> chain) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = inMemoryPassword();
            ks.setKeyEntry("client", key, pw, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("sslCertfile", "sslCertfile: cannot use the client certificate and key: "
                    + e.getMessage());
        }
    }

    private static char[] inMemoryPassword() {
        byte[] r = new byte[16];
        new SecureRandom().nextBytes(r);
        return java.util.HexFormat.of().formatHex(r).toCharArray();
    }

    // ---------------------------------------------------------------- trust managers

    private static TrustManager[] trustManagers(KafkaClientConfig config) {
        KeyStore anchors = null;
        if (config.sslCafile().isPresent()) {
            Path file = config.sslCafile().get();
            anchors = storeOf("sslCafile", file, Pem.certificates("sslCafile", file, Pem.read("sslCafile", file)));
        } else if (config.sslTruststoreLocation().isPresent()) {
            Path file = config.sslTruststoreLocation().get();
            String type = config.sslTruststoreType();
            if ("PEM".equalsIgnoreCase(type)) {
                anchors = storeOf("sslTruststoreLocation", file,
                        Pem.certificates("sslTruststoreLocation", file, Pem.read("sslTruststoreLocation", file)));
            } else {
                anchors = loadStore("sslTruststoreLocation", "sslTruststorePassword", file, type,
                        config.sslTruststorePassword().orElse(null));
            }
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            if (config.sslCrlfile().isPresent()) {
                Path crlFile = config.sslCrlfile().get();
                List<X509CRL> crls = Pem.crls("sslCrlfile", crlFile);
                if (anchors == null) {
                    anchors = jvmTrustStore();
                }
                PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
                        .getRevocationChecker();
                // The CRL file is the only source: no OCSP, no CRL distribution point downloads, leaf only.
                checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                        PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
                params.addCertPathChecker(checker);
                params.setRevocationEnabled(true);
                tmf.init(new CertPathTrustManagerParameters(params));
            } else {
                tmf.init(anchors);
            }
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            String key = config.sslCrlfile().isPresent() ? "sslCrlfile"
                    : config.sslCafile().isPresent() ? "sslCafile" : "sslTruststoreLocation";
            throw new ConfigException(key, key + ": cannot set up certificate validation: " + e.getMessage());
        }
    }

    private static KeyStore jvmTrustStore() {
        String custom = System.getProperty("javax.net.ssl.trustStore");
        Path file = custom != null ? Path.of(custom)
                : Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        String pw = System.getProperty("javax.net.ssl.trustStorePassword");
        return loadStore("sslTruststoreLocation", "sslTruststorePassword", file, KeyStore.getDefaultType(),
                Password.of(pw));
    }

    private static KeyStore storeOf(String key, Path file, List<X509Certificate> certs) {
        if (certs.isEmpty()) {
            throw new ConfigException(key, key + ": " + file + " holds no CERTIFICATE block");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(key, key + ": cannot use the certificates in " + file + ": " + e.getMessage());
        }
    }

    private static KeyStore loadStore(String key, String passwordKey, Path file, String type, Password password) {
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(type);
        } catch (java.security.KeyStoreException e) {
            throw new ConfigException(key, key + ": store type " + type + " is not supported by this JVM");
        }
        char[] pw = password == null ? null : password.value().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, pw);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new ConfigException(passwordKey, passwordKey + " does not open " + key + " " + file
                        + " (wrong password, or the file is not a " + type + " store)");
            }
            throw notAStore(key, file, type, e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, key + ": cannot read " + file + " as a " + type + " store: "
                    + e.getMessage());
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
    }

    /**
     * The file is no store of {@code type} that Java can read: say what the JVM saw and what to change. Java reads
     * PKCS12 and JKS stores whichever of the two types is set ({@code keystore.type.compat}), so for those the file
     * is neither (a PEM file, another format, cut short) or is damaged. A store that is fine but for a wrong
     * password does not come here: Java reports that as a wrong password.
     */
    private static ConfigException notAStore(String key, Path file, String type, IOException e) {
        String typeKey = key.replace("Location", "Type");
        String seen = e.getMessage() != null ? e.getMessage()
                : e instanceof EOFException ? "the file ends too early" : e.getClass().getSimpleName();
        if (isPem(file)) {
            return new ConfigException(typeKey, key + ": " + file + " is a PEM file, not a " + type + " store: set "
                    + typeKey + " to PEM" + (key.startsWith("sslKeystore")
                            ? " (or give the certificate chain and key as sslCertfile and sslKeyfile)"
                            : " (or give it as sslCafile)"));
        }
        String what = type.equalsIgnoreCase("PKCS12") || type.equalsIgnoreCase("JKS")
                ? key + " must name a PKCS12 (.p12, .pfx) or JKS (.jks) store, complete and undamaged (Java reads"
                        + " both, whichever of the two " + typeKey + " says); for a PEM file set " + typeKey + " to PEM"
                : key + " must name a " + type + " store, complete and undamaged, or " + typeKey + " must say the"
                        + " file's format (PKCS12, JKS or PEM)";
        return new ConfigException(key, key + ": " + file + " is not a " + type + " store Java can read (" + seen
                + "): " + what);
    }

    private static boolean isPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SslContextFactory{checkHostname=" + checkHostname + ", protocols="
                + (protocols == null ? "default" : List.of(protocols)) + "}";
    }

    static List<String> names(List<X509Certificate> certs) {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            out.add(c.getSubjectX500Principal().getName());
        }
        return out;
    }
}
