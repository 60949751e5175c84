package io.kwire.internal.tls;

import java.nio.ByteBuffer;

/**
 * The spare network buffers of the {@link TlsTransport}s driven by one thread, so that an idle TLS connection holds
 * none of its buffers: a transport borrows its {@code netOut} and direct {@code wire} buffers while records wait
 * for the socket, its {@code netIn} buffer while it holds encrypted bytes not yet decrypted, and its {@code appIn}
 * buffer while it holds decrypted bytes the caller has not taken, and gives each back once empty.
 *
 * <p>Per thread because a transport is only used on the thread polling its client (the I/O thread): no locking, and
 * nothing to plumb through the {@link io.kwire.network.TransportFactory}s, which a caller may share between clients.
 * A thread's spares go with it when it ends; a client polled from several threads in turn leaves a few with each.
 *
 * <p>At most {@link #IDLE_LIMIT} idle buffers of each kind are kept; the others are left to the garbage collector (a
 * direct one frees its memory through its cleaner). The spares never outnumber the buffers that were out at once,
 * each of which a connection used to hold for its life; the limit is high enough that a client writing to a dozen
 * brokers whose sockets fill and drain in turn keeps reusing its direct buffers instead of allocating new ones (a
 * direct allocation zeroes the buffer and may wait for a collection to free earlier ones).
 * A buffer given back may hold bytes of an earlier record, never read again: it is cleared, and a buffer is only
 * given back when nothing in it is still to be written or decrypted.
 */
final class TlsBuffers {

    /** How many idle buffers of each kind are kept. */
    static final int IDLE_LIMIT = 16;
    /** The most plaintext one TLS record carries. */
    static final int RECORD_PLAINTEXT = 16 * 1024;
    /** The largest buffer kept: one grown for an unusually large record is let go. */
    static final int KEEP_BYTES = 128 * 1024;

    private static final ThreadLocal<TlsBuffers> CURRENT = ThreadLocal.withInitial(TlsBuffers::new);

    private final Shelf wire = new Shelf(true);
    private final Shelf netIn = new Shelf(false);
    /** netIn for the OpenSSL engine, which decrypts from direct memory without a copy of its own. */
    private final Shelf netInDirect = new Shelf(true);
    /** The OpenSSL engine's plaintext buffer: plaintext only during a write, zeroed before it returns. */
    private ByteBuffer plaintext;
    private final Shelf netOut = new Shelf(false);
    private final Shelf appIn = new Shelf(false);

    private TlsBuffers() {
    }

    /** The spares of the calling thread. */
    static TlsBuffers current() {
        return CURRENT.get();
    }

    /** An empty direct buffer of at least {@code capacity} bytes, in write mode. */
    ByteBuffer takeWire(int capacity) {
        return wire.take(capacity);
    }

    void giveBackWire(ByteBuffer b) {
        wire.giveBack(b);
    }

    /** An empty heap buffer of at least {@code capacity} bytes, in write mode. */
    ByteBuffer takeNetIn(int capacity) {
        return netIn.take(capacity);
    }

    /** As {@link #takeNetIn}, direct. */
    ByteBuffer takeNetInDirect(int capacity) {
        return netInDirect.take(capacity);
    }

    void giveBackNetIn(ByteBuffer b) {
        (b.isDirect() ? netInDirect : netIn).giveBack(b);
    }

    /** An empty heap buffer of at least {@code capacity} bytes, in write mode. */
    ByteBuffer takeNetOut(int capacity) {
        return netOut.take(capacity);
    }

    void giveBackNetOut(ByteBuffer b) {
        netOut.giveBack(b);
    }

    /** An empty heap buffer of at least {@code capacity} bytes, in read mode (nothing remaining). */
    ByteBuffer takeAppIn(int capacity) {
        return appIn.take(capacity).flip();
    }

    void giveBackAppIn(ByteBuffer b) {
        appIn.giveBack(b);
    }

    /**
     * A direct buffer of a record's plaintext ({@link #RECORD_PLAINTEXT} bytes), where the OpenSSL engine's records
     * are made from heap buffers and gathered from small ones: the same buffer every time for this thread. Whoever
     * fills it zeroes what it put there before its write returns.
     */
    ByteBuffer plaintext() {
        if (plaintext == null) {
            plaintext = ByteBuffer.allocateDirect(RECORD_PLAINTEXT);
        }
        return plaintext.clear();
    }

    int idleWire() {
        return wire.idle;
    }

    int idleNetIn() {
        return netIn.idle;
    }

    int idleNetInDirect() {
        return netInDirect.idle;
    }

    int idleNetOut() {
        return netOut.idle;
    }

    int idleAppIn() {
        return appIn.idle;
    }

    /** The idle buffers of one kind, the one given back last on top. */
    private static final class Shelf {
        private final boolean direct;
        private final ByteBuffer[] buffers = new ByteBuffer[IDLE_LIMIT];
        private int idle;

        Shelf(boolean direct) {
            this.direct = direct;
        }

        ByteBuffer take(int capacity) {
            if (idle > 0) {
                ByteBuffer b = buffers[--idle];
                buffers[idle] = null;
                if (b.capacity() >= capacity) {
                    return b;
                }
            }
            return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        }

        void giveBack(ByteBuffer b) {
            if (idle < IDLE_LIMIT && b.capacity() <= KEEP_BYTES && b.isDirect() == direct) {
                buffers[idle++] = b.clear();
            }
        }
    }
}
