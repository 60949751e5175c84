package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leader failover, typed failures, back-off and reconnection on a three-broker cluster. */
@Timeout(180)
class ThreeBrokerFailoverTest {

    private static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaCluster.builder().brokers(3).build().start();
        cluster.createTopic("failover", 3, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void stoppingALeaderMovesMetadataToTheNewLeaderAndTheNodeComesBackAfterRestart() throws Exception {
        try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder()
                .bootstrapServers(cluster.bootstrapServers()).clientId("failover")
                .reconnectBackoff(Duration.ofMillis(50)).reconnectBackoffMax(Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(5)).build())) {
            client.addTopic("failover");
            pollUntil(client, Duration.ofSeconds(30), "three brokers and a leader", () ->
                    client.cluster().brokers().size() == 3 && client.cluster().leaderFor("failover", 0).isPresent());
            int oldLeader = client.cluster().leaderFor("failover", 0).map(Node::id).orElseThrow();
            int oldEpoch = client.cluster().topic("failover").orElseThrow().partitions().get(0).leaderEpoch();

            // Hold a connection to the leader so that its loss is observed as a failure.
            pollUntil(client, Duration.ofSeconds(20), "leader connection", () -> client.ready(oldLeader, false));
            cluster.stopBroker(oldLeader);

            CompletableFuture<MetadataResponse> toStopped = client.send(oldLeader, new MetadataRequest().setTopics(List.of()));
            client.poll(Duration.ofSeconds(15), toStopped);
            assertThat(toStopped).isCompletedExceptionally();
            try {
                toStopped.get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfAny(DisconnectedException.class, NodeNotReadyException.class);
                assertThat(((KwireException) e.getCause()).isRetriable()).isTrue();
            }

            pollUntil(client, Duration.ofSeconds(60), "a new leader", () -> {
                client.requestMetadataUpdate();
                return client.cluster().leaderFor("failover", 0).map(Node::id).filter(id -> id != oldLeader).isPresent();
            });
            assertThat(client.cluster().topic("failover").orElseThrow().partitions().get(0).leaderEpoch())
                    .isGreaterThan(oldEpoch);

            pollUntil(client, Duration.ofSeconds(20), "stopped node marked down", () -> client.isDisconnected(oldLeader));
            client.maybeConnect(oldLeader);
            pollUntil(client, Duration.ofSeconds(20), "a failed reconnect that backs off",
                    () -> client.isDisconnected(oldLeader) && client.connectionDelay(oldLeader) > 0
                            || !client.maybeConnect(oldLeader));

            cluster.restartBroker(oldLeader);
            pollUntil(client, Duration.ofSeconds(60), "reconnect after restart", () -> {
                client.requestMetadataUpdate(); // the restarted broker rejoins the metadata once it is unfenced
                return client.ready(oldLeader, false);
            });
            CompletableFuture<MetadataResponse> again = client.send(oldLeader, new MetadataRequest().setTopics(List.of()));
            client.poll(Duration.ofSeconds(10), again);
            assertThat(again.get().brokers()).isNotEmpty();
        }
    }
}
