package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientObserver;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.Time;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.network.Authenticator;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.NodeApiVersions;
import io.kwire.network.Transport;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.SaslHandshakeRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop stepped with a manual clock and a fixed random source: back-off with jitter, set-up timeout growth,
 * request timeout, idle reaping and re-authentication happen exactly when their numbers say, and not a millisecond
 * before. The broker is a listening socket on loopback that accepts and never answers; the engine polls without
 * waiting ({@code poll(0)}), so only the manual clock moves time.
 */
class NetworkEngineClockTest {

    /** Jitter factor 1 + 0.2 * (2 * 0.75 - 1) = 1.1 on every back-off; every scan starts at the first node. */
    private static final double RANDOM = 0.75;
    private static final int BROKER = 1;

    private final ManualTime time = new ManualTime();
    private final List<String> events = new ArrayList<>();
    private final List<SocketChannel> accepted = new ArrayList<>();
    private ServerSocketChannel broker;
    private NetworkEngine engine;

    @AfterEach
    void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
        for (SocketChannel c : accepted) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaClientConfig.Builder config() throws IOException {
        broker = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return KafkaClientConfig.builder()
                .bootstrapServers("127.0.0.1:" + broker.socket().getLocalPort())
                .time(time)
                .reconnectBackoff(Duration.ofMillis(100))
                .reconnectBackoffMax(Duration.ofMillis(1000))
                .socketConnectionSetupTimeout(Duration.ofSeconds(10))
                .socketConnectionSetupTimeoutMax(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(30))
                .connectionsMaxIdle(Duration.ofSeconds(60))
                .metadataMaxAge(Duration.ofHours(1))
                .observer(new ClientObserver() {
                    @Override
                    public void connectionReady(Node node) {
                        events.add("ready");
                    }

                    @Override
                    public void connectionClosed(Node node, String reason) {
                        events.add("closed: " + reason);
                    }

                    @Override
                    public void connectionFailed(Node node, KwireException cause) {
                        events.add("failed: " + cause.getMessage());
                    }
                });
    }

    private NetworkEngine start(KafkaClientConfig config, AuthenticatorFactory authenticators) {
        engine = new NetworkEngine(config, TransportFactory.PLAINTEXT, authenticators, new FixedRandom(RANDOM));
        return engine;
    }

    /** The bootstrap node: before metadata arrives, the one node the engine knows. */
    private int node() {
        return engine.metadata().knownNodes()[0].id();
    }

    /**
     * Connects the bootstrap node, answers the engine's first Metadata request with one broker (node 1, this
     * listener), and connects node 1, answering the Metadata request that checks its cluster id; returns once node 1
     * is ready and nothing is in flight. Metadata is then not due again for an hour, so the engine sends nothing of
     * its own.
     */
    private int readyBroker() throws IOException {
        bootstrap(BROKER);
        ready(BROKER, BROKER);
        assertThat(engine.view().inFlightRequestCount()).isZero();
        return BROKER;
    }

    /** Connects the bootstrap node and answers the engine's first Metadata request with {@code brokers}. */
    private void bootstrap(int... brokers) throws IOException {
        engine.connect(node());
        pollUntil(() -> engine.view().state(node()) == ConnectionState.READY);
        engine.poll(0, null, false); // sends the Metadata request
        answerMetadata(accepted.get(0), brokers);
        pollUntil(() -> engine.metadata().cluster().lastUpdate().isPresent());
    }

    /**
     * Connects node {@code id} and answers the Metadata request that checks its cluster id with {@code brokers};
     * returns the broker side of the connection once it is ready.
     */
    private SocketChannel ready(int id, int... brokers) throws IOException {
        engine.connect(id);
        pollUntil(() -> engine.view().state(id) == ConnectionState.CHECKING_CLUSTER_ID);
        acceptPending();
        SocketChannel peer = accepted.get(accepted.size() - 1);
        answerMetadata(peer, brokers);
        pollUntil(() -> engine.view().state(id) == ConnectionState.READY);
        return peer;
    }

    /**
     * As {@link #readyBroker}, with a second broker (node 2) at the same listener; returns the peers of nodes 1 and
     * 2, both ready with nothing in flight.
     */
    private SocketChannel[] readyBrokers() throws IOException {
        bootstrap(BROKER, BROKER + 1);
        SocketChannel[] peers = {ready(BROKER, BROKER, BROKER + 1), ready(BROKER + 1, BROKER, BROKER + 1)};
        assertThat(engine.view().inFlightRequestCount()).isZero();
        return peers;
    }

