package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.Password;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import io.kwire.network.Authenticator;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.NodeApiVersions;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.SaslAuthenticateRequest;
import io.kwire.protocol.message.SaslAuthenticateResponse;
import io.kwire.protocol.message.SaslHandshakeRequest;
import io.kwire.protocol.message.SaslHandshakeResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SaslAuthenticatorTest {

    static final Node NODE = new Node(1, "broker1", 9092, null);
    static final NodeApiVersions VERSIONS = new NodeApiVersions(Map.of(
            ApiKey.SASL_HANDSHAKE.id(), new short[] {0, 1}, ApiKey.SASL_AUTHENTICATE.id(), new short[] {0, 2}));

    static KafkaClientConfig plainConfig() {
        return KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("PLAIN")
                .saslPlainUsername("alice").saslPlainPassword("alice-secret").build();
    }

    static String bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    @Test
    void plainExchangeReportsSessionLifetime() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, VERSIONS);
        SaslHandshakeRequest hs = (SaslHandshakeRequest) auth.nextRequest();
        assertThat(hs.mechanism()).isEqualTo("PLAIN");
        assertThat(auth.nextRequest()).isNull();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("PLAIN")));
        SaslAuthenticateRequest a = (SaslAuthenticateRequest) auth.nextRequest();
        assertThat(bytes(a.authBytes())).isEqualTo("\0alice\0alice-secret");
        assertThat(auth.isComplete()).isFalse();
        auth.onResponse(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.allocate(0)).setSessionLifetimeMs(60_000));
        assertThat(auth.isComplete()).isTrue();
        assertThat(auth.sessionLifetimeMs()).isEqualTo(60_000);
        assertThat(auth.nextRequest()).isNull();
    }

    @Test
    void mechanismNotEnabledListsTheBrokersMechanisms() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, VERSIONS);
        auth.nextRequest();
        assertThatThrownBy(() -> auth.onResponse(new SaslHandshakeResponse().setErrorCode((short) 33)
                .setMechanisms(List.of("SCRAM-SHA-512", "GSSAPI"))))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("PLAIN is not enabled").hasMessageContaining("[SCRAM-SHA-512, GSSAPI]");
    }

    @Test
    void brokerErrorMessageIsCarriedWithoutTheSecret() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, VERSIONS);
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("PLAIN")));
        auth.nextRequest();
        assertThatThrownBy(() -> auth.onResponse(new SaslAuthenticateResponse().setErrorCode((short) 58)
                .setErrorMessage("Authentication failed: Invalid username or password")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Invalid username or password").hasMessageNotContaining("alice-secret");
        assertThat(auth.isComplete()).isFalse();
    }

    @Test
    void scramExchangeRunsSeveralRounds() throws Exception {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_SSL).sslCheckHostname(false)
                .sslContext(javax.net.ssl.SSLContext.getDefault()).saslMechanism("SCRAM-SHA-512")
                .saslPlainUsername("alice").saslPlainPassword("alice-secret").build();
        Authenticator auth = SecurityFactories.authenticatorFactory(config).create(NODE, VERSIONS);
        SaslMechanismsTest.TestScramServer server = new SaslMechanismsTest.TestScramServer("HmacSHA512", "SHA-512",
                "alice-secret", 4096);
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("SCRAM-SHA-512")));
        SaslAuthenticateRequest first = (SaslAuthenticateRequest) auth.nextRequest();
        auth.onResponse(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.wrap(
                server.first(bytes(first.authBytes()).getBytes(StandardCharsets.UTF_8)))));
        SaslAuthenticateRequest fin = (SaslAuthenticateRequest) auth.nextRequest();
        byte[] serverFinal = server.last(bytes(fin.authBytes()).getBytes(StandardCharsets.UTF_8));
        assertThat(server.proofValid).isTrue();
        auth.onResponse(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.wrap(serverFinal))
                .setSessionLifetimeMs(3_600_000));
        assertThat(auth.isComplete()).isTrue();
        assertThat(auth.sessionLifetimeMs()).isEqualTo(3_600_000);
    }

    @Test
    void userMechanismsCanBeRegistered() {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("X-TEST").build();
        assertThatThrownBy(() -> SecurityFactories.authenticatorFactory(config))
                .isInstanceOf(ConfigException.class).hasMessageContaining("X-TEST");
        SaslMechanismRegistry reg = SaslMechanismRegistry.builtIn().with("X-TEST", (c, n) -> new SaslMechanism() {
            boolean done;

            public String name() {
                return "X-TEST";
            }

            public byte[] initialResponse() {
                done = true;
                return new byte[] {42};
            }

            public byte[] evaluateChallenge(byte[] challenge) {
                return null;
            }

            public boolean isComplete() {
                return done;
            }
        });
        Authenticator auth = SecurityFactories.authenticatorFactory(config, reg).create(NODE, VERSIONS);
        assertThat(((SaslHandshakeRequest) auth.nextRequest()).mechanism()).isEqualTo("X-TEST");
        auth.onResponse(new SaslHandshakeResponse());
        assertThat(((SaslAuthenticateRequest) auth.nextRequest()).authBytes().get(0)).isEqualTo((byte) 42);
        auth.onResponse(new SaslAuthenticateResponse());
        assertThat(auth.isComplete()).isTrue();
    }

    @Test
    void noSaslForPlaintextAndSsl() {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092").build();
        assertThat(SecurityFactories.authenticatorFactory(config)).isSameAs(AuthenticatorFactory.NONE);
        assertThat(SecurityFactories.authenticatorFactory(config).create(NODE, VERSIONS)).isNull();
        assertThat(Password.of("x").toString()).isEqualTo("[hidden]");
    }

    /** A broker before 1.0: SaslHandshake v0 only, no SaslAuthenticate. */
    static final NodeApiVersions PRE_1_0 = new NodeApiVersions(Map.of(
            ApiKey.SASL_HANDSHAKE.id(), new short[] {0, 0}));

    private static ByteBuffer token(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainAgainstABrokerBefore10SendsRawTokensAndWaitsForTheBrokersAnswer() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, PRE_1_0);
        assertThat(((SaslHandshakeRequest) auth.nextRequest()).mechanism()).isEqualTo("PLAIN");
        assertThat(auth.nextRawToken()).isNull(); // nothing before the handshake answer
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("PLAIN")));
        assertThat(auth.nextRequest()).isNull(); // no SaslAuthenticate requests in this mode
        assertThat(new String(auth.nextRawToken(), StandardCharsets.UTF_8)).isEqualTo("\0alice\0alice-secret");
        assertThat(auth.nextRawToken()).isNull();
        // PLAIN is complete on the client once sent, but the broker answers the first token (with an empty one):
        // the exchange must consume that frame, or it would be mistaken for a Kafka response.
        assertThat(auth.isComplete()).isFalse();
        assertThat(auth.awaitsRawToken()).isTrue();
        auth.onRawToken(ByteBuffer.allocate(0));
        assertThat(auth.isComplete()).isTrue();
        assertThat(auth.awaitsRawToken()).isFalse();
        assertThat(auth.sessionLifetimeMs()).isZero(); // no KIP-368 before 1.0
        assertThat(auth.onDisconnect()).isNull(); // a later disconnect is just a disconnect
    }

    @Test
    void aDisconnectDuringTheRawExchangeIsAnAuthenticationFailure() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, PRE_1_0);
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("PLAIN")));
        auth.nextRawToken();
        AuthenticationException e = auth.onDisconnect();
        assertThat(e).hasMessageContaining("SASL PLAIN authentication with broker 1 (broker1:9092) failed")
                .hasMessageContaining("raw SASL token exchange").hasMessageContaining("check the credentials")
                .hasMessageNotContaining("alice-secret");
        assertThat(auth.onDisconnect()).isNull(); // reported once
    }

    @Test
    void aDisconnectWithSaslAuthenticateIsLeftToTheClient() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, VERSIONS);
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("PLAIN")));
        auth.nextRequest();
        assertThat(auth.onDisconnect()).isNull(); // the broker would have said why in a SaslAuthenticate response
    }

    @Test
    void aRawMechanismThatCompletesOnItsLastTokenDoesNotWaitForAnAnswer() {
        // As GSSAPI does: server token, client token, server token, final client token, then nothing comes back.
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("X-STEPS").build();
        SaslMechanismRegistry reg = SaslMechanismRegistry.builtIn().with("X-STEPS", (c, n) -> new SaslMechanism() {
            int step;

            public String name() {
                return "X-STEPS";
            }

            public byte[] initialResponse() {
                return "c0".getBytes(StandardCharsets.UTF_8);
            }

            public byte[] evaluateChallenge(byte[] challenge) {
                step++;
                return ("c" + step + "<" + new String(challenge, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }

            public boolean isComplete() {
                return step == 2;
            }
        });
        Authenticator auth = SecurityFactories.authenticatorFactory(config, reg).create(NODE, PRE_1_0);
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("X-STEPS")));
        assertThat(new String(auth.nextRawToken(), StandardCharsets.UTF_8)).isEqualTo("c0");
        auth.onRawToken(token("s1"));
        assertThat(new String(auth.nextRawToken(), StandardCharsets.UTF_8)).isEqualTo("c1<s1");
        assertThat(auth.awaitsRawToken()).isTrue();
        auth.onRawToken(token("s2"));
        assertThat(auth.awaitsRawToken()).isFalse();
        assertThat(auth.isComplete()).isFalse(); // the last token is still to be sent
        assertThat(new String(auth.nextRawToken(), StandardCharsets.UTF_8)).isEqualTo("c2<s2");
        assertThat(auth.isComplete()).isTrue();
        assertThat(auth.awaitsRawToken()).isFalse();
    }

    @Test
    void aRawTokenOutOfTurnFailsTheExchange() {
        Authenticator auth = SecurityFactories.authenticatorFactory(plainConfig()).create(NODE, PRE_1_0);
        auth.nextRequest();
        assertThatThrownBy(() -> auth.onRawToken(token("early")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("unexpected raw SASL token");
    }
}
