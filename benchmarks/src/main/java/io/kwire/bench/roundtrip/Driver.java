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
    /**
     * When each free slot of the run's {@code inFlight} opened, oldest first: the run's start, then each response. A
     * request's latency counts from there, not from when the client took it, because clients take requests at
     * different points: kwire's {@code send} queues whatever it is given, while Apache's {@code NetworkClient} takes a
     * request for a connection only once its previous one is written ({@code ready}), so that the driver holds the
     * next one meanwhile. Timed from the client's taking, Apache's latency would leave out that wait and kwire's would
     * not; timed from the free slot, both count what an application that wants to send at once would see.
     */
    private final long[] freeSince = new long[64];
    private long slotsFreed;
    private long slotsTaken;
    /** SO_SNDBUF for the client's connections, or -1 for the operating system's default (grown as needed). */
    protected int sendBufferBytes = -1;

    /** Connects with a fixed socket send buffer of {@code bytes} (set before {@link #connect}). */
    public Driver sendBufferBytes(int bytes) {
        this.sendBufferBytes = bytes;
        return this;
    }

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
     * responses. Implementations call {@link #sent()} and {@link #received(long)} per request.
     */
    protected abstract long loop(int inFlight, long durationNanos) throws Exception;

    public final Result run(Scenario scenario, int inFlight, long durationNanos) throws Exception {
        if (inFlight > freeSince.length) {
            throw new IllegalArgumentException("at most " + freeSince.length + " in flight, not " + inFlight);
        }
        recorded = 0;
        sentCount = 0;
        receivedCount = 0;
        slotsFreed = 0;
        slotsTaken = 0;
        long preempted0 = SchedStats.involuntarySwitches();
        long[] ticks0 = SchedStats.cpuTicks();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < inFlight; i++) {
            freeSince[(int) (slotsFreed++ & 63)] = t0;
        }
        long n = loop(inFlight, durationNanos);
        long t1 = System.nanoTime();
        long alloc1 = THREADS.getCurrentThreadAllocatedBytes();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        long preempted1 = SchedStats.involuntarySwitches();
        long[] ticks1 = SchedStats.cpuTicks();
        return new Result(n, t1 - t0, cpu1 - cpu0, alloc1 - alloc0, latencies, recorded, payloadBytes(scenario),
                preempted0 < 0 || preempted1 < 0 ? -1 : preempted1 - preempted0, systemShare(ticks0, ticks1));
    }

    /** System time over user plus system time between two {@link SchedStats#cpuTicks()}, or -1. */
    private static double systemShare(long[] before, long[] after) {
        if (before == null || after == null) {
            return -1;
        }
        long user = after[0] - before[0];
        long system = after[1] - before[1];
        return user + system <= 0 ? -1 : (double) system / (user + system);
    }

    protected long sentCount;
    protected long receivedCount;

    /**
     * A request was given to the client: it takes the oldest free slot, and its latency counts from when that slot
     * opened. Responses arrive in order on one connection, so a ring of start times indexed by sequence suffices.
     */
    protected final void sent() {
        if (slotsTaken == slotsFreed) {
            throw new IllegalStateException(name() + " sent more requests than the run has in flight");
        }
        sentAt[(int) (sentCount++ & 63)] = freeSince[(int) (slotsTaken++ & 63)];
    }

    /** A response came: its request's latency is recorded, and its slot is free from {@code now}. */
    protected final void received(long now) {
        long lat = now - sentAt[(int) (receivedCount++ & 63)];
        if (recorded < latencies.length) {
            latencies[recorded++] = lat;
        }
        freeSince[(int) (slotsFreed++ & 63)] = now;
    }
}
