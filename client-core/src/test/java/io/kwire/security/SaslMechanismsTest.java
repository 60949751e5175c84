package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.OAuthBearerToken;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Password;
import io.kwire.errors.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ SCRAM

    /** RFC 7677 section 3: the SCRAM-SHA-256 example exchange, byte for byte. */
    @Test
    void scramSha256MatchesRfc7677Example() {
        ScramMechanism m = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"),
                () -> "rOprNGfwEbeRWgbNEkqO", KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
        assertThat(str(m.initialResponse())).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        byte[] clientFinal = m.evaluateChallenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThat(str(clientFinal)).isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(m.isComplete()).isFalse();
        assertThat(m.evaluateChallenge(utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).isNull();
        assertThat(m.isComplete()).isTrue();
    }

    @Test
    void scramRejectsAWrongServerSignature() {
        ScramMechanism m = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"),
                () -> "rOprNGfwEbeRWgbNEkqO", KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
        m.initialResponse();
        m.evaluateChallenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThatThrownBy(() -> m.evaluateChallenge(utf8("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("server signature is wrong")
                .hasMessageNotContaining("pencil");
        assertThat(m.isComplete()).isFalse();
    }

    @Test
    void scramServerFirstMessagesWithExtremeParametersOnlyEverFailAsAuthenticationErrors() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261206);
        String[] iterations = {"-1", "0", "4095", "4096", "16384", "16385", "2147483647", "2147483648", "", "x", "1e9"};
        String[] salts = {"", "=", "W22ZaJ0SNY7soEsUEjb6gQ==", "!!!", java.util.Base64.getEncoder()
                .encodeToString(new byte[4096])};
        for (int round = 0; round < 2_000; round++) {
            ScramMechanism m = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"),
                    () -> "rOprNGfwEbeRWgbNEkqO", KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
            m.initialResponse();
            String nonce = random.nextBoolean() ? "rOprNGfwEbeRWgbNEkqO" + round : "someone-else";
            StringBuilder serverFirst = new StringBuilder();
            if (random.nextInt(10) > 0) {
                serverFirst.append("r=").append(nonce);
            }
            if (random.nextInt(10) > 0) {
                serverFirst.append(",s=").append(salts[random.nextInt(salts.length)]);
            }
            if (random.nextInt(10) > 0) {
                serverFirst.append(",i=").append(iterations[random.nextInt(iterations.length)]);
            }
            if (random.nextInt(10) == 0) {
                serverFirst.append(",m=ext");
            }
            try {
                byte[] clientFinal = m.evaluateChallenge(utf8(serverFirst.toString()));
                assertThat(clientFinal).isNotNull(); // a well-formed message within the bounds gets a proof
            } catch (AuthenticationException expected) {
                assertThat(expected).hasMessageNotContaining("pencil");
            }
        }
    }

    @Test
    void scramRefusesABrokerAskingForMoreIterationsThanTheCapBeforeComputingAny() {
        ScramMechanism m = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"),
                () -> "rOprNGfwEbeRWgbNEkqO", KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
        m.initialResponse();
        // 2^31 - 1 iterations of PBKDF2 would take minutes: the exchange fails at once instead (the test's own
        // timeout in the build is the proof that nothing was computed).
        assertThatThrownBy(() -> m.evaluateChallenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2147483647")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("2147483647 iterations, above saslScramMaxIterations (16384)");
        ScramMechanism generous = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"),
                () -> "rOprNGfwEbeRWgbNEkqO", 4096);
        generous.initialResponse();
        assertThat(generous.evaluateChallenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
                .as("the cap itself is allowed").isNotNull();
    }

    @Test
    void scramRejectsForeignNonceLowIterationsAndServerErrors() {
        ScramMechanism a = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"), () -> "abc",
                KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
        a.initialResponse();
        assertThatThrownBy(() -> a.evaluateChallenge(utf8("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("nonce");
        ScramMechanism b = new ScramMechanism(ScramMechanism.SHA_256, "user", Password.of("pencil"), () -> "abc",
                KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
        b.initialResponse();
        assertThatThrownBy(() -> b.evaluateChallenge(utf8("r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("iterations");
        ScramMechanism c = new ScramMechanism(ScramMechanism.SHA_512, "user", Password.of("pencil"), () -> "abc",
                KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
        c.initialResponse();
        assertThatThrownBy(() -> c.evaluateChallenge(utf8("e=unknown-user")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("unknown-user");
    }

    @Test
    void scramEscapesUserNames() {
        assertThat(ScramMechanism.saslName("a=b,c")).isEqualTo("a=3Db=2Cc");
    }

    /** A SCRAM server written from RFC 5802 checks the client's proof for both hashes, and the client checks it. */
    @Test
    void scramRoundTripsWithAServerThatKnowsThePassword() throws Exception {
        for (String[] alg : new String[][] {{ScramMechanism.SHA_256, "HmacSHA256", "SHA-256"},
                {ScramMechanism.SHA_512, "HmacSHA512", "SHA-512"}}) {
            ScramMechanism client = new ScramMechanism(alg[0], "alice", Password.of("alice-secret"),
                    KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
            TestScramServer server = new TestScramServer(alg[1], alg[2], "alice-secret", 8192);
            byte[] serverFirst = server.first(client.initialResponse());
            byte[] serverFinal = server.last(client.evaluateChallenge(serverFirst));
            assertThat(server.proofValid).isTrue();
            assertThat(client.evaluateChallenge(serverFinal)).isNull();
            assertThat(client.isComplete()).isTrue();

            ScramMechanism wrong = new ScramMechanism(alg[0], "alice", Password.of("not-the-password"),
                    KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS);
            TestScramServer server2 = new TestScramServer(alg[1], alg[2], "alice-secret", 4096);
            server2.last(wrong.evaluateChallenge(server2.first(wrong.initialResponse())));
            assertThat(server2.proofValid).isFalse();
        }
    }

    /** RFC 5802 server side, independent of the client code (uses the JDK's PBKDF2). */
    static final class TestScramServer {
        final String hmac;
        final String digest;
        final String password;
        final int iterations;
        final byte[] salt = new byte[16];
        String clientFirstBare;
        String serverFirst;
        boolean proofValid;
        byte[] saltedPassword;

        TestScramServer(String hmac, String digest, String password, int iterations) {
            this.hmac = hmac;
            this.digest = digest;
            this.password = password;
            this.iterations = iterations;
            new SecureRandom().nextBytes(salt);
        }

        byte[] first(byte[] clientFirst) {
            String s = str(clientFirst);
            assertThat(s).startsWith("n,,n=alice,r=");
            clientFirstBare = s.substring(3);
            String nonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3) + "srvNonce42";
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
            return utf8(serverFirst);
        }

        byte[] last(byte[] clientFinal) throws Exception {
            String s = str(clientFinal);
            String withoutProof = s.substring(0, s.indexOf(",p="));
            byte[] proof = Base64.getDecoder().decode(s.substring(s.indexOf(",p=") + 3));
            int bits = digest.equals("SHA-256") ? 256 : 512;
            saltedPassword = javax.crypto.SecretKeyFactory.getInstance("PBKDF2With" + hmac)
                    .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, bits))
                    .getEncoded();
            byte[] authMessage = utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);
            byte[] storedKey = MessageDigest.getInstance(digest).digest(mac(saltedPassword, utf8("Client Key")));
            byte[] clientSignature = mac(storedKey, authMessage);
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            proofValid = MessageDigest.isEqual(MessageDigest.getInstance(digest).digest(clientKey), storedKey);
            byte[] serverSignature = mac(mac(saltedPassword, utf8("Server Key")), authMessage);
            return utf8(proofValid ? "v=" + Base64.getEncoder().encodeToString(serverSignature) : "e=invalid-proof");
        }

        byte[] mac(byte[] key, byte[] data) throws Exception {
            Mac m = Mac.getInstance(hmac);
            m.init(new SecretKeySpec(key, hmac));
            return m.doFinal(data);
        }
    }

    // ------------------------------------------------------------------ PLAIN

    @Test
    void plainSendsNulSeparatedCredentials() {
        PlainMechanism m = new PlainMechanism("alice", Password.of("alice-secret"));
        assertThat(m.initialResponse()).isEqualTo(utf8("\0alice\0alice-secret"));
        assertThat(m.isComplete()).isTrue();
        assertThat(m.toString()).doesNotContain("alice-secret");
    }

    // ------------------------------------------------------------------ OAUTHBEARER

    @Test
    void oauthBearerClientFirstMessageFollowsRfc7628WithExtensions() {
        OAuthBearerToken token = new OAuthBearerToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.",
                Map.of("traceId", "123", "logicalCluster", "lkc-1"), Instant.now().plusSeconds(60));
        OAuthBearerMechanism m = new OAuthBearerMechanism(token);
        assertThat(str(m.initialResponse())).isEqualTo("n,,\u0001auth=Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9."
                + "\u0001logicalCluster=lkc-1\u0001traceId=123\u0001\u0001");
        assertThat(m.evaluateChallenge(new byte[0])).isNull();
        assertThat(m.isComplete()).isTrue();
        assertThat(m.toString()).doesNotContain("eyJ");
    }

    @Test
    void oauthBearerAnswersAnErrorChallengeWithCtrlA() {
        OAuthBearerMechanism m = new OAuthBearerMechanism(new OAuthBearerToken("abc.def.", Map.of(),
                Instant.now().plusSeconds(60)));
        m.initialResponse();
        assertThat(m.evaluateChallenge(utf8("{\"status\":\"invalid_token\"}"))).isEqualTo(new byte[] {1});
        assertThat(m.isComplete()).isFalse();
        assertThat(m.failureDetail()).contains("invalid_token");
    }

    @Test
    void oauthBearerRejectsBadExtensionsWithoutEchoingTheToken() {
        OAuthBearerMechanism m = new OAuthBearerMechanism(new OAuthBearerToken("tok.en.", Map.of("bad-name", "x"),
                Instant.now().plusSeconds(60)));
        assertThatThrownBy(m::initialResponse).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("bad-name").hasMessageNotContaining("tok.en.");
        OAuthBearerMechanism n = new OAuthBearerMechanism(new OAuthBearerToken("has space", Map.of(),
                Instant.now().plusSeconds(60)));
        assertThatThrownBy(n::initialResponse).isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining("has space");
    }
}
