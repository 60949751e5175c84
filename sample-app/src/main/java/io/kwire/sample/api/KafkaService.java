package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.BrokerVersions;
import io.kwire.client.ConnectionState;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.ProtocolException;
import io.kwire.errors.UnrecognizedBrokerVersionException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Errors.KafkaError;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.CreateTopicsRequest;
import io.kwire.protocol.message.CreateTopicsResponse;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.ListOffsetsRequest;
import io.kwire.protocol.message.ListOffsetsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.Compression;
import io.kwire.protocol.records.Header;
import io.kwire.protocol.records.Record;
import io.kwire.protocol.records.RecordBatch;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.protocol.records.RecordBatchReader;
import io.kwire.sample.api.Views.ApiVersionView;
import io.kwire.sample.api.Views.BrokerStatusView;
import io.kwire.sample.api.Views.BrokerView;
import io.kwire.sample.api.Views.ClusterView;
import io.kwire.sample.api.Views.CreateTopicRequest;
import io.kwire.sample.api.Views.CreatedTopicView;
import io.kwire.sample.api.Views.HeaderView;
import io.kwire.sample.api.Views.PartitionView;
import io.kwire.sample.api.Views.ProducedView;
import io.kwire.sample.api.Views.RecordInput;
import io.kwire.sample.api.Views.RecordView;
import io.kwire.sample.api.Views.RecordsView;
import io.kwire.sample.api.Views.TopicView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Everything the API does with Kafka, written directly against the kwire client: protocol messages in, futures out.
 * Each operation asks the broker for fresh metadata of the topic it touches (leader, leader epoch, topic id), so a
 * topic created a moment ago, or one whose leader moved, works without waiting for the client's periodic refresh.
 */
@Service
public class KafkaService {

    /** Kafka's rule for topic names. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    static final int MAX_RECORDS_PER_REQUEST = 1000;
    private static final int BROKER_TIMEOUT_MS = 15_000;
    private static final int FETCH_MAX_BYTES = 4 * 1024 * 1024;
    private static final int PARTITION_MAX_BYTES = 1024 * 1024;

    private final KwireClient client;
    /** How long a caller waits for a future: the client's own request timeout (which fails it first) plus slack. */
    private final Duration awaitTimeout;

    public KafkaService(KwireClient client) {
        this.client = client;
        this.awaitTimeout = client.config().requestTimeout().plusSeconds(5);
    }

    // ---------------------------------------------------------------------------------------------- cluster

