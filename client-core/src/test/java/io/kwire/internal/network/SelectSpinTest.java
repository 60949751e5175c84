package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spin before a blocking select: what it finds, how it backs off, and that no wakeup is lost to it. */
class SelectSpinTest {

    private static final long SPIN_NANOS = 200_000;
    /** A spin that lasts until the answer comes, for tests that answer during it, however loaded the machine. */
    private static final long LONG_SPIN_NANOS = 30_000_000_000L;

    private Selector selector;
    private Pipe pipe;
    private final List<SelectionKey> handled = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        selector = Selector.open();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.source().register(selector, SelectionKey.OP_READ);
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        pipe.source().close();
        pipe.sink().close();
    }

    private int select(SelectSpin spin, long waitMs, boolean expecting) throws IOException {
        try {
            return spin.select(selector, handled::add, waitMs, expecting);
        } finally {
            spin.polled();
        }
    }

    @Test
    void aReadySocketIsHandledDuringTheSpin() throws IOException {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        assertThat(spin.spinsNext()).isTrue();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(select(spin, 60_000, true)).isEqualTo(1);
        assertThat(handled).hasSize(1);
        assertThat(handled.get(0).isReadable()).isTrue();
    }

    /** Polls expecting an answer that is there before the select; returns once the select has handled it. */
    private void pollAnsweredAtOnce(SelectSpin spin) throws IOException {
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(select(spin, 60_000, true)).isEqualTo(1);
        pipe.source().read(ByteBuffer.allocate(16));
    }

    /**
     * Polls expecting an answer that comes during the spin, after its first look found nothing, as a fast broker's
     * does; returns once the select has handled it.
     */
    private void pollAnsweredDuringTheSpin(SelectSpin spin) throws Exception {
        pollAnsweredAfterEmptyLooks(spin, 1);
        pipe.source().read(ByteBuffer.allocate(16));
    }

    /** Polls expecting an answer that comes once the spin has made {@code n} more looks that found nothing. */
    private void pollAnsweredAfterEmptyLooks(SelectSpin spin, long n) throws Exception {
        long looks = spin.emptyLooks() + n;
        CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (spin.emptyLooks() < looks && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(select(spin, 60_000, true)).isEqualTo(1);
        broker.get(30, TimeUnit.SECONDS);
    }

    /** Polls answered at once (no spin) until the next poll that expects something is a probe. */
    private void pollsUntilAProbe(SelectSpin spin) throws IOException {
        for (int poll = 0; !spin.probesNext(); poll++) {
            assertThat(poll).as("polls before a probe").isLessThan(SelectSpin.MAX_PROBE_INTERVAL);
            assertThat(spin.spinsNext()).isFalse();
            pollAnsweredAtOnce(spin);
        }
    }

    /** Counts spins that find nothing until spinning stops; returns how many it took. */
    private static int stop(SelectSpin spin) {
        int misses = 0;
        while (spin.spinsNext()) {
            spin.spun(false, false);
            misses++;
            assertThat(misses).as("spinning stops").isLessThan(20);
        }
        return misses;
    }

    @Test
    void spinsThatFindNothingStopTheSpinAndAProbeThatFindsSomethingBringsItBack() throws Exception {
        SelectSpin spin = new SelectSpin(LONG_SPIN_NANOS);
        assertThat(stop(spin)).as("a few misses in a row, not one").isGreaterThan(3);
        for (int poll = 1; poll < SelectSpin.FIRST_PROBE_AFTER; poll++) {
            assertThat(spin.spinsNext()).isFalse();
            pollAnsweredAtOnce(spin);
        }
        assertThat(spin.probesNext()).isTrue();
        pollAnsweredDuringTheSpin(spin);
        assertThat(spin.spins()).as("the probe").isEqualTo(1);
        assertThat(spin.spinsNext()).as("the probe found the answer").isTrue();
    }

    @Test
    void aProbeThatFindsSomethingResumesTheSpinHoweverLongItHadStopped() throws Exception {
        SelectSpin spin = new SelectSpin(LONG_SPIN_NANOS);
        for (int i = 0; i < 200; i++) {
            spin.spun(false, false); // long-poll Fetches only, for a long while: every probe missed
        }
        for (int poll = 1; poll < SelectSpin.FIRST_PROBE_AFTER; poll++) {
            assertThat(spin.spinsNext()).isFalse();
            pollAnsweredAtOnce(spin);
        }
        pollAnsweredDuringTheSpin(spin);
        assertThat(spin.spinsNext()).isTrue();
        spin.spun(false, false);
        assertThat(spin.spinsNext()).as("one miss after the probe stops it again").isFalse();
    }

    @Test
    void aBrokerThatAnswersWithinTheSpinOnlyNowAndThenStopsIt() {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        // Responses trickling from a slow broker: one spin in three catches one. Resetting on every catch would keep
        // the client spinning (and paying for it) for good.
        for (int i = 0; i < 30; i++) {
            spin.spun(i % 3 == 0, false);
        }
        assertThat(spin.spinsNext()).isFalse();
    }

    @Test
    void aSlowBrokerGetsProbesEverFewerTimes() throws IOException {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        stop(spin);
        // Answers that come long after the spin: every probe misses, and each doubles the polls to the next one.
        List<Integer> gaps = new ArrayList<>();
        int sinceProbe = 0;
        for (int poll = 0; gaps.size() < 7; poll++) {
            assertThat(poll).as("polls").isLessThan(5_000);
            sinceProbe++;
            if (spin.probesNext()) {
                long spins = spin.spins();
                assertThat(select(spin, 1, true)).isZero(); // nothing ready: the probe misses
                assertThat(spin.spins()).isEqualTo(spins + 1);
                gaps.add(sinceProbe);
                sinceProbe = 0;
            } else {
                pollAnsweredAtOnce(spin); // no spin: the select returns the answer that is already there
            }
            assertThat(spin.spinsNext()).isFalse();
        }
        assertThat(gaps).containsExactly(32, 64, 128, 256, 512, 1024, 1024);
        long spins = spin.spins();
        select(spin, 1, false);
        assertThat(spin.spins()).as("nothing expected: no spin, no probe").isEqualTo(spins);
    }

    @Test
    void aProbeThatCatchesAnAnswerAfterProbesThatMissedResumesTheSpinAndTheFirstInterval() throws Exception {
        SelectSpin spin = new SelectSpin(LONG_SPIN_NANOS);
        stop(spin);
        for (int poll = 0; spin.probeInterval() < SelectSpin.MAX_PROBE_INTERVAL; poll++) {
            assertThat(poll).as("polls").isLessThan(5_000);
            if (spin.probesNext()) {
                assertThat(select(spin, 1, true)).isZero(); // a miss: the spin ends with the select's wait of 1 ms
            } else {
                pollAnsweredAtOnce(spin);
            }
        }
        // The broker answers within the spin again: the next probe, 1024 polls on, catches an answer.
        long spins = spin.spins();
        pollsUntilAProbe(spin);
        assertThat(spin.spins()).isEqualTo(spins);
        pollAnsweredDuringTheSpin(spin);
        assertThat(spin.spinsNext()).isTrue();
        assertThat(spin.probeInterval()).isEqualTo(SelectSpin.FIRST_PROBE_AFTER);
    }

    @Test
    void answersAlreadyThereAtTheSpinsFirstLookDoNotKeepItSpinning() throws IOException {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        // A broker process on the same small machine: half the answers are there when the poll starts (the client's
        // thread was off its CPU after its write), the rest come long after the spin. Counting the first as catches
        // kept the spin on, each spin that waited a miss.
        for (int polls = 0; spin.spinsNext(); polls++) {
            assertThat(polls).as("spinning stops").isLessThan(20);
            pollAnsweredAtOnce(spin);
            assertThat(select(spin, 1, true)).isZero();
        }
        // A probe that finds its answer at the first look does not resume it either, nor does it count as a miss:
        // the next poll that expects something probes again.
        pollsUntilAProbe(spin);
        pollAnsweredAtOnce(spin);
        assertThat(spin.spinsNext()).isFalse();
        assertThat(spin.probesNext()).isTrue();
        assertThat(spin.probeInterval()).isEqualTo(SelectSpin.FIRST_PROBE_AFTER);
    }

    @Test
    void selectsThatSleptDoNotKeepTheSpinOffOnceTheBrokerAnswersWithinItAgain() throws Exception {
        SelectSpin spin = new SelectSpin(LONG_SPIN_NANOS);
        stop(spin); // a pause of the broker's
        // The broker answers within the spin again, but a select that sleeps sees the answer late: on a virtual
        // machine it pays the CPU's wake-up. Here the answer to a select that does not spin comes 2 ms later; the
        // probe catches its answer during the spin, and that is enough.
        ScheduledExecutorService broker = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int poll = 1; poll <= SelectSpin.FIRST_PROBE_AFTER; poll++) {
                assertThat(spin.spinsNext()).isFalse();
                if (poll == SelectSpin.FIRST_PROBE_AFTER) {
                    pollAnsweredDuringTheSpin(spin);
                    continue;
                }
                broker.schedule(() -> pipe.sink().write(ByteBuffer.wrap(new byte[] {1})), 2, TimeUnit.MILLISECONDS);
                assertThat(select(spin, 60_000, true)).isEqualTo(1);
                pipe.source().read(ByteBuffer.allocate(16));
            }
            assertThat(spin.spins()).as("only the probe spun").isEqualTo(1);
            assertThat(spin.spinsNext()).isTrue();
        } finally {
            broker.shutdownNow();
        }
    }

    @Test
    void pollsThatExpectNothingOrDoNotWaitBringNoProbeCloser() throws IOException {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        stop(spin);
        for (int i = 0; i < 4 * SelectSpin.FIRST_PROBE_AFTER; i++) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(select(spin, 60_000, false)).isEqualTo(1); // an idle client's poll: nothing in flight
            pipe.source().read(ByteBuffer.allocate(16));
            assertThat(select(spin, 0, true)).isZero(); // a poll that may not wait
        }
        assertThat(spin.spins()).isZero();
        assertThat(spin.probesNext()).isFalse();
    }

    @Test
    void aProbeThatAWakeupEndsIsOwed() throws Exception {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        stop(spin);
        pollsUntilAProbe(spin);
        // Another thread hands the client work just as the probe is due: the poll returns without spinning.
        spin.wakeupRequested();
        selector.wakeup();
        assertThat(select(spin, 60_000, true)).isZero();
        assertThat(spin.spins()).isZero();
        assertThat(spin.probesNext()).as("the next poll probes").isTrue();
        assertThat(spin.probeInterval()).isEqualTo(SelectSpin.FIRST_PROBE_AFTER);
    }

    @Test
    void theSpinYieldsOnceHoweverManyLooksItTakes() throws Exception {
        // Each yield moves the thread's virtual deadline a slice later on an EEVDF scheduler: a spin that yielded
        // between every two looks ranked behind every other thread on its CPU when its answer came.
        AtomicInteger yields = new AtomicInteger();
        SelectSpin spin = new SelectSpin(LONG_SPIN_NANOS, yields::incrementAndGet);
        pollAnsweredAfterEmptyLooks(spin, 50);
        assertThat(spin.emptyLooks()).as("looks that found nothing").isGreaterThanOrEqualTo(50);
        assertThat(yields).hasValue(1);
    }

    @Test
    void noSpinWhenDisabled() throws IOException {
        SelectSpin off = new SelectSpin(0);
        assertThat(off.spinsNext()).isFalse();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(select(off, 60_000, true)).isEqualTo(1);
        assertThat(off.spins()).isZero();
    }

    @Test
    void aWakeupBeforeTheSpinIsNotLostToIt() throws Exception {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        // A wakeup that arrives before the poll: the spin's non-blocking selects consume the selector's wakeup, so
        // the blocking select after it must not run, or it would sleep for its whole wait.
        spin.wakeupRequested();
        selector.wakeup();
        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return select(spin, 60_000, true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(poll.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aWakeupDuringABlockingSelectEndsIt() throws Exception {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return select(spin, 60_000, false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        spin.wakeupRequested();
        selector.wakeup();
        assertThat(poll.get(30, TimeUnit.SECONDS)).isZero();
    }
}
