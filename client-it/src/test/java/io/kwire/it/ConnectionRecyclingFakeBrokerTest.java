package io.kwire.it;

import static io.kwire.it.Polling.awaitCondition;
import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.DescribeClusterRequest;
import io.kwire.protocol.message.DescribeClusterResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections recycled at {@code connectionsMaxAge}, against the scripted fake broker, which can hold a request's
 * answer on one connection: the request in flight finishes on the old connection (or fails by its own deadline),
 * requests of other classes carry on, those of its own class wait for it and then go to a new connection, which the
 * timeout on the old one leaves alone; {@code close(node)} closes a connection being drained too.
 */
class ConnectionRecyclingFakeBrokerTest {

    private static final int NODE = 1;

    private FakeBroker broker;
    private final AtomicInteger describeCalls = new AtomicInteger();

    @BeforeEach
    void startBroker() {
        broker = FakeBroker.start();
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(Polling.body(LeastLoadedNodeTest.apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(Polling.body(metadata(), r.apiVersion())));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    private KafkaClient client(Duration requestTimeout) {
        return new KafkaClient(KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .connectionsMaxAge(Duration.ofSeconds(1)).requestTimeout(requestTimeout)
                .idleProbeInterval(Duration.ZERO).build());
    }

    @Test
    void aRequestInFlightWhenItsConnectionIsRecycledIsAnsweredThereAndItsClassWaitsForIt() throws Exception {
        // The first DescribeCluster is answered after 3 s: past the connection's maximum age of 1 s.
        broker.handle(ApiKey.DESCRIBE_CLUSTER.id(), r -> describeCalls.getAndIncrement() == 0
                ? Reply.respond(Polling.body(new DescribeClusterResponse(), r.apiVersion())).delayed(Duration.ofSeconds(3))
                : Reply.respond(Polling.body(new DescribeClusterResponse(), r.apiVersion())));
        try (KafkaClient client = client(Duration.ofSeconds(30))) {
            pollUntil(client, Duration.ofSeconds(10), "node ready", () -> client.ready(NODE, false));
            long connections = broker.connectionCount();
            CompletableFuture<DescribeClusterResponse> held = client.send(NODE, new DescribeClusterRequest());
            pollUntil(client, Duration.ofSeconds(10), "a new connection for the recycled one",
                    () -> broker.connectionCount() > connections);
            // Another class carries on at once; the held request's own class waits for it, so that nothing of
            // that class overtakes it on the new connection.
            pollUntil(client, Duration.ofSeconds(10), "the slow connection ready",
                    () -> client.ready(NODE, ConnectionClass.SLOW));
            CompletableFuture<DescribeClusterResponse> other =
                    client.send(NODE, new DescribeClusterRequest(), ConnectionClass.SLOW);
            pollUntil(client, Duration.ofSeconds(10), "the other class's request answered", other::isDone);
            assertThat(other.get()).isNotNull();
            assertThat(held).as("still held by the broker on the recycled connection").isNotDone();
            assertThat(client.isReady(NODE)).as("the control class waits for the request being drained").isFalse();
            assertThat(client.inFlightRequestCount(NODE)).as("the held request still counts for its node").isEqualTo(1);

            pollUntil(client, Duration.ofSeconds(10), "the held request answered", held::isDone);
            assertThat(held.get()).as("answered, not failed by the recycling").isNotNull();
            pollUntil(client, Duration.ofSeconds(10), "the control class ready again", () -> client.ready(NODE, false));
            CompletableFuture<DescribeClusterResponse> next = client.send(NODE, new DescribeClusterRequest());
            pollUntil(client, Duration.ofSeconds(10), "the next request answered", next::isDone);
            assertThat(next.get()).isNotNull();

            client.close(NODE); // the client is not polled after this: nothing opens a new connection
            awaitCondition(Duration.ofSeconds(10), "every connection of the node closed, a drained one included",
                    () -> broker.openConnectionCount() == 0);
        }
    }

    @Test
    void closeNodeClosesAConnectionBeingDrainedWhenTheNodeHasNoOtherAndFailsItsRequest() throws Exception {
        broker.handle(ApiKey.DESCRIBE_CLUSTER.id(), r -> Reply.stall());
        try (KafkaClient client = client(Duration.ofSeconds(60))) {
            pollUntil(client, Duration.ofSeconds(10), "node ready", () -> client.ready(NODE, false));
            CompletableFuture<DescribeClusterResponse> held = client.send(NODE, new DescribeClusterRequest());
            // The successor, idle (its class waits for the held request), is recycled at its own age and closed:
            // then only the draining connection is left to the node, in no group.
            pollUntil(client, Duration.ofSeconds(15), "the node left with its draining connection only",
                    () -> client.isDisconnected(NODE));
            assertThat(held).isNotDone();
            assertThat(client.inFlightRequestCount(NODE)).isEqualTo(1);
            client.close(NODE);
            assertThat(held).as("close(node) fails the request on the draining connection").isCompletedExceptionally();
            assertThat(client.inFlightRequestCount()).isZero();
            awaitCondition(Duration.ofSeconds(10), "the draining connection closed",
                    () -> broker.openConnectionCount() == 0);
        }
    }

    @Test
    void aRequestThatTimesOutOnARecycledConnectionFailsByItsDeadlineAndTheNewConnectionCarriesOn()
            throws Exception {
        // The first DescribeCluster gets no answer, nor does anything after it on that connection.
        broker.handle(ApiKey.DESCRIBE_CLUSTER.id(), r -> describeCalls.getAndIncrement() == 0 ? Reply.stall()
                : Reply.respond(Polling.body(new DescribeClusterResponse(), r.apiVersion())));
        try (KafkaClient client = client(Duration.ofSeconds(3))) {
            pollUntil(client, Duration.ofSeconds(10), "node ready", () -> client.ready(NODE, false));
            long connections = broker.connectionCount();
            CompletableFuture<DescribeClusterResponse> stalled = client.send(NODE, new DescribeClusterRequest());
            pollUntil(client, Duration.ofSeconds(10), "a new connection for the recycled one",
                    () -> broker.connectionCount() > connections);

            pollUntil(client, Duration.ofSeconds(10), "the stalled request's deadline", stalled::isDone);
            try {
                stalled.get();
                throw new AssertionError("the stalled request was answered");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(KwireTimeoutException.class);
            }
            pollUntil(client, Duration.ofSeconds(10), "node ready", () -> client.ready(NODE, false));
            CompletableFuture<DescribeClusterResponse> after = client.send(NODE, new DescribeClusterRequest());
            pollUntil(client, Duration.ofSeconds(10), "a request after the timeout answered", after::isDone);
            assertThat(after.get()).isNotNull();
        }
    }

    private MetadataResponse metadata() {
        MetadataResponse r = new MetadataResponse().setClusterId("fake-cluster").setControllerId(NODE);
        r.setBrokers(new ArrayList<>(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(NODE)
                .setHost("127.0.0.1").setPort(broker.port()))));
        return r;
    }
}
