package io.kwire.bench.cluster;

import io.kwire.bench.Payloads;
import io.kwire.client.ClusterMetadata;
import io.kwire.internal.metadata.MetadataTracker;
import io.kwire.internal.util.ExponentialBackoff;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.message.MetadataResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.ClusterResourceListeners;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.utils.LogContext;

/**
 * A large cluster's Metadata answer, built with Apache's generated classes so that both clients read the same bytes:
 * {@code brokers} brokers (ids 0..n-1, one host name each, racks of ten), topics of {@link #PARTITIONS_PER_TOPIC}
 * partitions, replication 3 with the replicas spread over all brokers, the ISR equal to the replicas (a healthy
 * cluster). {@link #refresh} is the next answer of the same cluster with 1% of the partitions' leaders moved to
 * their second replica and those leader epochs one higher.
 *
 * <p>Both clients apply answers the way they do in production: kwire through {@link MetadataTracker#update} (what
 * {@code MetadataUpdater} calls), Apache through {@link Metadata#updateWithCurrentRequestVersion} on a fresh
 * {@code MetadataResponse} wrapper, which builds its {@code MetadataSnapshot} and the {@code Cluster} in it.
 */
public final class LargeCluster {

    public static final short VERSION = Payloads.METADATA_VERSION;
    public static final int BROKERS = 1000;
    public static final int PARTITIONS_PER_TOPIC = 100;
    /** One partition in this many changes leader in {@link #refresh}. */
    public static final int CHANGED_ONE_IN = 100;

    private LargeCluster() {
    }

    public static MetadataResponseData response(int brokers, int partitions, boolean refresh) {
        return response(brokers, partitions, PARTITIONS_PER_TOPIC, refresh);
    }

    /** The answer for {@code partitions} partitions in topics of {@code perTopicMax} (a divisor of it). */
    public static MetadataResponseData response(int brokers, int partitions, int perTopicMax, boolean refresh) {
        MetadataResponseData d = new MetadataResponseData().setClusterId("kwire-large-cluster-id").setControllerId(0);
        MetadataResponseData.MetadataResponseBrokerCollection bs =
                new MetadataResponseData.MetadataResponseBrokerCollection(brokers);
        for (int b = 0; b < brokers; b++) {
            bs.add(new MetadataResponseData.MetadataResponseBroker().setNodeId(b)
                    .setHost("broker-" + b + ".kafka.example.internal").setPort(9092).setRack("rack-" + b % 10));
        }
        d.setBrokers(bs);
        int perTopic = Math.min(partitions, perTopicMax);
        int topics = (partitions + perTopic - 1) / perTopic;
        MetadataResponseData.MetadataResponseTopicCollection ts =
                new MetadataResponseData.MetadataResponseTopicCollection(topics);
        int global = 0;
        for (int t = 0; t < topics; t++) {
            List<MetadataResponseData.MetadataResponsePartition> ps = new ArrayList<>(perTopic);
            for (int p = 0; p < perTopic; p++, global++) {
                int r0 = global % brokers;
                int r1 = (global + 1 + global / brokers) % brokers;
                if (r1 == r0) {
                    r1 = (r1 + 1) % brokers;
                }
                int r2 = (r1 + 1) % brokers;
                if (r2 == r0) {
                    r2 = (r2 + 1) % brokers;
                }
                boolean moved = refresh && global % CHANGED_ONE_IN == 0;
                int leader = moved ? r1 : r0;
                List<Integer> replicas = List.of(r0, r1, r2);
                ps.add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(p).setLeaderId(leader)
                        .setLeaderEpoch(moved ? 8 : 7).setReplicaNodes(replicas).setIsrNodes(replicas)
                        .setOfflineReplicas(List.of()));
            }
            ts.add(new MetadataResponseData.MetadataResponseTopic().setName(topic(t))
                    .setTopicId(new Uuid(0x1234_5678L + t, 0x9abc_def0L + t)).setPartitions(ps));
        }
        return d.setTopics(ts);
    }

    public static String topic(int t) {
        return "orders.region-" + (t % 17) + ".events-" + t;
    }

    public static ByteBuffer bytes(int brokers, int partitions, boolean refresh) {
        return bytes(brokers, partitions, PARTITIONS_PER_TOPIC, refresh);
    }

    public static ByteBuffer bytes(int brokers, int partitions, int perTopic, boolean refresh) {
        return Payloads.bytes(response(brokers, partitions, perTopic, refresh), VERSION);
    }

    // ------------------------------------------------------------------ the two clients' steps

    public static MetadataResponse decodeKwire(ByteReader reader, ByteBuffer bytes) {
        return MetadataResponse.decode(reader.reset(bytes.duplicate()), VERSION);
    }

    public static org.apache.kafka.common.requests.MetadataResponse decodeApache(ByteBuffer bytes) {
        return new org.apache.kafka.common.requests.MetadataResponse(
                new MetadataResponseData(new ByteBufferAccessor(bytes.duplicate()), VERSION), VERSION);
    }

    /** kwire's metadata state as a client has it: refreshes every 5 minutes, back-off 100 ms to 1 s. */
    public static MetadataTracker kwireTracker() {
        MetadataTracker tracker = new MetadataTracker(300_000, new ExponentialBackoff(100, 1000, 0.2, Math::random));
        tracker.setAllTopics(true);
        return tracker;
    }

    public static ClusterMetadata applyKwire(MetadataTracker tracker, MetadataResponse response) {
        tracker.newRequest(0);
        return tracker.update(response, 0, Instant.EPOCH);
    }

    /** Apache's metadata state with the producer's and consumer's default back-off and expiry. */
    public static Metadata apacheMetadata() {
        return new Metadata(100, 1000, 300_000, new LogContext(), new ClusterResourceListeners());
    }

    /** Applies the answer (wrapped afresh, as each received answer is) the way NetworkClient's updater does. */
    public static Metadata applyApache(Metadata metadata, MetadataResponseData data) {
        metadata.updateWithCurrentRequestVersion(new org.apache.kafka.common.requests.MetadataResponse(data, VERSION),
                false, 0);
        return metadata;
    }
}
