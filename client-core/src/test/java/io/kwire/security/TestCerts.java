package io.kwire.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed key pairs made with the JDK's keytool at test time, and their PEM forms. */
public final class TestCerts {

    public static final String STORE_PASSWORD = "store-pass-123";

    public final Path p12;
    public final PrivateKey key;
    public final X509Certificate cert;

    private TestCerts(Path p12, PrivateKey key, X509Certificate cert) {
        this.p12 = p12;
        this.key = key;
        this.cert = cert;
    }

    /** A self-signed RSA certificate for CN=name with the given subjectAltName (e.g. dns:localhost,ip:127.0.0.1). */
    public static TestCerts create(Path dir, String name, String san) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + name, "-ext", "san=" + san, "-ext", "bc:c", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(name, STORE_PASSWORD.toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate(name);
        return new TestCerts(p12, key, cert);
    }

    public Path writeCertPem(Path file) throws Exception {
        Files.writeString(file, pem("CERTIFICATE", cert.getEncoded()));
        return file;
    }

    public Path writeKeyPem(Path file) throws IOException {
        Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
        return file;
    }

    /** The key as PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), as openssl pkcs8 -v2 writes. */
    public Path writeEncryptedKeyPem(Path file, String password) throws Exception {
        String alg = "PBEWithHmacSHA256AndAES_256";
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        SecureRandom r = new SecureRandom();
        r.nextBytes(salt);
        r.nextBytes(iv);
        PBEParameterSpec spec = new PBEParameterSpec(salt, 10000, new IvParameterSpec(iv));
        Cipher c = Cipher.getInstance(alg);
        c.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(password.toCharArray())),
                spec);
        byte[] encrypted = c.doFinal(key.getEncoded());
        AlgorithmParameters params = AlgorithmParameters.getInstance(alg);
        params.init(spec);
        // EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier { id-PBES2, PBES2-params }, OCTET STRING }
        byte[] pbes2Oid = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] algId = der(0x30, concat(pbes2Oid, params.getEncoded()));
        byte[] info = der(0x30, concat(algId, der(0x04, encrypted)));
        new EncryptedPrivateKeyInfo(info); // parses back
        Files.writeString(file, pem("ENCRYPTED PRIVATE KEY", info));
        return file;
    }

    /**
     * The key as PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA256, 3DES-CBC): what OpenSSL 3 writes for
     * {@code openssl req -newkey rsa:2048 -passout pass:...} and {@code openssl genpkey -des3}. Java cannot read it.
     */
    public Path writeTripleDesEncryptedKeyPem(Path file, String password) throws Exception {
        byte[] salt = new byte[8];
        byte[] iv = new byte[8];
        SecureRandom r = new SecureRandom();
        r.nextBytes(salt);
        r.nextBytes(iv);
        int iterations = 2048;
        byte[] secret = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 24 * 8)).getEncoded();
        Cipher c = Cipher.getInstance("DESede/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(secret, "DESede"), new IvParameterSpec(iv));
        byte[] encrypted = c.doFinal(key.getEncoded());
        byte[] pbes2Oid = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] pbkdf2Oid = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0c};
        byte[] hmacSha256Oid = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x02, 0x09};
        byte[] desEde3CbcOid = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x03, 0x07};
        // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, prf AlgorithmIdentifier }
        byte[] kdfParams = der(0x30, concat(concat(der(0x04, salt), der(0x02, new byte[] {0x08, 0x00})),
                der(0x30, concat(hmacSha256Oid, new byte[] {0x05, 0x00}))));
        byte[] kdf = der(0x30, concat(pbkdf2Oid, kdfParams));
        byte[] scheme = der(0x30, concat(desEde3CbcOid, der(0x04, iv)));
        byte[] algId = der(0x30, concat(pbes2Oid, der(0x30, concat(kdf, scheme))));
        byte[] info = der(0x30, concat(algId, der(0x04, encrypted)));
        Files.writeString(file, pem("ENCRYPTED PRIVATE KEY", info));
        return file;
    }

    /** A server-side context presenting this certificate and trusting {@code trusted} (for client certificates). */
    public SSLContext serverContext(TestCerts trusted) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        if (trusted != null) {
            ts.setCertificateEntry("trusted", trusted.cert);
        }
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static byte[] der(int tag, byte[] content) {
        int len = content.length;
        byte[] l = len < 0x80 ? new byte[] {(byte) len}
                : len < 0x100 ? new byte[] {(byte) 0x81, (byte) len}
                : new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        return concat(concat(new byte[] {(byte) tag}, l), content);
    }

    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
