package io.kwire.internal.tls;

import io.kwire.client.Password;
import io.kwire.errors.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files: certificate chains, CRLs and PKCS#8 private keys, plain ({@code PRIVATE KEY}) or encrypted
 * ({@code ENCRYPTED PRIVATE KEY}, PBES2 as written by {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} and PBES1; Java
 * reads PBES2 with AES only, not the 3DES that OpenSSL 3 uses by default, and the error says how to convert). An
 * unencrypted PKCS#1 RSA key ({@code RSA PRIVATE KEY}) is accepted too. Every error names the config key and file;
 * no message contains a password.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** The DER of the des-ede3-cbc OID (1.2.840.113549.3.7). */
    private static final byte[] DES_EDE3_CBC = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
        0x03, 0x07};

    /** One PEM block: its label and decoded body. */
    record Block(String label, byte[] der, boolean legacyEncrypted) {
    }

    private Pem() {
    }

    static List<Block> read(String key, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(key, key + ": cannot read " + file + ": " + e.getMessage());
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean legacy = body.contains("Proc-Type:") || body.contains("DEK-Info:");
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\\R")) {
                if (!line.contains(":")) {
                    b64.append(line.strip());
                }
            }
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(b64.toString()), legacy));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, key + ": " + file + " has a " + m.group(1) + " block that is not valid "
                        + "base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new ConfigException(key, key + ": " + file + " is not a PEM file (no -----BEGIN ...----- block)");
        }
        return blocks;
    }

    static List<X509Certificate> certificates(String key, Path file, List<Block> blocks) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf = x509();
        for (Block b : blocks) {
            if (b.label().equals("CERTIFICATE") || b.label().equals("X509 CERTIFICATE")
                    || b.label().equals("TRUSTED CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException e) {
                    throw new ConfigException(key, key + ": " + file + " holds a certificate that cannot be parsed: "
                            + e.getMessage());
                }
            }
        }
        return certs;
    }

    static List<X509CRL> crls(String key, Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(key, key + ": cannot read " + file + ": " + e.getMessage());
        }
        CertificateFactory cf = x509();
        List<X509CRL> crls = new ArrayList<>();
        try {
            if (new String(raw, StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                for (Block b : read(key, file)) {
                    if (b.label().equals("X509 CRL")) {
                        crls.add((X509CRL) cf.generateCRL(new ByteArrayInputStream(b.der())));
                    }
                }
            } else {
                for (var crl : cf.generateCRLs(new ByteArrayInputStream(raw))) {
                    crls.add((X509CRL) crl);
                }
            }
        } catch (java.security.cert.CRLException e) {
            throw new ConfigException(key, key + ": " + file + " holds a CRL that cannot be parsed: " + e.getMessage());
        }
        if (crls.isEmpty()) {
            throw new ConfigException(key, key + ": " + file + " holds no CRL (expected -----BEGIN X509 CRL----- or DER)");
        }
        return crls;
    }

    /** The private key among {@code blocks}, or null when there is none. */
    static PrivateKey privateKey(String key, Path file, List<Block> blocks, String passwordKey, Password password) {
        for (Block b : blocks) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return decode(key, file, b.der());
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new ConfigException(passwordKey, key + ": the private key in " + file
                                + " is encrypted: set " + passwordKey);
                    }
                    return decode(key, file, decrypt(key, file, b.der(), passwordKey, password));
                }
                case "RSA PRIVATE KEY" -> {
                    if (b.legacyEncrypted()) {
                        throw legacy(key, file);
                    }
                    return decode(key, file, pkcs1ToPkcs8(b.der()));
                }
                case "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw b.legacyEncrypted() ? legacy(key, file)
                        : new ConfigException(key, key + ": " + file + " holds a " + b.label() + " in the traditional"
                        + " OpenSSL format; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt' (or -v2 aes-256-cbc)");
                default -> {
                }
            }
        }
        return null;
    }

    private static ConfigException legacy(String key, Path file) {
        return new ConfigException(key, key + ": the private key in " + file + " uses the legacy OpenSSL encryption"
                + " (Proc-Type/DEK-Info headers), which is not supported; convert it to encrypted PKCS#8 with"
                + " 'openssl pkcs8 -topk8 -v2 aes-256-cbc'");
    }

    /** What to run to get a key Java reads: PKCS#8 with PBES2 and AES, keeping the key's password. */
    private static String reencrypt(Path file) {
        return "supported is PKCS#8 with PBES2 and AES: convert it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in "
                + file + " -out key-aes.pem' (it asks for the current password, then a new one)";
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] decrypt(String key, Path file, byte[] der, String passwordKey, Password password) {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            // Java's PBES2 support reads AES only: any other cipher fails here, before a password is tried.
            String how = contains(der, DES_EDE3_CBC) ? "with PBES2 and 3DES (des-ede3-cbc; what OpenSSL 3 uses for"
                    + " 'openssl req -newkey' without -noenc, and for 'openssl genpkey -des3'), which Java cannot read"
                    : "in a way Java cannot read";
            throw new ConfigException(key, key + ": the private key in " + file + " is encrypted " + how + " ("
                    + e.getMessage() + "); " + reencrypt(file));
        }
        char[] chars = password.value().toCharArray();
        try {
            AlgorithmParameters params = info.getAlgParameters();
            // For PBES2 the parameters name the full scheme, e.g. PBEWithHmacSHA256AndAES_256.
            String algorithm = params != null ? params.toString() : info.getAlgName();
            if (algorithm == null || algorithm.isBlank() || algorithm.contains(" ") || algorithm.contains("\n")) {
                algorithm = info.getAlgName();
            }
            SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(chars));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, secret, params);
            return info.getKeySpec(cipher).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new ConfigException(passwordKey, passwordKey + " does not decrypt the private key in " + file
                    + " (wrong password?)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, key + ": cannot decrypt the private key in " + file + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "; " + reencrypt(file));
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static PrivateKey decode(String key, Path file, byte[] pkcs8) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(key, key + ": the private key in " + file
                + " is not an RSA, EC, EdDSA or DSA key in PKCS#8 (or the password is wrong)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL params). */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
            0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algId, 0, body, version.length, algId.length);
        System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int len = content.length;
        byte[] lenBytes;
        if (len < 0x80) {
            lenBytes = new byte[] {(byte) len};
        } else if (len < 0x100) {
            lenBytes = new byte[] {(byte) 0x81, (byte) len};
        } else if (len < 0x10000) {
            lenBytes = new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        } else {
            lenBytes = new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        }
        byte[] out = new byte[1 + lenBytes.length + len];
        out[0] = (byte) tag;
        System.arraycopy(lenBytes, 0, out, 1, lenBytes.length);
        System.arraycopy(content, 0, out, 1 + lenBytes.length, len);
        return out;
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("The JVM has no X.509 certificate factory", e);
        }
    }
}
