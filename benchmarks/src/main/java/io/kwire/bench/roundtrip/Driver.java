package io.kwire.bench.roundtrip;

import java.lang.management.ManagementFactory;

/**
 * One client under test, connected to one node, sending one kind of request with a fixed number in flight.
 * {@link #run} measures on the calling thread only: wall time, CPU time and bytes allocated by that thread.
 */
public abstract class Driver implements AutoCloseable {

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Latencies of the current run; one array per driver, allocated before any measurement. */
    protected final long[] latencies = new long[1 << 21];
    protected final long[] sentAt = new long[64];
    protected int recorded;

    public abstract String name();

    /** Connects (blocking) to the broker and gets the connection ready to send. */
    public abstract void connect(String host, int port) throws Exception;

    /** Builds the request objects for the scenario (outside the measurement). */
    public abstract void prepare(Scenario scenario) throws Exception;

    /** Size in bytes of the request frame payload that matters for throughput (Produce), else 0. */
    public long payloadBytes(Scenario scenario) {
        return scenario == Scenario.PRODUCE_1MB ? RoundTrips.produceBatch().remaining() : 0;
    }

    /**
     * Keeps {@code inFlight} requests outstanding for {@code durationNanos}, then drains; returns the number of
     * responses. Implementations call {@link #sent(long)} and {@link #received(long)} per request.
     */
    protected abstract long loop(int inFlight, long durationNanos) throws Exception;

    public final Result run(Scenario scenario, int inFlight, long durationNanos) throws Exception {
        recorded = 0;
        sentCount = 0;
        receivedCount = 0;
        long preempted0 = SchedStats.involuntarySwitches();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        long n = loop(inFlight, durationNanos);
        long t1 = System.nanoTime();
        long alloc1 = THREADS.getCurrentThreadAllocatedBytes();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        long preempted1 = SchedStats.involuntarySwitches();
        return new Result(n, t1 - t0, cpu1 - cpu0, alloc1 - alloc0, latencies, recorded, payloadBytes(scenario),
                preempted0 < 0 || preempted1 < 0 ? -1 : preempted1 - preempted0);
    }

    protected long sentCount;
    protected long receivedCount;

    /** Responses arrive in order on one connection, so a ring of send times indexed by sequence suffices. */
    protected final void sent(long now) {
        sentAt[(int) (sentCount++ & 63)] = now;
    }

    protected final void received(long now) {
        long lat = now - sentAt[(int) (receivedCount++ & 63)];
        if (recorded < latencies.length) {
            latencies[recorded++] = lat;
        }
    }
}
