package io.kwire.bench.roundtrip;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.TlsEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Client CPU per MB of 1 MB Produce at 5 in flight over TLS 1.3 against the fake broker, measured on many fresh
 * connections: kwire, kwire with the OpenSSL engine ({@code kwire-openssl}), Apache's {@code NetworkClient} and
 * kwire-openssl sending the same batch built in direct memory ({@code kwire-openssl-direct}) in turn, a new client and
 * connection for every measurement, the order rotating from one round to the next. With {@code --plain}, the same
 * in plain text: kwire, Apache and kwire with the batch in direct memory ({@code kwire-direct}).
 *
 * <p>Why not rounds on one connection, as {@link RoundTrips} does: on this machine the CPU a client thread pays per MB
 * settles, per connection, at levels 20-30% apart (the kernel's share: how often the sender finds the receiver asleep
 * and pays its wake-up), and keeps that level for the connection's life. Rounds on one connection measure that one
 * draw again and again, so two runs of the same code gave kwire / Apache 0.72 and 1.06. A median over a dozen
 * connections of each client is stable to a few per cent between runs.
 *
 * <pre>
 * TlsProduceConnections [--plain] [--pin none|same|split] [--connections N] [--duration-ms D] [--warmup-ms W]
 *                       [--send-buffer BYTES] [--apache-send-buffer BYTES] [--out FILE]
 * </pre>
 *
 * <p>{@code --send-buffer} gives every client's connection that fixed SO_SNDBUF instead of the operating system's
 * default, which Linux grows as the connection needs; {@code --apache-send-buffer} sets Apache's alone (-1: the
 * default), so that each client can be measured with the buffer its users get (Apache's producer: 128 KiB).
 */
public final class TlsProduceConnections {

    private TlsProduceConnections() {
    }

    /** One measured connection. */
    private record Sample(double mbPerSecond, double cpuMicrosPerMb, double bytesPerRequest, double systemShare) {

        /** The kernel's part of the CPU per MB (system time), or NaN if unknown. */
        double systemMicrosPerMb() {
            return systemShare < 0 ? Double.NaN : cpuMicrosPerMb * systemShare;
        }

        /** The rest: user space (the client, the cipher, the JVM). */
        double userMicrosPerMb() {
            return systemShare < 0 ? Double.NaN : cpuMicrosPerMb * (1 - systemShare);
        }
    }

    public static void main(String[] args) throws Exception {
        String pin = "split";
        int connections = 16; // as many rounds in the forward order as in the reversed one (RoundTrips.clientAt)
        long durationMs = 700;
        long warmupMs = 300;
        int sendBuffer = -1;
        Integer apacheSendBuffer = null;
        Path out = null;
        boolean plain = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--plain" -> plain = true;
                case "--pin" -> pin = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--duration-ms" -> durationMs = Long.parseLong(args[++i]);
                case "--warmup-ms" -> warmupMs = Long.parseLong(args[++i]);
                case "--send-buffer" -> sendBuffer = Integer.parseInt(args[++i]);
                case "--apache-send-buffer" -> apacheSendBuffer = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (connections < 1) {
            throw new IllegalArgumentException("--connections takes 1 or more, not " + connections);
        }
        List<String> clients = plain ? PLAIN_CLIENTS : TLS_CLIENTS;
        int apacheBuffer = apacheSendBuffer == null ? sendBuffer : apacheSendBuffer;
        int[] buffers = new int[clients.size()];
        for (int c = 0; c < buffers.length; c++) {
            buffers[c] = clients.get(c).equals("apache") ? apacheBuffer : sendBuffer;
        }
        String brokerCpus = RoundTrips.pin(pin);
        TlsMaterial material = plain ? null : TlsMaterial.create();
        List<List<Sample>> byClient = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            byClient.add(new ArrayList<>());
        }
        try (FakeBrokerProcess broker = new FakeBrokerProcess(brokerCpus, plain ? null : material.keyStore())) {
            for (int c = 0; c < clients.size(); c++) { // the JIT's warm-up, not counted
                measure(clients.get(c), material, broker.port(), buffers[c], warmupMs, durationMs);
            }
            for (int i = 0; i < connections; i++) {
                StringBuilder line = new StringBuilder();
                for (int j = 0; j < clients.size(); j++) {
                    int c = RoundTrips.clientAt(j, i, clients.size()); // each pair in both orders
                    Sample sample = measure(clients.get(c), material, broker.port(), buffers[c], warmupMs, durationMs);
                    byClient.get(c).add(sample);
                    line.append(String.format(Locale.ROOT, " %s %.0f", clients.get(c), sample.cpuMicrosPerMb));
                }
                System.err.printf(Locale.ROOT, "connection round %d of %d (us per MB):%s%n", i + 1, connections, line);
            }
        }
        List<Sample> kwire = byClient.get(clients.indexOf("kwire"));
        List<Sample> apache = byClient.get(clients.indexOf("apache"));
        StringBuilder text = new StringBuilder(report(pin, plain, apacheBuffer, sendBuffer, kwire, apache, durationMs));
        for (int c = 0; c < clients.size(); c++) {
            String name = clients.get(c);
            if (!name.equals("kwire") && !name.equals("apache")) {
                text.append(variantReport(name, VARIANTS.get(name), byClient.get(c), kwire, apache));
            }
        }
        text.append(split(clients, byClient, apache));
        System.out.print(text);
        if (out != null) {
            Files.writeString(out, text);
        }
    }

    /** The clients over TLS 1.3, in the order of their samples. */
    private static final List<String> TLS_CLIENTS = List.of("kwire", "kwire-openssl", "apache",
            "kwire-openssl-direct");
    /** The clients in plain text ({@code --plain}). */
    private static final List<String> PLAIN_CLIENTS = List.of("kwire", "apache", "kwire-direct");
    /** What each variant of kwire is. */
    private static final java.util.Map<String, String> VARIANTS = java.util.Map.of(
            "kwire-openssl", "sslEngine OPENSSL: BoringSSL through netty-tcnative",
            "kwire-openssl-direct", "sslEngine OPENSSL, the same batch built by kwire's RecordBatchBuilder.buildInto"
                    + " into direct memory",
            "kwire-direct", "the same batch built by kwire's RecordBatchBuilder.buildInto into direct memory");

    private static Sample measure(String client, TlsMaterial material, int port, int sendBuffer, long warmupMs,
                                  long durationMs) throws Exception {
        try (Driver d = switch (client) {
            case "kwire" -> new KwireDriver("kwire", KafkaClientConfig.DEFAULT_POLL_SPIN, material);
            case "kwire-openssl" -> KwireDriver.openSsl(material);
            case "kwire-openssl-direct" -> KwireDriver.directBatch(material, TlsEngine.OPENSSL);
            case "kwire-direct" -> KwireDriver.directBatch(material, TlsEngine.JDK);
            default -> new ApacheDriver(material);
        }) {
            d.sendBufferBytes(sendBuffer).connect("127.0.0.1", port);
            d.prepare(Scenario.PRODUCE_1MB);
            d.run(Scenario.PRODUCE_1MB, 5, warmupMs * 1_000_000L);
            Result r = d.run(Scenario.PRODUCE_1MB, 5, durationMs * 1_000_000L);
            double mb = r.requests * (double) RoundTrips.produceBatch().remaining() / 1e6;
            return new Sample(mb / (r.elapsedNanos / 1e9), r.cpuNanos / 1000.0 / mb,
                    r.allocatedBytes / (double) r.requests, r.systemShare);
        }
    }

    private static String report(String pin, boolean plain, int apacheBuffer, int kwireBuffer, List<Sample> kwire,
                                 List<Sample> apache, long durationMs) {
        List<Double> cpuRatios = cpuRatios(kwire, apache);
        StringBuilder sb = new StringBuilder();
        String placement = switch (pin) {
            case "split" -> "client on CPU 0, fake broker on CPU 1";
            case "same" -> "client and fake broker on CPU 0";
            default -> "unpinned";
        };
        sb.append(String.format(Locale.ROOT, "1 MB Produce at 5 in flight %s, %s: %d connections of each "
                + "client, %d ms each, in turn; socket send buffer: kwire's %s, Apache's %s.%n%n",
                plain ? "in plain text" : "over TLS 1.3", placement,
                kwire.size(), durationMs, describe(kwireBuffer), describe(apacheBuffer)));
        sb.append("| connection pair | kwire MB/s | apache MB/s | kwire CPU us per MB | apache CPU us per MB "
                + "| kwire / apache CPU |\n|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < kwire.size(); i++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.2f |%n", i + 1,
                    kwire.get(i).mbPerSecond, apache.get(i).mbPerSecond, kwire.get(i).cpuMicrosPerMb,
                    apache.get(i).cpuMicrosPerMb, cpuRatios.get(i)));
        }
        double kCpu = median(kwire, Sample::cpuMicrosPerMb);
        double aCpu = median(apache, Sample::cpuMicrosPerMb);
        double kMbs = median(kwire, Sample::mbPerSecond);
        double aMbs = median(apache, Sample::mbPerSecond);
        sb.append(String.format(Locale.ROOT, "%nMedians: kwire %.0f MB/s at %.0f us per MB, apache %.0f MB/s at %.0f us "
                        + "per MB; throughput kwire / apache %.2f; CPU per MB kwire / apache %.2f (median of the pairs' "
                        + "ratios %.2f, from %.2f to %.2f); allocated per request kwire %.0f B, apache %.0f B.%n",
                kMbs, kCpu, aMbs, aCpu, kMbs / aMbs, kCpu / aCpu, median(cpuRatios), Collections.min(cpuRatios),
                Collections.max(cpuRatios), median(kwire, Sample::bytesPerRequest),
                median(apache, Sample::bytesPerRequest)));
        return sb.toString();
    }

    /** A variant of kwire in the same rounds: its CPU per MB against Apache's and kwire's. */
    private static String variantReport(String name, String what, List<Sample> variant, List<Sample> kwire,
                                        List<Sample> apache) {
        List<Double> ratios = cpuRatios(variant, apache);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n%s (%s) in the same rounds:%n%n| round"
                + " | %s MB/s | %s CPU us per MB | %s / apache CPU |%n|---:|---:|---:|---:|%n", name, what, name, name,
                name));
        for (int i = 0; i < variant.size(); i++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f |%n", i + 1, variant.get(i).mbPerSecond,
                    variant.get(i).cpuMicrosPerMb, ratios.get(i)));
        }
        double vCpu = median(variant, Sample::cpuMicrosPerMb);
        double vMbs = median(variant, Sample::mbPerSecond);
        double aMbs = median(apache, Sample::mbPerSecond);
        sb.append(String.format(Locale.ROOT, "%nMedians: %s %.0f MB/s at %.0f us per MB; throughput %s / apache"
                        + " %.2f; CPU per MB %s / apache %.2f (median of the rounds' ratios %.2f, from %.2f to %.2f),"
                        + " %s / kwire %.2f; allocated per request %.0f B.%n",
                name, vMbs, vCpu, name, vMbs / aMbs, name, vCpu / median(apache, Sample::cpuMicrosPerMb),
                median(ratios), Collections.min(ratios), Collections.max(ratios), name,
                vCpu / median(kwire, Sample::cpuMicrosPerMb), median(variant, Sample::bytesPerRequest)));
        return sb.toString();
    }

    /**
     * Each client's CPU per MB split into the kernel's part (system time: the socket write, loopback delivery billed
     * to the sender, epoll, wake-ups) and user space, the split taken from the thread's clock ticks.
     */
    private static String split(List<String> clients, List<List<Sample>> byClient, List<Sample> apache) {
        if (Double.isNaN(median(apache, Sample::systemMicrosPerMb))) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nCPU per MB split by the thread's clock"
                + " ticks (medians over the connections; 10 ms ticks, so each connection's split is good to a few per"
                + " cent):%n%n| client | kernel (system) us per MB | user us per MB | user / apache's user |%n"
                + "|---|---:|---:|---:|%n"));
        double apacheUser = median(apache, Sample::userMicrosPerMb);
        for (int c = 0; c < clients.size(); c++) {
            List<Sample> samples = byClient.get(c);
            double user = median(samples, Sample::userMicrosPerMb);
            sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |%n", clients.get(c),
                    median(samples, Sample::systemMicrosPerMb), user, user / apacheUser));
        }
        return sb.toString();
    }

    private static String describe(int sendBuffer) {
        return sendBuffer > 0 ? sendBuffer + " bytes" : "the operating system's default";
    }

    /** Round by round, the first client's CPU per MB over the second's. */
    private static List<Double> cpuRatios(List<Sample> client, List<Sample> apache) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < client.size(); i++) {
            ratios.add(client.get(i).cpuMicrosPerMb / apache.get(i).cpuMicrosPerMb);
        }
        return ratios;
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return median(samples.stream().map(field::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
