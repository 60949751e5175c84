package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.Uuid;

/**
 * Round trips on one connection, kwire's KafkaClient against Apache's NetworkClient (and a raw pre-encoded-frame
 * client, the ceiling), interleaved: every round runs every (request, in-flight) cell for every client, the
 * client order rotating per round and reversed in every other cycle of rotations, so that any twice as many rounds as
 * clients run each pair of clients in both orders equally often (against the broker process, a client that runs
 * later in a round gained 2-4% on average). Each metric is the median over rounds; each ratio is the median of the
 * per-round ratios.
 *
 * <pre>
 * RoundTrips fake|real|external [--rounds N] [--duration-ms N] [--warmup-ms N] [--out FILE] [--inflight 1,5,16]
 *            [--pin none|same|split] [--tls] [--kafka VERSION]
 * </pre>
 *
 * <p>{@code --pin same} runs this JVM and the fake broker's on CPU 0; {@code --pin split} this JVM on CPU 0 and
 * the broker on CPU 1, so that each side's CPU goes idle while it waits for the other (the regime of a quiet
 * machine, and of a broker on another host). {@code --tls}: the fake broker listens with TLS 1.3 and kwire and
 * Apache connect with it (no raw clients); ApiVersions, Metadata 1 topic and Produce of 1 MB by default.
 * {@code external}: a real broker (Kafka {@code --kafka}, 4.1.2 by default) as a process of its own (the test kit's
 * {@code ExternalKafkaBroker}); with {@code --tls} its client listener is SSL, TLS 1.3 only; {@code --pin} places it as
 * it places the fake broker (every thread of the broker's JVM).
 */
public final class RoundTrips {

    private static volatile ByteBuffer produceBatch;
    private static volatile Uuid produceTopicId = Uuid.ZERO_UUID;

    private RoundTrips() {
    }

    /** The pre-built ~1 MB batch: 1000 records of 1000 bytes, uncompressed. */
    public static ByteBuffer produceBatch() {
        if (produceBatch == null) {
            produceBatch = Payloads.recordBatch(Scenario.PRODUCE_RECORDS, Scenario.PRODUCE_VALUE_SIZE);
        }
        return produceBatch;
    }

    public static Uuid produceTopicId() {
        return produceTopicId;
    }

    /** Results of one matrix: cell key "scenario/inflight/client" to one result per round. */
    public static final class Matrix {
        final List<String> clients = new ArrayList<>();
        final List<Scenario> scenarios = new ArrayList<>();
        final List<Integer> inflights = new ArrayList<>();
        final Map<String, List<Result>> cells = new LinkedHashMap<>();
        final StringBuilder csv = new StringBuilder(
                "round,request,inflight,client,requests,elapsed_ns,cpu_ns,alloc_bytes,p50_ns,p99_ns,preemptions\n");

        List<Result> get(Scenario s, int w, String client) {
            return cells.getOrDefault(s.name() + "/" + w + "/" + client, List.of());
        }
    }

    public static Matrix run(List<Driver> drivers, List<Scenario> scenarios, int[] inflights, int rounds,
                             long durationMs, long warmupMs, PrintStream log) throws Exception {
        Matrix m = new Matrix();
        drivers.forEach(d -> m.clients.add(d.name()));
        m.scenarios.addAll(scenarios);
        for (int w : inflights) {
            m.inflights.add(w);
        }
        for (int round = 0; round <= rounds; round++) {
            boolean warm = round == 0;
            for (Scenario s : scenarios) {
                for (int w : inflights) {
                    if (s == Scenario.PRODUCE_1MB && w != 5) {
                        continue;
                    }
                    for (int i = 0; i < drivers.size(); i++) {
                        Driver d = drivers.get(clientAt(i, round, drivers.size()));
                        if (d instanceof RawDriver && s == Scenario.PRODUCE_1MB) {
                            continue;
                        }
                        d.prepare(s);
                        Result r = d.run(s, w, (warm ? warmupMs : durationMs) * 1_000_000L);
                        if (warm) {
                            continue;
                        }
                        m.cells.computeIfAbsent(s.name() + "/" + w + "/" + d.name(), k -> new ArrayList<>()).add(r);
                        m.csv.append(String.format(Locale.ROOT, "%d,%s,%d,%s,%d,%d,%d,%d,%d,%d,%d%n", round, s.name(),
                                w, d.name(), r.requests, r.elapsedNanos, r.cpuNanos, r.allocatedBytes, r.p50Nanos,
                                r.p99Nanos, r.preemptions));
                    }
                }
            }
            if (log != null) {
                log.println(warm ? "warm-up done" : "round " + round + " of " + rounds + " done");
            }
        }
        return m;
    }

