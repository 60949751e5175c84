package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key material of a TLS listener: a server certificate for localhost in a temporary PKCS12 store under a random
 * password, nothing of it in {@code toString}, and the directory gone after {@link EmbeddedTls#close()}.
 */
class EmbeddedTlsTests {

    @Test
    void theBrokersCertificateNamesLocalhostAndTheFilesGoAwayOnClose() throws Exception {
        EmbeddedTls tls = EmbeddedTls.create(false, false);
        Path directory = tls.directory();
        Map<String, String> props = tls.listenerProperties();
        try {
            Path store = Path.of(props.get("ssl.keystore.location"));
            assertThat(store).startsWith(directory).exists();
            String password = props.get("ssl.keystore.password");
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, password.toCharArray());
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate("key");
            assertThat(cert.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                    .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1");
            assertThat(props).doesNotContainKeys("ssl.client.auth", "ssl.truststore.location",
                    "sasl.enabled.mechanisms");
            assertThat(tls.toString()).doesNotContain(password);
        } finally {
            tls.close();
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void eachBrokerGetsItsOwnCaAndPasswords() throws Exception {
        try (EmbeddedTls one = EmbeddedTls.create(true, true); EmbeddedTls two = EmbeddedTls.create(true, true)) {
            assertThat(one.listenerProperties()).containsEntry("ssl.client.auth", "required")
                    .containsEntry("sasl.enabled.mechanisms", "PLAIN");
            assertThat(one.listenerProperties().get("ssl.keystore.password"))
                    .isNotEqualTo(two.listenerProperties().get("ssl.keystore.password"));
            X509Certificate caOne = (X509Certificate) one.clientBundle().getStores().getTrustStore()
                    .getCertificate("ca");
            X509Certificate caTwo = (X509Certificate) two.clientBundle().getStores().getTrustStore()
                    .getCertificate("ca");
            assertThat(caOne.getPublicKey()).isNotEqualTo(caTwo.getPublicKey());
            assertThat(List.of(one.directory(), two.directory())).doesNotHaveDuplicates();
        }
    }
}
