package io.kwire.it;

import static io.kwire.it.Polling.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.KwireClient;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ClusterIdMismatchException;
import io.kwire.protocol.message.CreateTopicsRequest;
import io.kwire.protocol.message.CreateTopicsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real clusters, and a client of one given a bootstrap list that mixes both: the broker of the other cluster is
 * refused with a {@link ClusterIdMismatchException} naming both ids and its address, the status shows the mismatch,
 * and the request meant for it never reaches it (the topic it would create does not exist there). Kafka 4.1 brokers
 * have no ApiVersions v5, so the check is the Metadata answer of the connection's CHECKING_CLUSTER_ID step.
 */
@Timeout(180)
class ClusterIdentityTest {

    private static KafkaCluster ours;
    private static KafkaCluster other;
    private static String ourId;
    private static String otherId;

    @BeforeAll
    static void startTwoClusters() throws Exception {
        ours = KafkaCluster.shared();
        other = KafkaCluster.builder().start();
        ourId = ours.admin().describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        otherId = other.admin().describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        assertThat(ourId).isNotEqualTo(otherId);
    }

    @AfterAll
    static void stopOther() {
        if (other != null) {
            other.close();
        }
    }

    private static CreateTopicsRequest createTopic(String name) {
        return new CreateTopicsRequest().setTimeoutMs(10_000).setTopics(new ArrayList<>(List.of(
                new CreateTopicsRequest.CreatableTopic().setName(name).setNumPartitions(1)
                        .setReplicationFactor((short) 1))));
    }

    private static void assertNoTopic(KafkaCluster cluster, String topic) throws Exception {
        assertThat(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(topic);
    }

    @Test
    void expectedClusterIdRefusesTheOtherClustersBrokerAndTheStatusShowsIt() throws Exception {
        KafkaClientConfig config = KafkaClientConfig.builder()
                .bootstrapServers(other.bootstrapServers() + "," + ours.bootstrapServers())
                .expectedClusterId(ourId).build();
        KwireClient client = KwireClient.create(config);
        try {
            client.start();
            client.awaitReady(Duration.ofSeconds(30));
            assertThat(client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS).clusterId())
                    .isEqualTo(ourId);

            String topic = "it-identity-pinned";
            CompletableFuture<CreateTopicsResponse> toOther = client.send(-1, createTopic(topic)); // node -1: other
            assertThatThrownBy(() -> toOther.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ClusterIdMismatchException.class, e -> {
                        assertThat(e.expectedClusterId()).isEqualTo(ourId);
                        assertThat(e.reportedClusterId()).isEqualTo(otherId);
                        assertThat(e.address()).endsWith(":" + other.port(other.brokerIds().get(0)));
                    });

            awaitCondition(Duration.ofSeconds(10), "the mismatch in the status",
                    () -> client.status().clusterMismatch().isPresent());
            assertThat(client.status().clusterId()).contains(ourId);
            assertThat(client.status().clusterMismatch().orElseThrow()).contains(otherId).contains(ourId)
                    .contains(":" + other.port(other.brokerIds().get(0)));
            assertNoTopic(other, topic);
        } finally {
            client.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void theFirstMetadataPinsTheClusterAndTheOtherBootstrapBrokerIsRefused() throws Exception {
        try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder()
                .bootstrapServers(ours.bootstrapServers() + "," + other.bootstrapServers()).build())) {
            CompletableFuture<ClusterMetadata> first = client.requestMetadataUpdate();
            client.poll(Duration.ofSeconds(30), first);
            String learned = first.get().clusterId().orElseThrow();
            boolean oursFirst = learned.equals(ourId);
            assertThat(learned).isIn(ourId, otherId);
            int wrongNode = oursFirst ? -2 : -1;
            KafkaCluster wrong = oursFirst ? other : ours;

            // KafkaClient.send wants a ready node; checkVersion waits for one and throws why it cannot be had.
            assertThatThrownBy(() -> client.checkVersion(wrongNode, Duration.ofSeconds(30), false))
                    .isInstanceOf(ClusterIdMismatchException.class)
                    .hasMessageContaining(learned).hasMessageContaining(oursFirst ? otherId : ourId)
                    .hasMessageContaining(":" + wrong.port(wrong.brokerIds().get(0)));
            assertThat(client.isReady(wrongNode)).isFalse();
        }
    }
}