    /**
     * The index of the client that runs at {@code position} in {@code round}: a rotation per round, reversed in every
     * other cycle of {@code clients} rounds, so that any {@code 2 * clients} rounds in a row run each pair in both
     * orders equally often (and, for up to three clients, every order once).
     */
    static int clientAt(int position, int round, int clients) {
        boolean reversed = (round / clients) % 2 == 1;
        return ((reversed ? clients - 1 - position : position) + round) % clients;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        return median(rs.stream().mapToDouble(f).toArray());
    }

    /** Median over rounds of a(round) / b(round). */
    static double ratio(List<Result> a, List<Result> b, ToDoubleFunction<Result> f) {
        int n = Math.min(a.size(), b.size());
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = f.applyAsDouble(a.get(i)) / f.applyAsDouble(b.get(i));
        }
        return median(r);
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String mark(double v, double target, boolean higherIsBetter) {
        if (Double.isNaN(v)) {
            return "-";
        }
        boolean ok = higherIsBetter ? v >= target : v <= target;
        return f2(v) + (ok ? "" : " (miss)");
    }

    /** Markdown tables for a matrix. {@code fake}: targets of the fake-broker comparison; else real-broker ones. */
    public static String tables(Matrix m, boolean fake) {
        return tables(m, fake, 0.5);
    }

