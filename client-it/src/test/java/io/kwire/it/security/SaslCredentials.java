package io.kwire.it.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.OAuthBearerToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/** Credentials for the SASL tests: SCRAM users stored in a broker, unsecured OAUTHBEARER tokens. */
final class SaslCredentials {

    /** The broker-side JAAS entry for SCRAM (the credentials live in the cluster metadata). */
    static final String SCRAM_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

    /** The broker-side JAAS entry for OAUTHBEARER with Kafka's unsecured JWS validator. */
    static final String OAUTH_JAAS = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
            + " unsecuredLoginStringClaim_sub=\"broker\";";

    private SaslCredentials() {
    }

    /** The broker-side JAAS entry for PLAIN with one user. */
    static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + user + "=\"" + password
                + "\";";
    }

    /**
     * Stores SCRAM-SHA-256 and SCRAM-SHA-512 credentials for {@code user} through the broker's plaintext listener,
     * then waits until the SASL listener that {@code listener} connects to accepts both (the broker's credential
     * cache follows the metadata log, a little after the credentials can be described).
     */
    static void addScramUser(SecureBroker broker, String user, String password,
                             Supplier<KafkaClientConfig.Builder> listener) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.plaintextBootstrap());
        try (Admin admin = Admin.create(p)) {
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(m, 4096), password))).all().get();
            }
        }
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            awaitAuthenticates(listener.get().saslMechanism(mechanism).saslPlainUsername(user)
                    .saslPlainPassword(password));
        }
    }

    private static void awaitAuthenticates(KafkaClientConfig.Builder config) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Clients c = new Clients(config)) {
                if (c.authenticates()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the broker did not accept the new SCRAM credentials within 20 s");
            }
        }
    }

    /** A JWS with {@code alg: none}, as the broker's unsecured validator accepts, and a {@code traceId} extension. */
    static OAuthBearerToken unsecuredToken(String subject, long expiresInSeconds) {
        long now = Instant.now().getEpochSecond();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"iat\":" + (now - 10) + ",\"exp\":"
                + (now + expiresInSeconds) + "}").getBytes(StandardCharsets.UTF_8));
        return new OAuthBearerToken(header + "." + claims + ".", Map.of("traceId", "t42"),
                Instant.ofEpochSecond(now + expiresInSeconds));
    }
}
