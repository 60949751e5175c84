package io.kwire.bench.roundtrip;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiMessage;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.PlaintextChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * A slow name server, side by side: one client sends ApiVersions to broker 1 (known by address), one request at a
 * time, and half-way through, with a request to broker 1 in flight, is asked to connect to broker 2, whose host name
 * takes {@code --stall-ms} to resolve (a name server that answers after its time-out). kwire looks the name up on a
 * lookup thread; Apache's {@code NetworkClient} (and kafka-python) on the thread that polls, so every request in
 * flight on any connection waits for the lookup. Both clients are driven the same way, on the caller's thread
 * ({@link KafkaClient} for kwire), against two in-process fake brokers, in turn (the first client alternating by
 * round); the report gives the latency of broker 1's requests over the run and the time broker 2 took to become
 * ready.
 *
 * <pre>DnsStall [--stall-ms 1000] [--duration-ms 3000] [--rounds 3] [--out FILE]</pre>
 */
public final class DnsStall {

    private static final String SLOW_HOST = "slow-dns.kwire.bench";

    private DnsStall() {
    }

    /** One client's run: broker 1's requests and their latencies (ns), how long broker 2 took to be ready (ms). */
    private record Run(int count, long p50, long p99, long p999, long max, long atConnect, long slowReadyMs) {
    }

    /** Where every run records its latencies: one array, reused, so that the harness makes no garbage of its own. */
    private static final long[] LATENCIES = new long[1 << 20];

