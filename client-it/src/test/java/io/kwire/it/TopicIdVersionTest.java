package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.ClientResponse;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Produce and Fetch switched from topic names to topic ids at v13 (KIP-516). A request that names its topic only by
 * name goes at v12 and means what it says; one that names it only by id goes at v13 or later. Against a real broker
 * that has both (Kafka 4.1): before, a name-only Produce went at v13 with the empty id.
 */
class TopicIdVersionTest {

    private static final String TOPIC = "it-topic-id-versions";
    private static KafkaCluster cluster;
    private KafkaClient client;
    private final List<ClientResponse> ended = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.shared();
        cluster.createTopic(TOPIC, 1, 1);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private int leader() {
        client = new KafkaClient(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()).build());
        CompletableFuture<ClusterMetadata> known = client.addTopic(TOPIC);
        pollUntil(client, Duration.ofSeconds(20), "leader", () -> {
            if (known.isDone() && client.cluster().leaderFor(TOPIC, 0).isEmpty()) {
                client.requestMetadataUpdate();
            }
            return client.cluster().leaderFor(TOPIC, 0).isPresent();
        });
        int leader = client.cluster().leaderFor(TOPIC, 0).orElseThrow().id();
        pollUntil(client, Duration.ofSeconds(20), "leader ready", () -> client.ready(leader, false));
        return leader;
    }

    /** Polls until the future is done, keeping what ended, so that the versions sent can be read. */
    private <T> T await(CompletableFuture<T> future) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!future.isDone() && System.nanoTime() < deadline) {
            ended.addAll(client.poll(Duration.ofMillis(100)));
        }
        return future.get();
    }

    private short versionOf(ApiKey api) {
        return ended.stream().filter(r -> r.apiKey() == api).reduce((a, b) -> b).orElseThrow().version();
    }

    @Test
    void produceNamedOnlyByNameGoesAtV12AndOnlyByIdAtV13() throws Exception {
        int leader = leader();
        Uuid id = client.cluster().topic(TOPIC).orElseThrow().topicId();

        CompletableFuture<ProduceResponse> byName = client.send(leader, produce(TOPIC, Uuid.ZERO));
        assertThat(await(byName).responses().get(0).partitionResponses().get(0).errorCode())
                .isZero();
        assertThat(versionOf(ApiKey.PRODUCE)).isEqualTo((short) 12);

        CompletableFuture<ProduceResponse> byId = client.send(leader, produce("", id));
        assertThat(await(byId).responses().get(0).partitionResponses().get(0).errorCode())
                .isZero();
        assertThat(versionOf(ApiKey.PRODUCE)).isGreaterThanOrEqualTo((short) 13);
    }

    @Test
    void fetchNamedOnlyByNameGoesAtV12AndOnlyByIdAtV13OrLater() throws Exception {
        int leader = leader();
        Uuid id = client.cluster().topic(TOPIC).orElseThrow().topicId();

        CompletableFuture<FetchResponse> byName = client.send(leader, fetch(TOPIC, Uuid.ZERO));
        assertThat(await(byName).responses().get(0).partitions().get(0).errorCode()).isZero();
        assertThat(versionOf(ApiKey.FETCH)).isEqualTo((short) 12);

        CompletableFuture<FetchResponse> byId = client.send(leader, fetch("", id));
        assertThat(await(byId).responses().get(0).partitions().get(0).errorCode()).isZero();
        assertThat(versionOf(ApiKey.FETCH)).isGreaterThanOrEqualTo((short) 13);
    }

    private static ProduceRequest produce(String name, Uuid id) {
        return ReleaseCheck.produce(name, id, "v");
    }

    private static FetchRequest fetch(String name, Uuid id) {
        return ReleaseCheck.fetch(name, id);
    }
}
