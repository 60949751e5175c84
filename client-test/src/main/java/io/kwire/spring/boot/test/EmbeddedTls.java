package io.kwire.spring.boot.test;

import io.kwire.testkit.KafkaCluster;
import io.kwire.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.util.FileSystemUtils;

/**
 * The key material of an embedded broker's TLS listener, made when the broker starts: a new CA, a server certificate
 * for {@code localhost} (and 127.0.0.1) that hostname verification accepts, and, with client authentication, a client
 * certificate from the same CA. The broker's key and trust stores are PKCS12 files in a temporary directory, under
 * random passwords that never leave this object (Kafka hides them in its logged config); the client side is an
 * in-memory Spring Boot {@link SslBundle}. {@link #close()} deletes the directory.
 *
 * <p>Immutable after it is made; {@link #close()} may be called from any thread.
 */
final class EmbeddedTls implements AutoCloseable {

    /** The name of the TLS listener on each broker, beside the test kit's PLAINTEXT (or SASL_PLAINTEXT) one. */
    static final String LISTENER = "TLS";

    private final Path directory;
    private final Map<String, String> listenerProperties;
    private final SslBundle clientBundle;

    private EmbeddedTls(Path directory, Map<String, String> listenerProperties, SslBundle clientBundle) {
        this.directory = directory;
        this.listenerProperties = listenerProperties;
        this.clientBundle = clientBundle;
    }

    /**
     * Makes the certificates and the broker's stores.
     *
     * @param sasl       whether the listener is SASL_SSL: it then takes the test kit's SASL/PLAIN users
     * @param clientAuth whether the broker requires a client certificate (mutual TLS)
     */
    static EmbeddedTls create(boolean sasl, boolean clientAuth) {
        Path directory = null;
        try {
            directory = Files.createTempDirectory("kwire-embedded-tls-");
            TestPki pki = new TestPki("kwire-embedded-broker-ca");
            String storePassword = randomPassword();
            Map<String, String> props = new LinkedHashMap<>();
            Path keyStore = pki.issue("localhost", "localhost")
                    .writePkcs12(directory.resolve("broker.p12"), storePassword);
            props.put("ssl.keystore.type", "PKCS12");
            props.put("ssl.keystore.location", keyStore.toString());
            props.put("ssl.keystore.password", storePassword);
            props.put("ssl.key.password", storePassword);
            KeyStore clientKeys = null;
            char[] clientPassword = null;
            if (clientAuth) {
                Path trustStore = pki.writeTruststore(directory.resolve("broker-trust.p12"), storePassword);
                props.put("ssl.truststore.type", "PKCS12");
                props.put("ssl.truststore.location", trustStore.toString());
                props.put("ssl.truststore.password", storePassword);
                props.put("ssl.client.auth", "required");
                clientPassword = randomPassword().toCharArray();
                clientKeys = pki.issue("kwire-embedded-client").keyStore(clientPassword);
            }
            if (sasl) {
                props.put("sasl.enabled.mechanisms", "PLAIN");
                props.put("plain.sasl.jaas.config", plainJaas());
            }
            SslBundle bundle = SslBundle.of(SslStoreBundle.of(clientKeys,
                    clientPassword == null ? null : new String(clientPassword), pki.trustStore()));
            return new EmbeddedTls(directory, Map.copyOf(props), bundle);
        } catch (Exception e) {
            if (directory != null) {
                delete(directory);
            }
            throw new IllegalStateException("could not make the embedded broker's TLS certificates", e);
        }
    }

    /** The test kit's SASL/PLAIN users (the super user and the ordinary one), as its SASL_PLAINTEXT listener has. */
    private static String plainJaas() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + KafkaCluster.SASL_ADMIN + "\" password=\"" + KafkaCluster.SASL_ADMIN_PASSWORD + "\""
                + " user_" + KafkaCluster.SASL_ADMIN + "=\"" + KafkaCluster.SASL_ADMIN_PASSWORD + "\""
                + " user_" + KafkaCluster.SASL_USER + "=\"" + KafkaCluster.SASL_USER_PASSWORD + "\";";
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The TLS listener's broker properties (without the {@code listener.name.tls.} prefix). */
    Map<String, String> listenerProperties() {
        return listenerProperties;
    }

    /** What a client needs: trust in the broker's CA and, with client authentication, its certificate and key. */
    SslBundle clientBundle() {
        return clientBundle;
    }

    /** Where the broker's stores are, for a test to check they go away. */
    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        delete(directory);
    }

    private static void delete(Path directory) {
        try {
            FileSystemUtils.deleteRecursively(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedTls{" + directory + "}";
    }
}
