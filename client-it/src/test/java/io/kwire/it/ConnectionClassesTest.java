package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionCounts;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.testkit.KafkaCluster;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection classes against a real broker: a long-poll Fetch parks only the fetch connection, the control connection
 * answers meanwhile; one connection per broker when the classes are merged; requests of one class keep their order;
 * the per-send override; lazy set-up and idle reaping per class; {@code close(node)} and the counts over all
 * classes; a class's connection failing (its request timed out) while the control connection carries on.
 */
class ConnectionClassesTest {

    /** Empty: a Fetch from offset 0 with minBytes 1 waits the whole of its maxWaitMs. */
    private static final String EMPTY = "it-classes-empty";
    private static final String PRODUCED = "it-classes-produced";
    private static KafkaCluster cluster;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.shared();
        cluster.createTopic(EMPTY, 1, 1);
        cluster.createTopic(PRODUCED, 1, 1);
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private KafkaClient client(UnaryOperator<KafkaClientConfig.Builder> tweak) {
        KafkaClient client = new KafkaClient(tweak.apply(KafkaClientConfig.builder()
                .bootstrapServers(cluster.bootstrapServers())).build());
        toClose.add(client);
        return client;
    }

    /** The leader of partition 0 of {@code topic}, with a ready control connection. */
    private static int leader(KafkaClient client, String topic) {
        CompletableFuture<ClusterMetadata> known = client.addTopic(topic);
        pollUntil(client, Duration.ofSeconds(20), "leader of " + topic, () -> {
            if (known.isDone() && client.cluster().leaderFor(topic, 0).isEmpty()) {
                client.requestMetadataUpdate();
            }
            return client.cluster().leaderFor(topic, 0).isPresent();
        });
        int leader = client.cluster().leaderFor(topic, 0).orElseThrow().id();
        pollUntil(client, Duration.ofSeconds(20), "control connection ready", () -> client.ready(leader, false));
        return leader;
    }

    static FetchRequest longPoll(String topic, int maxWaitMs) {
        return new FetchRequest().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(new ArrayList<>(List.of(new FetchRequest.FetchTopic().setTopic(topic)
                        .setPartitions(new ArrayList<>(List.of(new FetchRequest.FetchPartition().setPartition(0)
                                .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))))));
    }

    static ProduceRequest produce(String topic, String value) {
        ByteBuffer batch = new RecordBatchBuilder().append(System.currentTimeMillis(), null, value.getBytes())
                .build();
        return new ProduceRequest().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(new ArrayList<>(List.of(
                new ProduceRequest.TopicProduceData().setName(topic).setPartitionData(new ArrayList<>(List.of(
                        new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(batch)))))));
    }

    private static MetadataRequest metadata() {
        return new MetadataRequest().setTopics(List.of());
    }

