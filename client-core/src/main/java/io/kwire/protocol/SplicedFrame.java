package io.kwire.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A request frame whose large byte values (record batches) were not copied when it was encoded: a head buffer
 * holds every other byte, and each large value is a reference to the caller's buffer plus the head offset where
 * it belongs. The connection lays the pieces end to end into its staging buffer right before the write
 * ({@link #copyTo}), so a frame costs no buffer view per piece; a large value in direct memory goes to the socket as
 * it is ({@link #directValueAt}), and a transport that copies the bytes itself (TLS) takes views of the pieces
 * ({@link #views}).
 *
 * <p>The values' positions and lengths are captured when the frame is built, and they are read with absolute
 * gets only: the caller's buffers are never moved, and may be read by other threads meanwhile. Their content
 * must not change until the frame is sent.
 *
 * <p>A frame built {@code sensitive} (SASL tokens, credentials) is wiped once sent: {@link #wipe()} zeroes its
 * head, and the connection zeroes the staging bytes it was copied into. Immutable once built, until wiped.
 */
public final class SplicedFrame {

    private static final ByteBuffer[] NO_VALUES = {};
    private static final int[] NO_SPANS = {};

    private final ByteBuffer head;
    private final ByteBuffer[] values;
    /** Three ints per value: the head offset it goes in front of, its start in its buffer, its length. */
    private final int[] spans;
    private final int size;
    private final boolean sensitive;

    private SplicedFrame(ByteBuffer head, ByteBuffer[] values, int[] spans, int size, boolean sensitive) {
        this.head = head;
        this.values = values;
        this.spans = spans;
        this.size = size;
        this.sensitive = sensitive;
    }

    /**
     * A frame with nothing spliced in: the bytes of {@code frame} (a heap buffer) from offset 0 to its position.
     *
     * @param sensitive whether the bytes must not outlive the write (see the class comment)
     */
    public static SplicedFrame of(ByteBuffer frame, boolean sensitive) {
        int size = frame.position();
        return new SplicedFrame(frame.limit(size).position(0), NO_VALUES, NO_SPANS, size, sensitive);
    }

    /** Whether the frame holds secrets, to be wiped from every buffer it passed through once it is sent. */
    public boolean isSensitive() {
        return sensitive;
    }

    /**
     * Zeroes the head: every byte of a frame without spliced values, which is how the client builds frames with
     * secrets.
     */
    public void wipe() {
        java.util.Arrays.fill(head.array(), head.arrayOffset(), head.arrayOffset() + head.capacity(), (byte) 0);
    }

    /** The frame's length on the wire, size prefix included. */
    public int size() {
        return size;
    }

    /** How many values are spliced in by reference. */
    public int splicedValues() {
        return values.length;
    }

    /**
     * Copies the frame's bytes from offset {@code from} on into {@code dst}, as many as it has room for, and
     * advances {@code dst}'s position past them.
     *
     * @return the number of bytes copied
     */
    public int copyTo(int from, ByteBuffer dst) {
        return copyTo(from, dst, 0);
    }

    /**
     * As {@link #copyTo(int, ByteBuffer)}, but stopping in front of (or in) a spliced value in direct memory of at
     * least {@code directMin} bytes (none when {@code directMin} is 0 or less): such a value goes to the socket as it
     * is ({@link #directValueAt}), not through a copy, to its last byte.
     *
     * @return the number of bytes copied
     */
    public int copyTo(int from, ByteBuffer dst, int directMin) {
        int next = from;
        int segmentStart = 0;
        int headAt = 0;
        for (int i = 0; i <= values.length && dst.hasRemaining(); i++) {
            int cut = i < values.length ? spans[3 * i] : head.limit();
            next = copySegment(head, headAt, cut - headAt, segmentStart, next, dst);
            segmentStart += cut - headAt;
            headAt = cut;
            if (i < values.length) {
                int length = spans[3 * i + 2];
                if (next >= segmentStart && next < segmentStart + length && isLargeDirect(i, length, directMin)) {
                    break;
                }
                next = copySegment(values[i], spans[3 * i + 1], length, segmentStart, next, dst);
                segmentStart += length;
            }
        }
        return next - from;
    }

    /**
     * A read-only view of the spliced value that frame offset {@code from} falls in, from there to its end, if the
     * value is in direct memory and at least {@code min} bytes long (0 or less: never); else null. The view shares the
     * caller's buffer (an absolute slice: the buffer is not touched; still direct, so a socket takes it uncopied).
     */
    public ByteBuffer directValueAt(int from, int min) {
        int segmentStart = 0;
        int headAt = 0;
        for (int i = 0; i < values.length; i++) {
            int cut = spans[3 * i];
            segmentStart += cut - headAt;
            headAt = cut;
            int length = spans[3 * i + 2];
            if (from < segmentStart) {
                return null; // in a head segment
            }
            if (from < segmentStart + length) {
                return isLargeDirect(i, length, min) ? values[i].slice(spans[3 * i + 1] + from - segmentStart,
                        segmentStart + length - from).asReadOnlyBuffer() : null;
            }
            segmentStart += length;
        }
        return null;
    }

    private boolean isLargeDirect(int value, int length, int min) {
        return min > 0 && length >= min && values[value].isDirect();
    }

    /**
     * Puts views of the frame's bytes from offset {@code from} on into {@code out} from index {@code at}, one per
     * head segment and spliced value, as many as {@code out} has room for: for a transport that reads the pieces
     * where they are instead of a copy of them laid end to end. The views share the frame's buffers (absolute
     * slices: the caller's buffers are not touched).
     *
     * @return the index after the last view put
     */
    public int views(int from, ByteBuffer[] out, int at) {
        int segmentStart = 0;
        int headAt = 0;
        for (int i = 0; i <= values.length && at < out.length; i++) {
            int cut = i < values.length ? spans[3 * i] : head.limit();
            at = view(head, headAt, cut - headAt, segmentStart, from, out, at);
            segmentStart += cut - headAt;
            headAt = cut;
            if (i < values.length && at < out.length) {
                int length = spans[3 * i + 2];
                at = view(values[i], spans[3 * i + 1], length, segmentStart, from, out, at);
                segmentStart += length;
            }
        }
        return at;
    }

    /** Puts a view of the part of one segment at or after frame offset {@code from} into {@code out[at]}, if any. */
    private static int view(ByteBuffer src, int start, int length, int segmentStart, int from, ByteBuffer[] out,
                            int at) {
        int skip = Math.max(0, from - segmentStart);
        if (skip >= length) {
            return at; // already sent, or empty
        }
        out[at] = src.slice(start + skip, length - skip);
        return at + 1;
    }

    /**
     * Copies the part of one segment (frame offsets {@code [segmentStart, segmentStart + length)}, bytes
     * {@code src[start..]}) that lies at or after frame offset {@code next}; returns the new {@code next}.
     */
    private static int copySegment(ByteBuffer src, int start, int length, int segmentStart, int next,
                                   ByteBuffer dst) {
        int skip = next - segmentStart;
        if (skip >= length || !dst.hasRemaining()) {
            return next; // already sent, or no room left (an earlier segment is then still unfinished)
        }
        int n = Math.min(length - skip, dst.remaining());
        dst.put(dst.position(), src, start + skip, n);
        dst.position(dst.position() + n);
        return next + n;
    }

    /**
     * Collects the spliced values of one frame while it is encoded (see
     * {@link ByteWriter#ByteWriter(ByteBuffer, Builder, int)}), then {@link #build}s it. Reusable: one per
     * encoder, not thread-safe.
     */
    public static final class Builder {

        private ByteBuffer[] values = new ByteBuffer[8];
        private int[] spans = new int[24];
        private int count;

        /** Notes that the remaining bytes of {@code value} go in front of head offset {@code at}. */
        void add(int at, ByteBuffer value) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
                spans = Arrays.copyOf(spans, count * 6);
            }
            values[count] = value;
            spans[3 * count] = at;
            spans[3 * count + 1] = value.position();
            spans[3 * count + 2] = value.remaining();
            count++;
        }

        /**
         * The frame of the values added since the last build and {@code head} (a heap buffer), which holds every
         * other byte from offset 0 to its position. Leaves the builder empty.
         *
         * @param sensitive whether the bytes must not outlive the write (see the class comment)
         */
        public SplicedFrame build(ByteBuffer head, boolean sensitive) {
            head.limit(head.position()).position(0);
            int size = head.limit();
            for (int i = 0; i < count; i++) {
                size += spans[3 * i + 2];
            }
            SplicedFrame frame = count == 0 ? new SplicedFrame(head, NO_VALUES, NO_SPANS, size, sensitive)
                    : new SplicedFrame(head, Arrays.copyOf(values, count), Arrays.copyOf(spans, 3 * count), size,
                            sensitive);
            clear();
            return frame;
        }

        /**
         * Forgets the values added since the last build. An encode that fails part-way must call this, or its
         * values would be spliced into the next frame.
         */
        public void clear() {
            Arrays.fill(values, 0, count, null);
            count = 0;
        }
    }
}
