package io.kwire.bench.roundtrip;

import io.kwire.KafkaClient;
import io.kwire.bench.Payloads;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.records.RecordBatchBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.PlaintextChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * Head-of-line blocking, measured against a real broker: the round-trip latency of a Metadata request (1 topic) and
 * of a small Produce (one 100-byte record, acks=1), one at a time, first on an idle broker, then while 5 long-poll
 * Fetch requests ({@code maxWaitMs} 500, {@code minBytes} 1, an empty partition: each is held the full 500 ms) are
 * kept outstanding on the same broker by the same client. Contenders: kwire with its connection classes (the
 * default), kwire merged into one connection per broker ({@code connectionClasses(CONTROL)}), and Apache's
 * {@code NetworkClient} (one connection per broker). Then the cost of the classes: heap per connection, measured
 * over many clients, and sockets.
 *
 * <pre>java ... io.kwire.bench.roundtrip.HeadOfLine --duration-ms 8000 --out hol.md</pre>
 */
public final class HeadOfLine {

    static final int FETCHES = 5;
    static final int FETCH_WAIT_MS = 500;
    static final String EMPTY_TOPIC = Payloads.topic(0);

    enum Kind { METADATA, PRODUCE }

    /** One client under test, driven on the calling thread. */
    interface Contender extends AutoCloseable {
        String name();

        void connect(String host, int port) throws Exception;

        /** Sets how many long-poll Fetches to keep outstanding (re-sent as they return). */
        void fetches(int outstanding);

        /** One request of {@code kind}, waited for while the fetches are kept up; its round trip in nanoseconds. */
        long roundTrip(Kind kind) throws Exception;

        /** Connections the client has to the broker now. */
        int sockets();
    }

    static ByteBuffer smallBatch() {
        return new RecordBatchBuilder().append(Payloads.TIMESTAMP, null, Payloads.value(100)).build();
    }

    // ---------------------------------------------------------------- kwire

    static final class Kwire implements Contender {
        private final String name;
        private final UnaryOperator<KafkaClientConfig.Builder> tweak;
        private final List<CompletableFuture<?>> fetches = new ArrayList<>();
        private KafkaClient client;
        private int node;
        private int wanted;

        Kwire(String name, UnaryOperator<KafkaClientConfig.Builder> tweak) {
            this.name = name;
            this.tweak = tweak;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void connect(String host, int port) throws Exception {
            client = new KafkaClient(tweak.apply(KafkaClientConfig.builder().bootstrapServers(host + ":" + port)
                    .clientId("bench-hol").maxInFlightRequestsPerConnection(32)
                    .metadataMaxAge(Duration.ofHours(1)).connectionsMaxIdle(Duration.ofHours(1))).build());
            node = connectNode(client, port);
            for (ConnectionClass c : List.of(ConnectionClass.CONTROL, ConnectionClass.FETCH,
                    ConnectionClass.PRODUCE)) {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!client.ready(node, c)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kwire: " + c.tag() + " connection not ready");
                    }
                    client.poll(Duration.ofMillis(20));
                }
            }
        }

        @Override
        public void fetches(int outstanding) {
            wanted = outstanding;
            if (outstanding == 0) {
                while (!fetches.isEmpty()) { // let the outstanding ones end: they are the broker's to answer
                    client.poll(Duration.ofMillis(100));
                    fetches.removeIf(CompletableFuture::isDone);
                }
            }
            topUp();
        }

        private void topUp() {
            fetches.removeIf(f -> {
                if (f.isCompletedExceptionally()) {
                    f.join(); // a failed fetch spoils the measurement: say why
                }
                return f.isDone();
            });
            while (fetches.size() < wanted) {
                fetches.add(client.send(node, longPoll()));
            }
        }

        @Override
        public long roundTrip(Kind kind) throws Exception {
            long start = System.nanoTime();
            CompletableFuture<? extends ApiResponse> f = kind == Kind.METADATA ? client.send(node, metadata())
                    : client.send(node, produce());
            while (!f.isDone()) {
                client.poll(Duration.ofMillis(100));
                topUp();
            }
            long took = System.nanoTime() - start;
            f.get();
            return took;
        }