    private static Throwable causeOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not completed in 30 s", e);
        }
    }

    @Test
    void metadataIsAnsweredWhileFiveLongPollFetchesWaitOnTheFetchConnection() {
        KafkaClient client = client(b -> b);
        int leader = leader(client, EMPTY);
        assertThat(client.connectionState(leader, ConnectionClass.FETCH)).as("no connection for a class not used yet")
                .isEqualTo(ConnectionState.DISCONNECTED);

        List<CompletableFuture<FetchResponse>> fetches = new ArrayList<>();
        pollUntil(client, Duration.ofSeconds(20), "fetch connection ready", () -> client.ready(leader,
                ConnectionClass.FETCH));
        for (int i = 0; i < 5; i++) {
            fetches.add(client.send(leader, longPoll(EMPTY, 20_000)));
        }
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.FETCH)).isEqualTo(5);
        CompletableFuture<MetadataResponse> meta = client.send(leader, metadata());
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.CONTROL)).isEqualTo(1);
        assertThat(client.inFlightRequestCount(leader)).as("every class").isEqualTo(6);

        client.poll(Duration.ofSeconds(15), meta);
        assertThat(meta).isCompleted();
        assertThat(fetches).as("still held by the broker: they did not hold up the Metadata")
                .noneMatch(CompletableFuture::isDone);
        assertThat(client.connectionState(leader, ConnectionClass.PRODUCE)).isEqualTo(ConnectionState.DISCONNECTED);

        client.close(leader); // every class's connection
        assertThat(fetches).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        assertThat(client.inFlightRequestCount(leader)).isZero();
        for (ConnectionClass c : ConnectionClass.values()) {
            assertThat(client.connectionState(leader, c)).as(c.tag()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void mergedIntoOneConnectionMetadataWaitsBehindTheFetchAsWithApacheNetworkClient() throws Exception {
        KafkaClient client = client(b -> b.connectionClasses(ConnectionClass.CONTROL));
        int leader = leader(client, EMPTY);
        assertThat(client.connectionClassOf(longPoll(EMPTY, 1_500))).isEqualTo(ConnectionClass.CONTROL);

        CompletableFuture<FetchResponse> fetch = client.send(leader, longPoll(EMPTY, 1_500));
        CompletableFuture<MetadataResponse> meta = client.send(leader, metadata());
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.CONTROL)).isEqualTo(2);
        assertThat(client.connectionState(leader, ConnectionClass.FETCH)).as("fetch means control")
                .isEqualTo(ConnectionState.READY);

        client.poll(Duration.ofSeconds(15), meta);
        assertThat(meta).isCompleted();
        assertThat(fetch).as("the broker answers one connection in order: the Fetch first").isCompleted();
        assertThat(fetch.get().responses().get(0).partitions().get(0).errorCode()).isZero();
    }

    @Test
    void producesOfOnePartitionKeepTheirOrderOnTheProduceConnection() throws Exception {
        KafkaClient client = client(b -> b.maxInFlightRequestsPerConnection(5));
        int leader = leader(client, PRODUCED);
        pollUntil(client, Duration.ofSeconds(20), "produce connection ready",
                () -> client.ready(leader, ConnectionClass.PRODUCE));
        List<CompletableFuture<ProduceResponse>> sent = new ArrayList<>();
        List<Integer> completionOrder = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 5; i++) {
                int n = sent.size();
                CompletableFuture<ProduceResponse> f = client.send(leader, produce(PRODUCED, "v" + n));
                f.whenComplete((r, e) -> completionOrder.add(n));
                sent.add(f);
            }
            assertThat(client.inFlightRequestCount(leader, ConnectionClass.PRODUCE)).isEqualTo(5);
            assertThat(client.isReady(leader, ConnectionClass.PRODUCE)).as("its own in-flight limit").isFalse();
            assertThat(client.isReady(leader, false)).as("the control connection has room").isTrue();
            client.poll(Duration.ofSeconds(20), sent.get(sent.size() - 1));
        }
        long previous = -1;
        for (CompletableFuture<ProduceResponse> f : sent) {
            ProduceResponse.PartitionProduceResponse p = f.get().responses().get(0).partitionResponses().get(0);
            assertThat(p.errorCode()).isZero();
            assertThat(p.baseOffset()).as("offsets follow the send order").isGreaterThan(previous);
            previous = p.baseOffset();
        }
        assertThat(completionOrder).isSorted().hasSize(20);
    }

    @Test
    void aPerSendOverrideAndARouteChooseTheConnection() throws Exception {
        KafkaClient client = client(b -> b.connectionClassRoutes(Map.of(ApiKey.DESCRIBE_CLUSTER,
                ConnectionClass.SLOW)));
        int leader = leader(client, EMPTY);
        assertThat(client.connectionClassOf(new io.kwire.protocol.message.DescribeClusterRequest()))
                .isEqualTo(ConnectionClass.SLOW);

        CompletableFuture<MetadataResponse> notReady = client.send(leader, metadata(), ConnectionClass.SLOW);
        assertThat(causeOf(notReady)).hasMessageContaining("slow connection");
        pollUntil(client, Duration.ofSeconds(20), "slow connection ready",
                () -> client.ready(leader, ConnectionClass.SLOW));
        CompletableFuture<MetadataResponse> onSlow = client.send(leader, metadata(), ConnectionClass.SLOW);
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.SLOW)).isEqualTo(1);
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.CONTROL)).isZero();
        client.poll(Duration.ofSeconds(15), onSlow);
        assertThat(onSlow.get().brokers()).isNotEmpty();
    }

    @Test
    void theReferencesReadyThenSendWorksForEveryClassAndTheClassConnectionTakesOver() throws Exception {
        KafkaClient client = client(b -> b);
        int leader = leader(client, PRODUCED);
        // ready(node) speaks of the control connection: the first Produce goes there while its own connects.
        CompletableFuture<ProduceResponse> first = client.send(leader, produce(PRODUCED, "first"));
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.CONTROL)).isEqualTo(1);
        client.poll(Duration.ofSeconds(20), first);
        assertThat(first.get().responses().get(0).partitionResponses().get(0).errorCode()).isZero();
        pollUntil(client, Duration.ofSeconds(20), "produce connection ready",
                () -> client.connectionState(leader, ConnectionClass.PRODUCE) == ConnectionState.READY);
        CompletableFuture<ProduceResponse> second = client.send(leader, produce(PRODUCED, "second"));
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.PRODUCE)).isEqualTo(1);
        client.poll(Duration.ofSeconds(20), second);
        assertThat(second.get().responses().get(0).partitionResponses().get(0).baseOffset())
                .isGreaterThan(first.get().responses().get(0).partitionResponses().get(0).baseOffset());
    }

    @Test
    void requestsOfAClassFollowTheirPredecessorsOnTheControlConnectionUntilThoseHaveEnded() throws Exception {
        KafkaClient client = client(b -> b);
        int leader = leader(client, EMPTY);
        CompletableFuture<FetchResponse> first = client.send(leader, longPoll(EMPTY, 5_000));
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.CONTROL)).as("fallback").isEqualTo(1);
        pollUntil(client, Duration.ofSeconds(20), "fetch connection ready",
                () -> client.connectionState(leader, ConnectionClass.FETCH) == ConnectionState.READY);
        assertThat(first).as("still held by the broker").isNotDone();

        CompletableFuture<FetchResponse> second = client.send(leader, longPoll(EMPTY, 0));
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.CONTROL))
                .as("behind the first Fetch, not overtaking it on the fetch connection").isEqualTo(2);
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.FETCH)).isZero();
        client.poll(Duration.ofSeconds(20), second);
        assertThat(first).as("answered in order on one connection").isCompleted();

        CompletableFuture<FetchResponse> third = client.send(leader, longPoll(EMPTY, 0));
        assertThat(client.inFlightRequestCount(leader, ConnectionClass.FETCH)).as("its own connection now")
                .isEqualTo(1);
        client.poll(Duration.ofSeconds(20), third);
        assertThat(third.get().responses().get(0).partitions().get(0).errorCode()).isZero();
    }

    @Test
    void anIdleClassConnectionIsReapedWhileTheControlConnectionIsInUse() throws Exception {
        KafkaClient client = client(b -> b.connectionsMaxIdle(Duration.ofMillis(600))
                .idleProbeInterval(Duration.ZERO));
        int leader = leader(client, EMPTY);
        pollUntil(client, Duration.ofSeconds(20), "fetch connection ready",
                () -> client.ready(leader, ConnectionClass.FETCH));
        CompletableFuture<FetchResponse> fetch = client.send(leader, longPoll(EMPTY, 0));
        client.poll(Duration.ofSeconds(15), fetch);
        assertThat(fetch).isCompleted();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (client.connectionState(leader, ConnectionClass.FETCH) != ConnectionState.DISCONNECTED) {
            assertThat(System.nanoTime()).as("fetch connection reaped").isLessThan(deadline);
            CompletableFuture<MetadataResponse> meta = client.send(leader, metadata());
            client.poll(Duration.ofSeconds(5), meta); // the control connection stays in use
            assertThat(meta).isCompleted();
        }
        assertThat(client.connectionState(leader, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.READY);
    }

    @Test
    void aFetchConnectionThatTimesOutClosesAloneAndTheControlConnectionCarriesOn() throws Exception {
        KafkaClient client = client(b -> b.requestTimeout(Duration.ofMillis(1_500))
                .reconnectBackoff(Duration.ofSeconds(5)).reconnectBackoffMax(Duration.ofSeconds(5)));
        int leader = leader(client, EMPTY);
        pollUntil(client, Duration.ofSeconds(20), "fetch connection ready",
                () -> client.ready(leader, ConnectionClass.FETCH));
        CompletableFuture<FetchResponse> fetch = client.send(leader, longPoll(EMPTY, 10_000));
        client.poll(Duration.ofSeconds(15), fetch);
        assertThat(causeOf(fetch)).isInstanceOf(KwireTimeoutException.class);
        assertThat(client.connectionState(leader, ConnectionClass.FETCH)).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(client.connectionState(leader, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.READY);

        CompletableFuture<MetadataResponse> meta = client.send(leader, metadata());
        client.poll(Duration.ofSeconds(10), meta);
        assertThat(meta.get().brokers()).as("the control connection carries on").isNotEmpty();
        // Back-off is the broker's: the fetch class does not reconnect at once after its failure.
        assertThat(client.ready(leader, ConnectionClass.FETCH)).isFalse();
        assertThat(client.connectionState(leader, ConnectionClass.FETCH)).isEqualTo(ConnectionState.DISCONNECTED);
        CompletableFuture<FetchResponse> refused = client.send(leader, longPoll(EMPTY, 0), ConnectionClass.FETCH);
        assertThat(causeOf(refused)).hasMessageContaining("fetch connection");
    }

    @Test
    void theThreadSafeClientRoutesByClassAndCountsConnectionsPerClass() throws Exception {
        KwireClient client = KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(cluster.bootstrapServers()).build());
        toClose.add(client);
        client.start();
        assertThat(client.awaitReady(Duration.ofSeconds(20))).isTrue();
        client.addTopic(EMPTY).get(20, TimeUnit.SECONDS);
        int leader = client.cluster().leaderFor(EMPTY, 0).orElseThrow().id();

        List<CompletableFuture<FetchResponse>> fetches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fetches.add(client.send(leader, longPoll(EMPTY, 20_000)));
        }
        MetadataResponse meta = client.send(leader, metadata()).get(15, TimeUnit.SECONDS);
        assertThat(meta.brokers()).isNotEmpty();
        assertThat(fetches).as("parked on their own connection").noneMatch(CompletableFuture::isDone);
        Polling.awaitCondition(Duration.ofSeconds(10), "status per class", () -> {
            ClientStatus s = client.status();
            return s.connections(ConnectionClass.FETCH).ready() == 1 && s.connections(ConnectionClass.CONTROL)
                    .ready() >= 1;
        });
        ClientStatus status = client.status();
        assertThat(status.connections(ConnectionClass.PRODUCE)).isEqualTo(ConnectionCounts.NONE);
        assertThat(status.readyNodeCount()).as("brokers, not connections").isEqualTo(1);
        assertThat(client.inFlightRequestCount()).isGreaterThanOrEqualTo(5);

        client.close(Duration.ZERO);
        assertThat(fetches).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    }

    @Test
    void closingTheNodeFailsTheRequestsOfEveryClassAsDisconnected() throws Exception {
        KafkaClient client = client(b -> b);
        int leader = leader(client, EMPTY);
        pollUntil(client, Duration.ofSeconds(20), "fetch connection ready",
                () -> client.ready(leader, ConnectionClass.FETCH));
        CompletableFuture<FetchResponse> fetch = client.send(leader, longPoll(EMPTY, 20_000));
        client.poll(Duration.ofMillis(50));
        client.close(leader);
        assertThat(causeOf(fetch)).isInstanceOf(DisconnectedException.class);
        assertThat(client.isDisconnected(leader)).isTrue();
        assertThat(client.connectionDelay(leader)).as("a close asked for is no failure: no back-off").isZero();
    }
}