    public static void main(String[] args) throws Exception {
        long stallMs = 1_000;
        long durationMs = 3_000;
        int rounds = 3;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stall-ms" -> stallMs = Long.parseLong(args[++i]);
                case "--duration-ms" -> durationMs = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (durationMs < stallMs * 2) {
            throw new IllegalArgumentException("--duration-ms must be at least twice --stall-ms");
        }
        List<Run> kwire = new ArrayList<>();
        List<Run> apache = new ArrayList<>();
        try (FakeBroker b1 = FakeBroker.builder().recordRequests(false).start();
             FakeBroker b2 = FakeBroker.builder().recordRequests(false).start()) {
            for (FakeBroker b : List.of(b1, b2)) {
                b.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
                b.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata(b1.port(), b2.port()),
                        r.apiVersion())));
            }
            runKwire(b1, 500, stallMs); // warm-up: the JIT, not counted
            runApache(b1, b2, 500, stallMs);
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    kwire.add(runKwire(b1, durationMs, stallMs));
                    apache.add(runApache(b1, b2, durationMs, stallMs));
                } else {
                    apache.add(runApache(b1, b2, durationMs, stallMs));
                    kwire.add(runKwire(b1, durationMs, stallMs));
                }
                System.err.printf(Locale.ROOT, "round %d of %d done%n", round + 1, rounds);
            }
        }
        String text = report(kwire, apache, stallMs, durationMs);
        System.out.print(text);
        if (out != null) {
            Files.writeString(out, text);
        }
    }

    /** Takes {@code stallMs} for {@link #SLOW_HOST}, then answers 127.0.0.1; other names as the JDK resolves them. */
    private static InetAddress[] resolve(String host, long stallMs) throws UnknownHostException {
        if (!host.equals(SLOW_HOST)) {
            return InetAddress.getAllByName(host);
        }
        try {
            Thread.sleep(stallMs); // the slow name server this benchmark is about
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + ": interrupted");
        }
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    }

    private static Run runKwire(FakeBroker b1, long durationMs, long stallMs) throws Exception {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(b1.bootstrapServers())
                .clientId("dns-stall").hostResolver(host -> resolve(host, stallMs))
                .requestTimeout(Duration.ofSeconds(30)).metadataMaxAge(Duration.ofHours(1)).build();
        try (KafkaClient client = new KafkaClient(config)) {
            CompletableFuture<?> metadata = client.requestMetadataUpdate();
            client.poll(Duration.ofSeconds(20), metadata);
            metadata.get();
            long readyBy = System.nanoTime() + 20_000_000_000L;
            while (!client.ready(1)) {
                check(readyBy, "kwire: broker 1 not ready");
                client.poll(Duration.ofMillis(20));
            }
            Recorder rec = new Recorder(durationMs);
            while (rec.going()) {
                long sent = System.nanoTime();
                var f = client.send(1, new io.kwire.protocol.message.ApiVersionsRequest());
                if (rec.connectDue(sent)) {
                    client.maybeConnect(2); // with the request to broker 1 in flight
                }
                while (!f.isDone()) {
                    client.poll(Duration.ofMillis(100), f);
                }
                f.get();
                rec.answered(sent, client.isReady(2));
            }
            return rec.run();
        }
    }

    private static Run runApache(FakeBroker b1, FakeBroker b2, long durationMs, long stallMs) throws Exception {
        LogContext logContext = new LogContext("[dns-stall] ");
        Time time = Time.SYSTEM;
        try (Metrics metrics = new Metrics()) {
            PlaintextChannelBuilder channels = new PlaintextChannelBuilder(null);
            channels.configure(java.util.Map.of());
            Selector selector = new Selector(3_600_000L, metrics, time, "dns-stall", channels, logContext);
            Node n1 = new Node(1, "127.0.0.1", b1.port());
            Node n2 = new Node(2, SLOW_HOST, b2.port());
            NetworkClient client = new NetworkClient(new ManualMetadataUpdater(List.of(n1, n2)), null, selector,
                    "dns-stall", 32, 50L, 1_000L, -1, -1, 30_000, 10_000L, 30_000L, time, true, new ApiVersions(),
                    null, logContext, host -> resolve(host, stallMs), null, Long.MAX_VALUE,
                    MetadataRecoveryStrategy.NONE);
            try {
                if (!NetworkClientUtils.awaitReady(client, n1, time, 20_000)) {
                    throw new IllegalStateException("apache: broker 1 not ready");
                }
                Recorder rec = new Recorder(durationMs);
                while (rec.going()) {
                    long sent = System.nanoTime();
                    long nowMs = time.milliseconds();
                    client.send(client.newClientRequest("1", new ApiVersionsRequest.Builder(), nowMs, true), nowMs);
                    if (rec.connectDue(sent)) {
                        client.ready(n2, nowMs); // with the request to broker 1 in flight: looks the name up here
                    }
                    boolean answered = false;
                    while (!answered) {
                        for (ClientResponse r : client.poll(100, time.milliseconds())) {
                            if (r.wasDisconnected() || r.wasTimedOut() || r.versionMismatch() != null) {
                                throw new IllegalStateException("apache request failed: " + r);
                            }
                            answered = true;
                        }
                    }
                    rec.answered(sent, client.isReady(n2, time.milliseconds()));
                    if (rec.awaitsSlowBroker()) {
                        client.ready(n2, time.milliseconds()); // keeps the connection to broker 2 going
                    }
                }
                return rec.run();
            } finally {
                client.close();
            }
        }
    }

    /**
     * One run's clock and record: the connect to broker 2 half-way through, broker 1's latencies, and the run going on
     * past its end (for up to 20 s) until broker 2 is ready.
     */
    private static final class Recorder {
        private final long[] latencies = LATENCIES;
        private int count;
        private final long connectAt;
        private final long end;
        private final long slowBy;
        private long connected;
        /** The latency of the request that was in flight when the connect to broker 2 began. */
        private long atConnect = -1;
        private long slowReadyMs = -1;

        Recorder(long durationMs) {
            long start = System.nanoTime();
            connectAt = start + durationMs / 2 * 1_000_000L;
            end = start + durationMs * 1_000_000L;
            slowBy = end + 20_000_000_000L;
        }

        boolean going() {
            long now = System.nanoTime();
            return now < end || awaitsSlowBroker() && now < slowBy;
        }

        /** True once, when the connect to broker 2 is due. */
        boolean connectDue(long now) {
            if (connected == 0 && now >= connectAt) {
                connected = now;
                return true;
            }
            return false;
        }

        boolean awaitsSlowBroker() {
            return connected != 0 && slowReadyMs < 0;
        }

        /** Broker 1 answered the request sent at {@code sent}; {@code slowReady} tells whether broker 2 is ready. */
        void answered(long sent, boolean slowReady) {
            long now = System.nanoTime();
            if (count < latencies.length) {
                latencies[count++] = now - sent;
            }
            if (sent == connected) {
                atConnect = now - sent;
            }
            if (awaitsSlowBroker() && slowReady) {
                slowReadyMs = (now - connected) / 1_000_000;
            }
        }

        Run run() {
            Arrays.sort(latencies, 0, count);
            return new Run(count, percentile(0.5), percentile(0.99), percentile(0.999), latencies[count - 1],
                    atConnect, slowReadyMs);
        }

        /** Nearest rank over the sorted latencies. */
        private long percentile(double p) {
            return latencies[Math.min(count - 1, (int) Math.ceil(p * count) - 1)];
        }
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what);
        }
    }

    private static String report(List<Run> kwire, List<Run> apache, long stallMs, long durationMs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "ApiVersions to broker 1, one at a time, for %d ms; half-way, with one in"
                + " flight, a connect to broker 2, whose name takes %d ms to resolve. %d rounds, each client in turn"
                + " (the first alternating); latency of broker 1's requests.%n%n", durationMs, stallMs, kwire.size()));
        sb.append("| round | client | requests | p50 us | p99 us | p99.9 us | max ms | the one in flight at the connect,"
                + " ms | broker 2 ready after ms |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < kwire.size(); i++) {
            row(sb, i + 1, "kwire", kwire.get(i));
            row(sb, i + 1, "apache", apache.get(i));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, int round, String name, Run r) {
        sb.append(String.format(Locale.ROOT, "| %d | %s | %,d | %,d | %,d | %,d | %,.1f | %,.3f | %s |%n", round, name,
                r.count(), r.p50() / 1000, r.p99() / 1000, r.p999() / 1000, r.max() / 1e6, r.atConnect() / 1e6,
                r.slowReadyMs() < 0 ? "not ready" : String.format("%,d", r.slowReadyMs())));
    }

    private static ApiVersionsResponse apiVersions() {
        ApiVersionsResponse r = new ApiVersionsResponse();
        r.setApiKeys(new ArrayList<>(List.of(
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id()).setMinVersion((short) 0)
                        .setMaxVersion((short) 4),
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.METADATA.id()).setMinVersion((short) 0)
                        .setMaxVersion((short) 12))));
        return r;
    }

    private static MetadataResponse metadata(int port1, int port2) {
        MetadataResponse m = new MetadataResponse().setClusterId("dns-stall").setControllerId(1);
        m.setBrokers(new ArrayList<>(List.of(
                new MetadataResponse.MetadataResponseBroker().setNodeId(1).setHost("127.0.0.1").setPort(port1),
                new MetadataResponse.MetadataResponseBroker().setNodeId(2).setHost(SLOW_HOST).setPort(port2))));
        return m;
    }

    private static byte[] body(ApiMessage message, short version) {
        ByteBuffer buf = ByteBuffer.allocate(message.size(version));
        message.write(new ByteWriter(buf), version);
        return buf.array();
    }
}
