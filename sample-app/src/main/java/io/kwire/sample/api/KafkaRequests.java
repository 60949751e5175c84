package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.CreateTopicsRequest;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.ListOffsetsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.records.RecordBatchBuilder;
import java.util.List;

/**
 * The protocol requests the app sends, each built in one place with the choices it makes spelled out: acks, which
 * timeouts the broker gets ({@link BrokerTimeouts}), fetch sizes and isolation. The services say what they want in
 * Kafka's words ({@code produce(leader, batch)}); the field-by-field building of generated messages stays here.
 * Stateless; any thread.
 */
public final class KafkaRequests {

    /** Fetch response size limit over all partitions; a page of records is far smaller. */
    static final int FETCH_MAX_BYTES = 4 * 1024 * 1024;
    /** Fetch size limit per partition. */
    static final int PARTITION_MAX_BYTES = 1024 * 1024;
    /** ListOffsets timestamps with a special meaning. */
    static final long EARLIEST = -2L;
    static final long LATEST = -1L;

    private KafkaRequests() {
    }

    /** Metadata of every topic ({@code topics = null}), never creating one. */
    public static MetadataRequest allTopics() {
        return new MetadataRequest().setTopics(null).setAllowAutoTopicCreation(false);
    }

    /** Metadata of one topic, never creating it. */
    public static MetadataRequest topic(String name) {
        return new MetadataRequest()
                .setTopics(List.of(new MetadataRequest.MetadataRequestTopic().setName(name)))
                .setAllowAutoTopicCreation(false);
    }

    /** ApiVersions naming this client's software (KIP-511), as the client's own handshake does. */
    public static ApiVersionsRequest apiVersions(KwireClient client) {
        return new ApiVersionsRequest()
                .setClientSoftwareName(client.config().clientSoftwareName())
                .setClientSoftwareVersion(client.config().clientSoftwareVersion());
    }

    public static CreateTopicsRequest createTopic(String name, int partitions, short replicationFactor,
                                                  BrokerTimeouts timeouts) {
        return new CreateTopicsRequest()
                .setTopics(List.of(new CreateTopicsRequest.CreatableTopic()
                        .setName(name)
                        .setNumPartitions(partitions)
                        .setReplicationFactor(replicationFactor)))
                .setTimeoutMs(timeouts.operationTimeoutMs());
    }

    /** One batch to one partition with acks=-1: answered once every in-sync replica has it. */
    public static ProduceRequest produce(PartitionLeader leader, RecordBatchBuilder batch, BrokerTimeouts timeouts) {
        return new ProduceRequest()
                .setAcks((short) -1)
                .setTimeoutMs(timeouts.operationTimeoutMs())
                .setTopicData(List.of(new ProduceRequest.TopicProduceData()
                        .setName(leader.topic())
                        .setTopicId(leader.topicId())
                        .setPartitionData(List.of(new ProduceRequest.PartitionProduceData()
                                .setIndex(leader.partition())
                                .setRecords(batch.build())))));
    }

    /**
     * A sessionless Fetch of one partition (read uncommitted, as a consumer without transactions). With
     * {@code maxWaitMs = 0} and {@code minBytes = 0} the broker answers at once; with a wait and {@code minBytes = 1}
     * it holds the request until a record arrives or the wait ends: a long poll.
     */
    public static FetchRequest fetch(PartitionLeader leader, long offset, int maxWaitMs, int minBytes) {
        return new FetchRequest()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(minBytes)
                .setMaxBytes(FETCH_MAX_BYTES)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequest.FetchTopic()
                        .setTopic(leader.topic())
                        .setTopicId(leader.topicId())
                        .setPartitions(List.of(new FetchRequest.FetchPartition()
                                .setPartition(leader.partition())
                                .setCurrentLeaderEpoch(leader.leaderEpoch())
                                .setFetchOffset(offset)
                                .setLogStartOffset(-1)
                                .setPartitionMaxBytes(PARTITION_MAX_BYTES)))));
    }

    /** ListOffsets for one partition at a timestamp: {@link #EARLIEST}, {@link #LATEST} or a time. */
    public static ListOffsetsRequest listOffset(PartitionLeader leader, long timestamp) {
        return new ListOffsetsRequest()
                .setReplicaId(-1)
                .setTopics(List.of(new ListOffsetsRequest.ListOffsetsTopic()
                        .setName(leader.topic())
                        .setPartitions(List.of(new ListOffsetsRequest.ListOffsetsPartition()
                                .setPartitionIndex(leader.partition())
                                .setCurrentLeaderEpoch(leader.leaderEpoch())
                                .setTimestamp(timestamp)))));
    }
}
