package io.kwire.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs told apart by how the broker's threads shared the CPUs with the client's, and the counter behind it. */
class SharingTableTest {

    @Test
    void theCounterIsThereWhereTheKernelKeepsIt() {
        long first = SchedStats.involuntarySwitches();
        if (Files.isReadable(Path.of("/proc/thread-self/sched"))) {
            assertTrue(first >= 0, "preemptions " + first);
            assertTrue(SchedStats.involuntarySwitches() >= first);
        } else {
            assertEquals(-1, first);
        }
    }

    private static Result run(long requests, long elapsedNanos, long preemptions) {
        return new Result(requests, elapsedNanos, 0, 0, new long[0], 0, 0, preemptions);
    }

    /** Metadata at 1 in flight, with these runs of each client. */
    private static RoundTrips.Matrix metadataAtOne(List<Result> kwire, List<Result> apache) {
        RoundTrips.Matrix m = new RoundTrips.Matrix();
        m.clients.addAll(List.of("kwire", "apache"));
        m.scenarios.add(Scenario.METADATA_1);
        m.inflights.add(1);
        m.cells.put("METADATA_1/1/kwire", kwire);
        m.cells.put("METADATA_1/1/apache", apache);
        return m;
    }

    @Test
    void runsAreComparedWithinEachKind() {
        // kwire: two runs sharing a CPU (10,000 and 12,000 req/s), one apart (7,000); apache: one sharing, two apart.
        String table = RoundTrips.sharingTable(metadataAtOne(
                List.of(run(10_000, 1_000_000_000L, 3_000), run(12_000, 1_000_000_000L, 4_000),
                        run(7_000, 1_000_000_000L, 100)),
                List.of(run(9_000, 1_000_000_000L, 2_000), run(6_000, 1_000_000_000L, 0),
                        run(6_400, 1_000_000_000L, 600))));
        assertTrue(table.contains("| Metadata 1 topic | 1 | 2 / 1 | 11,000 | 9,000 | 1.22 | 1 / 2 | 7,000 | 6,200 | 1.13 |"),
                table);
    }

    @Test
    void theLineCountsAsSharingAndRunsWithoutTheCounterAreLeftOut() {
        // 1,500 preemptions in 10,000 requests is the line; the run without the counter counts in neither kind.
        String table = RoundTrips.sharingTable(metadataAtOne(
                List.of(run(10_000, 1_000_000_000L, 1_500), run(20_000, 1_000_000_000L, -1)),
                List.of(run(8_000, 1_000_000_000L, 1_199), run(9_000, 1_000_000_000L, 2_000))));
        assertTrue(table.contains(
                "| Metadata 1 topic | 1 | 1 / 1 | 10,000 | 9,000 | 1.11 | 0 / 1 | - | 8,000 | - |"), table);
    }

    @Test
    void noTableWithoutTheCounter() {
        assertEquals("", RoundTrips.sharingTable(metadataAtOne(List.of(run(10_000, 1_000_000_000L, -1)),
                List.of(run(9_000, 1_000_000_000L, -1)))));
    }
}
