package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.FrameTooLargeException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.errors.ProtocolException;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiMessage;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.DescribeClusterRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.ReceivedRequest;
import io.kwire.testkit.Reply;
import io.kwire.testkit.RequestHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults a real broker cannot produce, from the scripted fake broker over real sockets. In every test each future
 * completes exactly once, and close leaves no connection open on the broker's side.
 */
class FakeBrokerKafkaClientTest {

    private static final int NODE = 1;

    private FakeBroker broker;
    private KafkaClient client;
    private final List<CompletableFuture<?>> futures = new ArrayList<>();
    private final AtomicInteger completions = new AtomicInteger();

    @BeforeEach
    void startBroker() {
        broker = FakeBroker.start();
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions((short) 0), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata(0), r.apiVersion())));
    }

    @AfterEach
    void closeEverything() throws Exception {
        if (client != null) {
            client.close();
            for (CompletableFuture<?> f : futures) {
                assertThat(f).as("every future completes").isDone();
            }
            assertThat(completions).as("each future completes exactly once").hasValue(futures.size());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (broker.openConnectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(broker.openConnectionCount()).as("no socket left open").isZero();
        }
        broker.close();
    }

    private KafkaClient client(Function<KafkaClientConfig.Builder, KafkaClientConfig.Builder> tweak) {
        client = new KafkaClient(tweak.apply(KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .reconnectBackoff(Duration.ofMillis(20)).reconnectBackoffMax(Duration.ofMillis(200))).build());
        return client;
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> f) {
        futures.add(f);
        f.whenComplete((r, e) -> completions.incrementAndGet());
        return f;
    }

    private void readyNode() {
        pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().lastUpdate().isPresent());
        pollUntil(client, Duration.ofSeconds(10), "node ready", () -> client.ready(NODE, false));
    }

    private CompletableFuture<MetadataResponse> sendMetadata() {
        return track(client.send(NODE, new MetadataRequest().setTopics(List.of())));
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        try {
            f.get();
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** After bootstrap, Metadata requests get {@code reply}. */
    private void thenMetadata(Reply reply) {
        AtomicInteger n = new AtomicInteger();
        broker.handle(ApiKey.METADATA.id(), r -> n.getAndIncrement() == 0
                ? Reply.respond(body(metadata(0), r.apiVersion())) : reply);
    }

    @Test
    void requestTimeoutFailsTheRequestAsTimeoutAndTheRestAsDisconnected() {
        thenMetadata(Reply.stall());
        client(b -> b.requestTimeout(Duration.ofMillis(400)).reconnectBackoff(Duration.ofSeconds(1))
                .reconnectBackoffMax(Duration.ofSeconds(2)));
        readyNode();
        CompletableFuture<MetadataResponse> first = sendMetadata();
        CompletableFuture<MetadataResponse> second = sendMetadata();
        client.poll(Duration.ofSeconds(5), second);
        assertThat(causeOf(first)).isInstanceOf(KwireTimeoutException.class).hasMessageContaining("timed out after 400 ms");
        assertThat(causeOf(second)).isInstanceOf(DisconnectedException.class).hasMessageContaining("request timed out");
        assertThat(client.isDisconnected(NODE)).isTrue();
        assertThat(client.connectionDelay(NODE)).isPositive();
    }

    /**
     * A Produce whose encoding fails after its first batch was taken by reference (the second topic has no name)
     * fails alone: the next Produce goes out exactly as encoded, with no batch of the failed one in its frame.
     */
    @Test
    void aProduceThatFailsToEncodeLeavesNothingBehindForTheNext() throws Exception {
        client(b -> b);
        readyNode();
        ProduceRequest bad = new ProduceRequest().setAcks((short) 0).setTimeoutMs(1_000)
                .setTopicData(new ArrayList<>(List.of(topic("spliced", new byte[8_000]), topic(null, new byte[10]))));
        CompletableFuture<ProduceResponse> failed = track(client.send(NODE, bad));
        client.poll(Duration.ZERO);
        assertThat(causeOf(failed)).hasMessageContaining("Name");

        byte[] small = new byte[300];
        java.util.Arrays.fill(small, (byte) 7);
        ProduceRequest good = new ProduceRequest().setAcks((short) 0).setTimeoutMs(1_000)
                .setTopicData(new ArrayList<>(List.of(topic("next", small))));
        CompletableFuture<ProduceResponse> sent = track(client.send(NODE, good));
        pollUntil(client, Duration.ofSeconds(5), "the Produce at the broker",
                () -> !broker.requests(ApiKey.PRODUCE.id()).isEmpty());
        assertThat(sent).isDone();
        List<ReceivedRequest> received = broker.requests(ApiKey.PRODUCE.id());
        assertThat(received).hasSize(1);
        ProduceRequest got = new ProduceRequest();
        got.read(new ByteReader(received.get(0).bodyBuffer()), received.get(0).apiVersion());
        assertThat(got).isEqualTo(good);
        assertThat(received.get(0).bodySize()).isEqualTo(good.size(received.get(0).apiVersion()));
    }

    private static ProduceRequest.TopicProduceData topic(String name, byte[] records) {
        return new ProduceRequest.TopicProduceData().setName(name).setPartitionData(new ArrayList<>(List.of(
                new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(ByteBuffer.wrap(records)))));
    }

    @Test
    void disconnectMidResponseFailsInFlightRequestsAsDisconnected() {
        thenMetadata(Reply.closeMidResponse(body(metadata(0), (short) 12)));
        client(b -> b);
        readyNode();
        CompletableFuture<MetadataResponse> f = sendMetadata();
        client.poll(Duration.ofSeconds(5), f);
        assertThat(causeOf(f)).isInstanceOf(DisconnectedException.class).hasMessageContaining("closed");
        assertThat(((DisconnectedException) causeOf(f)).isRetriable()).isTrue();
    }

    @Test
    void wrongCorrelationIdIsAProtocolErrorThatClosesTheConnection() {
        thenMetadata(Reply.wrongCorrelationId(body(metadata(0), (short) 12)));
        client(b -> b);
        readyNode();
        CompletableFuture<MetadataResponse> f = sendMetadata();
        client.poll(Duration.ofSeconds(5), f);
        assertThat(causeOf(f)).isInstanceOf(ProtocolException.class).hasMessageContaining("Correlation id mismatch");
        assertThat(client.isDisconnected(NODE)).isTrue();
    }

    @Test
    void oversizedFrameIsRefusedWithAHintAboutTheLimit() {
        thenMetadata(Reply.oversizedFrame(50_000_000));
        client(b -> b.maxResponseSize(1_000_000));
        readyNode();
        CompletableFuture<MetadataResponse> f = sendMetadata();
        client.poll(Duration.ofSeconds(5), f);
        assertThat(causeOf(f)).isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("50000000 bytes").hasMessageContaining("maxResponseSize");
    }

    @Test
    void aTlsListenerSpokenToInPlaintextIsNamedAsSuch() {
        broker.handle(ApiKey.API_VERSIONS.id(), RequestHandler.always(Reply.tlsRecord()));
        client(b -> b);
        pollUntil(client, Duration.ofSeconds(5), "a failed connection", () -> client.cluster().lastUpdate().isEmpty()
                && client.connectionDelay(-1) > 0);
        assertThatThrownBy(() -> client.checkVersion(null, Duration.ofMillis(500), false))
                .hasMessageContaining("TLS").hasMessageContaining("SSL");
    }

    @Test
    void garbageIsAProtocolError() {
        thenMetadata(Reply.garbage(64));
        client(b -> b);
        readyNode();
        CompletableFuture<MetadataResponse> f = sendMetadata();
        client.poll(Duration.ofSeconds(5), f);
        assertThat(causeOf(f)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void throttledResponsesHoldFurtherSendsUntilTheThrottleEnds() {
        List<String> throttles = new ArrayList<>();
        thenMetadata(null);
        AtomicInteger n = new AtomicInteger();
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata(n.getAndIncrement() == 0 ? 0 : 600),
                r.apiVersion())));
        client(b -> b.observer(new ClientObserver() {
            @Override
            public void throttled(int nodeId, ApiKey api, int throttleTimeMs) {
                throttles.add(api.displayName() + " " + throttleTimeMs);
            }
        }));
        readyNode();
        CompletableFuture<MetadataResponse> f = sendMetadata();
        client.poll(Duration.ofSeconds(5), f);
        assertThat(f.join().throttleTimeMs()).isEqualTo(600);
        assertThat(throttles).containsExactly("Metadata 600");
        assertThat(client.isReady(NODE, false)).isFalse();
        assertThat(track(client.send(NODE, new MetadataRequest().setTopics(List.of()))))
                .isCompletedExceptionally();
        pollUntil(client, Duration.ofSeconds(5), "throttle to pass", () -> client.isReady(NODE, false));
    }

    @Test
    void idleConnectionsAreClosedWithoutBackOff() throws Exception {
        client(b -> b.connectionsMaxIdle(Duration.ofMillis(300)));
        readyNode();
        assertThat(broker.awaitConnections(1, Duration.ofSeconds(1))).isTrue();
        pollUntil(client, Duration.ofSeconds(5), "idle close", () -> client.isDisconnected(NODE));
        assertThat(client.connectionDelay(NODE)).isZero();
    }

    @Test
    void atMostMaxInFlightRequestsArePipelinedPerConnection() {
        thenMetadata(Reply.respond(body(metadata(0), (short) 12)).delayed(Duration.ofMillis(300)));
        client(b -> b.maxInFlightRequestsPerConnection(3));
        readyNode();
        for (int i = 0; i < 3; i++) {
            sendMetadata();
        }
        assertThat(client.inFlightRequestCount(NODE)).isEqualTo(3);
        CompletableFuture<MetadataResponse> fourth = sendMetadata();
        assertThat(causeOf(fourth)).isInstanceOf(NodeNotReadyException.class).hasMessageContaining("3 requests in flight");
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.subList(0, 3).toArray(new CompletableFuture<?>[0]));
        client.poll(Duration.ofSeconds(5), all);
        assertThat(all).isCompleted();
    }

    @Test
    void anOlderBrokerAnswersApiVersionsWithItsRangeAndTheClientRetriesLower() {
        List<Short> versionsAsked = new ArrayList<>();
        broker.handle(ApiKey.API_VERSIONS.id(), r -> {
            versionsAsked.add(r.apiVersion());
            if (r.apiVersion() > 2) {
                ApiVersionsResponse old = apiVersions((short) 35);
                old.apiKeys().removeIf(k -> k.apiKey() != ApiKey.API_VERSIONS.id());
                old.apiKeys().get(0).setMaxVersion((short) 2);
                return Reply.respond(body(old, (short) 0)); // the broker answers in v0 when it does not know the version
            }
            return Reply.respond(body(apiVersions((short) 0), r.apiVersion()));
        });
        client(b -> b);
        readyNode();
        assertThat(versionsAsked).containsExactly(ApiKey.API_VERSIONS.highestSupportedVersion(), (short) 2,
                ApiKey.API_VERSIONS.highestSupportedVersion(), (short) 2);
    }

    @Test
    void anApiTheBrokerLacksFailsLocallyWithUnsupportedVersion() {
        client(b -> b);
        readyNode();
        long before = broker.requestCount();
        CompletableFuture<?> f = track(client.send(NODE, new DescribeClusterRequest()));
        client.poll(Duration.ofMillis(100));
        assertThat(causeOf(f)).isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("DescribeCluster");
        assertThat(broker.requests()).noneMatch(r -> r.apiKey() == ApiKey.DESCRIBE_CLUSTER.id());
        assertThat(broker.requestCount()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void aStalledHandshakeHitsTheConnectionSetUpTimeout() {
        broker.handle(ApiKey.API_VERSIONS.id(), RequestHandler.always(Reply.stall()));
        client(b -> b.socketConnectionSetupTimeout(Duration.ofMillis(300))
                .socketConnectionSetupTimeoutMax(Duration.ofMillis(1000)));
        assertThatThrownBy(() -> client.checkVersion(null, Duration.ofSeconds(2), false))
                .hasMessageContaining("set-up timed out");
    }

    @Test
    void aFixedApiVersionSkipsTheApiVersionsProbe() {
        client(b -> b.apiVersion("4.1"));
        readyNode();
        assertThat(broker.requests(ApiKey.API_VERSIONS.id())).isEmpty();
        assertThat(client.getApiVersions(NODE)).containsKey(ApiKey.METADATA);
        CompletableFuture<MetadataResponse> f = sendMetadata();
        client.poll(Duration.ofSeconds(5), f);
        assertThat(f.join().clusterId()).isEqualTo("fake-cluster");
    }

    @Test
    void whenEveryKnownBrokerIsGoneTheClientRebootstrapsFromTheBootstrapAddresses() throws Exception {
        try (FakeBroker other = FakeBroker.start()) {
            other.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions((short) 0), r.apiVersion())));
            // The bootstrap broker names a different broker (node 1 on "other") as the whole cluster.
            broker.handle(ApiKey.METADATA.id(), r -> {
                MetadataResponse m = metadata(0);
                m.brokers().get(0).setPort(other.port());
                return Reply.respond(body(m, r.apiVersion()));
            });
            other.handle(ApiKey.METADATA.id(), RequestHandler.always(Reply.closeConnection()));
            client(b -> b.reconnectBackoff(Duration.ofMillis(50)).reconnectBackoffMax(Duration.ofMillis(50)));
            pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().lastUpdate().isPresent());
            long bootstrapConnections = broker.connectionCount();
            other.acceptConnections(false);
            other.closeAllConnections();
            client.requestMetadataUpdate();
            pollUntil(client, Duration.ofSeconds(10), "a new connection to the bootstrap address",
                    () -> broker.connectionCount() > bootstrapConnections);
        }
    }

    @Test
    void recordsOfAResponseStayIntactWhenMoreResponsesArriveInTheSameRead() throws Exception {
        java.nio.ByteBuffer batch = new io.kwire.protocol.records.RecordBatchBuilder()
                .append(1L, "k".getBytes(), "value-that-must-survive".getBytes()).build();
        broker.handle(ApiKey.FETCH.id(), r -> {
            io.kwire.protocol.message.FetchResponse f = new io.kwire.protocol.message.FetchResponse();
            io.kwire.protocol.message.FetchResponse.FetchableTopicResponse topic =
                    new io.kwire.protocol.message.FetchResponse.FetchableTopicResponse().setTopic("t");
            topic.setPartitions(new ArrayList<>(List.of(new io.kwire.protocol.message.FetchResponse.PartitionData()
                    .setPartitionIndex(0).setRecords(batch))));
            f.setResponses(new ArrayList<>(List.of(topic)));
            // Held back a little so the Metadata answers behind it go out in the same burst.
            return Reply.respond(body(f, r.apiVersion())).delayed(Duration.ofMillis(100));
        });
        client(b -> b);
        readyNode();
        io.kwire.protocol.message.FetchRequest fetch = new io.kwire.protocol.message.FetchRequest().setMaxWaitMs(0);
        CompletableFuture<io.kwire.protocol.message.FetchResponse> f = track(client.send(NODE, fetch));
        List<CompletableFuture<MetadataResponse>> rest = List.of(sendMetadata(), sendMetadata(), sendMetadata());
        client.poll(Duration.ofSeconds(5), CompletableFuture.allOf(rest.toArray(new CompletableFuture<?>[0])));
        client.poll(Duration.ofSeconds(5), f);
        // More traffic, with large answers: later reads reuse the connection's read buffer from its start.
        broker.handle(ApiKey.METADATA.id(), r -> {
            MetadataResponse big = metadata(0);
            for (int i = 0; i < 50; i++) {
                big.topics().add(new MetadataResponse.MetadataResponseTopic().setName("topic-" + i));
            }
            return Reply.respond(body(big, r.apiVersion()));
        });
        CompletableFuture<MetadataResponse> later = sendMetadata();
        client.poll(Duration.ofSeconds(5), later);
        later = sendMetadata();
        client.poll(Duration.ofSeconds(5), later);
        java.nio.ByteBuffer records = f.get().responses().get(0).partitions().get(0).records();
        io.kwire.protocol.records.RecordBatch read = new io.kwire.protocol.records.RecordBatchReader(records).next();
        assertThat(new String(read.records().get(0).valueBytes())).isEqualTo("value-that-must-survive");
        assertThat(records).isEqualTo(batch);
    }

    // ---------------------------------------------------------------- canned responses

    // ---------------------------------------------------------------- callbacks and observers that misbehave

    @Test
    void anObserverThatThrowsCostsNoFutureAndNoConnection() {
        ClientObserver throwing = new ClientObserver() {
            @Override
            public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                         int bytesReceived, Outcome outcome) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void connectionReady(io.kwire.client.Node node) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void metadataUpdated(io.kwire.client.ClusterMetadata metadata) {
                throw new IllegalStateException("observer bug");
            }
        };
        client(b -> b.observer(throwing));
        readyNode();
        List<CompletableFuture<MetadataResponse>> fs = List.of(sendMetadata(), sendMetadata(), sendMetadata());
        pollUntil(client, Duration.ofSeconds(10), "every response", () -> fs.stream().allMatch(f -> f.isDone()));
        for (CompletableFuture<MetadataResponse> f : fs) {
            assertThat(f.join().clusterId()).isEqualTo("fake-cluster");
        }
        assertThat(client.isReady(NODE)).isTrue();
    }

    @Test
    void aCallbackThatSendsWhileTheClientClosesGetsAClosedClientAndOpensNoConnection() {
        thenMetadata(Reply.stall());
        client(b -> b);
        readyNode();
        CompletableFuture<MetadataResponse> stalled = track(client.send(NODE, new MetadataRequest()
                .setTopics(List.of())));
        client.poll(Duration.ofMillis(50));
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<MetadataResponse>> retry =
                new java.util.concurrent.atomic.AtomicReference<>();
        stalled.whenComplete((r, e) -> retry.set(client.send(NODE, new MetadataRequest().setTopics(List.of()))));
        long connectionsBefore = broker.connectionCount();
        client.close();
        assertThat(causeOf(stalled)).isInstanceOf(io.kwire.errors.ClientClosedException.class);
        assertThat(retry.get()).isNotNull();
        assertThat(causeOf(retry.get())).isInstanceOf(io.kwire.errors.ClientClosedException.class);
        assertThat(broker.connectionCount()).as("no connection opened by the callback").isEqualTo(connectionsBefore);
        assertThat(causeOf(client.requestMetadataUpdate())).isInstanceOf(io.kwire.errors.ClientClosedException.class);
    }

    @Test
    void closingANodeFromACallbackLosesNoRequestThatEndsAfterIt() {
        int node2 = NODE + 1;
        AtomicInteger metadataRequests = new AtomicInteger();
        broker.handle(ApiKey.METADATA.id(), r -> {
            if (metadataRequests.getAndIncrement() > 0) {
                return Reply.stall();
            }
            MetadataResponse m = metadata(0);
            m.brokers().add(new MetadataResponse.MetadataResponseBroker().setNodeId(node2).setHost("127.0.0.1")
                    .setPort(broker.port()));
            return Reply.respond(body(m, r.apiVersion()));
        });
        client(b -> b);
        readyNode();
        pollUntil(client, Duration.ofSeconds(10), "node 2 ready", () -> client.ready(node2, false));
        // In flight on node 1, failed by closing node 1 from the callback below.
        CompletableFuture<MetadataResponse> stalled = track(client.send(NODE, new MetadataRequest()
                .setTopics(List.of())));
        client.poll(Duration.ofMillis(50));
        ProduceRequest noAcks = new ProduceRequest().setAcks((short) 0).setTimeoutMs(1000).setTopicData(List.of());
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<ProduceResponse>> later =
                new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<ProduceResponse> first = client.send(NODE, noAcks);
        first.whenComplete((r, e) -> {
            client.close(NODE);
            // Ends at once (no response expected), while the requests of this poll are still being completed.
            later.set(client.send(node2, new ProduceRequest().setAcks((short) 0).setTimeoutMs(1000)
                    .setTopicData(List.of())));
        });
        pollUntil(client, Duration.ofSeconds(5), "the first produce", first::isDone);
        client.poll(Duration.ofMillis(50));
        assertThat(causeOf(stalled)).isInstanceOf(DisconnectedException.class);
        assertThat(later.get()).as("the callback ran").isNotNull();
        assertThat(later.get()).as("a request ended inside a callback is completed too").isDone();
        assertThat(later.get()).isCompleted();
    }

    @Test
    void anObserverThatThrowsAnErrorStillLetsEveryFutureComplete() {
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        ClientObserver failing = new ClientObserver() {
            @Override
            public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                         int bytesReceived, Outcome outcome) {
                if (api == ApiKey.METADATA && armed.getAndSet(false)) {
                    throw new AssertionError("an Error from an observer");
                }
            }
        };
        client(b -> b.observer(failing));
        readyNode();
        armed.set(true); // the next Metadata to end makes the observer throw, once
        List<CompletableFuture<MetadataResponse>> fs = List.of(sendMetadata(), sendMetadata(), sendMetadata());
        assertThatThrownBy(() -> pollUntil(client, Duration.ofSeconds(10), "every response",
                () -> fs.stream().allMatch(CompletableFuture::isDone))).isInstanceOf(AssertionError.class)
                .hasMessage("an Error from an observer");
        assertThat(fs.get(0)).as("the request whose observer call threw").isCompleted();
        client.close(); // the rest complete here at the latest (checked after each test)
    }

    @Test
    void aCallbackMayPollForARequestItSent() {
        client(b -> b);
        readyNode();
        java.util.concurrent.atomic.AtomicReference<String> nested = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<MetadataResponse> outer = sendMetadata();
        outer.whenComplete((r, e) -> {
            CompletableFuture<MetadataResponse> next = client.send(NODE, new MetadataRequest().setTopics(List.of()));
            long start = System.nanoTime();
            client.poll(Duration.ofSeconds(5), next);
            nested.set((next.isDone() && !next.isCompletedExceptionally() ? "done" : "not done") + " after "
                    + ((System.nanoTime() - start) >= 4_000_000_000L ? "the whole timeout" : "less"));
        });
        pollUntil(client, Duration.ofSeconds(10), "the outer response", outer::isDone);
        assertThat(nested.get()).as("the nested poll completed the request it waited for, before its timeout")
                .isEqualTo("done after less");
    }

    @Test
    void aChainOfCallbacksThatSendRequestsEndingAtOnceAdvancesOnePollAtATime() {
        broker.handle(ApiKey.PRODUCE.id(), RequestHandler.always(Reply.stall())); // acks=0: no answer expected
        client(b -> b);
        readyNode();
        AtomicInteger completed = new AtomicInteger();
        java.util.function.BiConsumer<Object, Throwable>[] next = new java.util.function.BiConsumer[1];
        next[0] = (r, e) -> {
            assertThat(e).as("an acks=0 produce succeeds once sent").isNull();
            if (completed.incrementAndGet() < 100) {
                client.send(NODE, new ProduceRequest().setAcks((short) 0).setTimeoutMs(1000).setTopicData(List.of()))
                        .whenComplete(next[0]);
            }
        };
        client.send(NODE, new ProduceRequest().setAcks((short) 0).setTimeoutMs(1000).setTopicData(List.of()))
                .whenComplete(next[0]);
        client.poll(Duration.ZERO);
        assertThat(completed).as("one link per poll: the send of the next goes out before it ends").hasValue(1);
        pollUntil(client, Duration.ofSeconds(10), "the whole chain", () -> completed.get() == 100);
        pollUntil(client, Duration.ofSeconds(10), "every produce at the broker",
                () -> broker.requests(ApiKey.PRODUCE.id()).size() == 100);
    }

    @Test
    void pollWithoutArgumentsWaitsTheRequestTimeout() {
        client(b -> b.requestTimeout(Duration.ofMillis(400)));
        readyNode();
        client.poll(Duration.ZERO);
        long start = System.nanoTime();
        assertThat(client.poll()).isEmpty();
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        // Nothing is in flight, metadata is fresh and the connection far from idle: only the timeout ends the wait.
        assertThat(waitedMs).isBetween(300L, 10_000L);
    }

    /**
     * A transport that, as TLS does, reads everything the socket has into a buffer of its own: responses that the
     * read budget leaves there are invisible to the selector, and the client must come back for them unasked.
     */
    @Test
    void responsesLeftInTheTransportByTheReadBudgetAreReadWithoutWaitingForTheSocket() {
        java.nio.ByteBuffer batch = new io.kwire.protocol.records.RecordBatchBuilder()
                .append(1L, null, new byte[120_000]).build();
        broker.handle(ApiKey.FETCH.id(), r -> {
            io.kwire.protocol.message.FetchResponse f = new io.kwire.protocol.message.FetchResponse();
            f.setResponses(new ArrayList<>(List.of(new io.kwire.protocol.message.FetchResponse.FetchableTopicResponse()
                    .setTopic("t").setPartitions(new ArrayList<>(List.of(
                            new io.kwire.protocol.message.FetchResponse.PartitionData().setPartitionIndex(0)
                                    .setRecords(batch.duplicate())))))));
            return Reply.respond(body(f, r.apiVersion()));
        });
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .requestTimeout(Duration.ofSeconds(30)).maxInFlightRequestsPerConnection(10).build();
        client = new KafkaClient(config, (channel, node) -> new SlurpingTransport(channel),
                io.kwire.security.SecurityFactories.authenticatorFactory(config));
        readyNode();
        List<CompletableFuture<io.kwire.protocol.message.FetchResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // 6 x 120 KB: more than two read budgets, all at once in the transport
            fs.add(track(client.send(NODE, new io.kwire.protocol.message.FetchRequest().setMaxWaitMs(0))));
        }
        pollUntil(client, Duration.ofSeconds(5), "every fetch response (not the 30 s request timeout)",
                () -> fs.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<io.kwire.protocol.message.FetchResponse> f : fs) {
            assertThat(f.join().responses().get(0).partitions().get(0).records().remaining())
                    .isEqualTo(batch.remaining());
        }
    }

    /** Plain TCP that reads all the socket has (up to 4 MiB) into its own buffer and serves reads from there. */
    private static final class SlurpingTransport extends io.kwire.testkit.ForwardingTransport {
        private final ByteBuffer held = ByteBuffer.allocate(4 << 20).flip();

        SlurpingTransport(java.nio.channels.SocketChannel channel) {
            super(new io.kwire.network.PlaintextTransport(channel));
        }

        @Override
        public int read(ByteBuffer dst) throws java.io.IOException {
            if (!held.hasRemaining()) {
                held.clear();
                int n = delegate.read(held);
                held.flip();
                if (n < 0) {
                    return -1;
                }
            }
            int n = Math.min(dst.remaining(), held.remaining());
            dst.put(dst.position(), held, held.position(), n).position(dst.position() + n);
            held.position(held.position() + n);
            return n;
        }

        @Override
        public boolean hasBufferedInput() {
            return held.hasRemaining();
        }
    }

    private ApiVersionsResponse apiVersions(short errorCode) {
        ApiVersionsResponse r = new ApiVersionsResponse().setErrorCode(errorCode);
        List<ApiVersionsResponse.ApiVersion> keys = new ArrayList<>();
        keys.add(new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id())
                .setMinVersion((short) 0).setMaxVersion(ApiKey.API_VERSIONS.highestSupportedVersion()));
        keys.add(new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.METADATA.id())
                .setMinVersion((short) 0).setMaxVersion((short) 12));
        keys.add(new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.FETCH.id())
                .setMinVersion((short) 4).setMaxVersion((short) 12));
        keys.add(new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.PRODUCE.id())
                .setMinVersion((short) 3).setMaxVersion((short) 9));
        r.setApiKeys(keys);
        return r;
    }

    private MetadataResponse metadata(int throttleMs) {
        MetadataResponse r = new MetadataResponse().setThrottleTimeMs(throttleMs).setClusterId("fake-cluster")
                .setControllerId(NODE);
        r.setBrokers(new ArrayList<>(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(NODE)
                .setHost("127.0.0.1").setPort(broker.port()))));
        return r;
    }

    static byte[] body(ApiMessage message, short version) {
        return Polling.body(message, version);
    }

    @SuppressWarnings("unused")
    private static String describe(ReceivedRequest r) {
        return r.apiKey() + "v" + r.apiVersion();
    }
}
