package io.kwire.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Latency counts from when a request's slot was free, whenever the driver gives it to the client. */
class DriverLatencyTest {

    /** A driver that replays a script of sends and responses at times relative to the loop's start. */
    private static final class Scripted extends Driver {
        /**
         * {0, t}: a request handed to the client at t (a time the latency must not depend on, so only the order of
         * the steps reaches the driver); {1, t}: a response received at t.
         */
        private final long[][] script;
        long loopStart;

        Scripted(long[]... script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public void connect(String host, int port) {
        }

        @Override
        public void prepare(Scenario scenario) {
        }

        @Override
        protected long loop(int inFlight, long durationNanos) {
            loopStart = System.nanoTime();
            long answered = 0;
            for (long[] step : script) {
                if (step[0] == 0) {
                    sent();
                } else {
                    received(loopStart + step[1]);
                    answered++;
                }
            }
            return answered;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRequestTheDriverHeldBackCountsFromItsFreeSlot() throws Exception {
        // One in flight: the answer at 100 frees the slot; the driver gives the next request to the client only at
        // 500 (as Apache's NetworkClient makes it wait for ready()); it is answered at 1,000: 900 ns, not 500.
        Scripted d = new Scripted(new long[] {0, 0}, new long[] {1, 100}, new long[] {0, 500}, new long[] {1, 1_000});
        d.run(Scenario.METADATA_1, 1, 0);
        assertEquals(2, d.recorded);
        assertTrue(d.latencies[0] >= 100, "the first request counts from the run's start: " + d.latencies[0]);
        assertEquals(900, d.latencies[1]);
    }

    @Test
    void slotsAreTakenOldestFirst() throws Exception {
        // Two in flight: answers at 100 and 200 free two slots; requests given at 300 and 350 count from 100 and 200.
        Scripted d = new Scripted(new long[] {0, 0}, new long[] {0, 0}, new long[] {1, 100}, new long[] {1, 200},
                new long[] {0, 300}, new long[] {0, 350}, new long[] {1, 400}, new long[] {1, 450});
        d.run(Scenario.METADATA_1, 2, 0);
        assertEquals(4, d.recorded);
        assertEquals(300, d.latencies[2]);
        assertEquals(250, d.latencies[3]);
    }

    @Test
    void aRequestGivenAtOnceCountsFromItsAnswerBefore() throws Exception {
        // kwire's driver sends in the iteration after an answer: a few hundred ns of the loop, as before.
        Scripted d = new Scripted(new long[] {0, 0}, new long[] {1, 100}, new long[] {0, 130}, new long[] {1, 400});
        d.run(Scenario.METADATA_1, 1, 0);
        assertEquals(300, d.latencies[1]);
    }

    @Test
    void theFirstRequestsCountFromTheRunsStart() throws Exception {
        // Two slots free from the start; the driver hands the second request over only at 500 (Apache's first poll
        // has to write the first one): answered at 700, it counts 700 ns or more, not 200.
        Scripted d = new Scripted(new long[] {0, 0}, new long[] {0, 500}, new long[] {1, 600}, new long[] {1, 700});
        d.run(Scenario.METADATA_1, 2, 0);
        assertTrue(d.latencies[1] >= 700, "from the run's start: " + d.latencies[1]);
    }

    @Test
    void theRingWrapsAndEachRunStartsAfresh() throws Exception {
        // 200 requests at 3 in flight (the ring holds 64), answered every 1,000 ns, each next one given 40 ns after an
        // answer: request k takes the slot that answer k - 3 freed. Twice on one driver: the second run starts afresh.
        int n = 200;
        long[][] script = new long[2 * n][];
        int i = 0;
        for (int k = 0; k < 3; k++) {
            script[i++] = new long[] {0, 0};
        }
        for (int k = 0; k < n; k++) {
            long answeredAt = 1_000 + 1_000L * k;
            script[i++] = new long[] {1, answeredAt};
            if (k + 3 < n) {
                script[i++] = new long[] {0, answeredAt + 40};
            }
        }
        Scripted d = new Scripted(java.util.Arrays.copyOf(script, i));
        for (int run = 0; run < 2; run++) {
            d.run(Scenario.METADATA_1, 3, 0);
            assertEquals(n, d.recorded);
            for (int k = 3; k < n; k++) {
                // Request k took the slot freed by answer k - 3, 3,000 ns before its own answer.
                assertEquals(3_000, d.latencies[k], "request " + k + ", run " + run);
            }
        }
    }

    @Test
    void sendingMoreThanInFlightIsABugOfTheDriver() {
        Scripted d = new Scripted(new long[] {0, 0}, new long[] {0, 10});
        assertThrows(IllegalStateException.class, () -> d.run(Scenario.METADATA_1, 1, 0));
    }

    @Test
    void moreInFlightThanTheRingHoldsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Scripted().run(Scenario.METADATA_1, 65, 0));
    }
}
