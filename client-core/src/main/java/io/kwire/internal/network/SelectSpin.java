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
 * p99 at 1 in flight went from 16 to 59 us. The spin costs CPU only while requests are likely in flight (the poll wrote bytes or the last one read some), and a
 * spin that ends with nothing makes the next 1, 3, 7 ... 63 polls block at once, so a slow broker (or an idle
 * client) costs at most one spin in 64 polls.
 *
 * <p>A {@link Selector#selectNow} consumes a pending {@link Selector#wakeup}, which a blocking select after the spin
 * would then miss: {@link #wakeupRequested()} (called before the selector's wakeup) ends the spin and skips the
 * blocking select, until {@link #polled()} at the end of the poll. Only the polling thread calls the rest.
 */
final class SelectSpin {

    /** Polls that block without spinning after the sixth spin in a row that found nothing. */
    static final int MAX_SKIP = 63;

    private final long spinNanos;
    private volatile boolean wakeupRequested;
    /** Spins in a row that ended with nothing. */
    private int misses;
    /** Polls left that block at once. */
    private int skip;

    SelectSpin(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /**
     * Selects, handing each ready key to {@code handler}: at once if {@code waitMs <= 0}; else, if {@code expecting}
     * (requests are likely in flight), spinning up to the configured time, then blocking up to {@code waitMs}.
     *
     * @return the number of keys handled
     */
    int select(Selector selector, Consumer<SelectionKey> handler, long waitMs, boolean expecting) throws IOException {
        if (waitMs <= 0) {
            return selector.selectNow(handler);
        }
        if (spinNanos > 0 && expecting) {
            if (skip > 0) {
                skip--;
            } else {
                long limit = Math.min(spinNanos, waitMs * 1_000_000L);
                long start = System.nanoTime(); // real time, whatever clock the client's deadlines use
                do {
                    int n = selector.selectNow(handler);
                    if (n > 0) {
                        misses = 0;
                        return n;
                    }
                    if (wakeupRequested) {
                        return 0;
                    }
                    Thread.yield(); // a broker (or anything else) waiting for this CPU runs first
                } while (System.nanoTime() - start < limit);
                misses = Math.min(misses + 1, 6);
                skip = (1 << misses) - 1;
            }
        }
        if (wakeupRequested) {
            return 0; // a wakeup the spin may have consumed: return to the caller, which looks for new work
        }
        return selector.select(handler, waitMs);
    }

    /** Another thread is about to wake the poll; called before {@link Selector#wakeup()}. */
    void wakeupRequested() {
        wakeupRequested = true;
    }

    /** The poll's select is over: the caller sees everything woken for so far. */
    void polled() {
        wakeupRequested = false;
    }

    /** Spins in a row that found nothing, for tests. */
    int misses() {
        return misses;
    }
}
