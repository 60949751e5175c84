package io.kwire.it;

import static io.kwire.it.Polling.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.errors.ProtocolException;
import io.kwire.network.Authenticator;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.ForwardingTransport;
import io.kwire.testkit.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exception inside a connection's set-up step (a SASL exchange, the transport's handshake, an ApiVersions answer
 * that cannot be read or refuses) closes that connection at once with that exception as the reason, and the request
 * waiting for the node fails with it: not with a timeout a minute later. The request timeout is a minute here, so a
 * failure that waited for it would be a {@code KwireTimeoutException} and the test would fail on its type.
 */
class SetupStepFailureTest {

    private static final int BOOTSTRAP_NODE = -1;

    private FakeBroker broker;
    private KwireClient client;
    private final List<KwireException> connectionFailures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = FakeBroker.start();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close(Duration.ofSeconds(5));
        }
        broker.close();
    }

    private KafkaClientConfig config() {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .requestTimeout(Duration.ofMinutes(1))
                .reconnectBackoff(Duration.ofSeconds(30)).reconnectBackoffMax(Duration.ofSeconds(30))
                .observer(new ClientObserver() {
                    @Override
                    public void connectionFailed(Node node, KwireException cause) {
                        connectionFailures.add(cause);
                    }
                })
                .build();
    }

    private void answerApiVersions() {
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions((short) 0), r.apiVersion())));
    }

    /**
     * Sends to the bootstrap node, then starts the client (so the request waits before the first connection
     * attempt), and returns what the request's future failed with, waiting far less than the request timeout.
     */
    private Throwable failureOfARequest() throws Exception {
        CompletableFuture<MetadataResponse> f = client.send(BOOTSTRAP_NODE, new MetadataRequest().setTopics(List.of()));
        client.start();
        return causeWithin(f, 20);
    }

    private static Throwable causeWithin(CompletableFuture<?> f, int seconds) throws Exception {
        try {
            f.get(seconds, TimeUnit.SECONDS);
            throw new AssertionError("the request succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aSaslStepThatThrowsClosesTheConnectionWithItsExceptionAndFailsTheWaitingRequest() throws Exception {
        answerApiVersions();
        IllegalStateException boom = new IllegalStateException("the SASL mechanism exploded");
        AuthenticatorFactory authenticators = (node, versions) -> new Authenticator() {
            @Override
            public ApiRequest<?> nextRequest() {
                throw boom;
            }

            @Override
            public void onResponse(ApiResponse response) {
            }

            @Override
            public boolean isComplete() {
                return false;
            }

            @Override
            public long sessionLifetimeMs() {
                return 0;
            }
        };
        client = KwireClient.create(config(), TransportFactory.PLAINTEXT, authenticators);

        Throwable failure = failureOfARequest();

        assertThat(failure).isInstanceOf(KwireException.class).hasCause(boom)
                .hasMessageContaining("failed in step SASL");
        assertThat(connectionFailures).as("the connection closed with that reason").containsExactly((KwireException) failure);

        // While the node backs off from that failure, a new request for it fails with it at once, as Apache's
        // client fails requests for a node whose last connection failed authentication.
        CompletableFuture<MetadataResponse> next = client.send(BOOTSTRAP_NODE, new MetadataRequest());
        assertThat(causeWithin(next, 20)).isSameAs(failure);
        // The states are a snapshot the I/O thread publishes every few milliseconds.
        Polling.awaitCondition(Duration.ofSeconds(5), "node -1 DISCONNECTED in the published states",
                () -> client.connectionStates().get(BOOTSTRAP_NODE) == ConnectionState.DISCONNECTED);
    }

    @Test
    void aTransportHandshakeThatThrowsClosesTheConnectionWithItsExceptionAndFailsTheWaitingRequest()
            throws Exception {
        answerApiVersions();
        IllegalStateException boom = new IllegalStateException("the TLS step exploded");
        TransportFactory transports = (channel, node) -> new ForwardingTransport(
                TransportFactory.PLAINTEXT.create(channel, node)) {
            @Override
            public boolean handshake() {
                throw boom;
            }
        };
        client = KwireClient.create(config(), transports, AuthenticatorFactory.NONE);

        Throwable failure = failureOfARequest();

        assertThat(failure).isInstanceOf(KwireException.class).hasCause(boom);
        assertThat(connectionFailures).containsExactly((KwireException) failure);
        assertThat(broker.awaitRequests(1, Duration.ofMillis(1))).as("nothing was sent").isFalse();
    }

    @Test
    void anApiVersionsAnswerThatCannotBeReadClosesTheConnectionAndFailsTheWaitingRequest() throws Exception {
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(new byte[] {0, 0, 0, 0, 0x7f}));
        client = KwireClient.create(config(), TransportFactory.PLAINTEXT, AuthenticatorFactory.NONE);

        Throwable failure = failureOfARequest();

        assertThat(failure).isInstanceOf(ProtocolException.class).hasMessageContaining("Malformed ApiVersions");
        assertThat(connectionFailures).containsExactly((KwireException) failure);
    }

    @Test
    void anApiVersionsErrorClosesTheConnectionNamingTheErrorAndFailsTheWaitingRequest() throws Exception {
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions((short) 31), r.apiVersion())));
        client = KwireClient.create(config(), TransportFactory.PLAINTEXT, AuthenticatorFactory.NONE);

        Throwable failure = failureOfARequest();

        assertThat(failure).isInstanceOf(KwireException.class)
                .hasMessageContaining("ApiVersions to").hasMessageContaining("CLUSTER_AUTHORIZATION_FAILED (31)");
        assertThat(connectionFailures).containsExactly((KwireException) failure);
    }

    private static ApiVersionsResponse apiVersions(short errorCode) {
        return new ApiVersionsResponse().setErrorCode(errorCode).setApiKeys(List.of(
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id())
                        .setMinVersion((short) 0).setMaxVersion(ApiKey.API_VERSIONS.highestSupportedVersion()),
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.METADATA.id())
                        .setMinVersion((short) 0).setMaxVersion((short) 12)));
    }
}
