package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.ClientResponse;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.VersionRange;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.CreateTopicsRequest;
import io.kwire.protocol.message.CreateTopicsResponse;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.Record;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.protocol.records.Records;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What kwire promises against a broker of one Kafka release, checked end to end with one {@link KafkaClient}:
 * {@code checkVersion} names the release exactly (strict), metadata arrives, a record produced by topic name is
 * fetched back, and topic-id requests keep their meaning both ways (by id where the broker has Produce/Fetch v13,
 * refused at once naming the field to set where it has not).
 *
 * <p>Brokers of the 0.10 line predate the record format kwire writes and reads (message format v2, Produce v3 and
 * Fetch v4, Kafka 0.11), and kwire's codec (Kafka 4.x schemas) has no Fetch below v4: the check asserts that a Fetch
 * fails at once, unsent, with an {@link UnsupportedVersionException}.
 *
 * <p>Used by the CI tests and by {@code scripts/compat.sh}, which prints {@link Outcome} rows.
 */
final class ReleaseCheck {

    /** What one check found, for the compatibility table. */
    record Outcome(BrokerVersion inferred, String produceFetch, String topicIds) {
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final List<ClientResponse> ended = new ArrayList<>();
    private KafkaClient client;

    ReleaseCheck(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Runs every check; an assertion failure names what did not hold. */
    Outcome run(BrokerVersion expected, String topic) throws Exception {
        try (KafkaClient c = new KafkaClient(KafkaClientConfig.builder().bootstrapServers(bootstrap).build())) {
            client = c;
            BrokerVersion inferred = c.checkVersion(null, WAIT, true);
            assertThat(inferred).as("checkVersion (strict)").isEqualTo(expected);
            int node = readyNode();
            Map<ApiKey, VersionRange> versions = c.getApiVersions(node);

            MetadataResponse all = await(c.send(node, new MetadataRequest().setTopics(null)));
            assertThat(all.brokers()).as("brokers in metadata").isNotEmpty();

            if (!versions.containsKey(ApiKey.PRODUCE) || versions.get(ApiKey.PRODUCE).max() < 3) {
                // 0.10: Produce v0-v2 and Fetch v0-v3 carry message formats v0/v1 only; kwire writes and reads v2
                // and, generated from Kafka 4.x schemas, has no Fetch below v4 (KIP-896): both fail at once, unsent.
                assertThat(expected).isLessThan(BrokerVersion.V0_11_0);
                CompletableFuture<FetchResponse> f = c.send(node, fetch("any", Uuid.ZERO));
                assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(UnsupportedVersionException.class)
                        .hasMessageContaining("No common version of Fetch");
                return new Outcome(inferred, "no: Produce v0-v2 and Fetch v0-v3 only (message format v0/v1); refused"
                        + " at once", "none (no Fetch kwire can send)");
            }
            int leader = createTopic(node, topic);
            String value = "kwire-" + expected;
            produceUntilAccepted(leader, produce(topic, Uuid.ZERO, value));
            short produceVersion = versionOf(ApiKey.PRODUCE);
            FetchResponse fetched = await(c.send(leader, fetch(topic, Uuid.ZERO)));
            assertThat(fetched.responses().get(0).partitions().get(0).errorCode()).as("fetch error %s",
                    Errors.forCode(fetched.responses().get(0).partitions().get(0).errorCode()).label())
                    .isEqualTo(Errors.NONE.code());
            List<Record> records = Records.records(fetched.responses().get(0).partitions().get(0).records());
            assertThat(records).as("records fetched")
                    .extracting(r -> new String(r.valueBytes(), StandardCharsets.UTF_8))
                    .contains(value);
            short fetchVersion = versionOf(ApiKey.FETCH);
            String produceFetch = "yes (Produce v" + produceVersion + ", Fetch v" + fetchVersion + ")";
            return new Outcome(inferred, produceFetch, topicIds(leader, topic, versions));
        } finally {
            client = null;
        }
    }

    private String topicIds(int leader, String topic, Map<ApiKey, VersionRange> versions) throws Exception {
        Uuid id = client.cluster().topic(topic).map(t -> t.topicId()).orElse(Uuid.ZERO);
        short fetchMax = versions.get(ApiKey.FETCH).max();
        short produceMax = versions.get(ApiKey.PRODUCE).max();
        if (fetchMax < 13) {
            refusesById(leader, id.equals(Uuid.ZERO) ? Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ") : id);
            return "by name only; by id refused at once";
        }
        assertThat(id).as("topic id in metadata").isNotEqualTo(Uuid.ZERO);
        FetchResponse byId = await(client.send(leader, fetch("", id)));
        assertThat(byId.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(versionOf(ApiKey.FETCH)).isGreaterThanOrEqualTo((short) 13);
        if (produceMax < 13) {
            return "Fetch by id (v" + versionOf(ApiKey.FETCH) + "), Produce by name only";
        }
        produceUntilAccepted(leader, produce("", id, "by-id"));
        return "Fetch and Produce by id (v" + versionOf(ApiKey.FETCH) + ", v" + versionOf(ApiKey.PRODUCE) + ")";
    }

    /**
     * Produces until the broker accepts: a partition just created may answer NOT_LEADER_OR_FOLLOWER or another
     * retriable error for a moment (KRaft brokers, 3.5 and 3.7 among them, while the leader takes the partition up).
     */
    private void produceUntilAccepted(int leader, ProduceRequest request) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ProduceResponse produced = await(client.send(leader, request));
            Errors.KafkaError error = Errors.forCode(produced.responses().get(0).partitionResponses().get(0)
                    .errorCode());
            if (error.isNone()) {
                return;
            }
            assertThat(error.retriable() && System.nanoTime() < deadline).as("produce error %s", error.label())
                    .isTrue();
            client.poll(Duration.ofMillis(200)); // the pace of the retries, like a producer's retry back-off
        }
    }

    /** No version of this broker names topics by id: a request that names only an id fails at once, unsent. */
    private void refusesById(int node, Uuid id) {
        CompletableFuture<FetchResponse> f = client.send(node, fetch("", id));
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnsupportedVersionException.class).hasMessageContaining("set the topic name");
    }

