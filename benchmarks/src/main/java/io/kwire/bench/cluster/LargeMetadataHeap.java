package io.kwire.bench.cluster;

import io.kwire.client.ClusterMetadata;
import io.kwire.internal.metadata.MetadataTracker;
import io.kwire.protocol.ByteReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.Metadata;
import org.openjdk.jol.info.GraphLayout;

/**
 * Bytes each client keeps after applying a large cluster's Metadata answer ({@link LargeCluster}), measured two
 * ways: the object graph reachable from what the client holds (JOL's {@code GraphLayout}, exact for this JVM's
 * layout) and, as a cross-check, the growth of the collected heap while {@code copies} such states are alive.
 *
 * <p>kwire keeps its {@code ClusterMetadata} snapshot (the decoded response is dropped). Apache keeps, in its
 * {@code Metadata}, the {@code MetadataSnapshot} (nodes, {@code PartitionMetadata} by partition, topic ids and the
 * {@code Cluster} built from them) and the last-seen leader epoch of every partition; the {@code Cluster} alone is
 * shown too. Strings both sides share with the response (topic names, hosts) are counted: they stay alive as part of
 * the state.
 *
 * <pre>java -cp $CP io.kwire.bench.cluster.LargeMetadataHeap [--partitions 1000,10000,100000] [--out heap.md]</pre>
 */
public final class LargeMetadataHeap {

    public static void main(String[] args) throws Exception {
        int[] sizes = {1000, 10_000, 100_000};
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> sizes = java.util.Arrays.stream(args[++i].split(","))
                        .mapToInt(Integer::parseInt).toArray();
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --partitions 1000,10000,100000 --out FILE)");
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| partitions | kwire ClusterMetadata B | apache Metadata state B | apache Cluster alone B "
                + "| kwire / apache | kwire B per partition | apache B per partition "
                + "| heap growth per copy kwire / apache B |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int partitions : sizes) {
            ByteBuffer bytes = LargeCluster.bytes(LargeCluster.BROKERS, partitions, false);
            ClusterMetadata k = kwire(bytes);
            Metadata a = apache(bytes);
            long kb = GraphLayout.parseInstance(k).totalSize();
            long ab = GraphLayout.parseInstance(apacheState(a)).totalSize();
            long cb = GraphLayout.parseInstance(a.fetch()).totalSize();
            int copies = Math.max(2, 200_000 / partitions);
            long kh = heapPerCopy(copies, () -> kwire(bytes));
            long ah = heapPerCopy(copies, () -> apacheState(apache(bytes)));
            md.append(String.format("| %,d | %,d | %,d | %,d | %.2f%s | %,d | %,d | %,d / %,d |%n", partitions, kb, ab,
                    cb, (double) kb / ab, (double) kb / ab <= 0.5 ? "" : " (miss)", kb / partitions,
                    ab / partitions, kh, ah));
            System.err.println("done " + partitions);
        }
        md.append("\nThe heap-growth column: used heap after full collections, with that many states alive, minus "
                + "before, per state (ParallelGC); it agrees with the graph sizes within the noise of one GC.\n");
        PrintStream ps = System.out;
        ps.print(md);
        if (out != null) {
            Files.writeString(out, md);
        }
    }

    static ClusterMetadata kwire(ByteBuffer bytes) {
        MetadataTracker tracker = LargeCluster.kwireTracker();
        return LargeCluster.applyKwire(tracker, LargeCluster.decodeKwire(new ByteReader(bytes), bytes));
    }

    static Metadata apache(ByteBuffer bytes) {
        return LargeCluster.applyApache(LargeCluster.apacheMetadata(), LargeCluster.decodeApache(bytes).data());
    }

    /** What Apache's {@code Metadata} keeps per cluster: its snapshot and the leader epochs it has seen. */
    static Object[] apacheState(Metadata metadata) {
        return new Object[] {field(metadata, "metadataSnapshot"), field(metadata, "lastSeenLeaderEpochs")};
    }

    private static Object field(Object o, String name) {
        try {
            Field f = Metadata.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kafka-clients' Metadata has no field " + name, e);
        }
    }

    private static long heapPerCopy(int copies, java.util.function.Supplier<Object> make) {
        List<Object> keep = new ArrayList<>(copies);
        long before = usedAfterGc();
        for (int i = 0; i < copies; i++) {
            keep.add(make.get());
        }
        long after = usedAfterGc();
        long per = (after - before) / copies;
        if (keep.size() != copies) {
            throw new IllegalStateException();
        }
        return per;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private LargeMetadataHeap() {
    }
}