    /** A metadata request for all topics ({@code topics = null}) and the client's connection states. */
    public ClusterView cluster() {
        MetadataResponse response = await(client.send(new MetadataRequest().setTopics(null)
                .setAllowAutoTopicCreation(false)), "Metadata");
        List<BrokerView> brokers = response.brokers().stream()
                .map(b -> new BrokerView(b.nodeId(), b.host(), b.port(), b.rack()))
                .sorted(Comparator.comparingInt(BrokerView::id))
                .toList();
        List<TopicView> topics = response.topics().stream()
                .map(t -> new TopicView(t.name(), idText(t.topicId()), t.isInternal(),
                        t.partitions().stream()
                                .map(p -> new PartitionView(p.partitionIndex(), p.leaderId(), p.leaderEpoch(),
                                        p.replicaNodes(), p.isrNodes(), p.offlineReplicas(), errorName(p.errorCode())))
                                .sorted(Comparator.comparingInt(PartitionView::partition))
                                .toList(),
                        errorName(t.errorCode())))
                .sorted(Comparator.comparing(TopicView::name, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        Integer controller = response.controllerId() >= 0 ? response.controllerId() : null;
        return new ClusterView(response.clusterId(), controller, brokers, topics, connections());
    }

    /** Every connection the client has tried, by node id (bootstrap addresses have negative ids). */
    private Map<String, String> connections() {
        Map<String, String> connections = new LinkedHashMap<>();
        new TreeMap<>(client.connectionStates()).forEach((id, state) -> connections.put(id.toString(), state.name()));
        return connections;
    }

    // ---------------------------------------------------------------------------------------------- brokers

    /**
     * Each broker of the client's latest metadata with its connection state, its ApiVersions answer (asked of that
     * broker now) and the Kafka release inferred from it. A broker that cannot be asked is listed with an error.
     */
    public List<BrokerStatusView> brokers() {
        List<Node> nodes = new ArrayList<>(client.cluster().brokers());
        if (nodes.isEmpty()) {
            // No metadata yet (the client is still bootstrapping): one metadata round trip fills it.
            cluster();
            nodes = new ArrayList<>(client.cluster().brokers());
        }
        nodes.sort(Comparator.comparingInt(Node::id));
        Map<Integer, CompletableFuture<ApiVersionsResponse>> asked = new LinkedHashMap<>();
        for (Node node : nodes) {
            asked.put(node.id(), client.send(node.id(), new ApiVersionsRequest()
                    .setClientSoftwareName(client.config().clientSoftwareName())
                    .setClientSoftwareVersion(client.config().clientSoftwareVersion())));
        }
        List<BrokerStatusView> views = new ArrayList<>();
        for (Node node : nodes) {
            ApiVersionsResponse response = null;
            String error = null;
            try {
                response = await(asked.get(node.id()), "ApiVersions to broker " + node.id());
                if (response.errorCode() != 0) {
                    error = errorName(response.errorCode());
                }
            } catch (KwireException e) {
                error = e.getMessage();
            }
            ConnectionState state = client.connectionStates().get(node.id());
            List<ApiVersionView> apis = List.of();
            String release = null;
            Boolean newer = null;
            if (response != null && error == null) {
                Map<Short, short[]> ranges = new TreeMap<>();
                for (ApiVersionsResponse.ApiVersion v : response.apiKeys()) {
                    ranges.put(v.apiKey(), new short[] {v.minVersion(), v.maxVersion()});
                }
                apis = response.apiKeys().stream()
                        .map(v -> new ApiVersionView(v.apiKey(), apiName(v.apiKey()), v.minVersion(), v.maxVersion()))
                        .sorted(Comparator.comparingInt(ApiVersionView::apiKey))
                        .toList();
                try {
                    BrokerVersion version = BrokerVersions.infer(ranges, false);
                    release = version.toString();
                    newer = BrokerVersions.newerThanKnown(ranges);
                } catch (UnrecognizedBrokerVersionException | IllegalArgumentException e) {
                    error = "release not recognized: " + e.getMessage();
                }
            }
            views.add(new BrokerStatusView(node.id(), node.host(), node.port(), node.rack(),
                    state == null ? "NOT_CONNECTED" : state.name(), release, newer, apis, error));
        }
        return views;
    }

    private static String apiName(short key) {
        try {
            return ApiKey.forId(key).displayName();
        } catch (ProtocolException e) {
            return "Unknown(" + key + ")";
        }
    }

    // ---------------------------------------------------------------------------------------------- topics

    /** CreateTopics, then waits (briefly) until every partition has a leader, so producing right away works. */
    public CreatedTopicView createTopic(CreateTopicRequest request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body {\"name\": ..., \"partitions\": ..., \"replicationFactor\": ...} is required");
        }
        String name = checkTopicName(request.name());
        int partitions = request.partitions() == null ? 1 : request.partitions();
        int replicationFactor = request.replicationFactor() == null ? 1 : request.replicationFactor();
        if (partitions < 1 || partitions > 10_000) {
            throw ApiException.badRequest("partitions must be between 1 and 10000, got " + partitions);
        }
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw ApiException.badRequest("replicationFactor must be at least 1, got " + replicationFactor);
        }
        CreateTopicsRequest create = new CreateTopicsRequest()
                .setTopics(List.of(new CreateTopicsRequest.CreatableTopic()
                        .setName(name)
                        .setNumPartitions(partitions)
                        .setReplicationFactor((short) replicationFactor)))
                .setTimeoutMs(BROKER_TIMEOUT_MS);
        CreateTopicsResponse response = await(client.send(create), "CreateTopics");
        CreateTopicsResponse.CreatableTopicResult result = response.topics().stream()
                .filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> new KwireException("CreateTopics answer does not mention topic '" + name + "'"));
        KafkaError error = Errors.forCode(result.errorCode());
        if (!error.isNone()) {
            throw ApiException.kafka(error, result.errorMessage() != null ? result.errorMessage()
                    : "Cannot create topic '" + name + "': " + error.description());
        }
        MetadataResponse.MetadataResponseTopic topic = awaitLeaders(name, Duration.ofSeconds(10));
        String topicId = topic != null ? idText(topic.topicId()) : idText(result.topicId());
        return new CreatedTopicView(name, topicId, partitions, replicationFactor);
    }

    private MetadataResponse.MetadataResponseTopic awaitLeaders(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MetadataResponse.MetadataResponseTopic topic = topicMetadata(name);
            boolean ready = topic.errorCode() == 0 && !topic.partitions().isEmpty()
                    && topic.partitions().stream().allMatch(p -> p.errorCode() == 0 && p.leaderId() >= 0);
            if (ready || System.nanoTime() > deadline) {
                return topic;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return topic;
            }
        }
    }

    /** One topic as a fresh metadata response describes it (any error code left for the caller to judge). */
    private MetadataResponse.MetadataResponseTopic topicMetadata(String name) {
        MetadataResponse response = await(client.send(new MetadataRequest()
                .setTopics(List.of(new MetadataRequest.MetadataRequestTopic().setName(name)))
                .setAllowAutoTopicCreation(false)), "Metadata");
        return response.topics().stream().filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> ApiException.notFound("Unknown topic", "Topic '" + name + "' does not exist"));
    }

    /** Where a partition lives right now: leader id and epoch, and the topic id. */
    record PartitionLeader(String topic, Uuid topicId, int partition, int leader, int leaderEpoch) {
    }

    PartitionLeader leaderOf(String topic, int partition) {
        MetadataResponse.MetadataResponseTopic t = topicMetadata(topic);
        KafkaError topicError = Errors.forCode(t.errorCode());
        if (topicError.name().equals("UNKNOWN_TOPIC_OR_PARTITION")) {
            throw ApiException.notFound("Unknown topic", "Topic '" + topic + "' does not exist");
        }
        if (!topicError.isNone()) {
            throw ApiException.kafka(topicError, "Cannot look up topic '" + topic + "': " + topicError.description());
        }
        MetadataResponse.MetadataResponsePartition p = t.partitions().stream()
                .filter(x -> x.partitionIndex() == partition).findFirst()
                .orElseThrow(() -> ApiException.notFound("Unknown partition", "Topic '" + topic + "' has "
                        + t.partitions().size() + " partition(s), numbered from 0; there is no partition " + partition));
        KafkaError partitionError = Errors.forCode(p.errorCode());
        if (!partitionError.isNone() && p.leaderId() < 0) {
            throw ApiException.kafka(partitionError, "Partition " + topic + "-" + partition + " has no leader: "
                    + partitionError.name());
        }
        if (p.leaderId() < 0) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "No leader",
                    "Partition " + topic + "-" + partition + " has no leader right now", Errors.forCode((short) 5));
        }
        return new PartitionLeader(topic, t.topicId(), partition, p.leaderId(), p.leaderEpoch());
    }

    // ---------------------------------------------------------------------------------------------- produce

    /** One record batch with all the records, produced with acks=-1 to the partition's leader. */
    public ProducedView produce(String topic, int partition, List<RecordInput> records) {
        checkTopicName(topic);
        checkPartition(partition);
        if (records == null || records.isEmpty()) {
            throw ApiException.badRequest("give a record {\"key\": ..., \"value\": ..., \"headers\": {...}} or a list of them");
        }
        if (records.size() > MAX_RECORDS_PER_REQUEST) {
            throw ApiException.badRequest("at most " + MAX_RECORDS_PER_REQUEST + " records per request, got " + records.size());
        }
        PartitionLeader leader = leaderOf(topic, partition);
        long now = System.currentTimeMillis();
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE);
        for (int i = 0; i < records.size(); i++) {
            RecordInput r = records.get(i);
            if (r == null) {
                throw ApiException.badRequest("record " + i + " is null");
            }
            List<Header> headers = new ArrayList<>();
            if (r.headers() != null) {
                r.headers().forEach((k, v) -> {
                    if (k == null || k.isEmpty()) {
                        throw ApiException.badRequest("header names must not be empty");
                    }
                    headers.add(v == null ? new Header(k, (ByteBuffer) null) : Header.of(k, v));
                });
            }
            batch.append(now, utf8(r.key()), utf8(r.value()), headers.toArray(new Header[0]));
        }
        ProduceRequest request = new ProduceRequest()
                .setAcks((short) -1)
                .setTimeoutMs(BROKER_TIMEOUT_MS)
                .setTopicData(List.of(new ProduceRequest.TopicProduceData()
                        .setName(topic)
                        .setTopicId(leader.topicId())
                        .setPartitionData(List.of(new ProduceRequest.PartitionProduceData()
                                .setIndex(partition)
                                .setRecords(batch.build())))));
        ProduceResponse response = await(client.send(leader.leader(), request), "Produce to broker " + leader.leader());
        ProduceResponse.PartitionProduceResponse result = response.responses().stream()
                .flatMap(t -> t.partitionResponses().stream())
                .filter(p -> p.index() == partition).findFirst()
                .orElseThrow(() -> new KwireException("Produce answer does not mention partition " + topic + "-" + partition));
        KafkaError error = Errors.forCode(result.errorCode());
        if (!error.isNone()) {
            String message = result.errorMessage() != null && !result.errorMessage().isBlank() ? result.errorMessage()
                    : error.description();
            throw ApiException.kafka(error, "Produce to " + topic + "-" + partition + " failed: " + message);
        }
        Long appendTime = result.logAppendTimeMs() >= 0 ? result.logAppendTimeMs() : null;
        return new ProducedView(topic, partition, result.baseOffset(), records.size(), appendTime);
    }

    // ---------------------------------------------------------------------------------------------- fetch

    /** Fetches from the leader, from {@code offset} on, and decodes at most {@code maxRecords} records. */
    public RecordsView fetch(String topic, int partition, long offset, int maxRecords) {
        checkTopicName(topic);
        checkPartition(partition);
        if (offset < 0) {
            throw ApiException.badRequest("offset must be 0 or more, got " + offset);
        }
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_PER_REQUEST) {
            throw ApiException.badRequest("maxRecords must be between 1 and " + MAX_RECORDS_PER_REQUEST + ", got " + maxRecords);
        }
        PartitionLeader leader = leaderOf(topic, partition);
        FetchRequest request = new FetchRequest()
                .setReplicaId(-1)
                .setMaxWaitMs(0)
                .setMinBytes(0)
                .setMaxBytes(FETCH_MAX_BYTES)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequest.FetchTopic()
                        .setTopic(topic)
                        .setTopicId(leader.topicId())
                        .setPartitions(List.of(new FetchRequest.FetchPartition()
                                .setPartition(partition)
                                .setCurrentLeaderEpoch(leader.leaderEpoch())
                                .setFetchOffset(offset)
                                .setLogStartOffset(-1)
                                .setPartitionMaxBytes(PARTITION_MAX_BYTES)))));
        FetchResponse response = await(client.send(leader.leader(), request), "Fetch from broker " + leader.leader());
        KafkaError topLevel = Errors.forCode(response.errorCode());
        if (!topLevel.isNone()) {
            throw ApiException.kafka(topLevel, "Fetch from " + topic + "-" + partition + " failed: " + topLevel.description());
        }
        FetchResponse.PartitionData data = response.responses().stream()
                .flatMap(t -> t.partitions().stream())
                .filter(p -> p.partitionIndex() == partition).findFirst()
                .orElseThrow(() -> new KwireException("Fetch answer does not mention partition " + topic + "-" + partition));
        KafkaError error = Errors.forCode(data.errorCode());
        if (error.name().equals("OFFSET_OUT_OF_RANGE")) {
            throw offsetOutOfRange(leader, offset, error);
        }
        if (!error.isNone()) {
            throw ApiException.kafka(error, "Fetch from " + topic + "-" + partition + " failed: " + error.description());
        }
        List<RecordView> records = new ArrayList<>();
        long next = offset;
        ByteBuffer bytes = data.records();
        if (bytes != null && bytes.hasRemaining()) {
            batches:
            for (RecordBatch batch : new RecordBatchReader(bytes)) {
                if (batch.isControlBatch()) {
                    next = Math.max(next, batch.nextOffset());
                    continue;
                }
                for (Record r : batch) { // decoded as reached: records after maxRecords are never decoded
                    if (r.offset() < offset) {
                        continue; // a batch starts before the offset asked for
                    }
                    if (records.size() == maxRecords) {
                        break batches;
                    }
                    records.add(view(r, batch));
                    next = r.offset() + 1;
                }
                if (records.size() < maxRecords) {
                    next = Math.max(next, batch.nextOffset());
                }
            }
        }
        return new RecordsView(topic, partition, offset, next, data.highWatermark(), data.logStartOffset(), records);
    }

    private static RecordView view(Record r, RecordBatch batch) {
        List<HeaderView> headers = r.headers().stream()
                .map(h -> new HeaderView(h.key(), text(h.valueBytes())))
                .toList();
        return new RecordView(r.offset(), r.timestamp(), batch.timestampType().name(),
                r.hasKey() ? text(r.keyBytes()) : null, r.hasValue() ? text(r.valueBytes()) : null, headers);
    }

    /** 416 with the partition's actual range (asked with ListOffsets), so the caller can correct the offset. */
    private ApiException offsetOutOfRange(PartitionLeader leader, long offset, KafkaError error) {
        String where = leader.topic() + "-" + leader.partition();
        String range = "";
        try {
            long earliest = listOffset(leader, -2L);
            long latest = listOffset(leader, -1L);
            range = ": the partition holds offsets from " + earliest + " up to (not including) " + latest;
        } catch (RuntimeException e) {
            // the range is a courtesy; the error stands without it
        }
        return new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Offset out of range",
                "Offset " + offset + " is out of range for " + where + range, error);
    }

    /** ListOffsets for one partition: {@code -2} earliest, {@code -1} latest. */
    long listOffset(PartitionLeader leader, long timestamp) {
        ListOffsetsRequest request = new ListOffsetsRequest()
                .setReplicaId(-1)
                .setTopics(List.of(new ListOffsetsRequest.ListOffsetsTopic()
                        .setName(leader.topic())
                        .setPartitions(List.of(new ListOffsetsRequest.ListOffsetsPartition()
                                .setPartitionIndex(leader.partition())
                                .setCurrentLeaderEpoch(leader.leaderEpoch())
                                .setTimestamp(timestamp)))));
        ListOffsetsResponse response = await(client.send(leader.leader(), request), "ListOffsets");
        ListOffsetsResponse.ListOffsetsPartitionResponse p = response.topics().stream()
                .flatMap(t -> t.partitions().stream()).findFirst()
                .orElseThrow(() -> new KwireException("ListOffsets answer is empty"));
        if (p.errorCode() != 0) {
            throw ApiException.kafka(Errors.forCode(p.errorCode()), "ListOffsets failed");
        }
        return p.offset();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Waits for a request's future within the client's request timeout (plus slack), unwrapping its failure. */
    <R extends ApiResponse> R await(CompletableFuture<R> future, String what) {
        try {
            return future.get(awaitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KwireException k) {
                throw k;
            }
            throw new KwireException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new KwireTimeoutException(what + " got no answer within " + awaitTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KwireException(what + " was interrupted", e);
        }
    }

    static String checkTopicName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("a topic name is required");
        }
        if (!TOPIC_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw ApiException.badRequest("'" + name + "' is not a valid topic name: use 1 to 249 of a-z A-Z 0-9 . _ -");
        }
        return name;
    }

    private static void checkPartition(int partition) {
        if (partition < 0) {
            throw ApiException.badRequest("partition must be 0 or more, got " + partition);
        }
    }

    private static String errorName(short code) {
        return code == 0 ? null : Errors.forCode(code).name();
    }

    private static String idText(Uuid id) {
        return id == null || Uuid.ZERO.equals(id) ? null : id.toString();
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 text; bytes that are not UTF-8 become U+FFFD. */
    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
