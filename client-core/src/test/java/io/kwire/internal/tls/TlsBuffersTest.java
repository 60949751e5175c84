package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TlsBuffersTest {

    /** The spares of a new thread: none yet. */
    private static TlsBuffers fresh() throws InterruptedException {
        AtomicReference<TlsBuffers> spares = new AtomicReference<>();
        Thread t = new Thread(() -> spares.set(TlsBuffers.current()));
        t.start();
        t.join();
        return spares.get();
    }

    @Test
    void aBufferGivenBackIsTheNextTakenClearedAndOfItsKind() throws Exception {
        TlsBuffers spares = fresh();
        ByteBuffer wire = spares.takeWire(1000);
        assertThat(wire.isDirect()).isTrue();
        wire.put((byte) 1);
        spares.giveBackWire(wire);
        assertThat(spares.idleWire()).isEqualTo(1);
        ByteBuffer again = spares.takeWire(1000);
        assertThat(again).isSameAs(wire);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(again.capacity());
        assertThat(spares.idleWire()).isZero();

        ByteBuffer netIn = spares.takeNetIn(500);
        assertThat(netIn.isDirect()).isFalse();
        assertThat(netIn.capacity()).isEqualTo(500);
        spares.giveBackNetIn(netIn);
        assertThat(spares.takeNetIn(500)).isSameAs(netIn);

        ByteBuffer appIn = spares.takeAppIn(300);
        assertThat(appIn.hasRemaining()).as("read mode, empty").isFalse();
        assertThat(appIn.capacity()).isEqualTo(300);
    }

    @Test
    void atMostTheLimitOfAKindAreKeptAndNoneTooSmallOrTooLarge() throws Exception {
        TlsBuffers spares = fresh();
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < TlsBuffers.IDLE_LIMIT + 2; i++) {
            out.add(spares.takeNetIn(100));
        }
        out.forEach(spares::giveBackNetIn);
        assertThat(spares.idleNetIn()).isEqualTo(TlsBuffers.IDLE_LIMIT);
        assertThat(spares.idleWire()).isZero();

        spares.giveBackAppIn(ByteBuffer.allocate(TlsBuffers.KEEP_BYTES + 1));
        assertThat(spares.idleAppIn()).as("grown too large").isZero();
        spares.giveBackAppIn(ByteBuffer.allocate(10));
        assertThat(spares.takeAppIn(20).capacity()).as("a spare too small is replaced").isEqualTo(20);
        assertThat(spares.idleAppIn()).isZero();
    }

    @Test
    void eachThreadHasItsOwnSpares() throws Exception {
        assertThat(fresh()).isNotSameAs(TlsBuffers.current());
        assertThat(TlsBuffers.current()).isSameAs(TlsBuffers.current());
    }
}
