package io.kwire.bench.roundtrip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux scheduler's counters of the calling thread ({@code /proc/thread-self/sched}). The one used here, how often
 * the thread was preempted, tells apart the two ways a client and a broker process on the same small machine share
 * its CPUs: when the broker's thread that the client's write wakes runs on the client's CPU, it preempts the client
 * (a cheap wake-up on the same CPU); when it runs on another CPU, the client is not preempted and every wake-up
 * crosses CPUs.
 */
final class SchedStats {

    private static final Path SCHED = Path.of("/proc/thread-self/sched");
    private static final String INVOLUNTARY = "nr_involuntary_switches";

    private SchedStats() {
    }

    /** Times the calling thread was preempted since it started, or -1 where the kernel does not say. */
    static long involuntarySwitches() {
        try {
            for (String line : Files.readAllLines(SCHED)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(INVOLUNTARY)) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