        @Override
        public int sockets() {
            int n = 0;
            for (ConnectionClass c : client.config().connectionClasses()) { // merged classes share control's
                if (client.connectionState(node, c) != io.kwire.client.ConnectionState.DISCONNECTED) {
                    n++;
                }
            }
            return n;
        }

        static MetadataRequest metadata() {
            return new MetadataRequest().setTopics(List.of(new MetadataRequest.MetadataRequestTopic()
                    .setName(Payloads.topic(1)))).setAllowAutoTopicCreation(false);
        }

        static ProduceRequest produce() {
            return new ProduceRequest().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(List.of(
                    new ProduceRequest.TopicProduceData().setName(Scenario.PRODUCE_TOPIC).setPartitionData(List.of(
                            new ProduceRequest.PartitionProduceData().setIndex(0).setRecords(smallBatch())))));
        }

        static FetchRequest longPoll() {
            return new FetchRequest().setReplicaId(-1).setMaxWaitMs(FETCH_WAIT_MS).setMinBytes(1)
                    .setMaxBytes(1 << 20).setTopics(List.of(new FetchRequest.FetchTopic().setTopic(EMPTY_TOPIC)
                            .setPartitions(List.of(new FetchRequest.FetchPartition().setPartition(0)
                                    .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    static int connectNode(KafkaClient client, int port) throws Exception {
        CompletableFuture<ClusterMetadata> f = client.requestMetadataUpdate();
        client.poll(Duration.ofSeconds(20), f);
        for (Node n : f.get().brokers()) {
            if (n.port() == port) {
                return n.id();
            }
        }
        throw new IllegalStateException("no broker on port " + port);
    }

    // ---------------------------------------------------------------- Apache

    static final class Apache implements Contender {
        private final Time time = Time.SYSTEM;
        private NetworkClient client;
        private Metrics metrics;
        private org.apache.kafka.common.Node node;
        private int wanted;
        private int outstanding;
        private boolean measuredDone;

        @Override
        public String name() {
            return "apache NetworkClient";
        }

        @Override
        public void connect(String host, int port) throws Exception {
            LogContext logContext = new LogContext("[bench] ");
            metrics = new Metrics();
            PlaintextChannelBuilder channelBuilder = new PlaintextChannelBuilder(null);
            channelBuilder.configure(Map.of());
            Selector selector = new Selector(3_600_000L, metrics, time, "bench", channelBuilder, logContext);
            node = new org.apache.kafka.common.Node(0, host, port);
            client = new NetworkClient(selector, new ManualMetadataUpdater(List.of(node)), "bench-hol", 32, 50L,
                    1000L, -1, -1, 30_000, 10_000L, 30_000L, time, true, new ApiVersions(), logContext,
                    MetadataRecoveryStrategy.NONE);
            if (!NetworkClientUtils.awaitReady(client, node, time, 20_000)) {
                throw new IllegalStateException("apache: node not ready");
            }
        }

        @Override
        public void fetches(int n) {
            wanted = n;
            while (n == 0 && outstanding > 0) {
                pump(100);
            }
            topUp();
        }

        private void topUp() {
            long now = time.milliseconds();
            while (outstanding < wanted && client.ready(node, now)) {
                Map<TopicPartition, org.apache.kafka.common.requests.FetchRequest.PartitionData> data =
                        new LinkedHashMap<>();
                data.put(new TopicPartition(EMPTY_TOPIC, 0), new org.apache.kafka.common.requests.FetchRequest
                        .PartitionData(Uuid.ZERO_UUID, 0, -1, 1 << 20, Optional.empty()));
                AbstractRequest.Builder<?> b = org.apache.kafka.common.requests.FetchRequest.Builder
                        .forConsumer((short) 12, FETCH_WAIT_MS, 1, data);
                client.send(client.newClientRequest(node.idString(), b, now, true), now);
                outstanding++;
            }
        }

        private void pump(long timeoutMs) {
            List<ClientResponse> rs = client.poll(timeoutMs, time.milliseconds());
            for (ClientResponse r : rs) {
                if (r.wasDisconnected() || r.wasTimedOut() || r.versionMismatch() != null) {
                    throw new IllegalStateException("apache request failed: " + r);
                }
                if (r.requestHeader().apiKey() == ApiKeys.FETCH) {
                    outstanding--;
                } else {
                    measuredDone = true;
                }
            }
        }

        @Override
        public long roundTrip(Kind kind) {
            long start = System.nanoTime();
            long now = time.milliseconds();
            while (!client.ready(node, now)) {
                pump(10);
                now = time.milliseconds();
            }
            AbstractRequest.Builder<?> b;
            if (kind == Kind.METADATA) {
                b = new org.apache.kafka.common.requests.MetadataRequest.Builder(Payloads.metadataRequest(1)
                        .setTopics(List.of(new org.apache.kafka.common.message.MetadataRequestData
                                .MetadataRequestTopic().setName(Payloads.topic(1)))));
            } else {
                ProduceRequestData.TopicProduceDataCollection topics =
                        new ProduceRequestData.TopicProduceDataCollection();
                topics.add(new ProduceRequestData.TopicProduceData().setName(Scenario.PRODUCE_TOPIC)
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecords.readableRecords(smallBatch())))));
                b = org.apache.kafka.common.requests.ProduceRequest.builder(new ProduceRequestData()
                        .setAcks((short) 1).setTimeoutMs(30_000).setTopicData(topics));
            }
            measuredDone = false;
            ClientRequest r = client.newClientRequest(node.idString(), b, now, true);
            client.send(r, now);
            while (!measuredDone) {
                pump(100);
                topUp();
            }
            return System.nanoTime() - start;
        }

        @Override
        public int sockets() {
            return client.isReady(node, time.milliseconds()) || client.inFlightRequestCount(node.idString()) > 0
                    ? 1 : 0;
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    // ---------------------------------------------------------------- measuring

    /** Latencies in microseconds of one (contender, phase, kind). */
    record Cell(String contender, boolean loaded, Kind kind, long[] micros) {
        long pct(double p) {
            long[] s = micros.clone();
            Arrays.sort(s);
            return s.length == 0 ? 0 : s[Math.min(s.length - 1, (int) Math.ceil(p * s.length) - 1)];
        }
    }

    static List<Cell> measure(Contender c, boolean loaded, long durationNanos) throws Exception {
        c.fetches(loaded ? FETCHES : 0);
        for (int i = 0; i < 50 && !loaded; i++) { // warm the paths on the idle broker
            c.roundTrip(Kind.METADATA);
            c.roundTrip(Kind.PRODUCE);
        }
        List<Cell> out = new ArrayList<>();
        List<Long> meta = new ArrayList<>();
        List<Long> produce = new ArrayList<>();
        long end = System.nanoTime() + durationNanos;
        while (System.nanoTime() < end) {
            meta.add(c.roundTrip(Kind.METADATA) / 1_000);
            produce.add(c.roundTrip(Kind.PRODUCE) / 1_000);
        }
        out.add(new Cell(c.name(), loaded, Kind.METADATA, meta.stream().mapToLong(Long::longValue).toArray()));
        out.add(new Cell(c.name(), loaded, Kind.PRODUCE, produce.stream().mapToLong(Long::longValue).toArray()));
        return out;
    }

    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** Heap per connection of a class: many clients, each with a control connection, then with three more. */
    static String cost(String host, int port) throws Exception {
        int clients = 40;
        List<KafkaClient> all = new ArrayList<>();
        List<Integer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                KafkaClient k = new KafkaClient(KafkaClientConfig.builder().bootstrapServers(host + ":" + port)
                        .clientId("bench-cost").idleProbeInterval(Duration.ZERO).build());
                all.add(k);
                int node = connectNode(k, port);
                nodes.add(node);
                awaitReady(k, node, ConnectionClass.CONTROL);
            }
            long before = usedHeapAfterGc();
            for (int i = 0; i < clients; i++) {
                for (ConnectionClass c : List.of(ConnectionClass.PRODUCE, ConnectionClass.FETCH,
                        ConnectionClass.SLOW)) {
                    awaitReady(all.get(i), nodes.get(i), c);
                }
            }
            long after = usedHeapAfterGc();
            long perConnection = (after - before) / (clients * 3L);
            String rmem = readFirstLine("/proc/sys/net/ipv4/tcp_rmem");
            String wmem = readFirstLine("/proc/sys/net/ipv4/tcp_wmem");
            return "| cost per broker per class in use | kwire |\n|---|---|\n"
                    + "| sockets | 1 (a class's connection opens on its first request; unused classes cost nothing) |\n"
                    + "| client heap per connection (" + clients + " clients x 3 extra classes, after GC) | "
                    + String.format(Locale.ROOT, "%,d", perConnection) + " B |\n"
                    + "| kernel socket buffers (tcp_rmem / tcp_wmem: min default max) | " + rmem + " / " + wmem
                    + " B, per socket, on both ends |\n"
                    + "| ApiVersions round trips | 0 (the broker's versions come from its established connection) |\n";
        } finally {
            for (KafkaClient k : all) {
                k.close();
            }
        }
    }

    private static void awaitReady(KafkaClient k, int node, ConnectionClass c) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!k.ready(node, c)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(c.tag() + " connection not ready");
            }
            k.poll(Duration.ofMillis(10));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String readFirstLine(String file) {
        try {
            return Files.readAllLines(Path.of(file)).get(0).replace('\t', ' ');
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    public static void main(String[] args) throws Exception {
        long durationMs = 8_000;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration-ms" -> durationMs = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Cell> cells = new ArrayList<>();
        Map<String, Integer> sockets = new LinkedHashMap<>();
        String cost;
        try (RealBroker broker = new RealBroker()) {
            List<Contender> contenders = List.of(new Kwire("kwire, connection classes", b -> b),
                    new Kwire("kwire, one connection", b -> b.connectionClasses(ConnectionClass.CONTROL)),
                    new Apache());
            for (Contender c : contenders) {
                try (c) {
                    c.connect(broker.host(), broker.port());
                    cells.addAll(measure(c, false, durationMs * 1_000_000));
                    cells.addAll(measure(c, true, durationMs * 1_000_000));
                    sockets.put(c.name(), c.sockets());
                    c.fetches(0);
                }
            }
            cost = cost(broker.host(), broker.port());
        }
        StringBuilder md = new StringBuilder();
        md.append("| client | request | sockets | idle p50 | idle p99 | idle max | with 5 fetches p50 | p99 | max"
                + " | samples | p99 loaded / idle |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < cells.size(); i++) {
            Cell idle = cells.get(i);
            if (idle.loaded()) {
                continue;
            }
            Cell loaded = cells.stream().filter(x -> x.loaded() && x.contender().equals(idle.contender())
                    && x.kind() == idle.kind()).findFirst().orElseThrow();
            double ratio = loaded.pct(0.99) / (double) Math.max(1, idle.pct(0.99));
            md.append("| ").append(idle.contender()).append(" | ")
                    .append(idle.kind() == Kind.METADATA ? "Metadata 1 topic" : "Produce 1 x 100 B, acks=1")
                    .append(" | ").append(sockets.get(idle.contender()))
                    .append(" | ").append(ms(idle.pct(0.5))).append(" | ").append(ms(idle.pct(0.99)))
                    .append(" | ").append(ms(idle.pct(1.0))).append(" | ").append(ms(loaded.pct(0.5)))
                    .append(" | ").append(ms(loaded.pct(0.99))).append(" | ").append(ms(loaded.pct(1.0)))
                    .append(" | ").append(loaded.micros().length).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", ratio))
                    .append(idle.contender().contains("classes") && ratio > 3 ? " (miss)" : "").append(" |\n");
        }
        md.append("\n").append(cost);
        System.out.println(md);
        if (out != null) {
            Files.writeString(out, md.toString());
        }
    }
}
