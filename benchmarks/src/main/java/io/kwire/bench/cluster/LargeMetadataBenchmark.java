package io.kwire.bench.cluster;

import io.kwire.client.ClusterMetadata;
import io.kwire.internal.metadata.MetadataTracker;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.message.MetadataResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.common.message.MetadataResponseData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Metadata answer of {@link LargeCluster#BROKERS} brokers and 1k / 10k / 100k partitions (replication 3), kwire
 * against Apache kafka-clients: {@code decode} (bytes to the response objects), {@code apply} (a first answer into
 * an empty client state: kwire's {@code MetadataTracker.update}, Apache's {@code Metadata.update} building its
 * {@code MetadataSnapshot} and {@code Cluster}) and {@code refresh} (the next answer, with 1% of the leaders moved,
 * into a state that holds the previous one). Run with {@code -prof gc}; scripts/bench.sh part {@code cluster}.
 *
 * <p>{@code refresh} alternates between the two answers on one state: every call applies an answer that differs from
 * the state in 1% of the partitions. Going back to the first answer, those partitions carry an older leader epoch,
 * which both clients detect and skip (keeping the entry they hold), so both do the same comparison work either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class LargeMetadataBenchmark {

    @Param({"1000", "10000", "100000"})
    public int partitions;

    /** Partitions per topic: 100 for the main table; larger topics show a step quadratic in a topic's size. */
    @Param({"100"})
    public int perTopic;

    ByteBuffer bytes;
    final ByteReader reader = new ByteReader(ByteBuffer.allocate(0));

    MetadataResponse kwireFirst;
    MetadataResponse kwireNext;
    MetadataResponseData apacheFirst;
    MetadataResponseData apacheNext;
    MetadataTracker kwireState;
    Metadata apacheState;
    long refreshes;
    ClusterMetadata kwireSnapshot;
    org.apache.kafka.common.Cluster apacheCluster;
    String[] topicOf;
    int[] indexOf;
    org.apache.kafka.common.TopicPartition[] apachePartitions;

    @Setup
    public void setUp() {
        bytes = LargeCluster.bytes(LargeCluster.BROKERS, partitions, perTopic, false);
        ByteBuffer next = LargeCluster.bytes(LargeCluster.BROKERS, partitions, perTopic, true);
        kwireFirst = LargeCluster.decodeKwire(new ByteReader(bytes), bytes);
        kwireNext = LargeCluster.decodeKwire(new ByteReader(next), next);
        apacheFirst = LargeCluster.decodeApache(bytes).data();
        apacheNext = LargeCluster.decodeApache(next).data();
        kwireState = LargeCluster.kwireTracker();
        LargeCluster.applyKwire(kwireState, kwireFirst);
        apacheState = LargeCluster.apacheMetadata();
        LargeCluster.applyApache(apacheState, apacheFirst);
        check();
        kwireSnapshot = LargeCluster.applyKwire(LargeCluster.kwireTracker(), kwireFirst);
        apacheCluster = LargeCluster.applyApache(LargeCluster.apacheMetadata(), apacheFirst).fetch();
        topicOf = new String[partitions];
        indexOf = new int[partitions];
        apachePartitions = new org.apache.kafka.common.TopicPartition[partitions];
        int i = 0;
        for (var t : kwireSnapshot.topics().values()) {
            for (var p : t.partitions()) {
                topicOf[i] = t.name();
                indexOf[i] = p.partition();
                apachePartitions[i] = new org.apache.kafka.common.TopicPartition(t.name(), p.partition());
                i++;
            }
        }
    }

    /** Both clients see the same cluster: the same partition count and the same leader of the moved partition. */
    private void check() {
        ClusterMetadata k = LargeCluster.applyKwire(LargeCluster.kwireTracker(), kwireNext);
        org.apache.kafka.common.Cluster a = LargeCluster.applyApache(LargeCluster.apacheMetadata(), apacheNext).fetch();
        int kp = k.topics().values().stream().mapToInt(t -> t.partitions().size()).sum();
        if (kp != partitions || a.topics().stream().mapToInt(t -> a.partitionCountForTopic(t)).sum() != partitions
                || k.brokers().size() != LargeCluster.BROKERS || a.nodes().size() != LargeCluster.BROKERS) {
            throw new IllegalStateException("the clients disagree on the cluster's size");
        }
        String topic = LargeCluster.topic(0);
        int kl = k.leaderFor(topic, 0).orElseThrow().id();
        int al = a.leaderFor(new org.apache.kafka.common.TopicPartition(topic, 0)).id();
        if (kl != al || kl != 1) {
            throw new IllegalStateException("the moved leader differs: kwire " + kl + ", apache " + al);
        }
    }

    @Benchmark
    public MetadataResponse decode_kwire() {
        return LargeCluster.decodeKwire(reader, bytes);
    }

    @Benchmark
    public MetadataResponseData decode_apache() {
        return LargeCluster.decodeApache(bytes).data();
    }

    @Benchmark
    public ClusterMetadata apply_kwire() {
        return LargeCluster.applyKwire(LargeCluster.kwireTracker(), kwireFirst);
    }

    @Benchmark
    public Metadata apply_apache() {
        return LargeCluster.applyApache(LargeCluster.apacheMetadata(), apacheFirst);
    }

    @Benchmark
    public ClusterMetadata refresh_kwire() {
        return LargeCluster.applyKwire(kwireState, (refreshes++ & 1) == 0 ? kwireNext : kwireFirst);
    }

    /** The leader of every partition, as a producer routes batches: one lookup per partition. */
    @Benchmark
    public long leaders_kwire() {
        long sum = 0;
        for (int i = 0; i < topicOf.length; i++) {
            sum += kwireSnapshot.leaderFor(topicOf[i], indexOf[i]).orElseThrow().id();
        }
        return sum;
    }

    @Benchmark
    public long leaders_apache() {
        long sum = 0;
        for (org.apache.kafka.common.TopicPartition tp : apachePartitions) {
            sum += apacheCluster.leaderFor(tp).id();
        }
        return sum;
    }

    @Benchmark
    public Metadata refresh_apache() {
        return LargeCluster.applyApache(apacheState, (refreshes++ & 1) == 0 ? apacheNext : apacheFirst);
    }
}
