package io.kwire.bench.roundtrip;

import io.kwire.KafkaClient;
import io.kwire.client.ClientResponse;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.message.ApiVersionsRequest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.PlaintextChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * One client connected to many fake brokers ({@link ManyFakeBrokers}: one process, N loopback listeners bound to
 * port 0), kwire's {@link KafkaClient} against Apache's {@link NetworkClient}, each driven on this thread:
 * <ul>
 *   <li>round trips: ApiVersions with 1 request in flight on every broker (a response to broker i sends the next
 *       request to broker i), for a fixed time; requests/s, client-thread CPU and allocated bytes per request.
 *       Rounds alternate the clients; medians over rounds.</li>
 *   <li>heap per idle connection: used heap after full collections with the client connected to one broker, then
 *       with all N connections open and one request answered on each, difference / (N - 1): what each further
 *       connection keeps, without the client's own fixed heap (kernel socket buffers not included).</li>
 *   <li>an idle poll: {@code poll} with a zero timeout while N connections are open and nothing is in flight;
 *       client-thread CPU and wall time per call.</li>
 * </ul>
 *
 * <pre>java -cp $CP io.kwire.bench.roundtrip.ManyBrokers [--brokers 100] [--rounds 5] [--duration-ms 2000]
 *     [--idle-polls 20000] [--out many.md]</pre>
 */
public final class ManyBrokers {

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One client connected to every broker. */
    interface Client extends AutoCloseable {
        String name();

        /** Connects to the first {@code count} brokers (blocking) and answers one request on each of them. */
        void connect(int count) throws Exception;

        /** Requests answered in {@code durationNanos} with one in flight per broker (drains before returning). */
        long roundTrips(long durationNanos);

        /** One poll with nothing to wait for. */
        void idlePoll();
    }

