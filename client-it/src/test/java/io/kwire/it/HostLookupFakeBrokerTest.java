package io.kwire.it;

import static io.kwire.it.LeastLoadedNodeTest.apiVersions;
import static io.kwire.it.Polling.awaitCondition;
import static io.kwire.it.Polling.body;
import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.KwireClient;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.HostResolver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.DescribeClusterRequest;
import io.kwire.protocol.message.DescribeClusterResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Host-name lookups run off the thread that polls the network: a broker whose name server hangs holds up its own
 * connection and nothing else, a lookup that outlasts the set-up timeout fails the attempt with an error that names
 * the host, and {@code close()} does not wait for a lookup that never ends. Two fake brokers on loopback; the
 * metadata names broker 1 by a host name only the test's {@link HostResolver} knows, broker 2 by its address.
 */
class HostLookupFakeBrokerTest {

    private static final String SLOW_HOST = "slow.kwire.test";
    private static final String CLIENT_ID = "host-lookup-test";

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger lookups = new AtomicInteger();
    private final Set<String> lookupThreads = ConcurrentHashMap.newKeySet();
    private final List<FakeBroker> brokers = new ArrayList<>();

    /**
     * Answers {@link #SLOW_HOST} with 127.0.0.1 once the test releases it, ignoring interrupts meanwhile as a lookup in
     * the operating system does; any other name does not resolve.
     */
    private final HostResolver resolver = host -> {
        lookupThreads.add(Thread.currentThread().getName()); // before the count, which tests wait for
        lookups.incrementAndGet();
        if (!host.equals(SLOW_HOST)) {
            throw new UnknownHostException(host + ": not known to the test's resolver");
        }
        boolean interrupted = false; // like the operating system's resolver, deaf to interrupts
        try {
            while (true) {
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new UnknownHostException(host + ": never released");
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    };

    @AfterEach
    void releaseAndStop() {
        release.countDown();
        brokers.forEach(FakeBroker::close);
    }

    /**
     * Broker 1 under {@code host1}, broker 2 under 127.0.0.1, and node 3 under {@code host1} again but at broker 2's
     * port (a second broker on the same host); all answer DescribeCluster.
     */
    private FakeBroker[] start(String host1) {
        FakeBroker b1 = FakeBroker.start();
        FakeBroker b2 = FakeBroker.start();
        brokers.add(b1);
        brokers.add(b2);
        MetadataResponse metadata = new MetadataResponse().setClusterId("c").setControllerId(2);
        metadata.setBrokers(new ArrayList<>(List.of(
                new MetadataResponse.MetadataResponseBroker().setNodeId(1).setHost(host1).setPort(b1.port()),
                new MetadataResponse.MetadataResponseBroker().setNodeId(2).setHost("127.0.0.1").setPort(b2.port()),
                new MetadataResponse.MetadataResponseBroker().setNodeId(3).setHost(host1).setPort(b2.port()))));
        for (FakeBroker b : brokers) {
            b.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
            b.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata, r.apiVersion())));
            b.handle(ApiKey.DESCRIBE_CLUSTER.id(), r -> Reply.respond(body(new DescribeClusterResponse()
                    .setClusterId("c").setControllerId(2), r.apiVersion())));
        }
        return new FakeBroker[] {b1, b2};
    }

    private KafkaClientConfig.Builder config(FakeBroker bootstrap) {
        return KafkaClientConfig.builder().bootstrapServers(bootstrap.bootstrapServers()).clientId(CLIENT_ID)
                .hostResolver(resolver).requestTimeout(Duration.ofSeconds(20));
    }

    @Test
    void aHungLookupHoldsUpOnlyItsOwnBrokerAndTheConnectionGoesOnOnceItAnswers() throws Exception {
        FakeBroker[] b = start(SLOW_HOST);
        // A set-up timeout far longer than the test: the lookup waits for the release, not for a deadline.
        KafkaClientConfig config = config(b[1]).socketConnectionSetupTimeout(Duration.ofSeconds(60))
                .socketConnectionSetupTimeoutMax(Duration.ofSeconds(60)).build();
        try (KafkaClient client = new KafkaClient(config)) {
            pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().brokers().size() == 3);
            int lookupsBefore = lookups.get(); // the bootstrap address 127.0.0.1 needed none
            assertThat(lookupsBefore).isZero();

            client.maybeConnect(1);
            assertThat(client.connectionState(1, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.RESOLVING);
            assertThat(client.isDisconnected(1)).isFalse();
            client.poll(Duration.ofMillis(20)); // returns while the lookup is still blocked: not on this thread
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(client.connectionState(1, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.RESOLVING);

            pollUntil(client, Duration.ofSeconds(10), "broker 2 ready", () -> client.ready(2));
            var answer = client.send(2, new DescribeClusterRequest());
            client.poll(Duration.ofSeconds(10), answer);
            assertThat(answer.get().clusterId()).isEqualTo("c");
            client.maybeConnect(3); // another broker on the same host waits for the same lookup
            client.poll(Duration.ofMillis(10));
            assertThat(client.connectionState(3, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.RESOLVING);
            awaitCondition(Duration.ofSeconds(10), "the lookup under way", () -> lookups.get() >= 1);
            assertThat(lookups).hasValue(1);
            assertThat(lookupThreads).isNotEmpty()
                    .allSatisfy(name -> assertThat(name).startsWith("kwire-dns-" + CLIENT_ID));
            assertThat(b[0].connectionCount()).isZero();

            release.countDown();
            pollUntil(client, Duration.ofSeconds(10), "brokers 1 and 3 ready once their name resolved",
                    () -> client.ready(1) & client.ready(3));
            var fromSlow = client.send(1, new DescribeClusterRequest());
            client.poll(Duration.ofSeconds(10), fromSlow);
            assertThat(fromSlow.get().clusterId()).isEqualTo("c");
            assertThat(lookups).hasValue(1);
        }
    }

    @Test
    void aLookupThatOutlastsTheSetupTimeoutFailsTheAttemptNamingTheHostAndIsNotStartedTwice() throws Exception {
        FakeBroker[] b = start(SLOW_HOST);
        // The back-off (1.5 s, at least 1.2 s with its jitter) keeps the send() after each failure from starting a
        // new attempt.
        KafkaClientConfig config = config(b[1]).socketConnectionSetupTimeout(Duration.ofMillis(300))
                .socketConnectionSetupTimeoutMax(Duration.ofMillis(300)).reconnectBackoff(Duration.ofMillis(1500))
                .reconnectBackoffMax(Duration.ofMillis(1500)).build();
        try (KafkaClient client = new KafkaClient(config)) {
            pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().brokers().size() == 3);
            for (int attempt = 1; attempt <= 2; attempt++) {
                pollUntil(client, Duration.ofSeconds(10), "broker 1 out of back-off",
                        () -> client.connectionDelay(1) == 0);
                assertThat(client.maybeConnect(1)).isTrue();
                assertThat(client.connectionState(1, ConnectionClass.CONTROL)).isEqualTo(ConnectionState.RESOLVING);
                pollUntil(client, Duration.ofSeconds(10), "attempt " + attempt + " timed out",
                        () -> client.isDisconnected(1));
                var refused = client.send(1, new DescribeClusterRequest());
                assertThat(refused).isCompletedExceptionally();
                assertThatThrownBy(refused::get).cause().isInstanceOf(NodeNotReadyException.class)
                        .cause().isInstanceOf(KwireTimeoutException.class)
                        .hasMessageContaining("DNS lookup of " + SLOW_HOST + " gave no answer within the connection"
                                + " set-up timeout (");
            }
            assertThat(lookups).as("the second attempt waited for the lookup still running").hasValue(1);
            pollUntil(client, Duration.ofSeconds(10), "broker 2 ready", () -> client.ready(2));

            release.countDown();
            pollUntil(client, Duration.ofSeconds(10), "broker 1 ready once its name resolves", () -> client.ready(1));
            assertThat(b[0].connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aNameThatDoesNotResolveFailsTheRequestAtOnceWithTheLookupsError() throws Exception {
        FakeBroker[] b = start("nowhere.kwire.test");
        // A set-up timeout longer than the wait below: the failure must come from the lookup thread's wake-up.
        KafkaClientConfig config = config(b[1]).socketConnectionSetupTimeout(Duration.ofSeconds(60))
                .socketConnectionSetupTimeoutMax(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(90)).build();
        try (KwireClient client = KwireClient.create(config)) {
            client.start();
            assertThat(client.send(2, new DescribeClusterRequest()).get(10, TimeUnit.SECONDS).clusterId())
                    .isEqualTo("c");
            assertThatThrownBy(() -> client.send(1, new DescribeClusterRequest()).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(NodeNotReadyException.class)
                    .hasMessageContaining("DNS lookup of nowhere.kwire.test failed")
                    .hasMessageContaining("not known to the test's resolver")
                    .hasMessageContaining("check the host name the broker advertises (advertised.listeners)")
                    .hasRootCauseInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void aResolverThatThrowsFailsTheAttemptWithATypedErrorThatNamesIt() throws Exception {
        FakeBroker[] b = start("broken.kwire.test");
        HostResolver broken = host -> {
            throw new IllegalStateException("resolver misconfigured");
        };
        try (KwireClient client = KwireClient.create(config(b[1]).hostResolver(broken).build())) {
            client.start();
            assertThatThrownBy(() -> client.send(1, new DescribeClusterRequest()).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(NodeNotReadyException.class)
                    .hasMessageContaining("DNS lookup of broken.kwire.test failed (the host resolver threw")
                    .hasMessageContaining("resolver misconfigured");
            assertThat(client.send(2, new DescribeClusterRequest()).get(10, TimeUnit.SECONDS).clusterId())
                    .isEqualTo("c");
        }
    }

    @Test
    @Timeout(60) // close() must not wait for the hung lookup
    void closeDoesNotWaitForAHungLookupAndItsThreadEndsWhenTheLookupDoes() throws Exception {
        FakeBroker[] b = start(SLOW_HOST);
        KwireClient client = KwireClient.create(config(b[1]).build());
        client.start();
        var pending = client.send(1, new DescribeClusterRequest());
        awaitCondition(Duration.ofSeconds(10), "the lookup under way", () -> lookups.get() == 1);
        client.close(Duration.ofMillis(200));
        assertThat(pending).isCompletedExceptionally();
        assertThat(lookupThreads(true)).as("the lookup still blocked in the resolver").isEqualTo(1);

        release.countDown();
        awaitCondition(Duration.ofSeconds(10), "no lookup thread left", () -> lookupThreads(false) == 0);
    }

    /** Live lookup threads: with {@code blocked}, only those still inside the test's resolver. */
    private long lookupThreads(boolean blocked) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().isAlive() && e.getKey().getName().startsWith("kwire-dns-" + CLIENT_ID))
                .filter(e -> !blocked || List.of(e.getValue()).stream()
                        .anyMatch(f -> f.getClassName().startsWith(HostLookupFakeBrokerTest.class.getName())))
                .count();
    }
}
