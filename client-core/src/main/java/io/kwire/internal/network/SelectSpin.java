package io.kwire.internal.network;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * The select of a poll, with an optional short spin ({@code pollSpin}) before it blocks.
 *
 * <p>Why: when the client and the broker sit on two CPUs that go idle while they wait for each other (a quiet
 * machine; a broker on another host), every blocking select that sleeps pays the CPU's wake-up, tens of
 * microseconds on a virtual machine, on top of the round trip itself. Polling the selector without blocking for a
 * few tens of microseconds first catches the responses of a fast broker on a CPU that never went to sleep. Between
 * checks the thread yields its CPU, so a broker on the same CPU (or any other runnable thread) is not kept
 * waiting by the spin: without the yield, a fake broker pinned to the client's CPU answered late and the client's
 * p99 at 1 in flight went from 16 to 59 us.
 *
 * <p>When it spins: only while requests are likely in flight (the poll wrote bytes or the last one read some), and
 * only while the selects that ended with something ready have typically waited less than the spin (a moving
 * average of their waits, blocking ones included): a broker that answers in hundreds of microseconds, or a client
 * with a slow stream of responses, gets a plain blocking select. A blocking wait carries the CPU's wake-up, which
 * can keep the average above the spin once it got there; so every {@value #PROBE_EVERY}th poll that expects
 * something spins anyway, and responses that come within it bring the average back down.
 *
 * <p>A {@link Selector#selectNow} consumes a pending {@link Selector#wakeup}, which a blocking select after the spin
 * would then miss: {@link #wakeupRequested()} (called before the selector's wakeup) ends the spin and skips the
 * blocking select, until {@link #polled()} at the end of the poll. Only the polling thread calls the rest.
 */
final class SelectSpin {

    /** One poll in this many that expects something spins whatever the average says. */
    static final int PROBE_EVERY = 32;

    private final long spinNanos;
    private int sinceProbe;
    /** Selects that spun, for tests. */
    private long spins;
    private volatile boolean wakeupRequested;
    /** Moving average (weight 1/8) of how long selects that ended with keys ready waited, in nanoseconds. */
    private long typicalWaitNanos;

    SelectSpin(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /**
     * Selects, handing each ready key to {@code handler}: at once if {@code waitMs <= 0}; else, if {@code expecting}
     * (requests are likely in flight) and responses have been coming within the spin (or it is time for a probe),
     * spinning up to the configured time, then blocking up to {@code waitMs}.
     *
     * @return the number of keys handled
     */
    int select(Selector selector, Consumer<SelectionKey> handler, long waitMs, boolean expecting) throws IOException {
        if (waitMs <= 0) {
            return selector.selectNow(handler);
        }
        boolean spin = spinNanos > 0 && expecting && (typicalWaitNanos < spinNanos || ++sinceProbe >= PROBE_EVERY);
        if (spin) {
            sinceProbe = 0;
            spins++;
        }
        long start = spin || spinNanos > 0 ? System.nanoTime() : 0; // real time, whatever clock deadlines use
        if (spin) {
            long limit = Math.min(spinNanos, waitMs * 1_000_000L);
            do {
                int n = selector.selectNow(handler);
                if (n > 0) {
                    waited(System.nanoTime() - start);
                    return n;
                }
                if (wakeupRequested) {
                    return 0;
                }
                Thread.yield(); // a broker (or anything else) waiting for this CPU runs first
            } while (System.nanoTime() - start < limit);
        }
        if (wakeupRequested) {
            return 0; // a wakeup the spin may have consumed: return to the caller, which looks for new work
        }
        int n = selector.select(handler, waitMs);
        if (n > 0 && spinNanos > 0) {
            waited(System.nanoTime() - start);
        }
        return n;
    }

    /** Counts a select that ended with keys ready after {@code nanos}. */
    void waited(long nanos) {
        typicalWaitNanos += (nanos - typicalWaitNanos) >> 3;
    }

    /** Another thread is about to wake the poll; called before {@link Selector#wakeup()}. */
    void wakeupRequested() {
        wakeupRequested = true;
    }

    /** The poll's select is over: the caller sees everything woken for so far. */
    void polled() {
        wakeupRequested = false;
    }

    long spins() {
        return spins;
    }

    /** Whether the next select that expects something spins first (probes aside); for tests. */
    boolean spinsNext() {
        return spinNanos > 0 && typicalWaitNanos < spinNanos;
    }
}
