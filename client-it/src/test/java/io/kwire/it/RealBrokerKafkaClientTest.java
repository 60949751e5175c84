package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClientResponse;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.TopicMetadata;
import io.kwire.client.VersionRange;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.KafkaCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every public method of {@link KafkaClient} against one real broker (shared by the suite). */
class RealBrokerKafkaClientTest {

    private static KafkaCluster cluster;
    private KafkaClient client;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.shared();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private KafkaClient newClient(KafkaClientConfig.Builder builder) {
        client = new KafkaClient(builder.build());
        return client;
    }

    private KafkaClient newClient() {
        return newClient(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()).clientId("it"));
    }

    private static String clusterId() throws Exception {
        return cluster.admin().describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }

    @Test
    void bootstrapsThenReplacesBootstrapAddressesWithRealBrokerIds() throws Exception {
        KafkaClient c = newClient();
        pollUntil(c, Duration.ofSeconds(20), "first metadata", () -> c.cluster().lastUpdate().isPresent());
        ClusterMetadata m = c.cluster();
        assertThat(m.clusterId()).contains(clusterId());
        assertThat(m.brokers()).extracting(Node::id).containsExactlyElementsOf(cluster.brokerIds());
        assertThat(m.controller()).isPresent();
        assertThat(cluster.brokerIds()).contains(c.leastLoadedNode().orElseThrow());
    }

    @Test
    void addTopicCompletesAfterTheNextMetadataResponseWithItsPartitions() throws Exception {
        cluster.createTopic("it-add-topic", 3, 1);
        KafkaClient c = newClient();
        CompletableFuture<ClusterMetadata> f = c.addTopic("it-add-topic");
        c.poll(Duration.ofSeconds(20), f);
        assertThat(f).isDone();
        // The topic may take a moment to appear in every broker's metadata cache.
        pollUntil(c, Duration.ofSeconds(20), "topic metadata", () -> c.cluster().topic("it-add-topic")
                .map(t -> t.partitions().size() == 3 && t.partitions().stream().allMatch(p -> p.hasLeader()))
                .orElse(false) || retry(c));
        TopicMetadata t = c.cluster().topic("it-add-topic").orElseThrow();
        assertThat(t.topicId().toString()).isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(t.internal()).isFalse();
        assertThat(t.partitions()).allSatisfy(p -> {
            assertThat(p.leaderEpoch()).isGreaterThanOrEqualTo(0);
            assertThat(p.replicas()).containsExactly(p.leaderId());
            assertThat(p.isr()).containsExactly(p.leaderId());
        });
        assertThat(c.cluster().leaderFor("it-add-topic", 0)).isPresent();
    }

    private static boolean retry(KafkaClient c) {
        c.requestMetadataUpdate();
        return false;
    }

    @Test
    void setTopicsReplacesTheTrackedSet() throws Exception {
        cluster.createTopic("it-set-a", 1, 1);
        cluster.createTopic("it-set-b", 1, 1);
        KafkaClient c = newClient();
        c.setTopics(List.of("it-set-a", "it-set-b"));
        pollUntil(c, Duration.ofSeconds(20), "both topics", () -> (c.cluster().topic("it-set-a").isPresent()
                && c.cluster().topic("it-set-b").isPresent()) || retry(c));
        c.setTopics(List.of("it-set-b"));
        pollUntil(c, Duration.ofSeconds(20), "only b", () -> c.cluster().topic("it-set-a").isEmpty() || retry(c));
        assertThat(c.cluster().topics()).containsKey("it-set-b");
    }

    @Test
    void requestsGoOutAtTheHighestVersionBothSidesSupport() throws Exception {
        KafkaClient c = newClient();
        int node = readyNode(c);
        Map<ApiKey, VersionRange> versions = c.getApiVersions(node);
        assertThat(versions).containsKeys(ApiKey.METADATA, ApiKey.PRODUCE, ApiKey.FETCH, ApiKey.API_VERSIONS);
        assertThat(c.getApiVersions()).isEqualTo(versions);
        CompletableFuture<MetadataResponse> f = c.send(node, new MetadataRequest().setTopics(null));
        List<ClientResponse> responses = c.poll(Duration.ofSeconds(10), f);
        MetadataResponse response = f.get();
        assertThat(response.brokers()).hasSize(1);
        ClientResponse cr = responses.stream().filter(r -> r.apiKey() == ApiKey.METADATA && r.response() == response)
                .findFirst().orElseThrow();
        short expected = (short) Math.min(versions.get(ApiKey.METADATA).max(), ApiKey.METADATA.highestSupportedVersion());
        assertThat(cr.version()).isEqualTo(expected);
        assertThat(cr.bytesSent()).isPositive();
        assertThat(cr.bytesReceived()).isPositive();
        assertThat(cr.latencyNanos()).isPositive();
    }

    @Test
    void apiVersionsRequestAnswersWithTheBrokersRanges() throws Exception {
        KafkaClient c = newClient();
        int node = readyNode(c);
        CompletableFuture<ApiVersionsResponse> f = c.send(node, new ApiVersionsRequest()
                .setClientSoftwareName("kwire-it").setClientSoftwareVersion("1.0"));
        c.poll(Duration.ofSeconds(10), f);
        assertThat(f.get().errorCode()).isZero();
        assertThat(f.get().apiKeys()).hasSizeGreaterThan(50);
    }

    @Test
    void checkVersionInfersTheBrokersRelease() {
        KafkaClient c = newClient();
        assertThat(c.checkVersion()).isEqualTo(new BrokerVersion(4, 1, 0));
        int node = readyNode(c);
        assertThat(c.checkVersion(node, Duration.ofSeconds(5), true)).isEqualTo(new BrokerVersion(4, 1, 0));
    }

    @Test
    void checkVersionOfAnUnknownNodeFailsWithNodeNotReady() {
        KafkaClient c = newClient();
        readyNode(c);
        assertThatThrownBy(() -> c.checkVersion(4242, Duration.ofMillis(300), false))
                .isInstanceOf(NodeNotReadyException.class).hasMessageContaining("4242");
    }

    @Test
    void connectionStateMethodsFollowTheConnectionThroughItsLife() {
        KafkaClient c = newClient();
        int node = readyNode(c);
        assertThat(c.isReady(node, false)).isTrue();
        assertThat(c.isDisconnected(node)).isFalse();
        assertThat(c.connectionDelay(node)).isEqualTo(Long.MAX_VALUE);
        assertThat(c.maybeConnect(node)).isTrue();
        assertThat(c.inFlightRequestCount(node)).isZero();
        c.send(node, new MetadataRequest().setTopics(List.of()));
        assertThat(c.inFlightRequestCount(node)).isEqualTo(1);
        assertThat(c.inFlightRequestCount()).isEqualTo(1);
        c.close(node);
        assertThat(c.isDisconnected(node)).isTrue();
        assertThat(c.inFlightRequestCount()).isZero();
        assertThat(c.connectionDelay(node)).isZero(); // a deliberate close does not back off
        assertThat(c.ready(node, false)).isFalse(); // starts connecting
        pollUntil(c, Duration.ofSeconds(10), "reconnect", () -> c.isReady(node, false));
    }

    @Test
    void sendToANodeThatIsNotReadyFailsFastAndStartsConnecting() throws Exception {
        KafkaClient c = newClient();
        int node = readyNode(c);
        c.close(node);
        CompletableFuture<MetadataResponse> f = c.send(node, new MetadataRequest().setTopics(List.of()));
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::get).hasCauseInstanceOf(NodeNotReadyException.class);
        assertThat(c.connectionStates().get(node)).isNotEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void wakeupFromAnotherThreadEndsALongPoll() throws Exception {
        KafkaClient c = newClient();
        readyNode(c);
        Thread waker = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            c.wakeup();
        });
        waker.start();
        long start = System.nanoTime();
        c.poll(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        waker.join();
    }

    @Test
    void pipelinedRequestsAllCompleteInOrder() throws Exception {
        KafkaClient c = newClient();
        int node = readyNode(c);
        CompletableFuture<?>[] futures = new CompletableFuture<?>[5];
        for (int i = 0; i < 5; i++) {
            futures[i] = c.send(node, new MetadataRequest().setTopics(List.of()));
        }
        assertThat(c.send(node, new MetadataRequest().setTopics(List.of()))).isCompletedExceptionally(); // 6th > max
        CompletableFuture<Void> all = CompletableFuture.allOf(futures);
        c.poll(Duration.ofSeconds(10), all);
        assertThat(all).isCompleted();
    }

    @Test
    void noBrokersAvailableListsEachAddressWithItsOwnCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        KafkaClient c = newClient(KafkaClientConfig.builder()
                .bootstrapServers("127.0.0.1:" + closedPort + ",no-such-host.invalid:9092")
                .reconnectBackoff(Duration.ofMillis(10)).reconnectBackoffMax(Duration.ofMillis(50)));
        assertThatThrownBy(() -> c.checkVersion(null, Duration.ofSeconds(2), false))
                .isInstanceOf(NoBrokersAvailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort + ": connection refused")
                .hasMessageContaining("no-such-host.invalid:9092: DNS lookup of no-such-host.invalid failed");
    }

    @Test
    void observerSeesConnectionsRequestsAndMetadata() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        KafkaClient c = newClient(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers())
                .observer(new ClientObserver() {
                    @Override
                    public void connectionReady(Node node) {
                        events.add("ready " + node.id());
                    }

                    @Override
                    public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos,
                                                 int bytesSent, int bytesReceived, Outcome outcome) {
                        events.add(api.displayName() + " " + outcome + (bytesReceived > 0 ? " rx" : ""));
                    }

                    @Override
                    public void metadataUpdated(ClusterMetadata metadata) {
                        events.add("metadata " + metadata.brokers().size());
                    }
                }));
        pollUntil(c, Duration.ofSeconds(20), "metadata", () -> c.cluster().lastUpdate().isPresent());
        assertThat(events).contains("ApiVersions SUCCESS rx", "Metadata SUCCESS rx", "metadata 1");
        assertThat(events.stream().filter(e -> e.startsWith("ready"))).isNotEmpty();
    }

    @Test
    void closeFailsInFlightRequestsAndLeavesNoSocketOpen() throws Exception {
        KafkaClient c = newClient();
        int node = readyNode(c);
        CompletableFuture<MetadataResponse> f = c.send(node, new MetadataRequest().setTopics(List.of()));
        c.close();
        assertThat(f).isCompletedExceptionally();
        assertThat(c.isClosed()).isTrue();
        c.close(); // idempotent
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(io.kwire.errors.ClientClosedException.class);
        client = null;
    }

    @Test
    void largeRecordBatchesAreProducedByReferenceAndFetchedBackIntact() throws Exception {
        cluster.createTopic("it-large-batch", 1, 1);
        LargeBatches.produceAndFetchBack(newClient(), "it-large-batch");
    }

    @Test
    void aBatchBuiltIntoDirectMemoryIsProducedAndFetchedBackIntact() throws Exception {
        cluster.createTopic("it-direct-batch", 1, 1);
        LargeBatches.produceAndFetchBack(newClient(), "it-direct-batch", true);
    }

    static int readyNode(KafkaClient c) {
        pollUntil(c, Duration.ofSeconds(20), "metadata", () -> c.cluster().lastUpdate().isPresent());
        OptionalInt node = c.leastLoadedNode();
        int id = node.orElseThrow();
        c.ready(id, false);
        pollUntil(c, Duration.ofSeconds(20), "node " + id + " ready", () -> c.ready(id, false));
        return id;
    }
}
