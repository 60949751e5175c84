package io.kwire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kwire.bench.codec.CodecBenchmark;
import io.kwire.bench.roundtrip.ApacheDriver;
import io.kwire.bench.roundtrip.DnsStall;
import io.kwire.bench.roundtrip.Driver;
import io.kwire.bench.roundtrip.FakeBrokerProcess;
import io.kwire.bench.roundtrip.KwireDriver;
import io.kwire.bench.roundtrip.RawDriver;
import io.kwire.bench.roundtrip.RoundTrips;
import io.kwire.bench.roundtrip.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Checks that the harnesses work; measures nothing. scripts/bench.sh runs the real comparison. */
class HarnessSmokeTest {

    @Test
    @Timeout(30)
    void codecPayloadsEncodeIdentically() {
        // setup() throws if kwire's and Apache's encodings of the same message differ.
        assertTrue(CodecBenchmark.describe().contains("Metadata response"));
    }

    @Test
    @Timeout(60)
    void dnsStallHarnessRunsBothClientsAndBothReachTheSlowBroker(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("dns.md");
        DnsStall.main(new String[] {"--rounds", "1", "--stall-ms", "100", "--duration-ms", "300", "--out",
                out.toString()});
        String report = Files.readString(out);
        assertTrue(report.contains("| 1 | kwire |") && report.contains("| 1 | apache |"), report);
        assertTrue(!report.contains("not ready"), report);
    }

    /** kwire-direct builds the scenario's batch in direct memory (byte for byte the same) and gets it answered. */
    @Test
    @Timeout(60)
    void theDirectBatchDriverProducesTheScenariosBatch() throws Exception {
        try (FakeBrokerProcess broker = new FakeBrokerProcess();
             Driver d = KwireDriver.directBatch(null, io.kwire.client.TlsEngine.JDK)) {
            assertEquals("kwire-direct", d.name());
            d.connect("127.0.0.1", broker.port());
            d.prepare(Scenario.PRODUCE_1MB); // fails unless the direct batch equals the scenario's
            long n = responses(d, Scenario.PRODUCE_1MB, 10);
            assertTrue(n >= 10, "only " + n + " Produce responses in 10 s");
        }
    }

    /** Short timed runs at 5 in flight until {@code want} responses or 10 s: a loaded machine only slows it. */
    private static long responses(Driver d, Scenario scenario, long want) throws Exception {
        long n = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (n < want && System.nanoTime() < deadline) {
            n += d.run(scenario, 5, Duration.ofMillis(100).toNanos()).requests;
        }
        return n;
    }

    @Test
    @Timeout(60)
    void roundTripHarnessGetsResponsesForEveryClient() throws Exception {
        try (FakeBrokerProcess broker = new FakeBrokerProcess()) {
            List<Driver> drivers = List.of(new KwireDriver(), new ApacheDriver(), new RawDriver(),
                    RawDriver.decoding());
            try {
                for (Driver d : drivers) {
                    d.connect("127.0.0.1", broker.port());
                }
                RoundTrips.Matrix m = RoundTrips.run(drivers, List.of(Scenario.API_VERSIONS, Scenario.METADATA_100),
                        new int[] {5}, 1, 150, 50, null);
                String tables = RoundTrips.tables(m, true);
                assertTrue(tables.contains("| ApiVersions | 5 |"), tables);
                int floor = tables.indexOf("| kwire / raw+decode |");
                assertTrue(floor > 0 && tables.indexOf("| Metadata 100 x 10 | 5 |", floor) > 0, tables);
                for (Driver d : drivers) {
                    // A few hundred responses each; short timed runs until then, so a loaded machine only slows it.
                    d.prepare(Scenario.METADATA_1);
                    long n = responses(d, Scenario.METADATA_1, 300);
                    assertTrue(n >= 300, d.name() + " got only " + n + " responses in 10 s");
                }
            } finally {
                for (Driver d : drivers) {
                    d.close();
                }
            }
        }
    }
}