    /** Reads one request (a Metadata request) and answers it with a cluster of one broker: this listener. */
    private void answerMetadata(SocketChannel peer) throws IOException {
        answerMetadata(peer, BROKER);
    }

    /** Reads one request (a Metadata request) and answers it with these brokers, all at this listener. */
    private void answerMetadata(SocketChannel peer, int... brokerIds) throws IOException {
        peer.configureBlocking(true);
        ByteBuffer size = ByteBuffer.allocate(4);
        readFully(peer, size);
        ByteBuffer request = ByteBuffer.allocate(size.getInt(0));
        readFully(peer, request);
        assertThat(request.getShort(0)).as("api key").isEqualTo(ApiKey.METADATA.id());
        short version = request.getShort(2);
        int correlationId = request.getInt(4);
        List<MetadataResponse.MetadataResponseBroker> brokers = new ArrayList<>();
        for (int id : brokerIds) {
            brokers.add(new MetadataResponse.MetadataResponseBroker().setNodeId(id).setHost("127.0.0.1")
                    .setPort(broker.socket().getLocalPort()));
        }
        MetadataResponse response = new MetadataResponse().setClusterId("clock-test").setControllerId(BROKER)
                .setBrokers(brokers);
        boolean flexible = ApiKey.METADATA.responseHeaderVersion(version) >= 1;
        int length = 4 + (flexible ? 1 : 0) + response.size(version);
        ByteBuffer out = ByteBuffer.allocate(4 + length).putInt(length).putInt(correlationId);
        if (flexible) {
            out.put((byte) 0); // no tagged fields
        }
        response.write(new ByteWriter(out), version);
        out.flip();
        while (out.hasRemaining()) {
            peer.write(out);
        }
    }

