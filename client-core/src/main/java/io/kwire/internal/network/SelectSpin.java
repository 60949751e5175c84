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
 * only while spinning pays: while at least half of the recent spins found something ready (a moving average, weight
 * 1/8, of spins that did and did not). A broker that answers in hundreds of microseconds, a long-poll Fetch held by
 * the broker or a slow stream of responses bring it below half, and polls then select without spinning, but for one
 * in {@value #PROBE_EVERY} that spins to find out whether answers come within the spin again: a probe that finds
 * something resumes spinning, and one miss after it stops it again. Only spins are counted:
 * a select that sleeps sees its answer only after the CPU's wake-up (tens of microseconds on a virtual machine), so
 * its wait says little about the broker. (The spin used to follow a moving average of the waits of all selects,
 * those that slept included: one slow answer could hold it off for hundreds of polls while the broker answered
 * within the spin again, each paying the wake-up; on two CPUs, one poll in ten of Metadata at 5 in flight did.)
 *
 * <p>A {@link Selector#selectNow} consumes a pending {@link Selector#wakeup}, which a blocking select after the spin
 * would then miss: {@link #wakeupRequested()} (called before the selector's wakeup) ends the spin and skips the
 * blocking select, until {@link #polled()} at the end of the poll. Only the polling thread calls the rest.
 */
final class SelectSpin {

    /** One poll in this many that expects something spins while spinning has stopped. */
    static final int PROBE_EVERY = 32;
    /** {@link #hitRate} of every spin finding something ready. */
    static final int ALL_HIT = 1 << 10;

    private final long spinNanos;
    private int sinceProbe;
    /** Selects that spun, for tests. */
    private long spins;
    private volatile boolean wakeupRequested;
    /** Moving average (weight 1/8) of spins that found something ready, in units of 1 / {@link #ALL_HIT}. */
    private int hitRate = ALL_HIT;

    SelectSpin(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /**
     * Selects, handing each ready key to {@code handler}: at once if {@code waitMs <= 0}; else, if {@code expecting}
     * (requests are likely in flight) and most recent spins found something (or it is time for a probe), spinning up to
     * the configured time, then blocking up to {@code waitMs}.
     *
     * @return the number of keys handled
     */
    int select(Selector selector, Consumer<SelectionKey> handler, long waitMs, boolean expecting) throws IOException {
        if (waitMs <= 0) {
            return selector.selectNow(handler);
        }
        boolean spin = spinNanos > 0 && expecting && (spinsPay() || ++sinceProbe >= PROBE_EVERY);
        if (spin) {
            sinceProbe = 0;
            spins++;
            long start = System.nanoTime(); // real time, whatever clock deadlines use
            long limit = Math.min(spinNanos, waitMs * 1_000_000L);
            do {
                int n = selector.selectNow(handler);
                if (n > 0) {
                    counted(true);
                    return n;
                }
                if (wakeupRequested) {
                    return 0;
                }
                Thread.yield(); // a broker (or anything else) waiting for this CPU runs first
            } while (System.nanoTime() - start < limit);
            counted(false);
        }
        if (wakeupRequested) {
            return 0; // a wakeup the spin may have consumed: return to the caller, which looks for new work
        }
        return selector.select(handler, waitMs);
    }

    /**
     * Counts a spin that found something ready ({@code hit}) or ended with nothing. A hit leaves the rate at least at
     * half, so that a probe that finds something resumes spinning however long it had stopped; one miss after it
     * stops it again.
     */
    void counted(boolean hit) {
        hitRate += ((hit ? ALL_HIT : 0) - hitRate) >> 3;
        if (hit) {
            hitRate = Math.max(hitRate, ALL_HIT / 2);
        }
    }

    private boolean spinsPay() {
        return 2 * hitRate >= ALL_HIT;
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
        return spinNanos > 0 && spinsPay();
    }
}
