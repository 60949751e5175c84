package io.kwire.internal.network;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The select of a poll, with an optional short spin ({@code pollSpin}) before it blocks.
 *
 * <p>Why: when the client and the broker sit on two CPUs that go idle while they wait for each other (a quiet
 * machine; a broker on another host), every blocking select that sleeps pays the CPU's wake-up, tens of
 * microseconds on a virtual machine, on top of the round trip itself. Polling the selector without blocking for a
 * few tens of microseconds first catches the responses of a fast broker on a CPU that never went to sleep.
 *
 * <p>The spin yields its CPU once, after its first look finds nothing, so that a broker woken on this CPU by the
 * request just written (or any other thread waiting for it) runs first; between its later looks it only
 * {@linkplain Thread#onSpinWait hints} that it spins, and the kernel takes the CPU from it for any thread woken with
 * a better claim. It used to yield between every two looks. On a kernel whose scheduler is EEVDF (Linux 6.6 and
 * later), each yield moves the thread's virtual deadline a slice later, so a spin of tens of yields ranked behind
 * every other runnable thread on its CPU: when the broker's threads ran there, the client's thread waited about
 * 59 us per request on the run queue after its answer came (a client that blocked instead, 17-19 us), and since the
 * yields let those threads answer within the spin, the spin kept catching answers and stayed on. A spin that does
 * not yield keeps a broker's thread on its CPU from answering, misses, and the rule below stops it: against a broker
 * process on the same two CPUs, Metadata at 1 in flight over TLS went from 0.90-1.02x Apache to 1.05-1.11x, with
 * less than half the CPU per request in the runs that share a CPU (docs/benchmarks.md, run 34). Never yielding
 * measured as well there; the one yield is kept for schedulers before EEVDF, whose wake-up preemption is coarser.
 *
 * <p>When it spins: only in polls that expect something (the poll wrote bytes or the last one read some), and only
 * while spinning pays: while at least half of the recent spins that waited caught something (a moving average,
 * weight 1/8, of spins that did and did not). A spin that finds something at its first look says nothing about
 * spinning, since a blocking select would have returned at once too, and is not counted: against a broker process on
 * the same small machine, answers that came while the client's thread was off its CPU after its write were such
 * first looks, and they kept a spin on that never caught an answer itself. A broker that answers in hundreds of
 * microseconds, a long-poll Fetch held by the broker or a slow stream of responses bring the average below half, and
 * polls then select without spinning, but for a probe now and then that spins to find out whether answers come
 * within the spin again: a probe that catches one resumes spinning (one miss after it stops it again). The first
 * probe comes {@value #FIRST_PROBE_AFTER} polls that expect something after the spin stopped; each probe that misses
 * doubles the interval, up to {@value #MAX_PROBE_INTERVAL} polls, so a broker that stays slow costs next to nothing.
 * A probe that finds its answer at the first look, or that a wakeup ends, has not answered, and the next poll that
 * expects something probes again. Selects that do not spin are not counted: a select that sleeps sees its answer
 * only after the CPU's wake-up (tens of microseconds on a virtual machine), so its wait says little about the broker.
 * (The spin used to follow a moving average of the waits of all selects, those that slept included: one slow answer
 * could hold it off for hundreds of polls while the broker answered within the spin again, each paying the wake-up;
 * on two CPUs, one poll in ten of Metadata at 5 in flight did.)
 *
 * <p>A {@link Selector#selectNow} consumes a pending {@link Selector#wakeup}, which a blocking select after the spin
 * would then miss: {@link #wakeupRequested()} (called before the selector's wakeup) ends the spin and skips the
 * blocking select, until {@link #polled()} at the end of the poll. Only the polling thread calls the rest.
 */
final class SelectSpin {

    /** Polls that expect something from the spin's stop to its first probe. */
    static final int FIRST_PROBE_AFTER = 32;
    /** The most polls that expect something between two probes, after probes that missed. */
    static final int MAX_PROBE_INTERVAL = 1024;
    /** {@link #hitRate} of every spin that waited catching something. */
    static final int ALL_HIT = 1 << 10;

    private final long spinNanos;
    private final Runnable yield;
    /** Polls that expected something since the last probe answered (or since the spin stopped). */
    private int sinceProbe;
    /** Polls that expect something from one probe to the next; doubles after each probe that misses. */
    private int probeInterval = FIRST_PROBE_AFTER;
    /** Selects that spun, for tests. */
    private long spins;
    /**
     * Non-blocking selects of spins that found nothing, for tests that answer during a spin (one volatile write per
     * look of a thread that is only waiting anyway).
     */
    private volatile long emptyLooks;
    private volatile boolean wakeupRequested;
    /**
     * Moving average (weight 1/8) of spins that waited and caught something, in units of 1 / {@link #ALL_HIT}: spins
     * that found something at their first look do not move it.
     */
    private int hitRate = ALL_HIT;

    SelectSpin(long spinNanos) {
        this(spinNanos, Thread::yield);
    }

    /** For tests: {@code yield} stands for the thread's yield. */
    SelectSpin(long spinNanos, Runnable yield) {
        this.spinNanos = spinNanos;
        this.yield = yield;
    }

    /**
     * Selects, handing each ready key to {@code handler}: at once if {@code waitMs <= 0}; else, if {@code expecting}
     * (requests are likely in flight) and most recent spins that waited caught something (or it is time for a probe),
     * spinning up to the configured time, then blocking up to {@code waitMs}.
     *
     * @return the number of keys handled
     */
    int select(Selector selector, Consumer<SelectionKey> handler, long waitMs, boolean expecting) throws IOException {
        if (waitMs <= 0) {
            return selector.selectNow(handler);
        }
        if (spinNanos > 0 && expecting && !wakeupRequested) {
            boolean pays = spinsPay();
            boolean probe = !pays && ++sinceProbe >= probeInterval;
            if (pays || probe) {
                int n = spin(selector, handler, Math.min(spinNanos, TimeUnit.MILLISECONDS.toNanos(waitMs)), probe);
                if (n > 0) {
                    return n;
                }
            }
        }
        if (wakeupRequested) {
            return 0; // a wakeup the spin may have consumed: return to the caller, which looks for new work
        }
        return selector.select(handler, waitMs);
    }

    /** Checks the selector without blocking for up to {@code limitNanos}; returns the keys handled, 0 if none. */
    private int spin(Selector selector, Consumer<SelectionKey> handler, long limitNanos, boolean probe)
            throws IOException {
        spins++;
        long start = System.nanoTime(); // real time, whatever clock deadlines use
        int n = selector.selectNow(handler);
        if (n > 0 || wakeupRequested) {
            return n; // found at the first look, or woken: nothing learnt
        }
        yield.run(); // a broker woken on this CPU by the request just written (or anything waiting) runs first
        do {
            emptyLooks++;
            n = selector.selectNow(handler); // the look after the yield counts, however long the yield took
            if (n == 0) {
                if (wakeupRequested) {
                    return 0;
                }
                Thread.onSpinWait();
            }
        } while (n == 0 && System.nanoTime() - start < limitNanos);
        spun(n > 0, probe);
        return n;
    }

    /**
     * Counts a spin that waited and caught something ({@code caught}) or ended with nothing. A catch leaves the rate at
     * least at half, so that a probe that catches something resumes spinning however long it had stopped; one miss
     * after it stops it again. A probe's answer also sets the interval to the next probe: back to the first after a
     * catch, twice as long after a miss.
     */
    void spun(boolean caught, boolean probe) {
        hitRate += ((caught ? ALL_HIT : 0) - hitRate) >> 3;
        if (caught) {
            hitRate = Math.max(hitRate, ALL_HIT / 2);
        }
        if (probe) {
            sinceProbe = 0;
            probeInterval = caught ? FIRST_PROBE_AFTER : Math.min(2 * probeInterval, MAX_PROBE_INTERVAL);
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

    long emptyLooks() {
        return emptyLooks;
    }

    /** Polls that expect something from one probe to the next while spinning has stopped; for tests. */
    int probeInterval() {
        return probeInterval;
    }

    /** Whether the next select that expects something spins first (probes aside); for tests. */
    boolean spinsNext() {
        return spinNanos > 0 && spinsPay();
    }

    /** Whether the next select that expects something is a probe; for tests. */
    boolean probesNext() {
        return spinNanos > 0 && !spinsPay() && sinceProbe + 1 >= probeInterval;
    }
}
