package io.kwire.spring.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes key stores for TLS tests with the JDK's own {@code keytool}, so no key material is checked in. */
final class TestKeyStores {

    private TestKeyStores() {
    }

    /** A PKCS12 store holding one self-signed EC key pair for {@code localhost}. */
    static Path selfSigned(Path dir, String name, String password) throws Exception {
        Path store = dir.resolve(name);
        Files.deleteIfExists(store);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "kwire", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
        }
        return store;
    }
}
