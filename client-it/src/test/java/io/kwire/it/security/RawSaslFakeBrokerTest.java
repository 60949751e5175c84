package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.BrokerVersion;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.message.SaslHandshakeResponse;
import io.kwire.security.SaslMechanism;
import io.kwire.security.SaslMechanismRegistry;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import io.kwire.testkit.RequestHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a real broker cannot be made to do during the raw SASL token exchange of brokers before 1.0: stall after
 * the client's token. A stall must end as a connection set-up time-out, not as the "bad credentials" failure that
 * a close by the broker means in this mode. (A real broker's close on a wrong password is in
 * {@code RawSaslBrokerTest}.)
 */
@Timeout(60)
class RawSaslFakeBrokerTest {

    /**
     * The client's first token, shaped so that the fake broker, which parses every frame as a request, reads it as
     * a request for an unknown API key (0x7f7f) with a null client id, and hands it to the default handler.
     */
    private static final byte[] TOKEN = {0x7f, 0x7f, 0, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff};

    private FakeBroker broker;
    private Clients clients;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void start(RequestHandler afterHandshake) {
        broker = FakeBroker.start();
        broker.handle(ApiKey.SASL_HANDSHAKE.id(), request -> {
            SaslHandshakeResponse response = new SaslHandshakeResponse().setMechanisms(List.of("X-RAW"));
            ByteBuffer body = ByteBuffer.allocate(response.size(request.apiVersion()));
            response.write(new ByteWriter(body), request.apiVersion());
            return Reply.respond(body.array());
        });
        broker.defaultHandler(afterHandshake);
        SaslMechanismRegistry mechanisms = SaslMechanismRegistry.builtIn().with("X-RAW", (c, n) -> new SaslMechanism() {
            private boolean sent;

            @Override
            public String name() {
                return "X-RAW";
            }

            @Override
            public byte[] initialResponse() {
                sent = true;
                return TOKEN.clone();
            }

            @Override
            public byte[] evaluateChallenge(byte[] challenge) {
                return null;
            }

            @Override
            public boolean isComplete() {
                return sent;
            }
        });
        clients = new Clients(KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("X-RAW")
                .apiVersion(BrokerVersion.V0_11_0) // SaslHandshake v0, no SaslAuthenticate: raw tokens
                .socketConnectionSetupTimeout(Duration.ofMillis(600))
                .socketConnectionSetupTimeoutMax(Duration.ofMillis(600)), mechanisms);
    }

    @Test
    void aBrokerThatStallsAfterTheRawTokenTimesOutAsASetUpTimeout() {
        start(request -> Reply.stall());
        KwireException failure = clients.firstFailure();
        assertThat(broker.requests(0x7f7f)).hasSize(1); // the raw token went out as a bare size-prefixed frame
        assertThat(broker.requests(0x7f7f).get(0).bodySize()).isZero(); // no Kafka header was added around it
        assertThat(failure).isNotInstanceOf(AuthenticationException.class)
                .hasMessageContaining("set-up timed out (authenticating)");
        assertThat(clients.authFailures).isEmpty();
    }

    @Test
    void aBrokerThatClosesAfterTheRawTokenIsAnAuthenticationFailure() {
        start(request -> Reply.closeConnection());
        KwireException failure = clients.firstFailure();
        assertThat(failure).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("SASL X-RAW authentication with broker")
                .hasMessageContaining("raw SASL token exchange");
        assertThat(clients.connectFailures).singleElement().isSameAs(failure);
    }
}