    public static void main(String[] args) throws Exception {
        int brokers = 100;
        int rounds = 5;
        long durationMs = 2000;
        int idlePolls = 20_000;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--brokers" -> brokers = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--duration-ms" -> durationMs = Long.parseLong(args[++i]);
                case "--idle-polls" -> idlePolls = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (use --brokers N"
                        + " --rounds N --duration-ms MS --idle-polls N --out FILE)");
            }
        }
        try (ManyFakeBrokers fake = ManyFakeBrokers.start(brokers)) {
            List<Integer> ports = fake.ports();
            long[] heap = new long[2];
            List<Client> clients = new ArrayList<>();
            clients.add(new Kwire(ports));
            clients.add(new Apache(ports));
            for (int c = 0; c < 2; c++) {
                clients.get(c).connect(1); // what a client keeps once, whatever its number of connections
                long h0 = usedAfterGc();
                clients.get(c).connect(brokers);
                heap[c] = (usedAfterGc() - h0) / Math.max(1, brokers - 1);
            }
            for (Client c : clients) { // warm-up
                c.roundTrips(durationMs * 1_000_000L / 2);
                for (int i = 0; i < idlePolls; i++) {
                    c.idlePoll();
                }
            }
            double[][] rate = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            double[][] alloc = new double[2][rounds];
            double[][] pollCpu = new double[2][rounds];
            double[][] pollWall = new double[2][rounds];
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int c = (r + k) % 2; // alternate which client goes first
                    Client client = clients.get(c);
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    long a0 = THREADS.getCurrentThreadAllocatedBytes();
                    long t0 = System.nanoTime();
                    long n = client.roundTrips(durationMs * 1_000_000L);
                    long t1 = System.nanoTime();
                    rate[c][r] = n * 1e9 / (t1 - t0);
                    cpu[c][r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
                    alloc[c][r] = (double) (THREADS.getCurrentThreadAllocatedBytes() - a0) / n;
                    cpu0 = THREADS.getCurrentThreadCpuTime();
                    t0 = System.nanoTime();
                    for (int i = 0; i < idlePolls; i++) {
                        client.idlePoll();
                    }
                    pollWall[c][r] = (System.nanoTime() - t0) / 1e3 / idlePolls;
                    pollCpu[c][r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / idlePolls;
                }
                ratio[r] = rate[0][r] / rate[1][r];
                cpuRatio[r] = cpu[0][r] / cpu[1][r];
                System.err.printf("round %d: kwire %.0f req/s %.1f us, apache %.0f req/s %.1f us%n", r + 1,
                        rate[0][r], cpu[0][r], rate[1][r], cpu[1][r]);
            }
            for (Client c : clients) {
                c.close();
            }
            StringBuilder md = new StringBuilder();
            md.append(String.format("%d brokers, 1 ApiVersions request in flight on each; median of %d rounds of %d ms"
                    + " per client (clients alternating); ratios are medians of per-round ratios.%n%n", brokers,
                    rounds, durationMs));
            md.append("| client | req/s | CPU us / req | B allocated / req | heap per idle connection B "
                    + "| idle poll CPU us | idle poll wall us |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (int c = 0; c < 2; c++) {
                md.append(String.format("| %s | %,.0f | %.1f | %,.0f | %,d | %.2f | %.2f |%n",
                        clients.get(c).name(), median(rate[c]), median(cpu[c]), median(alloc[c]), heap[c],
                        median(pollCpu[c]), median(pollWall[c])));
            }
            md.append(String.format("%nkwire / apache: req/s %.2f, CPU per request %.2f, heap per connection %.2f, "
                    + "idle poll CPU %.2f.%n", median(ratio), median(cpuRatio), (double) heap[0] / heap[1],
                    median(pollCpu[0]) / median(pollCpu[1])));
            System.out.print(md);
            if (out != null) {
                Files.writeString(out, md);
            }
        }
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** kwire: bootstraps from the first listener, learns the N brokers from metadata, connects to each. */
    static final class Kwire implements Client {
        private final KafkaClient client;
        private int connected;
        private final ApiVersionsRequest request = new ApiVersionsRequest().setClientSoftwareName("apache-kafka-java")
                .setClientSoftwareVersion(org.apache.kafka.common.utils.AppInfoParser.getVersion());

        /** Bootstraps from the first listener and connects to the first broker. */
        Kwire(List<Integer> ports) throws Exception {
            client = new KafkaClient(KafkaClientConfig.builder().bootstrapServers("127.0.0.1:" + ports.get(0))
                    .clientId("bench").requestTimeout(Duration.ofSeconds(30)).metadataMaxAge(Duration.ofHours(1))
                    .connectionsMaxIdle(Duration.ofHours(1)).build());
            CompletableFuture<ClusterMetadata> f = client.requestMetadataUpdate();
            client.poll(Duration.ofSeconds(20), f);
            if (f.get().brokers().size() != ports.size()) {
                throw new IllegalStateException("kwire sees " + f.get().brokers().size() + " brokers");
            }
            connect(1);
        }

        @Override
        public void connect(int count) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int node = connected; node < count; node++) {
                while (!client.ready(node, false)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kwire: node " + node + " not ready");
                    }
                    client.poll(Duration.ofMillis(5));
                }
            }
            connected = count;
            roundTrips(0); // one request on every connection: every buffer a connection keeps is there
        }

        @Override
        public String name() {
            return "kwire";
        }

        @Override
        public long roundTrips(long durationNanos) {
            long end = System.nanoTime() + durationNanos;
            for (int node = 0; node < connected; node++) {
                client.send(node, request);
            }
            int outstanding = connected;
            long done = 0;
            while (outstanding > 0) {
                boolean stop = System.nanoTime() - end >= 0;
                List<ClientResponse> rs = client.poll(Duration.ofMillis(100));
                for (int i = 0; i < rs.size(); i++) {
                    ClientResponse r = rs.get(i);
                    if (!r.succeeded()) {
                        throw new IllegalStateException("kwire request failed", r.error());
                    }
                    done++;
                    if (stop) {
                        outstanding--;
                    } else {
                        client.send(r.nodeId(), request);
                    }
                }
            }
            return done;
        }

        @Override
        public void idlePoll() {
            client.poll(Duration.ZERO);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Apache: NetworkClient over its Selector with the N brokers given (ManualMetadataUpdater). */
    static final class Apache implements Client {
        private final Time time = Time.SYSTEM;
        private final NetworkClient client;
        private final Metrics metrics = new Metrics();
        private final Node[] nodes;
        private int connected;
        private final org.apache.kafka.common.requests.ApiVersionsRequest.Builder builder =
                new org.apache.kafka.common.requests.ApiVersionsRequest.Builder();

        Apache(List<Integer> ports) {
            LogContext logContext = new LogContext("[bench] ");
            PlaintextChannelBuilder channelBuilder = new PlaintextChannelBuilder(null);
            channelBuilder.configure(Map.of());
            Selector selector = new Selector(3_600_000L, metrics, time, "bench", channelBuilder, logContext);
            nodes = new Node[ports.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = new Node(i, "127.0.0.1", ports.get(i));
            }
            client = new NetworkClient(selector, new ManualMetadataUpdater(List.of(nodes)), "bench", 5, 50L, 1000L,
                    -1, -1, 30_000, 10_000L, 30_000L, time, true, new ApiVersions(), logContext,
                    MetadataRecoveryStrategy.NONE);
            connect(1);
        }

        @Override
        public void connect(int count) {
            for (int i = connected; i < count; i++) {
                client.ready(nodes[i], time.milliseconds()); // start every connection, then wait for each
            }
            for (int i = connected; i < count; i++) {
                Node n = nodes[i];
                try {
                    if (!NetworkClientUtils.awaitReady(client, n, time, 60_000)) {
                        throw new IllegalStateException("apache: node " + n + " not ready");
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            connected = count;
            roundTrips(0);
        }

        @Override
        public String name() {
            return "apache";
        }

        private void send(Node n, long nowMs) {
            if (!client.ready(n, nowMs)) {
                throw new IllegalStateException("apache: node " + n + " not ready with nothing in flight");
            }
            ClientRequest r = client.newClientRequest(n.idString(), builder, nowMs, true);
            client.send(r, nowMs);
        }

        @Override
        public long roundTrips(long durationNanos) {
            long end = System.nanoTime() + durationNanos;
            long nowMs = time.milliseconds();
            for (int i = 0; i < connected; i++) {
                send(nodes[i], nowMs);
            }
            int outstanding = connected;
            long done = 0;
            while (outstanding > 0) {
                boolean stop = System.nanoTime() - end >= 0;
                List<org.apache.kafka.clients.ClientResponse> rs = client.poll(100, time.milliseconds());
                nowMs = time.milliseconds();
                for (int i = 0; i < rs.size(); i++) {
                    org.apache.kafka.clients.ClientResponse r = rs.get(i);
                    if (r.wasDisconnected() || r.versionMismatch() != null || r.wasTimedOut()) {
                        throw new IllegalStateException("apache request failed: " + r);
                    }
                    done++;
                    if (stop) {
                        outstanding--;
                    } else {
                        send(nodes[Integer.parseInt(r.destination())], nowMs);
                    }
                }
            }
            return done;
        }

        @Override
        public void idlePoll() {
            client.poll(0, time.milliseconds());
        }

        @Override
        public void close() throws Exception {
            client.close();
            metrics.close();
        }
    }
}
