package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.ClusterMetadata;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.Record;
import io.kwire.protocol.records.RecordBatch;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.protocol.records.RecordBatchReader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A record batch larger than the client's 256 KiB send staging buffer, produced and fetched back: the batch is
 * sent by reference (a spliced frame) over several staging rounds, and every record must come back intact.
 */
public final class LargeBatches {

    private static final int RECORDS = 600;

    private LargeBatches() {
    }

    /** Produces one ~600 KB batch to partition 0 of {@code topic}, which must exist, and reads it back. */
    public static void produceAndFetchBack(KafkaClient c, String topic) throws Exception {
        produceAndFetchBack(c, topic, false);
    }

    /**
     * As {@link #produceAndFetchBack(KafkaClient, String)}; with {@code direct}, the batch is built into a direct
     * buffer ({@link RecordBatchBuilder#buildInto}) after 16 bytes of the caller's own, which must come through
     * untouched: a plaintext or OpenSSL connection sends such a batch without copying it first.
     */
    public static void produceAndFetchBack(KafkaClient c, String topic, boolean direct) throws Exception {
        CompletableFuture<ClusterMetadata> known = c.addTopic(topic);
        pollUntil(c, Duration.ofSeconds(20), "leader of " + topic, () -> {
            if (known.isDone() && c.cluster().leaderFor(topic, 0).isEmpty()) {
                c.requestMetadataUpdate();
            }
            return c.cluster().leaderFor(topic, 0).isPresent();
        });
        int leader = c.cluster().leaderFor(topic, 0).orElseThrow().id();
        Uuid topicId = c.cluster().topic(topic).orElseThrow().topicId();
        pollUntil(c, Duration.ofSeconds(20), "leader ready", () -> c.ready(leader, false));

        RecordBatchBuilder builder = new RecordBatchBuilder();
        byte[] value = new byte[1000];
        for (int i = 0; i < RECORDS; i++) {
            Arrays.fill(value, (byte) i);
            builder.append(System.currentTimeMillis(), ("k" + i).getBytes(), value.clone());
        }
        ByteBuffer target = null;
        ByteBuffer batch;
        if (direct) {
            target = ByteBuffer.allocateDirect(16 + builder.estimatedSizeInBytes() + 16);
            target.putLong(0x6b77697265L).putLong(-1L);
            batch = builder.buildInto(target);
            assertThat(batch.isDirect()).isTrue();
            assertThat(target.position()).isEqualTo(16 + batch.limit());
        } else {
            batch = builder.build();
        }
        ProduceRequest produce = new ProduceRequest().setAcks((short) -1).setTimeoutMs(10_000);
        produce.setTopicData(new ArrayList<>(List.of(new ProduceRequest.TopicProduceData().setName(topic)
                .setTopicId(topicId).setPartitionData(new ArrayList<>(List.of(
                        new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(batch)))))));
        CompletableFuture<ProduceResponse> produced = c.send(leader, produce);
        c.poll(Duration.ofSeconds(20), produced);
        assertThat(produced.get().responses().get(0).partitionResponses().get(0).errorCode()).isZero();
        assertThat(batch.position()).as("the caller's batch is not moved").isZero();
        if (target != null) {
            assertThat(target.getLong(0)).as("the caller's bytes before the batch").isEqualTo(0x6b77697265L);
            assertThat(target.getLong(8)).isEqualTo(-1L);
        }

        FetchRequest fetch = new FetchRequest().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1)
                .setMaxBytes(2 << 20);
        fetch.setTopics(new ArrayList<>(List.of(new FetchRequest.FetchTopic().setTopic(topic).setTopicId(topicId)
                .setPartitions(new ArrayList<>(List.of(new FetchRequest.FetchPartition().setPartition(0)
                        .setFetchOffset(0).setPartitionMaxBytes(2 << 20)))))));
        CompletableFuture<FetchResponse> fetched = c.send(leader, fetch);
        c.poll(Duration.ofSeconds(20), fetched);
        ByteBuffer records = fetched.get().responses().get(0).partitions().get(0).records();
        List<Record> read = new ArrayList<>();
        for (RecordBatch b : new RecordBatchReader(records)) {
            read.addAll(b.records());
        }
        assertThat(read).hasSize(RECORDS);
        for (int i : new int[] {0, 7, 255, 256, RECORDS - 1}) {
            assertThat(read.get(i).valueBytes()).as("record %d", i).hasSize(1000).containsOnly((byte) i);
            assertThat(new String(read.get(i).keyBytes())).isEqualTo("k" + i);
        }
    }
}
