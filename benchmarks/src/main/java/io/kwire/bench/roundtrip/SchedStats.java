package io.kwire.bench.roundtrip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux scheduler's counters of the calling thread ({@code /proc/thread-self/sched}, and its user and system time
 * from {@code /proc/thread-self/stat}). The counter used most, how often
 * the thread was preempted, tells apart the two ways a client and a broker process on the same small machine share
 * its CPUs: when the broker's thread that the client's write wakes runs on the client's CPU, it preempts the client
 * (a cheap wake-up on the same CPU); when it runs on another CPU, the client is not preempted and every wake-up
 * crosses CPUs.
 */
final class SchedStats {

    private static final Path SCHED = Path.of("/proc/thread-self/sched");
    private static final String INVOLUNTARY = "nr_involuntary_switches";
    private static final Path STAT = Path.of("/proc/thread-self/stat");
    /** 1-based field numbers of user and system time in proc(5)'s stat. */
    private static final int UTIME = 14;
    private static final int STIME = 15;

    private SchedStats() {
    }

    /**
     * The calling thread's CPU time so far split into user and system (kernel) time, in clock ticks
     * ({@code /proc/thread-self/stat}: utime, stime; 10 ms each on Linux), or null where the kernel does not say.
     */
    static long[] cpuTicks() {
        try {
            String stat = Files.readString(STAT);
            // The fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[UTIME - 3]), Long.parseLong(f[STIME - 3])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
