package io.kwire.bench.roundtrip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away RSA 2048 key and self-signed certificate for 127.0.0.1 and localhost (made with the JDK's
 * {@code keytool}): a PKCS12 key store for the fake broker's TLS listener, and a PKCS12 trust store with the
 * certificate for both clients. TLS 1.3 is the only protocol either side enables.
 */
public final class TlsMaterial {

    public static final String PASSWORD = "bench-secret";
    public static final String PROTOCOL = "TLSv1.3";

    private final Path keyStore;
    private final Path trustStore;

    private TlsMaterial(Path keyStore, Path trustStore) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    /** Makes the key and both stores in a new temporary directory. */
    public static TlsMaterial create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kwire-bench-tls");
        dir.toFile().deleteOnExit();
        Path key = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path trust = dir.resolve("truststore.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", key.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(List.of(keytool, "-exportcert", "-alias", "broker", "-keystore", key.toString(), "-storepass", PASSWORD,
                "-file", cert.toString()));
        run(List.of(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype",
                "PKCS12", "-keystore", trust.toString(), "-storepass", PASSWORD));
        for (Path p : List.of(key, cert, trust)) {
            p.toFile().deleteOnExit();
        }
        return new TlsMaterial(key, trust);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", command) + "\n" + out);
        }
    }

    public Path keyStore() {
        return keyStore;
    }

    public Path trustStore() {
        return trustStore;
    }

    /** The broker side: an SSL context with the key in {@code keyStore} (PKCS12, {@link #PASSWORD}). */
    static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
