package io.kwire.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;

/**
 * The payloads both clients are measured on. Everything is built once with Apache kafka-clients' generated
 * {@code *Data} classes; kwire gets the very same bytes (decode) or an object read from them (encode), and the
 * codec benchmark checks at set-up that both encoders produce identical bytes.
 */
public final class Payloads {

    public static final short API_VERSIONS_VERSION = 4;
    public static final short METADATA_VERSION = 12;
    public static final short PRODUCE_VERSION = 12;
    public static final short FETCH_VERSION = 16;
    public static final long TIMESTAMP = 1_700_000_000_000L;
    public static final int PARTITIONS_PER_TOPIC = 10;

    private Payloads() {
    }

    public static String topic(int i) {
        return "bench-topic-" + i;
    }

    /** An ApiVersions answer like a 4.1 broker's: every API both sides know, up to the lower of the two maxima. */
    public static ApiVersionsResponseData apiVersionsResponse() {
        ApiVersionsResponseData.ApiVersionCollection keys = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiKeys k : ApiKeys.brokerApis()) {
            io.kwire.protocol.ApiKey kk;
            try {
                kk = io.kwire.protocol.ApiKey.forId(k.id);
            } catch (RuntimeException e) {
                continue;
            }
            if (kk == null) {
                continue;
            }
            short max = (short) Math.min(k.latestVersion(false), kk.highestSupportedVersion());
            short min = (short) Math.max(k.oldestVersion(), kk.lowestSupportedVersion());
            if (min > max) {
                continue;
            }
            keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey(k.id).setMinVersion(min).setMaxVersion(max));
        }
        return new ApiVersionsResponseData().setErrorCode((short) 0).setThrottleTimeMs(0).setApiKeys(keys);
    }

    public static MetadataRequestData metadataRequest(int topics) {
        MetadataRequestData d = new MetadataRequestData().setAllowAutoTopicCreation(false);
        List<MetadataRequestData.MetadataRequestTopic> list = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            list.add(new MetadataRequestData.MetadataRequestTopic().setName(topic(i)).setTopicId(Uuid.ZERO_UUID));
        }
        return d.setTopics(list);
    }

    /** A 3-broker cluster's answer for {@code topics} topics of {@code partitions} partitions, replication 3. */
    public static MetadataResponseData metadataResponse(int topics, int partitions, String host, int port) {
        MetadataResponseData d = new MetadataResponseData().setClusterId("kwire-bench-cluster-id").setControllerId(0);
        MetadataResponseData.MetadataResponseBrokerCollection brokers =
                new MetadataResponseData.MetadataResponseBrokerCollection();
        for (int b = 0; b < 3; b++) {
            // Node 0 is the one the benchmark talks to; the others are never connected to.
            brokers.add(new MetadataResponseData.MetadataResponseBroker().setNodeId(b).setHost(host)
                    .setPort(b == 0 ? port : port + 10_000 + b).setRack("rack-" + b));
        }
        d.setBrokers(brokers);
        MetadataResponseData.MetadataResponseTopicCollection ts = new MetadataResponseData.MetadataResponseTopicCollection();
        for (int t = 0; t < topics; t++) {
            List<MetadataResponseData.MetadataResponsePartition> ps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                int leader = (t + p) % 3;
                ps.add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(p).setLeaderId(leader)
                        .setLeaderEpoch(7).setReplicaNodes(List.of(leader, (leader + 1) % 3, (leader + 2) % 3))
                        .setIsrNodes(List.of(leader, (leader + 1) % 3, (leader + 2) % 3))
                        .setOfflineReplicas(List.of()));
            }
            ts.add(new MetadataResponseData.MetadataResponseTopic().setName(topic(t))
                    .setTopicId(new Uuid(0x1234_5678L + t, 0x9abc_def0L + t)).setPartitions(ps));
        }
        return d.setTopics(ts);
    }

    public static MetadataResponseData metadataResponse(int topics, int partitions) {
        return metadataResponse(topics, partitions, "broker-0.kafka.example.internal", 9092);
    }

    /** A magic v2 batch, uncompressed, of {@code count} records with {@code valueSize}-byte values and no key. */
    public static ByteBuffer recordBatch(int count, int valueSize) {
        MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(count * (valueSize + 32) + 128),
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        byte[] value = value(valueSize);
        for (int i = 0; i < count; i++) {
            b.append(TIMESTAMP + i, null, value);
        }
        return b.build().buffer();
    }

    public static byte[] value(int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) ('a' + i % 26);
        }
        return v;
    }

    public static ProduceRequestData produceRequest(int topics, int partitions, ByteBuffer batch) {
        ProduceRequestData.TopicProduceDataCollection td = new ProduceRequestData.TopicProduceDataCollection();
        for (int t = 0; t < topics; t++) {
            List<ProduceRequestData.PartitionProduceData> ps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                ps.add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                        .setRecords(MemoryRecords.readableRecords(batch.duplicate())));
            }
            td.add(new ProduceRequestData.TopicProduceData().setName(topic(t)).setPartitionData(ps));
        }
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000).setTopicData(td);
    }

    public static FetchResponseData fetchResponse(int topics, int partitions, ByteBuffer batch) {
        List<FetchResponseData.FetchableTopicResponse> rs = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            List<FetchResponseData.PartitionData> ps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                ps.add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1000)
                        .setLastStableOffset(1000).setLogStartOffset(0)
                        .setRecords(MemoryRecords.readableRecords(batch.duplicate())));
            }
            rs.add(new FetchResponseData.FetchableTopicResponse().setTopic(topic(t))
                    .setTopicId(new Uuid(0x1234_5678L + t, 0x9abc_def0L + t)).setPartitions(ps));
        }
        return new FetchResponseData().setSessionId(0).setResponses(rs);
    }

    /** The body bytes of a message at a version, as Apache writes them: a writable heap buffer, like a received frame (read-only buffers have no accessible array and send both decoders down their slow string paths). */
    public static ByteBuffer bytes(ApiMessage message, short version) {
        return MessageUtil.toByteBufferAccessor(message, version).buffer().rewind();
    }

    public static byte[] array(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