    private static void readFully(SocketChannel peer, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (peer.read(dst) < 0) {
                throw new IOException("the client closed the connection");
            }
        }
    }

    @Test
    void aSetUpThatNeverCompletesTimesOutOnTimeAndTheNextAttemptGetsLongerAfterABackOffWithJitter()
            throws Exception {
        start(config().build(), AuthenticatorFactory.NONE); // no fixed version: waits for ApiVersions forever
        int node = node();
        assertThat(engine.connect(node)).isTrue();
        pollUntil(() -> engine.view().state(node) == ConnectionState.CHECKING_API_VERSIONS);

        closesAfter(node, 11_000, ConnectionState.CHECKING_API_VERSIONS); // the first set-up timeout: 10 s x 1.1
        assertThat(events).last().asString()
                .isEqualTo("failed: Connection to " + engine.metadata().knownNodes()[0]
                        + " failed: connection set-up timed out (checking_api_versions) after 11000 ms");

        assertThat(engine.view().connectionDelay(node, engine.nowMs())).isEqualTo(110); // 100 ms x 1.1
        time.advance(109);
        assertThat(engine.connect(node)).as("still backing off").isFalse();
        time.advance(1);
        assertThat(engine.connect(node)).isTrue();
        pollUntil(() -> engine.view().state(node) == ConnectionState.CHECKING_API_VERSIONS);

        closesAfter(node, 22_000, ConnectionState.CHECKING_API_VERSIONS); // the second attempt's timeout: 20 s x 1.1
        assertThat(engine.view().connectionDelay(node, engine.nowMs())).isEqualTo(220); // 200 ms x 1.1
    }

    @Test
    void aLookupAnsweredOnlyAfterTheSetupDeadlineFailsAsALookupThatTookTooLongAndOpensNoSocket() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        KafkaClientConfig.Builder b = config();
        start(b.bootstrapServers("broker.clock.test:" + broker.socket().getLocalPort()).apiVersion("4.1")
                .hostResolver(host -> {
                    while (true) {
                        try {
                            release.await();
                            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
                        } catch (InterruptedException e) {
                            // as the operating system's resolver: an interrupt does not end it
                        }
                    }
                }).build(), AuthenticatorFactory.NONE);
        int node = node();
        assertThat(engine.connect(node)).isTrue();
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.RESOLVING);
        engine.poll(0, null, false);
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.RESOLVING);

        time.advance(11_000); // the first set-up timeout: 10 s x 1.1
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!engine.lookupsWaiting()) { // the late answer is queued before the poll that is past the deadline
            assertThat(System.nanoTime() - deadline).as("the lookup's answer within 10 s").isNegative();
            Thread.yield(); // the lookup thread queues it microseconds after the release
        }
        engine.poll(0, null, false);
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(events).last().asString().isEqualTo("failed: Connection to " + engine.metadata().knownNodes()[0]
                + " failed: DNS lookup of broker.clock.test gave no answer within the connection set-up timeout"
                + " (11000 ms for this attempt, socketConnectionSetupTimeout): check this client's name server, use an"
                + " IP address, or map the name with hostResolver");
        acceptPending();
        assertThat(accepted).as("no socket opened for the late answer").isEmpty();
    }

    @Test
    void aReadyConnectionHasNoConnectionDelayToWaitOut() throws Exception {
        start(config().apiVersion("4.1").build(), AuthenticatorFactory.NONE);
        int node = node();
        assertThat(engine.view().connectionDelay(node, engine.nowMs())).isZero();
        engine.connect(node);
        pollUntil(() -> engine.view().state(node) == ConnectionState.READY);
        assertThat(engine.view().connectionDelay(node, engine.nowMs())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRequestTimesOutAtItsDeadlineAndTakesItsConnectionDown() throws Exception {
        start(config().apiVersion("4.1").build(), AuthenticatorFactory.NONE);
        int node = readyBroker();
        CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
        assertThat(engine.trySend(node, new MetadataRequest().setTopics(List.of()), f)).isTrue();
        engine.poll(0, null, false);

        failsAfter(f, 30_000);
        assertThat(cause(f)).isInstanceOf(KwireTimeoutException.class).hasMessageContaining("timed out after 30000 ms");
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(events).last().asString().isEqualTo("closed: request timed out");
    }

    @Test
    void anIdleConnectionIsReapedAfterConnectionsMaxIdleAndNotBefore() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).build(), AuthenticatorFactory.NONE);
        int node = readyBroker();

        closesAfter(node, 60_000, ConnectionState.READY);
        assertThat(events).last().asString().isEqualTo("closed: idle for 60000 ms");
        assertThat(engine.view().connectionDelay(node, engine.nowMs())).as("a deliberate close backs off nothing")
                .isZero();
    }

    @Test
    void aBrokerThatStopsAnsweringWhileIdleIsNoticedWithinTheProbeIntervalPlusTheRequestTimeout() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ofSeconds(10)).build(), AuthenticatorFactory.NONE);
        int node = readyBroker(); // the listener answers nothing from here on: a hung broker

        tick(9_999);
        assertThat(engine.view().inFlightRequestCount(node)).as("no probe before the interval").isZero();
        tick(1);
        assertThat(engine.view().inFlightRequestCount(node)).as("the ApiVersions probe").isEqualTo(1);

        closesAfter(node, 30_000, ConnectionState.READY);
        assertThat(events).last().asString().startsWith("closed: no answer to a liveness probe (ApiVersions) within "
                + "30000 ms");
        assertThat(engine.view().lastError()).hasValueSatisfying(e -> assertThat(e).contains("liveness probe"));
    }

    @Test
    void metadataThatMerelyAgedIsRefreshedAndTheRebootstrapTriggerCountsFromTheRefreshNotFromTheLastMetadata()
            throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).metadataMaxAge(Duration.ofSeconds(300))
                .metadataRecoveryRebootstrapTrigger(Duration.ofSeconds(20)).build(), AuthenticatorFactory.NONE);
        int node = readyBroker();
        int eventsBefore = events.size();

        // 300 s idle, far past the 20 s trigger since the last metadata: a refresh is due, not a rebootstrap
        tick(300_000);
        assertThat(engine.metadata().knownNodeIds()).containsExactly(node);
        assertThat(engine.view().inFlightRequestCount(node)).as("the Metadata refresh").isEqualTo(1);
        assertThat(events).as("no connection closed").hasSize(eventsBefore);

        // the broker never answers it: once it timed out, the trigger (counted from the refresh) has passed
        tick(30_000);
        engine.poll(0, null, false);
        assertThat(engine.metadata().knownNodeIds()).as("rebootstrapped").doesNotContain(node);
    }

    @Test
    void reAuthenticationStartsAtItsDrawnShareOfTheSessionAndHoldsRequestsMeanwhile() throws Exception {
        AtomicInteger exchanges = new AtomicInteger();
        // The first exchange completes at once; the second sends a SaslHandshake the broker never answers.
        AuthenticatorFactory factory = (n, versions) -> n.id() != BROKER ? new StepAuthenticator(0, true)
                : new StepAuthenticator(10_000, exchanges.incrementAndGet() == 1);
        start(config().apiVersion("4.1").build(), factory);
        int node = readyBroker();
        assertThat(exchanges).hasValue(1);

        tick(9_249); // re-authenticate at 85% + 10% x 0.75 = 92.5% of the 10 s session
        assertThat(engine.canSend(node, engine.nowMs())).isTrue();
        time.advance(1);
        assertThat(engine.canSend(node, engine.nowMs())).as("held once the time has come").isFalse();
        engine.poll(0, null, false);
        assertThat(exchanges).hasValue(2);
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.REAUTHENTICATING);
        assertThat(engine.view().inFlightRequestCount(node)).as("the SaslHandshake").isEqualTo(1);
        assertThat(engine.canSend(node, engine.nowMs())).isFalse();
        assertThat(engine.view().describe(node, engine.nowMs())).isEqualTo("re-authenticating (KIP-368)");
        assertThat(engine.view().establishedCount()).as("still an authenticated connection for health and status")
                .isEqualTo(1);
    }

    /**
     * A SASL step the authenticator runs off the I/O thread has no request in flight that could time out: a
     * re-authentication whose step never ends is given up after the request timeout, and its authenticator closed.
     */
    @Test
    void aReAuthenticationWhoseStepNeverEndsIsGivenUpAfterTheRequestTimeout() throws Exception {
        AtomicInteger exchanges = new AtomicInteger();
        WorkingAuthenticator hung = new WorkingAuthenticator();
        AuthenticatorFactory factory = (n, versions) -> n.id() != BROKER ? new StepAuthenticator(0, true)
                : exchanges.incrementAndGet() == 1 ? new StepAuthenticator(10_000, true) : hung;
        start(config().apiVersion("4.1").build(), factory);
        int node = readyBroker();

        tick(9_250); // 92.5% of the 10 s session
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.REAUTHENTICATING);
        assertThat(engine.view().inFlightRequestCount(node)).as("the step runs elsewhere").isZero();
        tick(29_999);
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.REAUTHENTICATING);
        tick(1);
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(events).anyMatch(e -> e.contains("a SASL step of the re-authentication (KIP-368) not done within"
                + " 30000 ms"));
        assertThat(hung.closed).isTrue();
    }

    /**
     * The engine resumes an exchange whose step ended off the I/O thread: the step's thread calls back, the next
     * poll has the authenticator take the outcome and sends what comes next; a call back for a connection that has
     * closed meanwhile is ignored.
     */
    @Test
    void anExchangeIsResumedWhenItsStepEndsOffTheIoThread() throws Exception {
        List<Runnable> progressed = new ArrayList<>();
        List<WorkingAuthenticator> made = new ArrayList<>();
        AuthenticatorFactory factory = new AuthenticatorFactory() {
            @Override
            public Authenticator create(Node n, NodeApiVersions versions) {
                throw new AssertionError("the engine gives a way to resume");
            }

            @Override
            public Authenticator create(Node n, NodeApiVersions versions, Runnable onProgress) {
                if (n.id() != BROKER) {
                    return new StepAuthenticator(0, true);
                }
                progressed.add(onProgress);
                WorkingAuthenticator a = new WorkingAuthenticator();
                made.add(a);
                return a;
            }
        };
        start(config().apiVersion("4.1").build(), factory);
        bootstrap(BROKER);
        engine.connect(BROKER);
        pollUntil(() -> engine.view().state(BROKER) == ConnectionState.AUTHENTICATING);
        assertThat(engine.view().inFlightRequestCount(BROKER)).isZero();

        Thread step = new Thread(() -> {
            made.get(0).done = true;
            progressed.get(0).run(); // as a SASL thread does: from another thread, waking the selector
        });
        step.start();
        step.join(10_000);
        long before = System.nanoTime();
        engine.poll(5_000, null, false);
        assertThat(System.nanoTime() - before).as("the call back woke the 5 s poll")
                .isLessThan(TimeUnit.SECONDS.toNanos(4));
        assertThat(made.get(0).resumed).isEqualTo(1);
        assertThat(engine.view().inFlightRequestCount(BROKER)).as("the SaslHandshake the step led to").isEqualTo(1);

        engine.close(BROKER);
        progressed.get(0).run();
        engine.poll(0, null, false);
        assertThat(made.get(0).resumed).as("not resumed once closed").isEqualTo(1);
        assertThat(made.get(0).closed).isTrue();
    }

    // An idle poll walks the connections only when the earliest deadline the last walk found has come, or when
    // something may have brought one forward. The tests below change deadlines between walks.

    @Test
    void anIdleConnectionIsReapedCountingFromItsLastUseAfterTheLastWalk() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).build(), AuthenticatorFactory.NONE);
        SocketChannel[] peers = readyBrokers();
        engine.poll(0, null, false);

        time.advance(20_000);
        CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
        assertThat(engine.trySend(BROKER, new MetadataRequest().setTopics(List.of()), f)).isTrue();
        engine.poll(0, null, false);
        time.advance(5_000);
        answerMetadata(peers[0], BROKER, BROKER + 1);
        pollUntil(f::isDone); // node 1 last used at 25 s, node 2 at 0 s

        tick(35_000); // 60 s: node 2's idle time is up, node 1's is not
        assertThat(engine.view().state(BROKER + 1)).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(engine.view().state(BROKER)).isEqualTo(ConnectionState.READY);
        closesAfter(BROKER, 25_000, ConnectionState.READY);
        assertThat(events).last().asString().isEqualTo("closed: idle for 60000 ms");
    }

    @Test
    void aRequestWhoseDeadlineIsNotTheEarliestTimesOutAtItsOwnAfterTheEarlierOneWasAnswered() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).build(), AuthenticatorFactory.NONE);
        SocketChannel[] peers = readyBrokers();
        CompletableFuture<MetadataResponse> first = new CompletableFuture<>();
        assertThat(engine.trySend(BROKER, new MetadataRequest().setTopics(List.of()), first)).isTrue();
        engine.poll(0, null, false);
        time.advance(10_000);
        CompletableFuture<MetadataResponse> second = new CompletableFuture<>();
        assertThat(engine.trySend(BROKER + 1, new MetadataRequest().setTopics(List.of()), second)).isTrue();
        engine.poll(0, null, false);
        time.advance(5_000);
        answerMetadata(peers[0], BROKER, BROKER + 1);
        pollUntil(first::isDone);
        assertThat(first).isCompleted();

        tick(15_000); // 30 s: the answered request's deadline, now nobody's
        assertThat(second).isNotDone();
        failsAfter(second, 10_000);
        assertThat(cause(second)).isInstanceOf(KwireTimeoutException.class);
        assertThat(engine.view().state(BROKER + 1)).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(engine.view().state(BROKER)).isEqualTo(ConnectionState.READY);
    }

    @Test
    void aRequestSentLongAfterTheLastWalkOnAnIdleConnectionTimesOutBeforeItsIdleTimeIsUp() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).build(), AuthenticatorFactory.NONE);
        int node = readyBroker();
        engine.poll(0, null, false);
        tick(20_000);
        CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
        assertThat(engine.trySend(node, new MetadataRequest().setTopics(List.of()), f)).isTrue();
        engine.poll(0, null, false);

        failsAfter(f, 30_000); // 50 s: before the 60 s the connection would have been idle for
        assertThat(cause(f)).isInstanceOf(KwireTimeoutException.class);
        assertThat(events).last().asString().isEqualTo("closed: request timed out");
    }

    @Test
    void aConnectionOpenedAfterTheLastWalkTimesOutInItsSetUpOnTime() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).build(), AuthenticatorFactory.NONE);
        bootstrap(BROKER, BROKER + 1);
        ready(BROKER, BROKER, BROKER + 1);
        engine.poll(0, null, false);

        tick(5_000);
        assertThat(engine.connect(BROKER + 1)).isTrue(); // its cluster id check is never answered
        pollUntil(() -> engine.view().state(BROKER + 1) == ConnectionState.CHECKING_CLUSTER_ID);
        closesAfter(BROKER + 1, 11_000, ConnectionState.CHECKING_CLUSTER_ID); // 10 s x 1.1
        assertThat(events).last().asString().endsWith("connection set-up timed out (checking_cluster_id) after"
                + " 11000 ms");
        assertThat(engine.view().state(BROKER)).isEqualTo(ConnectionState.READY);
    }

    @Test
    void aConnectionIsRecycledAtItsMaximumAgeAndNotBefore() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ZERO).connectionsMaxIdle(Duration.ofHours(1))
                .connectionsMaxAge(Duration.ofSeconds(100)).build(), AuthenticatorFactory.NONE);
        int node = readyBroker();
        engine.poll(0, null, false);

        closesAfter(node, 92_500, ConnectionState.READY); // 100 s less a tenth x 0.75
        assertThat(events).last().asString().startsWith("closed: recycled because it reached connectionsMaxAge");
    }

    @Test
    void theSelectorWaitsUntilTheEarliestDeadlineOfAnyConnection() throws Exception {
        start(config().apiVersion("4.1").idleProbeInterval(Duration.ofSeconds(40)).build(),
                AuthenticatorFactory.NONE);
        SocketChannel[] peers = readyBrokers();
        engine.poll(0, null, false);
        assertThat(engine.deadlineWaitMs()).as("the probes").isEqualTo(40_000);

        tick(5_000);
        CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
        assertThat(engine.trySend(BROKER + 1, new MetadataRequest().setTopics(List.of()), f)).isTrue();
        engine.poll(0, null, false);
        assertThat(engine.deadlineWaitMs()).as("node 2's request, rounded up").isEqualTo(30_001);

        answerMetadata(peers[1], BROKER, BROKER + 1);
        pollUntil(f::isDone);
        tick(30_000); // the answered request's deadline passed: the next poll looks again
        assertThat(engine.deadlineWaitMs()).as("node 1's probe").isEqualTo(5_000);
        tick(5_000);
        assertThat(engine.view().inFlightRequestCount(BROKER)).as("node 1's probe").isEqualTo(1);
        assertThat(engine.deadlineWaitMs()).as("node 2's probe, 40 s after its last use").isEqualTo(5_000);
    }

    @Test
    void aProbeOverdueWhileARequestIsInFlightLetsTheSelectorWaitAndComesAnIntervalAfterTheAnswer() throws Exception {
        start(config().apiVersion("4.1").requestTimeout(Duration.ofSeconds(60)).idleProbeInterval(Duration.ofSeconds(10))
                .build(), AuthenticatorFactory.NONE);
        int node = readyBroker();
        CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
        assertThat(engine.trySend(node, new MetadataRequest().setTopics(List.of()), f)).isTrue();
        engine.poll(0, null, false);

        tick(15_000); // the probe time passed while the request is in flight: no probe, and no busy wait
        assertThat(engine.deadlineWaitMs()).as("an interval from now, not 0").isEqualTo(10_000);
        assertThat(engine.view().inFlightRequestCount(node)).isEqualTo(1);

        answerMetadata(accepted.get(accepted.size() - 1));
        pollUntil(f::isDone);
        tick(9_999);
        assertThat(engine.view().inFlightRequestCount(node)).as("no probe within an interval of the answer").isZero();
        tick(1);
        assertThat(engine.view().inFlightRequestCount(node)).as("the probe").isEqualTo(1);
    }

    @Test
    void rotatedMaterialFirstNoticedWhileAConnectionOpensRecyclesTheOthersAtOnce() throws Exception {
        AtomicLong generation = new AtomicLong();
        TransportFactory transports = new TransportFactory() {
            @Override
            public Transport create(SocketChannel channel, Node n) throws IOException {
                return TransportFactory.PLAINTEXT.create(channel, n);
            }

            @Override
            public long materialGeneration(long nowMs) {
                return generation.get();
            }
        };
        KafkaClientConfig config = config().apiVersion("4.1").securityProtocol(SecurityProtocol.SSL)
                .sslRecycleConnections(true).build();
        // Node 2 stays in its set-up (an authenticator that never ends), so its 10 s set-up deadline is all that
        // would make the engine look at its connections again.
        AuthenticatorFactory auth = (n, v) -> n.id() == BROKER + 1 ? new StepAuthenticator(0, false) : null;
        engine = new NetworkEngine(config, transports, auth, new FixedRandom(RANDOM));
        bootstrap(BROKER, BROKER + 1);
        ready(BROKER, BROKER, BROKER + 1);
        tick(100);
        events.clear();

        generation.set(1); // the files rotated; the engine first learns it when it opens node 2's connection
        engine.connect(BROKER + 1);
        for (int i = 0; i < 10 && events.stream().noneMatch(e -> e.contains("TLS material changed")); i++) {
            tick(100);
        }
        assertThat(events).as("node 1 recycled within a second, not at node 2's set-up deadline")
                .anyMatch(e -> e.contains("TLS material changed"));
    }

    /**
     * Moves the clock {@code ms} on, checking that {@code node} stays in {@code state} until the last millisecond
     * and is disconnected at it.
     */
    private void closesAfter(int node, long ms, ConnectionState state) {
        tick(ms - 1);
        assertThat(engine.view().state(node)).isEqualTo(state);
        tick(1);
        assertThat(engine.view().state(node)).isEqualTo(ConnectionState.DISCONNECTED);
    }

    /** Moves the clock {@code ms} on, checking that {@code f} stays pending until the last millisecond, then fails. */
    private void failsAfter(CompletableFuture<?> f, long ms) {
        tick(ms - 1);
        assertThat(f).isNotDone();
        tick(1);
        assertThat(f).isCompletedExceptionally();
    }

    /** Moves the clock on and polls once, without waiting. */
    private void tick(long ms) {
        time.advance(ms);
        engine.poll(0, null, false);
    }

    private void pollUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            acceptPending();
            engine.poll(0, null, false);
            assertThat(System.nanoTime() - deadline).as("condition within 10 s").isNegative();
        }
    }

    private void acceptPending() {
        try {
            broker.configureBlocking(false);
            for (SocketChannel c; (c = broker.accept()) != null; ) {
                accepted.add(c);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable cause(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** A clock that moves only when told. */
    static final class ManualTime implements Time {
        private long nanos = TimeUnit.DAYS.toNanos(1);

        void advance(long ms) {
            nanos += TimeUnit.MILLISECONDS.toNanos(ms);
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long currentTimeMillis() {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }
    }

    /** A random source that always draws the same value: every jitter and every scan start is known. */
    static final class FixedRandom implements RandomGenerator {
        private final double value;

        FixedRandom(double value) {
            this.value = value;
        }

        @Override
        public long nextLong() {
            return (long) (value * Long.MAX_VALUE);
        }

        @Override
        public double nextDouble() {
            return value;
        }

        @Override
        public int nextInt(int bound) {
            return 0;
        }
    }

    /** Waits on work of its own (a SASL step off the I/O thread): sends a SaslHandshake only once resumed after it. */
    static final class WorkingAuthenticator extends StepAuthenticator {
        volatile boolean done;
        int resumed;
        boolean closed;

        WorkingAuthenticator() {
            super(0, false);
        }

        @Override
        public ApiRequest<?> nextRequest() {
            return resumed == 0 ? null : super.nextRequest();
        }

        @Override
        public void resume() {
            if (done) {
                resumed++;
            }
        }

        @Override
        public void onClose() {
            closed = true;
        }
    }

    /** A SASL exchange that is complete at once, or that sends one SaslHandshake and waits for its answer. */
    static class StepAuthenticator implements Authenticator {
        private final long sessionLifetimeMs;
        private final boolean complete;
        private boolean sent;

        StepAuthenticator(long sessionLifetimeMs, boolean complete) {
            this.sessionLifetimeMs = sessionLifetimeMs;
            this.complete = complete;
        }

        @Override
        public ApiRequest<?> nextRequest() {
            if (complete || sent) {
                return null;
            }
            sent = true;
            return new SaslHandshakeRequest().setMechanism("PLAIN");
        }

        @Override
        public void onResponse(ApiResponse response) {
            throw new AssertionError("the broker never answers");
        }

        @Override
        public boolean isComplete() {
            return complete;
        }

        @Override
        public long sessionLifetimeMs() {
            return sessionLifetimeMs;
        }
    }
}
