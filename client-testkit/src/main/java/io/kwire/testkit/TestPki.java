package io.kwire.testkit;

import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.PKCS8Generator;

/**
 * A test certificate authority and the certificates it issues, made with BouncyCastle when a test runs, so that no
 * key or certificate is committed: the TLS listeners of the embedded brokers and the security tests use it. Keys are
 * RSA 2048, certificates valid from an hour ago for a day (the CA two days). Needs {@code bcpkix-jdk18on} on the class
 * path (an optional dependency of the test kit).
 *
 * <p>Thread-safe: a {@code TestPki} is immutable once made.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key with its certificate (and the CA certificate that signed it). */
    public record Issued(PrivateKey key, X509Certificate cert, X509Certificate ca) {

        /** A PKCS12 key store in memory with the key under alias {@code key}, its certificate and the CA's. */
        public KeyStore keyStore(char[] password) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", key, password, new Certificate[] {cert, ca});
            return ks;
        }

        /** The certificate chain (leaf, then CA) as PEM. */
        public Path writeCertPem(Path file) throws Exception {
            Files.writeString(file, pem(cert) + pem(ca));
            return file;
        }

        /** The private key as unencrypted PKCS#8 PEM. */
        public Path writeKeyPem(Path file) throws Exception {
            Files.writeString(file, pem(key));
            return file;
        }

        /** PKCS#8 encrypted as OpenSSL does it ({@code openssl pkcs8 -topk8 -v2 aes-256-cbc}). */
        public Path writeEncryptedKeyPem(Path file, String password) throws Exception {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setPassword(password.toCharArray()).setIterationCount(10_000).build();
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(new JcaPKCS8Generator(key, encryptor));
            }
            Files.writeString(file, sw.toString());
            return file;
        }

        /** {@link #keyStore(char[])} written to a file, the key protected by the store's password. */
        public Path writePkcs12(Path file, String password) throws Exception {
            return store(keyStore(password.toCharArray()), file, password);
        }
    }

    final KeyPair caKeys;
    /** The CA's certificate, the one a client trusts. */
    public final X509Certificate caCert;

    /** A new CA named {@code CN=<name>} with a new key. */
    public TestPki(String name) throws Exception {
        caKeys = rsa();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        caCert = new JcaX509CertificateConverter().getCertificate(b.build(signer(caKeys.getPrivate())));
    }

    public Path writeCaPem(Path file) throws Exception {
        Files.writeString(file, pem(caCert));
        return file;
    }

    /** A PKCS12 trust store in memory holding this CA's certificate under alias {@code ca}. */
    public KeyStore trustStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", caCert);
        return ks;
    }

    /** {@link #trustStore()} written to a file. */
    public Path writeTruststore(Path file, String password) throws Exception {
        return store(trustStore(), file, password);
    }

    /** A PKCS12 trust store holding the CA certificates of every one of {@code pkis}. */
    public static Path writeTruststore(Path file, String password, TestPki... pkis) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < pkis.length; i++) {
            ks.setCertificateEntry("ca-" + i, pkis[i].caCert);
        }
        return store(ks, file, password);
    }

    private static Path store(KeyStore ks, Path file, String password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    /**
     * A leaf certificate for {@code cn} with DNS names {@code dnsNames} (and 127.0.0.1) as subject alternative names,
     * which TLS hostname verification checks: a broker reached as {@code localhost} needs {@code "localhost"}.
     */
    public Issued issue(String cn, String... dnsNames) throws Exception {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + cn), keys.getPublic());
        GeneralName[] names = new GeneralName[dnsNames.length + 1];
        for (int i = 0; i < dnsNames.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        names[dnsNames.length] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(caKeys.getPrivate())));
        return new Issued(keys.getPrivate(), cert, caCert);
    }

    /** A CRL from this CA revoking {@code revoked} (none: an empty, valid CRL). */
    public Path writeCrl(Path file, X509Certificate... revoked) throws Exception {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new JcaX509v2CRLBuilder(caCert, Date.from(now.minus(Duration.ofMinutes(5))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.keyCompromise);
        }
        X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(signer(caKeys.getPrivate())));
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(crl);
        }
        Files.writeString(file, sw.toString());
        return file;
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(key);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** A certificate, key or CRL as PEM text. */
    public static String pem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
