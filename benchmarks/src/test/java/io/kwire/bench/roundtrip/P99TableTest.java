package io.kwire.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kwire's p99 against Apache's, judged round by round with a sign test. */
class P99TableTest {

    /** Apache's p99 in each of 12 rounds: 300 us. */
    private static final long[] APACHE_300 = new long[12];

    static {
        java.util.Arrays.fill(APACHE_300, 300);
    }

    /** A run whose every latency is {@code micros}: its p99 is that. */
    private static Result p99(long micros) {
        return new Result(1_000, 1_000_000_000L, 0, 0, new long[] {micros * 1_000}, 1, 0, -1);
    }

    /** Metadata at 5 in flight, with these p99s (us) of each client, round by round. */
    private static RoundTrips.Matrix rounds(long[] kwire, long[] apache) {
        RoundTrips.Matrix m = new RoundTrips.Matrix();
        m.clients.addAll(List.of("kwire", "apache"));
        m.scenarios.add(Scenario.METADATA_1);
        m.inflights.add(5);
        List<Result> k = new ArrayList<>();
        List<Result> a = new ArrayList<>();
        for (int i = 0; i < kwire.length; i++) {
            k.add(p99(kwire[i]));
            a.add(p99(apache[i]));
        }
        m.cells.put("METADATA_1/5/kwire", k);
        m.cells.put("METADATA_1/5/apache", a);
        return m;
    }

    private static void assertRow(long[] kwire, long[] apache, String row) {
        String table = RoundTrips.p99Table(rounds(kwire, apache));
        assertTrue(table.contains(row), table);
    }

    @Test
    void theSignTestIsTheBinomialTail() {
        assertEquals(1.0, RoundTrips.signTest(0, 12), 1e-12);
        assertEquals(79.0 / 4096, RoundTrips.signTest(10, 12), 1e-12); // C(12,10) + C(12,11) + C(12,12) = 66 + 12 + 1
        assertEquals(299.0 / 4096, RoundTrips.signTest(9, 12), 1e-12); // 220 more
        assertEquals(1.0 / 4096, RoundTrips.signTest(12, 12), 1e-12);
        assertEquals(1.0, RoundTrips.signTest(0, 0), 1e-12);
    }

    @Test
    void higherInTenRoundsOfTwelveIsHigher() {
        // Medians 300 against 290, and kwire higher in 10 rounds of 12: p = 0.019.
        assertRow(new long[] {300, 310, 320, 300, 305, 295, 300, 290, 330, 300, 250, 260},
                new long[] {290, 290, 290, 290, 290, 290, 290, 280, 290, 290, 290, 290},
                "| Metadata 1 topic | 5 | 300 | 290 | 1.03 | 2 / 10 | kwire higher |");
    }

    @Test
    void aHigherMedianFromNineRoundsOfTwelveIsNoDifference() {
        // kwire's median p99 is higher, but 9 rounds of 12 (p = 0.073) is within what chance gives.
        assertRow(new long[] {400, 400, 400, 400, 400, 400, 400, 400, 400, 100, 100, 100},
                APACHE_300,
                "| Metadata 1 topic | 5 | 400 | 300 | 1.33 | 3 / 9 | no difference |");
    }

    @Test
    void tiesCountForNeitherAndLowerIsLower() {
        // Nine rounds lower, three equal: 9 of 9 counted rounds (p = 0.002) is lower, where 9 of 12 would not be.
        assertRow(new long[] {200, 200, 200, 200, 200, 200, 200, 200, 200, 300, 300, 300},
                APACHE_300,
                "| Metadata 1 topic | 5 | 200 | 300 | 0.67 | 9 / 0 | kwire lower |");
    }

    @Test
    void eachSideIsTestedAtHalfTheLevel() {
        // 8 of 9 counted rounds higher: p = 0.020 one-sided, below 0.025, so higher; 8 of 10 (p = 0.055) is not.
        assertRow(new long[] {400, 400, 400, 400, 400, 400, 400, 400, 100, 300, 300, 300},
                APACHE_300,
                "| 1 / 8 | kwire higher |");
        assertRow(new long[] {400, 400, 400, 400, 400, 400, 400, 400, 100, 100, 300, 300},
                APACHE_300,
                "| 2 / 8 | no difference |");
    }
}
