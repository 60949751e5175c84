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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spin before a blocking select: what it finds, how it backs off, and that no wakeup is lost to it. */
class SelectSpinTest {

    private static final long SPIN_NANOS = 200_000;

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

    @Test
    void slowAnswersStopTheSpinAndFastOnesBringItBack() {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        for (int i = 0; i < 20; i++) {
            spin.waited(1_000_000); // a broker that answers in a millisecond
        }
        assertThat(spin.spinsNext()).isFalse();
        for (int i = 0; i < 40; i++) {
            spin.waited(10_000); // then within the spin
        }
        assertThat(spin.spinsNext()).isTrue();
    }

    @Test
    void aSlowBrokerGetsOnlyAProbeSpinNowAndThen() throws IOException {
        SelectSpin spin = new SelectSpin(SPIN_NANOS);
        for (int i = 0; i < 20; i++) {
            spin.waited(1_000_000);
        }
        assertThat(spin.spinsNext()).isFalse();
        for (int i = 0; i < 2 * SelectSpin.PROBE_EVERY; i++) {
            assertThat(select(spin, 1, true)).isZero(); // nothing ready: the average does not move
        }
        assertThat(spin.spins()).isEqualTo(2);
        select(spin, 1, false);
        assertThat(spin.spins()).isEqualTo(2); // nothing expected: no spin, no probe
    }

    @Test
    void aSlowlyAnsweredSelectIsCountedAndNoSpinWhenDisabled() throws IOException {
        SelectSpin off = new SelectSpin(0);
        assertThat(off.spinsNext()).isFalse();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(select(off, 60_000, true)).isEqualTo(1);
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