    private int readyNode() {
        pollUntil(client, WAIT, "metadata", () -> client.cluster().lastUpdate().isPresent());
        int node = client.cluster().brokers().get(0).id();
        pollUntil(client, WAIT, "node " + node + " ready", () -> client.ready(node, false));
        return node;
    }

    /** Creates the topic (CreateTopics, or Metadata's auto-creation before 0.10.1) and returns its leader, ready. */
    private int createTopic(int node, String topic) throws Exception {
        if (client.getApiVersions(node).containsKey(ApiKey.CREATE_TOPICS)) {
            CreateTopicsResponse created = await(client.send(node, new CreateTopicsRequest().setTimeoutMs(20_000)
                    .setTopics(new ArrayList<>(List.of(new CreateTopicsRequest.CreatableTopic().setName(topic)
                            .setNumPartitions(1).setReplicationFactor((short) 1))))));
            short error = created.topics().get(0).errorCode();
            assertThat(error == Errors.NONE.code() || Errors.forCode(error).name().equals("TOPIC_ALREADY_EXISTS"))
                    .as("CreateTopics: %s", Errors.forCode(error).label()).isTrue();
        }
        client.addTopic(topic);
        pollUntil(client, WAIT, "leader of " + topic, () -> {
            if (client.cluster().leaderFor(topic, 0).isEmpty()) {
                client.requestMetadataUpdate();
            }
            return client.cluster().leaderFor(topic, 0).isPresent();
        });
        int leader = client.cluster().leaderFor(topic, 0).orElseThrow().id();
        pollUntil(client, WAIT, "leader ready", () -> client.ready(leader, false));
        return leader;
    }

    /** Polls until the future is done, keeping what ended, so that the versions sent can be read. */
    private <T> T await(CompletableFuture<T> future) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!future.isDone() && System.nanoTime() < deadline) {
            ended.addAll(client.poll(Duration.ofMillis(100)));
        }
        assertThat(future).as("answered within " + WAIT).isDone();
        return future.get();
    }

    private short versionOf(ApiKey api) {
        return ended.stream().filter(r -> r.apiKey() == api).reduce((a, b) -> b).orElseThrow().version();
    }

    static ProduceRequest produce(String name, Uuid id, String value) {
        ByteBuffer batch = new RecordBatchBuilder().append(System.currentTimeMillis(),
                "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)).build();
        return new ProduceRequest().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(new ArrayList<>(List.of(
                new ProduceRequest.TopicProduceData().setName(name).setTopicId(id).setPartitionData(new ArrayList<>(
                        List.of(new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(batch)))))));
    }

    static FetchRequest fetch(String name, Uuid id) {
        return new FetchRequest().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                .setTopics(new ArrayList<>(List.of(new FetchRequest.FetchTopic().setTopic(name).setTopicId(id)
                        .setPartitions(new ArrayList<>(List.of(new FetchRequest.FetchPartition().setPartition(0)
                                .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))))));
    }
}
