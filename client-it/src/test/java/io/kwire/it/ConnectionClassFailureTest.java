package io.kwire.it;

import static io.kwire.it.Polling.body;
import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.KwireClient;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a real broker cannot be made to do, on the fake broker: refuse one class's connection while another class's
 * is open. The refused class fails; the open one carries on; the other classes wait out the broker's one back-off
 * instead of trying at once. And the broker's API versions are asked once, not once per class.
 */
class ConnectionClassFailureTest {

    private static final int NODE = 1;
    private FakeBroker broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = FakeBroker.start();
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata(), r.apiVersion())));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        broker.close();
    }

    private KafkaClientConfig.Builder config() {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .reconnectBackoff(Duration.ofSeconds(20)).reconnectBackoffMax(Duration.ofSeconds(20));
    }

    private KafkaClient readyClient() {
        KafkaClient client = new KafkaClient(config().build());
        toClose.add(client);
        pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().lastUpdate().isPresent());
        pollUntil(client, Duration.ofSeconds(10), "control connection", () -> client.ready(NODE, false));
        return client;
    }

    @Test
    void aRefusedProduceConnectionFailsAloneAndTheOtherClassesWaitOutTheBrokersBackoff() throws Exception {
        KafkaClient client = readyClient();
        long connectionsBefore = broker.connectionCount();
        broker.dropNewConnections(true);

        client.ready(NODE, ConnectionClass.PRODUCE);
        assertThat(broker.awaitConnections(connectionsBefore + 1, Duration.ofSeconds(10))).isTrue();
        pollUntil(client, Duration.ofSeconds(10), "produce connection refused",
                () -> client.connectionState(NODE, ConnectionClass.PRODUCE) == ConnectionState.DISCONNECTED);

        CompletableFuture<MetadataResponse> meta = client.send(NODE, new MetadataRequest().setTopics(List.of()));
        client.poll(Duration.ofSeconds(10), meta);
        assertThat(meta.get().brokers()).as("the control connection carries on").hasSize(1);
        assertThat(client.connectionState(NODE, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.READY);

        for (ConnectionClass c : List.of(ConnectionClass.FETCH, ConnectionClass.SLOW, ConnectionClass.PRODUCE)) {
            assertThat(client.ready(NODE, c)).as(c.tag()).isFalse();
        }
        client.poll(Duration.ofMillis(100));
        assertThat(broker.connectionCount()).as("no class tries the backing-off broker again")
                .isEqualTo(connectionsBefore + 1);
        CompletableFuture<?> produce = client.send(NODE, new ProduceRequest().setAcks((short) 0)
                .setTimeoutMs(1000).setTopicData(List.of()), ConnectionClass.PRODUCE);
        Throwable cause = causeOf(produce);
        assertThat(cause).isInstanceOf(NodeNotReadyException.class).hasMessageContaining("produce connection")
                .hasMessageContaining("reconnecting in");
        assertThat(cause.getCause()).as("the refused connection's failure").isNotNull();
    }

    @Test
    void theThreadSafeClientFailsTheRefusedClassAtOnceAndAnswersTheControlClass() throws Exception {
        KwireClient client = KwireClient.create(config().build());
        toClose.add(client);
        client.start();
        assertThat(client.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(client.send(NODE, new MetadataRequest().setTopics(List.of())).get(10, TimeUnit.SECONDS)
                .brokers()).hasSize(1);
        broker.dropNewConnections(true);

        CompletableFuture<?> produce = client.send(NODE, new ProduceRequest().setAcks((short) 1)
                .setTimeoutMs(1000).setTopicData(List.of()));
        // The produce connection skips ApiVersions (the control connection's versions serve): whether the broker's
        // close is seen before the request goes out (the failed attempt, FAIL_FAST) or after (a disconnect), it fails.
        assertThat(causeOf(produce)).isInstanceOfAny(NodeNotReadyException.class, DisconnectedException.class);
        MetadataResponse meta = client.send(NODE, new MetadataRequest().setTopics(List.of()))
                .get(10, TimeUnit.SECONDS);
        assertThat(meta.brokers()).hasSize(1);
    }

    @Test
    void apiVersionsIsAskedOncePerBrokerNotOncePerClass() throws Exception {
        KafkaClient client = readyClient();
        for (ConnectionClass c : List.of(ConnectionClass.PRODUCE, ConnectionClass.FETCH, ConnectionClass.SLOW)) {
            pollUntil(client, Duration.ofSeconds(10), c.tag() + " connection", () -> client.ready(NODE, c));
        }
        // The bootstrap connection (node -1) asked, then the control connection of node 1; its classes did not.
        assertThat(broker.requests(ApiKey.API_VERSIONS.id())).hasSize(2);
        Polling.awaitCondition(Duration.ofSeconds(10), "the bootstrap connection closed, four open",
                () -> broker.openConnectionCount() == 4);
    }

    private static Throwable causeOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not completed in 10 s", e);
        }
    }

    private static ApiVersionsResponse apiVersions() {
        List<ApiVersionsResponse.ApiVersion> keys = new ArrayList<>();
        keys.add(range(ApiKey.API_VERSIONS, 0, ApiKey.API_VERSIONS.highestSupportedVersion()));
        keys.add(range(ApiKey.METADATA, 0, 12));
        keys.add(range(ApiKey.PRODUCE, 3, 9));
        keys.add(range(ApiKey.FETCH, 4, 12));
        return new ApiVersionsResponse().setApiKeys(keys);
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey key, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(key.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }

    private MetadataResponse metadata() {
        return new MetadataResponse().setClusterId("fake-cluster").setControllerId(NODE).setBrokers(new ArrayList<>(
                List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(NODE).setHost("127.0.0.1")
                        .setPort(broker.port()))));
    }
}
