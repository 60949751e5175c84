package io.kwire.it;

import static io.kwire.it.Polling.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.UnavailableNodePolicy;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.FrameTooLargeException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.errors.ProtocolException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.SaslAuthenticateResponse;
import io.kwire.protocol.message.SaslHandshakeResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Brokers that cannot be had or misbehave during a connection's set-up: the caller learns what happened at once,
 * typed, from the node's own failure, and nothing a broker sends makes the client do unbounded work. Every request
 * timeout here is a minute, so a failure that waited for it would arrive as a timeout and fail the test on its type.
 */
class UnavailableBrokerTest {

    private static final int BOOTSTRAP_NODE = -1;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Throwable failureWithin(CompletableFuture<?> f, Duration d) throws Exception {
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the request succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aRefusedConnectionFailsRequestsForAnyNodeAndForThatNodeAtOnceTypedAndTheObserverCountsThem()
            throws Exception {
        List<String> unsent = new CopyOnWriteArrayList<>();
        ClientObserver observer = new ClientObserver() {
            @Override
            public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                         int bytesReceived, Outcome outcome) {
                if (version == -1) {
                    unsent.add(api.displayName() + " " + nodeId + " " + outcome + " " + bytesSent);
                }
            }
        };
        KwireClient client = closeLater(KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers("127.0.0.1:" + closedPort()).requestTimeout(MINUTE).observer(observer).build()));
        client.start();
        long start = System.nanoTime();
        Throwable any = failureWithin(client.send(new MetadataRequest()), Duration.ofSeconds(20));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(any).isInstanceOf(NoBrokersAvailableException.class).hasMessageContaining("connection refused")
                .cause().isInstanceOf(NodeNotReadyException.class).hasMessageContaining("connection refused");
        Throwable one = failureWithin(client.send(BOOTSTRAP_NODE, new MetadataRequest()), Duration.ofSeconds(20));
        assertThat(one).isInstanceOf(NodeNotReadyException.class).hasMessageContaining("connection refused");
        // The observer may hear of an unsent request just after its future failed: wait for both, then compare.
        Polling.awaitCondition(Duration.ofSeconds(10), "the observer hearing of both", () -> unsent.size() >= 2);
        assertThat(unsent).as("metrics count the requests the outage failed")
                .containsExactly("Metadata " + ClientObserver.NO_NODE + " FAILED 0", "Metadata -1 FAILED 0");
        System.out.println("refused connection to the caller's typed failure: " + millis + " ms");
    }

    @Test
    void underTheWaitPolicyARequestRidesOutAFailedAttemptAndIsSentWhenTheBrokerAcceptsAgain() throws Exception {
        FakeBroker broker = closeLater(FakeBroker.start());
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(new MetadataResponse().setClusterId("c"),
                r.apiVersion())));
        broker.dropNewConnections(true);
        KafkaClientConfig.Builder config = KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .requestTimeout(MINUTE).reconnectBackoff(Duration.ofMillis(200))
                .reconnectBackoffMax(Duration.ofMillis(200));

        try (KwireClient failFast = KwireClient.create(config.build())) {
            failFast.start();
            assertThat(failureWithin(failFast.send(BOOTSTRAP_NODE, new MetadataRequest()), Duration.ofSeconds(20)))
                    .as("the default policy says so at once").isInstanceOf(DisconnectedException.class);
        }

        KwireClient waiting = closeLater(KwireClient.create(config.unavailableNodePolicy(UnavailableNodePolicy.WAIT)
                .build()));
        waiting.start();
        CompletableFuture<MetadataResponse> f = waiting.send(BOOTSTRAP_NODE, new MetadataRequest());
        long connections = broker.connectionCount();
        Polling.awaitCondition(Duration.ofSeconds(20), "two more attempts dropped while the request waits",
                () -> broker.connectionCount() >= connections + 2);
        assertThat(f).isNotDone();
        broker.dropNewConnections(false);
        assertThat(f.get(20, TimeUnit.SECONDS).clusterId()).isEqualTo("c");
    }

    @Test
    void aBrokerAskingForTwoBillionScramIterationsFailsAuthenticationAtOnceWithoutFreezingTheClient()
            throws Exception {
        FakeBroker broker = closeLater(FakeBroker.start());
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.SASL_HANDSHAKE.id(), r -> Reply.respond(body(new SaslHandshakeResponse()
                .setMechanisms(List.of("SCRAM-SHA-256")), r.apiVersion())));
        broker.handle(ApiKey.SASL_AUTHENTICATE.id(), r -> {
            // SaslAuthenticate v0: int32 length, then the client-first message "n,,n=user,r=<nonce>"
            ByteBuffer in = ByteBuffer.wrap(r.body());
            byte[] clientFirst = new byte[in.getInt()];
            in.get(clientFirst);
            String text = new String(clientFirst, StandardCharsets.UTF_8);
            String nonce = text.substring(text.indexOf("r=") + 2);
            String serverFirst = "r=" + nonce + "hostile,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2147483647";
            return Reply.respond(body(new SaslAuthenticateResponse()
                    .setAuthBytes(ByteBuffer.wrap(serverFirst.getBytes(StandardCharsets.UTF_8))), r.apiVersion()));
        });
        KwireClient client = closeLater(KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(broker.bootstrapServers()).requestTimeout(MINUTE)
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("SCRAM-SHA-256")
                .saslPlainUsername("user").saslPlainPassword("pencil").build()));
        client.start();

        Throwable failure = failureWithin(client.send(BOOTSTRAP_NODE, new MetadataRequest()), Duration.ofSeconds(20));

        assertThat(failure).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("2147483647 iterations, above saslScramMaxIterations (16384)")
                .hasMessageNotContaining("pencil");
        long start = System.nanoTime();
        client.close(Duration.ofSeconds(1));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("close(1 s) returns")
                .isLessThan(6_000);
    }

    @Test
    void anApiVersionsAnswerWithANegativeKeyClosesTheConnectionAsAProtocolErrorNotAnIllegalArgument()
            throws Exception {
        // The answer from the hostile-broker report: ApiVersions v3 listing key -1 (0xffff).
        byte[] hostile = HexFormat.of().parseHex(
                "00000700000003000b0000030000000c00001200000004000011000000010000240000000200ffff00000000000000000000");
        FakeBroker broker = closeLater(FakeBroker.start());
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(hostile));
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .requestTimeout(MINUTE).build();

        KwireClient client = closeLater(KwireClient.create(config));
        client.start();
        assertThat(failureWithin(client.send(BOOTSTRAP_NODE, new MetadataRequest()), Duration.ofSeconds(20)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("ApiVersions answer from")
                .hasMessageContaining("is malformed: API key -1");

        KafkaClient reference = closeLater(new KafkaClient(config));
        assertThatThrownBy(() -> reference.checkVersion(null, Duration.ofSeconds(20), false))
                .isInstanceOf(NoBrokersAvailableException.class).hasMessageContaining("is malformed")
                .cause().isInstanceOf(ProtocolException.class);
    }

    @Test
    void aTlsListenerOrAHugeFrameDuringSetUpFailsTheWaitingRequestAtOnceSayingWhatIsProbablyWrong()
            throws Exception {
        Map<Reply, String> answers = new LinkedHashMap<>();
        answers.put(Reply.tlsRecord(), "the broker's listener expects TLS");
        answers.put(Reply.oversizedFrame(), "above maxResponseSize");
        for (Map.Entry<Reply, String> entry : answers.entrySet()) {
            Reply answer = entry.getKey();
            FakeBroker broker = closeLater(FakeBroker.start());
            broker.handle(ApiKey.API_VERSIONS.id(), r -> answer);
            KwireClient client = closeLater(KwireClient.create(KafkaClientConfig.builder()
                    .bootstrapServers(broker.bootstrapServers()).requestTimeout(MINUTE)
                    .unavailableNodePolicy(UnavailableNodePolicy.WAIT).build()));
            client.start();

            Throwable failure = failureWithin(client.send(BOOTSTRAP_NODE, new MetadataRequest()),
                    Duration.ofSeconds(20));

            // Even under WAIT: a TLS listener or a broken stream does not mend by waiting.
            assertThat(failure).isInstanceOf(FrameTooLargeException.class).hasMessageContaining(entry.getValue());
        }
    }

    @Test
    void aRequestThatTimesOutNamesItsOwnNodesErrorNotTheNewestErrorOfAnotherNode() throws Exception {
        int refusingPort = closedPort();
        AtomicBoolean stall = new AtomicBoolean();
        FakeBroker broker = closeLater(FakeBroker.start());
        broker.handle(ApiKey.API_VERSIONS.id(), r -> stall.get() ? Reply.stall()
                : Reply.respond(body(apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(new MetadataResponse().setControllerId(1)
                .setBrokers(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(1).setHost("127.0.0.1")
                                .setPort(broker.port()),
                        new MetadataResponse.MetadataResponseBroker().setNodeId(2).setHost("127.0.0.1")
                                .setPort(refusingPort))), r.apiVersion())));
        KwireClient client = closeLater(KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(broker.bootstrapServers()).requestTimeout(Duration.ofMillis(1_500))
                .reconnectBackoff(Duration.ofMillis(50)).reconnectBackoffMax(Duration.ofMillis(50))
                .unavailableNodePolicy(UnavailableNodePolicy.WAIT).build()));
        client.start();
        assertThat(client.awaitReady(Duration.ofSeconds(20))).isTrue();
        CompletableFuture<MetadataResponse> warmUp = client.send(1, new MetadataRequest());
        warmUp.get(20, TimeUnit.SECONDS);

        stall.set(true); // node 1's next connection never gets past ApiVersions
        broker.closeAllConnections();
        Polling.awaitCondition(Duration.ofSeconds(20), "the client to notice the close",
                () -> client.connectionStates().get(1) != ConnectionState.READY);
        CompletableFuture<MetadataResponse> toTwo = client.send(2, new MetadataRequest()); // refused, again and again
        CompletableFuture<MetadataResponse> toOne = client.send(1, new MetadataRequest());

        // Either the request's own deadline passes ("node 1 never became ready (last error: ...)"), or node 1's
        // reconnection fails first, its ApiVersions timing out, and under WAIT the request cannot outlast the
        // back-off: then it fails with that failure of node 1. Either way it names node 1 and nothing of node 2.
        Throwable one = failureWithin(toOne, Duration.ofSeconds(20));
        assertThat(one).isInstanceOfAny(KwireTimeoutException.class, DisconnectedException.class)
                .hasMessageContaining("node 1").hasMessageNotContaining("refused")
                .hasMessageNotContaining(String.valueOf(refusingPort));
        assertThat(failureWithin(toTwo, Duration.ofSeconds(20))).hasMessageContaining("connection refused");
    }

    @Test
    void aMalformedResponseReachesTheCallerWithItsApiVersionNodeAndOffset() throws Exception {
        FakeBroker broker = closeLater(FakeBroker.start());
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(new byte[] {0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        KwireClient client = closeLater(KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(broker.bootstrapServers()).requestTimeout(MINUTE).build()));
        client.start();

        Throwable failure = failureWithin(client.send(BOOTSTRAP_NODE, new MetadataRequest()), Duration.ofSeconds(20));

        assertThat(failure).isInstanceOf(ProtocolException.class).hasMessageContaining("Malformed Metadata v")
                .hasMessageContaining("response from bootstrap-1").hasMessageContaining("at byte ");
    }

    @Test
    void aThousandRefusedAddressesMakeOneShortMessageCountingThem() throws Exception {
        int port = closedPort();
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            servers.add("127.0.0." + (1 + i % 200) + ":" + port);
        }
        KafkaClient client = closeLater(new KafkaClient(KafkaClientConfig.builder()
                .bootstrapServers(String.join(",", servers)).build()));

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> client.checkVersion(null, Duration.ofSeconds(30), false));

        assertThat(failure).isInstanceOf(NoBrokersAvailableException.class)
                .hasMessageContaining("1000 addresses: 1000 connection refused; the first 10:");
        assertThat(failure.getMessage().length()).as("a summary, not a 57 KB list").isLessThan(2_000);
    }

    private static ApiVersionsResponse apiVersions() {
        return new ApiVersionsResponse().setApiKeys(List.of(
                range(ApiKey.API_VERSIONS, 0, ApiKey.API_VERSIONS.highestSupportedVersion()),
                range(ApiKey.METADATA, 0, 12), range(ApiKey.SASL_HANDSHAKE, 0, 1),
                range(ApiKey.SASL_AUTHENTICATE, 0, 0)));
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey key, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(key.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }
}
