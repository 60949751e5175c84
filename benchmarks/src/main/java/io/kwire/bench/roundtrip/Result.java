package io.kwire.bench.roundtrip;

import java.util.Arrays;

/**
 * One timed run of one client: counts, elapsed, client-thread CPU, allocation and preemptions, latency percentiles.
 */
public final class Result {
    public final long requests;
    public final long elapsedNanos;
    public final long cpuNanos;
    public final long allocatedBytes;
    public final long p50Nanos;
    public final long p99Nanos;
    public final long bytesPerRequest;
    /** Times the client's thread was preempted during the run ({@link SchedStats}), or -1 if unknown. */
    public final long preemptions;
    /**
     * The share of the client thread's CPU time spent in the kernel (system time over user plus system, from clock
     * ticks: coarse, for runs of a second or so), or -1 if unknown.
     */
    public final double systemShare;

    public Result(long requests, long elapsedNanos, long cpuNanos, long allocatedBytes, long[] latencies, int recorded,
                  long bytesPerRequest, long preemptions) {
        this(requests, elapsedNanos, cpuNanos, allocatedBytes, latencies, recorded, bytesPerRequest, preemptions, -1);
    }

    public Result(long requests, long elapsedNanos, long cpuNanos, long allocatedBytes, long[] latencies, int recorded,
                  long bytesPerRequest, long preemptions, double systemShare) {
        this.requests = requests;
        this.elapsedNanos = elapsedNanos;
        this.cpuNanos = cpuNanos;
        this.allocatedBytes = allocatedBytes;
        this.bytesPerRequest = bytesPerRequest;
        this.preemptions = preemptions;
        this.systemShare = systemShare;
        long[] l = Arrays.copyOf(latencies, recorded);
        Arrays.sort(l);
        this.p50Nanos = recorded == 0 ? 0 : l[(int) (recorded * 0.50)];
        this.p99Nanos = recorded == 0 ? 0 : l[Math.min(recorded - 1, (int) (recorded * 0.99))];
    }

    public double requestsPerSecond() {
        return requests * 1e9 / elapsedNanos;
    }

    /** Preemptions of the client's thread per request, or -1 if unknown. */
    public double preemptionsPerRequest() {
        return preemptions < 0 ? -1 : (double) preemptions / requests;
    }

    public double cpuMicrosPerRequest() {
        return cpuNanos / 1e3 / requests;
    }

    public double allocatedPerRequest() {
        return (double) allocatedBytes / requests;
    }

    /** Client-thread CPU per MB (10^6 bytes) of payload, in microseconds. */
    public double cpuMicrosPerMegabyte() {
        return cpuNanos / 1e3 / (requests * (double) bytesPerRequest / 1e6);
    }

    public double megabytesPerSecond() {
        return requestsPerSecond() * bytesPerRequest / 1e6;
    }
}