    /**
     * As {@link #tables(Matrix, boolean)}, marking kwire / Apache CPU per request above {@code cpuTarget} as a miss
     * (against the fake broker: 0.5 unpinned, issue #20's 0.6 pinned).
     */
    public static String tables(Matrix m, boolean fake, double cpuTarget) {
        StringBuilder sb = new StringBuilder();
        boolean raw = m.clients.contains("raw");
        ToDoubleFunction<Result> rps = Result::requestsPerSecond;
        sb.append("| request | in flight | kwire req/s | apache req/s |").append(raw ? " raw req/s |" : "")
                .append(" kwire / apache |").append(raw ? " kwire / raw |" : "").append('\n');
        sb.append("|---|---:|---:|---:|").append(raw ? "---:|" : "").append("---:|").append(raw ? "---:|" : "").append('\n');
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> k = m.get(s, w, "kwire");
                List<Result> a = m.get(s, w, "apache");
                if (k.isEmpty()) {
                    continue;
                }
                List<Result> r = m.get(s, w, "raw");
                double target = fake ? (w == 1 ? 1.2 : 2.0) : 0.95;
                sb.append("| ").append(s.label).append(" | ").append(w).append(" | ").append(f0(median(k, rps)))
                        .append(" | ").append(f0(median(a, rps))).append(" |");
                if (raw) {
                    sb.append(' ').append(r.isEmpty() ? "-" : f0(median(r, rps))).append(" |");
                }
                sb.append(' ').append(mark(ratio(k, a, rps), target, true)).append(" |");
                if (raw) {
                    sb.append(' ').append(r.isEmpty() ? "-" : fake && w > 1 ? mark(ratio(k, r, rps), 0.5, true)
                            : f2(ratio(k, r, rps))).append(" |");
                }
                sb.append('\n');
            }
        }
        if (m.scenarios.contains(Scenario.PRODUCE_1MB)) {
            List<Result> k = m.get(Scenario.PRODUCE_1MB, 5, "kwire");
            List<Result> a = m.get(Scenario.PRODUCE_1MB, 5, "apache");
            sb.append("\nProduce of 1 MB batches (1000 x 1000 B), in flight 5: kwire ")
                    .append(f0(median(k, Result::megabytesPerSecond))).append(" MB/s, apache ")
                    .append(f0(median(a, Result::megabytesPerSecond))).append(" MB/s, kwire / apache ")
                    .append(mark(ratio(k, a, rps), 0.95, true)).append("; client-thread CPU per MB kwire ")
                    .append(f0(median(k, Result::cpuMicrosPerMegabyte))).append(" us, apache ")
                    .append(f0(median(a, Result::cpuMicrosPerMegabyte))).append(" us, kwire / apache ")
                    .append(f2(ratio(k, a, Result::cpuMicrosPerMegabyte))).append("; allocated per request kwire ")
                    .append(f0(median(k, Result::allocatedPerRequest))).append(" B, apache ")
                    .append(f0(median(a, Result::allocatedPerRequest))).append(" B.\n");
        }
        sb.append("\nLatency, microseconds (median over rounds of each round's p50 and p99):\n\n");
        sb.append("| request | in flight |");
        for (String c : m.clients) {
            sb.append(' ').append(c).append(" p50 | ").append(c).append(" p99 |");
        }
        sb.append('\n').append("|---|---:|").append("---:|---:|".repeat(m.clients.size())).append('\n');
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                if (m.get(s, w, "kwire").isEmpty()) {
                    continue;
                }
                sb.append("| ").append(s.label).append(" | ").append(w).append(" |");
                for (String c : m.clients) {
                    List<Result> rs = m.get(s, w, c);
                    sb.append(' ').append(rs.isEmpty() ? "-" : f0(median(rs, x -> x.p50Nanos / 1e3))).append(" | ")
                            .append(rs.isEmpty() ? "-" : f0(median(rs, x -> x.p99Nanos / 1e3))).append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append("\nClient-thread cost per request (ThreadMXBean CPU time and allocated bytes of the thread that "
                + "drives the client):\n\n");
        sb.append("| request | in flight | kwire CPU us | apache CPU us |").append(raw ? " raw CPU us |" : "")
                .append(" kwire / apache CPU | kwire B | apache B |").append(raw ? " raw B |" : "")
                .append(" kwire / apache B |\n");
        sb.append("|---|---:|---:|---:|").append(raw ? "---:|" : "").append("---:|---:|---:|").append(raw ? "---:|" : "")
                .append("---:|\n");
        ToDoubleFunction<Result> cpu = Result::cpuMicrosPerRequest;
        ToDoubleFunction<Result> alloc = Result::allocatedPerRequest;
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> k = m.get(s, w, "kwire");
                List<Result> a = m.get(s, w, "apache");
                List<Result> r = m.get(s, w, "raw");
                if (k.isEmpty()) {
                    continue;
                }
                sb.append("| ").append(s.label).append(" | ").append(w).append(" | ").append(f1(median(k, cpu)))
                        .append(" | ").append(f1(median(a, cpu))).append(" |");
                if (raw) {
                    sb.append(' ').append(r.isEmpty() ? "-" : f1(median(r, cpu))).append(" |");
                }
                sb.append(' ').append(fake ? mark(ratio(k, a, cpu), cpuTarget, false) : f2(ratio(k, a, cpu)))
                        .append(" | ")
                        .append(f0(median(k, alloc))).append(" | ").append(f0(median(a, alloc))).append(" |");
                if (raw) {
                    sb.append(' ').append(r.isEmpty() ? "-" : f0(median(r, alloc))).append(" |");
                }
                sb.append(' ').append(f2(ratio(k, a, alloc))).append(" |\n");
            }
        }
        if (m.clients.contains("raw+decode")) {
            sb.append(floorTable(m));
        }
        if (m.clients.contains("kwire-nospin")) {
            sb.append(variantTable(m, "kwire-nospin"));
        }
        if (m.clients.contains("kwire-openssl")) {
            sb.append(variantTable(m, "kwire-openssl"));
        }
        if (m.clients.contains("kwire-direct")) {
            sb.append(variantTable(m, "kwire-direct"));
        }
        if (m.clients.contains("kwire-openssl-direct")) {
            sb.append(variantTable(m, "kwire-openssl-direct"));
        }
        if (m.clients.contains("raw-spin") && raw) {
            sb.append(waitFloorTable(m));
        }
        if (!fake) {
            sb.append(sharingTable(m));
            sb.append(p99Table(m));
        }
        return sb.toString();
    }

    /**
     * The two-sided level at which {@link #p99Table} calls one client's p99 higher than the other's: each side is
     * tested at half of it, so that in 12 rounds a client must lose 10 or more.
     */
    static final double P99_SIGNIFICANCE = 0.05;

    /**
     * kwire's p99 against Apache's, round by round. A round's p99 is the 1% slowest of a few thousand requests, and
     * against a real broker it moves with whatever stalls the broker during that round (a collection, a flush, the
     * scheduler): one cell's per-round ratio spans 0.3-2.3. Comparing the medians of two such series calls a winner
     * on noise, so each round, in which both clients ran, counts once for the client with the lower p99 (ties for
     * neither), and a sign test says whether either wins more rounds than chance would give it.
     */
    static String p99Table(Matrix m) {
        ToDoubleFunction<Result> p99 = x -> x.p99Nanos / 1e3;
        StringBuilder rows = new StringBuilder();
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> k = m.get(s, w, "kwire");
                List<Result> a = m.get(s, w, "apache");
                int n = Math.min(k.size(), a.size());
                if (n == 0) {
                    continue;
                }
                int lower = 0;
                int higher = 0;
                for (int i = 0; i < n; i++) {
                    long kp = k.get(i).p99Nanos;
                    long ap = a.get(i).p99Nanos;
                    lower += kp < ap ? 1 : 0;
                    higher += kp > ap ? 1 : 0;
                }
                double side = P99_SIGNIFICANCE / 2;
                String verdict = signTest(higher, lower + higher) < side ? "kwire higher"
                        : signTest(lower, lower + higher) < side ? "kwire lower" : "no difference";
                rows.append("| ").append(s.label).append(" | ").append(w).append(" | ").append(f0(median(k, p99)))
                        .append(" | ").append(f0(median(a, p99))).append(" | ").append(f2(ratio(k, a, p99)))
                        .append(" | ").append(lower).append(" / ").append(higher).append(" | ").append(verdict)
                        .append(" |\n");
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        return table("p99 round by round (kwire and Apache ran in the same rounds): the median of the rounds' p99, "
                + "the median of the rounds' kwire / apache, the rounds where kwire's p99 was lower / higher, and a "
                + "sign test over those rounds (two-sided, p < " + P99_SIGNIFICANCE + "):", "request",
                "in flight", "kwire p99 us", "apache p99 us", "kwire / apache", "rounds lower / higher", "verdict")
                .append(rows).toString();
    }

    /** The chance of at least {@code k} wins in {@code n} fair coin tosses: the one-sided sign test's p-value. */
    static double signTest(int k, int n) {
        double tail = 0;
        double choose = 1; // C(n, i), built up from C(n, 0)
        for (int i = 0; i <= n; i++) {
            if (i >= k) {
                tail += choose;
            }
            choose = choose * (n - i) / (i + 1);
        }
        return n == 0 ? 1 : tail / Math.pow(2, n);
    }

    /**
     * Preemptions per request of the client's thread from which a run counts as sharing a CPU with the broker: runs of
     * 1 in flight against the broker process had 0.17-0.63 when they shared (their CPU per request and throughput say
     * so) and 0.00-0.14 when they did not.
     */
    static final double SHARED_CPU_PREEMPTIONS = 0.15;

    /**
     * A broker on the same small machine (a process of its own, or threads of the benchmark's JVM): each run, the
     * scheduler either puts the broker's threads that the client's writes wake on the client's CPU (they preempt the
     * client, and the wake-ups stay on one CPU) or on the other CPU (every wake-up crosses CPUs, tens of microseconds
     * more on a virtual machine), and keeps to its choice for the run. Which one a run gets is chance and moves a
     * single round by up to 40% whatever the client, so the clients are also compared within each kind of run. The
     * split is by preemptions of the client's thread, which also counts a yield of kwire's spin that let another thread
     * run (a thread that was on its CPU: sharing too) and the JVM's own threads; it tells the kinds apart where the
     * client sleeps between requests, at 1 in flight.
     */
    static String sharingTable(Matrix m) {
        ToDoubleFunction<Result> rps = Result::requestsPerSecond;
        StringBuilder rows = new StringBuilder();
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> k = counted(m.get(s, w, "kwire"));
                List<Result> a = counted(m.get(s, w, "apache"));
                if (k.isEmpty() || a.isEmpty()) {
                    continue;
                }
                rows.append("| ").append(s.label).append(" | ").append(w).append(" |");
                for (boolean shared : new boolean[] {true, false}) {
                    List<Result> ks = sharing(k, shared);
                    List<Result> as = sharing(a, shared);
                    rows.append(' ').append(ks.size()).append(" / ").append(as.size()).append(" | ")
                            .append(ks.isEmpty() ? "-" : f0(median(ks, rps))).append(" | ")
                            .append(as.isEmpty() ? "-" : f0(median(as, rps))).append(" | ")
                            .append(ks.isEmpty() || as.isEmpty() ? "-" : f2(median(ks, rps) / median(as, rps)))
                            .append(" |");
                }
                rows.append('\n');
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        return table("Runs by how the broker's threads shared the CPUs with the client's (a run shares when the "
                + "client's thread was preempted at least " + SHARED_CPU_PREEMPTIONS + " times per request, mostly by "
                + "the broker's threads its writes woke on its CPU; else every wake-up crossed CPUs; meaningful where "
                + "the client sleeps between requests, at 1 in flight). Runs of each kind (kwire / apache), median "
                + "req/s within the kind, and the ratio of the medians:", "request", "in flight", "shared: runs",
                "kwire req/s", "apache req/s", "kwire / apache", "apart: runs", "kwire req/s", "apache req/s",
                "kwire / apache").append(rows).toString();
    }

    /**
     * The start of a markdown table after a paragraph: {@code intro}, then the header row of {@code columns} and its
     * separator (the first column left-aligned, the figures right-aligned).
     */
    static StringBuilder table(String intro, String... columns) {
        StringBuilder sb = new StringBuilder("\n").append(intro).append("\n\n|");
        for (String c : columns) {
            sb.append(' ').append(c).append(" |");
        }
        return sb.append("\n|---|").append("---:|".repeat(columns.length - 1)).append('\n');
    }

    /** The runs whose preemptions are known. */
    private static List<Result> counted(List<Result> results) {
        return results.stream().filter(r -> r.preemptions >= 0).toList();
    }

    private static List<Result> sharing(List<Result> results, boolean shared) {
        return results.stream().filter(r -> r.preemptionsPerRequest() >= SHARED_CPU_PREEMPTIONS == shared).toList();
    }

    /**
     * What waiting costs on this machine, whatever the client: the raw client (no decoding, two system calls per
     * batch) blocking in its read, and spinning on a non-blocking read. The lower of the two, against Apache's CPU
     * per request, is the least any client can spend here; a CPU target below it cannot be met on this machine.
     */
    static String waitFloorTable(Matrix m) {
        StringBuilder sb = table("The floor of waiting: the raw client blocking in its read (raw) and spinning on a "
                + "non-blocking read (raw-spin), neither decoding. The lower CPU per request of the two, against "
                + "Apache's, is the least a client can spend on this machine:", "request", "in flight", "raw CPU us",
                "raw-spin CPU us", "apache CPU us", "floor / apache CPU", "kwire / apache CPU", "raw-spin req/s",
                "raw-spin / apache req/s");
        ToDoubleFunction<Result> rps = Result::requestsPerSecond;
        ToDoubleFunction<Result> cpu = Result::cpuMicrosPerRequest;
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> r = m.get(s, w, "raw");
                List<Result> rs = m.get(s, w, "raw-spin");
                List<Result> a = m.get(s, w, "apache");
                List<Result> k = m.get(s, w, "kwire");
                if (r.isEmpty() || rs.isEmpty() || a.isEmpty() || k.isEmpty()) {
                    continue;
                }
                double floor = Math.min(median(r, cpu), median(rs, cpu));
                sb.append("| ").append(s.label).append(" | ").append(w).append(" | ").append(f1(median(r, cpu)))
                        .append(" | ").append(f1(median(rs, cpu))).append(" | ").append(f1(median(a, cpu)))
                        .append(" | ").append(f2(floor / median(a, cpu))).append(" | ").append(f2(ratio(k, a, cpu)))
                        .append(" | ").append(f0(median(rs, rps))).append(" | ").append(f2(ratio(rs, a, rps)))
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    /**
     * kwire against the raw client that also decodes every response with kwire's decoder: the floor of a client
     * that hands back decoded responses. What kwire spends beyond it is the cost of being a client.
     */
    static String floorTable(Matrix m) {
        StringBuilder sb = table("The floor of a decoding client: the raw client that also copies each response body "
                + "to the heap and decodes it with kwire's generated decoder (raw+decode). kwire's cost beyond it is "
                + "connection, queue, correlation, future and request-encoding work:", "request", "in flight",
                "kwire req/s", "raw+decode req/s", "raw req/s", "kwire / raw+decode", "raw+decode / raw",
                "kwire CPU us", "raw+decode CPU us", "raw CPU us");
        ToDoubleFunction<Result> rps = Result::requestsPerSecond;
        ToDoubleFunction<Result> cpu = Result::cpuMicrosPerRequest;
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> k = m.get(s, w, "kwire");
                List<Result> d = m.get(s, w, "raw+decode");
                List<Result> r = m.get(s, w, "raw");
                if (k.isEmpty() || d.isEmpty()) {
                    continue;
                }
                sb.append("| ").append(s.label).append(" | ").append(w).append(" | ").append(f0(median(k, rps)))
                        .append(" | ").append(f0(median(d, rps))).append(" | ")
                        .append(r.isEmpty() ? "-" : f0(median(r, rps))).append(" | ").append(f2(ratio(k, d, rps)))
                        .append(" | ").append(r.isEmpty() ? "-" : f2(ratio(d, r, rps))).append(" | ")
                        .append(f1(median(k, cpu))).append(" | ").append(f1(median(d, cpu))).append(" | ")
                        .append(r.isEmpty() ? "-" : f1(median(r, cpu))).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** kwire against a variant of itself (another configuration) and Apache, same rounds. */
    static String variantTable(Matrix m, String variant) {
        StringBuilder sb = table("kwire (default config) against " + variant + ", in the same rounds:", "request",
                "in flight", "kwire req/s", variant + " req/s", "kwire / apache", variant + " / apache",
                "kwire CPU us", variant + " CPU us", "kwire / apache CPU", variant + " / apache CPU", "kwire p99 us",
                variant + " p99 us", "apache p99 us");
        ToDoubleFunction<Result> rps = Result::requestsPerSecond;
        ToDoubleFunction<Result> cpu = Result::cpuMicrosPerRequest;
        ToDoubleFunction<Result> p99 = x -> x.p99Nanos / 1e3;
        for (Scenario s : m.scenarios) {
            for (int w : m.inflights) {
                List<Result> k = m.get(s, w, "kwire");
                List<Result> v = m.get(s, w, variant);
                List<Result> a = m.get(s, w, "apache");
                if (k.isEmpty() || v.isEmpty() || a.isEmpty()) {
                    continue;
                }
                sb.append("| ").append(s.label).append(" | ").append(w).append(" | ").append(f0(median(k, rps)))
                        .append(" | ").append(f0(median(v, rps))).append(" | ").append(f2(ratio(k, a, rps)))
                        .append(" | ").append(f2(ratio(v, a, rps))).append(" | ").append(f1(median(k, cpu)))
                        .append(" | ").append(f1(median(v, cpu))).append(" | ").append(f2(ratio(k, a, cpu)))
                        .append(" | ").append(f2(ratio(v, a, cpu))).append(" | ").append(f0(median(k, p99)))
                        .append(" | ").append(f0(median(v, p99))).append(" | ").append(f0(median(a, p99))).append(" |\n");
            }
        }
        return sb.toString();
    }

    /**
     * Bytes one decode of the scenario's response allocates, kwire then Apache, measured in this thread on the
     * fake broker's bytes: what the per-request allocation is "beyond the response".
     */
    static long[] decodeBytes(Scenario s) {
        short v = RawDriver.version(s == Scenario.API_VERSIONS ? org.apache.kafka.common.protocol.ApiKeys.API_VERSIONS
                : org.apache.kafka.common.protocol.ApiKeys.METADATA);
        org.apache.kafka.common.protocol.ApiMessage body = s == Scenario.API_VERSIONS ? Payloads.apiVersionsResponse()
                : Payloads.metadataResponse(s.topics, Payloads.PARTITIONS_PER_TOPIC, "127.0.0.1", 1);
        ByteBuffer bytes = Payloads.bytes(body, v);
        long[] out = new long[2];
        // One reader reused for every frame, as KafkaClient does.
        io.kwire.protocol.ByteReader reader = new io.kwire.protocol.ByteReader(ByteBuffer.allocate(0));
        for (int side = 0; side < 2; side++) {
            long n = 0;
            for (int rep = 0; rep < 2; rep++) { // the first pass warms up
                long a0 = Driver.THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    if (side == 0) {
                        io.kwire.protocol.ByteReader in = reader.reset(bytes.duplicate());
                        if (s == Scenario.API_VERSIONS) {
                            io.kwire.protocol.message.ApiVersionsResponse.decode(in, v);
                        } else {
                            io.kwire.protocol.message.MetadataResponse.decode(in, v);
                        }
                    } else if (s == Scenario.API_VERSIONS) {
                        new org.apache.kafka.common.message.ApiVersionsResponseData(
                                new org.apache.kafka.common.protocol.ByteBufferAccessor(bytes.duplicate()), v);
                    } else {
                        new org.apache.kafka.common.message.MetadataResponseData(
                                new org.apache.kafka.common.protocol.ByteBufferAccessor(bytes.duplicate()), v);
                    }
                }
                n = (Driver.THREADS.getCurrentThreadAllocatedBytes() - a0) / 200;
            }
            out[side] = n;
        }
        return out;
    }

    static String decodeTable(List<Scenario> scenarios, Matrix m) {
        StringBuilder sb = table("Allocation beyond the response: per-request bytes above minus what decoding the "
                + "response body alone allocates (measured on the same bytes in the same JVM):", "request",
                "decode B kwire", "decode B apache", "kwire B beyond decode (in flight 1 / 5 / 16)",
                "apache B beyond decode (1 / 5 / 16)");
        for (Scenario s : scenarios) {
            if (s == Scenario.PRODUCE_1MB) {
                continue;
            }
            long[] d = decodeBytes(s);
            StringBuilder k = new StringBuilder();
            StringBuilder a = new StringBuilder();
            for (int w : m.inflights) {
                k.append(k.length() > 0 ? " / " : "").append(f0(median(m.get(s, w, "kwire"), Result::allocatedPerRequest) - d[0]));
                a.append(a.length() > 0 ? " / " : "").append(f0(median(m.get(s, w, "apache"), Result::allocatedPerRequest) - d[1]));
            }
            sb.append("| ").append(s.label).append(" | ").append(f0(d[0])).append(" | ").append(f0(d[1])).append(" | ")
                    .append(k).append(" | ").append(a).append(" |\n");
        }
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String mode = args.length > 0 ? args[0] : "fake";
        int rounds = 5;
        long durationMs = 400;
        long warmupMs = 300;
        Path out = null;
        int[] inflights = {1, 5, 16};
        List<String> only = List.of("kwire", "apache", "raw", "raw+decode");
        List<Scenario> scenarios = null;
        String pin = "none";
        boolean tls = false;
        String kafkaVersion = "4.1.2";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--duration-ms" -> durationMs = Long.parseLong(args[++i]);
                case "--warmup-ms" -> warmupMs = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--clients" -> only = List.of(args[++i].split(","));
                case "--requests" -> scenarios = Arrays.stream(args[++i].split(",")).map(Scenario::valueOf).toList();
                case "--pin" -> pin = args[++i];
                case "--tls" -> tls = true;
                case "--kafka" -> kafkaVersion = args[++i];
                case "--inflight" -> inflights = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String text;
        Matrix m;
        if (mode.equals("fake")) {
            String brokerCpus = pin(pin);
            TlsMaterial material = tls ? TlsMaterial.create() : null;
            if (tls && scenarios == null) {
                scenarios = List.of(Scenario.API_VERSIONS, Scenario.METADATA_1, Scenario.PRODUCE_1MB);
            }
            try (FakeBrokerProcess broker = new FakeBrokerProcess(brokerCpus, tls ? material.keyStore() : null)) {
                List<Driver> drivers = tls
                        ? select(only, new KwireDriver("kwire", io.kwire.client.KafkaClientConfig.DEFAULT_POLL_SPIN,
                                material), new ApacheDriver(material),
                                new KwireDriver("kwire-nospin", java.time.Duration.ZERO, material),
                                KwireDriver.openSsl(material),
                                KwireDriver.directBatch(material, io.kwire.client.TlsEngine.OPENSSL))
                        : select(only, new KwireDriver(), new ApacheDriver(), new RawDriver(),
                        RawDriver.decoding(), RawDriver.spinning(),
                        new KwireDriver("kwire-nospin", java.time.Duration.ZERO),
                        KwireDriver.directBatch(null, io.kwire.client.TlsEngine.JDK));
                try {
                    for (Driver d : drivers) {
                        d.connect("127.0.0.1", broker.port());
                    }
                    m = run(drivers, scenarios != null ? scenarios
                                    : List.of(Scenario.API_VERSIONS, Scenario.METADATA_1, Scenario.METADATA_100),
                            inflights, rounds, durationMs, warmupMs, System.err);
                } finally {
                    for (Driver d : drivers) {
                        d.close();
                    }
                }
            }
            text = tables(m, true, pin.equals("none") ? 0.5 : 0.6) + decodeTable(m.scenarios, m);
        } else {
            TlsMaterial material = tls ? TlsMaterial.create() : null;
            if (tls && !mode.equals("external")) {
                throw new IllegalArgumentException("--tls works with fake and external, not " + mode);
            }
            if (!pin.equals("none") && !mode.equals("external")) {
                throw new IllegalArgumentException("--pin works with fake and external, not " + mode);
            }
            String brokerCpus = pin(pin);
            try (RealBroker broker = mode.equals("external") ? RealBroker.external(kafkaVersion, material, brokerCpus)
                    : new RealBroker()) {
                produceTopicId = broker.produceTopicId();
                List<Driver> drivers = select(only,
                        new KwireDriver("kwire", io.kwire.client.KafkaClientConfig.DEFAULT_POLL_SPIN, material),
                        new ApacheDriver(material), new KwireDriver("kwire-nospin", java.time.Duration.ZERO, material),
                        material == null ? null : KwireDriver.openSsl(material),
                        KwireDriver.directBatch(material, io.kwire.client.TlsEngine.JDK),
                        material == null ? null : KwireDriver.directBatch(material, io.kwire.client.TlsEngine.OPENSSL));
                try {
                    for (Driver d : drivers) {
                        d.connect(broker.host(), broker.port());
                    }
                    m = run(drivers, scenarios != null ? scenarios : List.of(Scenario.API_VERSIONS,
                            Scenario.METADATA_1, Scenario.METADATA_100, Scenario.PRODUCE_1MB), inflights, rounds,
                            durationMs, warmupMs, System.err);
                } finally {
                    for (Driver d : drivers) {
                        d.close();
                    }
                }
            }
            text = tables(m, false);
        }
        System.out.println(text);
        if (out != null) {
            write(out, text);
            write(Path.of(out + ".csv"), m.csv.toString());
        }
        System.exit(0);
    }

    /**
     * Pins this JVM (every thread) to CPU 0 for {@code --pin same|split} and returns the CPU list for the fake
     * broker's JVM: the same CPU, or CPU 1; null (no pinning) for {@code none}.
     */
    static String pin(String mode) throws IOException, InterruptedException {
        String brokerCpus = switch (mode) {
            case "none" -> null;
            case "same" -> "0";
            case "split" -> "1";
            default -> throw new IllegalArgumentException("--pin takes none, same or split, not " + mode);
        };
        if (brokerCpus != null) {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", "0", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("taskset could not pin the benchmark JVM to CPU 0");
            }
        }
        return brokerCpus;
    }

    private static List<Driver> select(List<String> names, Driver... all) {
        List<Driver> out = new ArrayList<>();
        for (Driver d : all) {
            if (d != null && names.contains(d.name())) {
                out.add(d);
            }
        }
        return out;
    }

    private static void write(Path p, String s) throws IOException {
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.writeString(p, s);
    }
}
