package io.kwire.sample.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API, as records. */
public final class Views {

    private Views() {
    }

    public record BrokerView(int id, String host, int port, String rack) {
    }

    public record PartitionView(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
                                List<Integer> offlineReplicas, String error) {
    }

    public record TopicView(String name, String topicId, boolean internal, List<PartitionView> partitions,
                            String error) {
    }

    /** {@code GET /api/cluster}: what a metadata request for all topics says, plus the client's connections. */
    public record ClusterView(String clusterId, Integer controller, List<BrokerView> brokers, List<TopicView> topics,
                              Map<String, String> connections) {
    }

    public record ApiVersionView(int apiKey, String name, int minVersion, int maxVersion) {
    }

    /** {@code GET /api/brokers}: one broker as the client sees it and as its ApiVersions answer describes it. */
    public record BrokerStatusView(int id, String host, int port, String rack, String connectionState,
                                   String inferredRelease, Boolean newerThanKnownReleases,
                                   List<ApiVersionView> apiVersions, String error) {
    }

    /**
     * {@code POST /api/topics}; partitions and replication factor default to 1. The bounds are input checks (Bean
     * Validation): whether the cluster has that many brokers is for the broker to say.
     */
    public record CreateTopicRequest(@TopicName String name,
                                     @Min(1) @Max(CreateTopicRequest.MAX_PARTITIONS) Integer partitions,
                                     @Min(1) @Max(Short.MAX_VALUE) Integer replicationFactor) {

        /** More partitions than this in one request is a typo rather than a plan. */
        public static final int MAX_PARTITIONS = 10_000;

        public int partitionsOrDefault() {
            return partitions == null ? 1 : partitions;
        }

        public int replicationFactorOrDefault() {
            return replicationFactor == null ? 1 : replicationFactor;
        }
    }

    public record CreatedTopicView(String name, String topicId, int partitions, int replicationFactor) {
    }

    /** One record to produce: key and value as UTF-8 text (either may be null), headers as name to text. */
    public record RecordInput(String key, String value,
                              Map<@NotEmpty(message = "header names must not be empty") String, String> headers) {
    }

    public record ProducedView(String topic, int partition, long baseOffset, int recordCount, Long logAppendTime) {
    }

    public record HeaderView(String key, String value) {
    }

    public record RecordView(long offset, long timestamp, String timestampType, String key, String value,
                             List<HeaderView> headers) {
    }

    /**
     * {@code GET .../records}: the records from {@code offset} on; {@code nextOffset} is where to read next.
     */
    public record RecordsView(String topic, int partition, long offset, long nextOffset, long highWatermark,
                              long logStartOffset, List<RecordView> records) {
    }
}
