package io.kwire.internal.network;

import io.kwire.protocol.SplicedFrame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The request bytes of one connection that the socket has not taken yet, in order.
 *
 * <p>Requests are encoded straight into the queue's frame buffer ({@link #frameBuffer}, then {@link #commit}), so
 * a request costs no buffer of its own; consecutive frames form one run of that buffer. A request that carries
 * bytes (record batches sent by reference, SASL tokens that may hold credentials) is a {@link SplicedFrame} of its
 * own between runs, so nothing secret is ever in a frame buffer. A write takes bytes through {@link #copyTo}, a
 * large record batch in direct memory through {@link #directHead}, or views through {@link #views} (none of which
 * changes anything), and {@link #drop}s what the socket accepted. A sensitive spliced frame is wiped once sent.
 *
 * <p>An idle connection keeps at most a small frame buffer. The queue's own is allocated when it first has frames
 * and the client's {@link BufferPool} has no buffer to lend; it grows up to {@link #HOME_MAX_BYTES} with the
 * requests it carries and stays in place when the queue drains, so a steady flow of small requests touches neither
 * the pool nor the allocator. Frames that need more move into a buffer borrowed from the pool (or a new one of a
 * pooled size), which goes back when the queue drains; the queue's next frames then try the pool first, so a
 * connection that keeps sending large requests keeps encoding them in one pass. A buffer grown past
 * {@link BufferPool#KEEP_FRAME_BYTES} by large requests or a slow socket is let go. Only used on the I/O thread.
 */
final class SendQueue {

    /** The least a frame buffer beyond the queue's own holds, so the pool's buffers hold at least this. */
    static final int INITIAL_BYTES = 16 * 1024;
    /** The queue's own buffer, allocated the first time the pool has none to lend. */
    static final int HOME_BYTES = 512;
    /** The most the queue's own buffer grows to: what it keeps while idle, at worst. */
    static final int HOME_MAX_BYTES = 4 * 1024;

    /** A stretch of the frame buffer holding whole frames, queued in between spliced frames. */
    private static final class Run {
        int start;
        int length;
    }

    /** Entries in send order: {@link Run} or {@link SplicedFrame}. */
    private final ArrayDeque<Object> entries = new ArrayDeque<>();
    private final BufferPool pool;
    /** Holds every queued run, contiguous and in order; null while nothing is queued in it. */
    private ByteBuffer frames;
    /** The queue's own small buffer, kept for its life; null until the pool first had none to lend. */
    private ByteBuffer home;
    /** Bytes of the first entry already written. */
    private int headSent;
    /** A run object kept from the last drain, so a steady request flow allocates none. */
    private Run spare;

    SendQueue(BufferPool pool) {
        this.pool = pool;
    }

    /** A queue with a pool of its own (tests). */
    SendQueue() {
        this(new BufferPool());
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The buffer to encode the next frames into: positioned after the bytes already queued, with room for at
     * least {@code minRoom} more. Write at its position, then {@link #commit} what was written; anything written
     * but not committed is overwritten by the next frame.
     */
    ByteBuffer frameBuffer(int minRoom) {
        ByteBuffer b = frames;
        if (b == null) {
            b = borrowFrames();
        }
        if (b.remaining() < minRoom) {
            b = makeRoom(minRoom);
        }
        return b;
    }

    /** A frame buffer for a queue that has none: an idle one of the pool's, else the queue's own. */
    private ByteBuffer borrowFrames() {
        ByteBuffer b = pool.takeFrameBuffer();
        if (b == null) {
            if (home == null) {
                home = ByteBuffer.allocate(HOME_BYTES);
            }
            b = home.clear();
        }
        frames = b;
        return b;
    }

    /** Queues the frames written into {@link #frameBuffer} from offset {@code start} up to its position. */
    void commit(int start) {
        int length = frames.position() - start;
        if (length == 0) {
            return;
        }
        if (entries.peekLast() instanceof Run last && last.start + last.length == start) {
            last.length += length;
            return;
        }
        Run run = spare != null ? spare : new Run();
        spare = null;
        run.start = start;
        run.length = length;
        entries.addLast(run);
    }

    void add(SplicedFrame frame) {
        entries.addLast(frame);
    }

    /**
     * Copies the queued bytes, from the first one not yet sent, into {@code dst} until it is full.
     *
     * @return whether any of the bytes copied belong to a sensitive frame, so {@code dst} must be wiped after use
     */
    boolean copyTo(ByteBuffer dst) {
        return copyTo(dst, 0);
    }

    /**
     * As {@link #copyTo(ByteBuffer)}, but stopping in front of a spliced value in direct memory of at least
     * {@code directMin} bytes (none when 0), which {@link #directHead} then hands out as it is.
     */
    boolean copyTo(ByteBuffer dst, int directMin) {
        int from = headSent;
        boolean sensitive = false;
        for (Object entry : entries) {
            if (entry instanceof Run run) {
                int n = Math.min(run.length - from, dst.remaining());
                dst.put(dst.position(), frames, run.start + from, n);
                dst.position(dst.position() + n);
            } else {
                SplicedFrame frame = (SplicedFrame) entry;
                int n = frame.copyTo(from, dst, directMin);
                sensitive |= frame.isSensitive();
                if (from + n < frame.size() && dst.hasRemaining()) {
                    break; // stopped in front of a large direct value
                }
            }
            from = 0;
            if (!dst.hasRemaining()) {
                break;
            }
        }
        return sensitive;
    }

    /**
     * The first unsent bytes, if they are in a spliced value in direct memory (a record batch the caller built there)
     * of at least {@code min} bytes: a view of the rest of it, to write as it is, with no copy; else null. Changes
     * nothing.
     */
    ByteBuffer directHead(int min) {
        return entries.peekFirst() instanceof SplicedFrame frame ? frame.directValueAt(headSent, min) : null;
    }

    /**
     * The queued bytes as views of the buffers they are in, from the first one not yet sent, in order: as many views
     * as {@code out} has room for, from index 0, for a transport that gathers them itself
     * ({@link io.kwire.network.Transport#gathersWrites()}). Changes nothing, like {@link #copyTo}: {@link #drop}
     * what the transport took. The views share the queue's buffers and the callers' record batches: null the slots
     * before the bytes are dropped, so nothing sent stays reachable from {@code out}.
     *
     * @return the number of views put into {@code out}
     */
    int views(ByteBuffer[] out) {
        int n = 0;
        int from = headSent;
        for (Object entry : entries) {
            if (n == out.length) {
                break;
            }
            if (entry instanceof Run run) {
                out[n++] = frames.slice(run.start + from, run.length - from);
            } else {
                n = ((SplicedFrame) entry).views(from, out, n);
            }
            from = 0;
        }
        return n;
    }

    /** Drops the first {@code written} queued bytes, which the socket has taken. */
    void drop(long written) {
        long sent = headSent + written;
        while (!entries.isEmpty()) {
            Object first = entries.peekFirst();
            int length = first instanceof Run run ? run.length : ((SplicedFrame) first).size();
            if (sent < length) {
                break;
            }
            sent -= length;
            entries.pollFirst();
            if (first instanceof Run run) {
                spare = run;
            } else if (((SplicedFrame) first).isSensitive()) {
                ((SplicedFrame) first).wipe();
            }
        }
        headSent = (int) sent;
        if (entries.isEmpty()) {
            releaseFrames();
        }
    }

    /** Gives a borrowed frame buffer back when nothing is queued in it: the frame it was borrowed for failed. */
    void releaseIfEmpty() {
        if (entries.isEmpty()) {
            releaseFrames();
        }
    }

    /**
     * Gives a borrowed frame buffer back to the pool once nothing is queued in it. The queue's own stays in place,
     * ready for the next frame: the queues of a client's small requests never touch the pool.
     */
    private void releaseFrames() {
        ByteBuffer b = frames;
        if (b == null) {
            return;
        }
        if (b == home) {
            b.clear();
            return;
        }
        frames = null;
        pool.giveBackFrameBuffer(b);
    }

    void clear() {
        for (Object entry : entries) {
            if (entry instanceof SplicedFrame frame && frame.isSensitive()) {
                frame.wipe();
            }
        }
        entries.clear();
        headSent = 0;
        if (frames != null && frames != home) {
            pool.giveBackFrameBuffer(frames);
        }
        frames = null;
        home = null;
    }

    /**
     * Moves the unsent bytes of the queued runs to the front of the frame buffer, and shifts the runs' starts to
     * match. Into a buffer twice as large when they and {@code minRoom} more bytes do not fit, or when moving
     * would free less than a quarter of the buffer: a socket that takes little at a time would otherwise have the
     * same bytes moved for every request.
     */
    private ByteBuffer makeRoom(int minRoom) {
        ByteBuffer b = frames;
        if (headSent > 0 && entries.peekFirst() instanceof Run head) {
            // The sent part of a run need not be kept: the run starts where the socket got to.
            head.start += headSent;
            head.length -= headSent;
            headSent = 0;
        }
        int live = b.position();
        for (Object entry : entries) {
            if (entry instanceof Run run) {
                live = run.start;
                break;
            }
        }
        int keep = b.position() - live;
        boolean inPlace = keep + minRoom <= b.capacity() && (keep == 0 || live >= b.capacity() / 4);
        boolean own = b == home;
        ByteBuffer target = inPlace ? b : larger(b, Math.max(keep + minRoom, 2 * b.capacity()));
        // arraycopy handles the overlap when the bytes move down within the same array.
        System.arraycopy(b.array(), live, target.array(), 0, keep);
        target.clear().position(keep);
        if (target != b && !own) {
            pool.giveBackFrameBuffer(b);
        }
        for (Object entry : entries) {
            if (entry instanceof Run run) {
                run.start -= live;
            }
        }
        frames = target;
        return target;
    }

    /**
     * A buffer of at least {@code wanted} bytes to move the queued bytes into: the queue's own grown, while it stays
     * small, else an idle pooled one large enough, else a new one of a pooled size.
     */
    private ByteBuffer larger(ByteBuffer b, int wanted) {
        int capacity = Integer.highestOneBit(wanted - 1) << 1;
        if (b == home && capacity <= HOME_MAX_BYTES) {
            home = ByteBuffer.allocate(capacity);
            return home;
        }
        ByteBuffer spare = pool.takeFrameBuffer();
        if (spare != null) {
            if (spare.capacity() >= wanted) {
                return spare;
            }
            pool.giveBackFrameBuffer(spare);
        }
        return ByteBuffer.allocate(Math.max(INITIAL_BYTES, capacity));
    }
}
