package io.kwire.protocol;

import io.kwire.errors.ProtocolException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads Kafka primitive types from a big-endian {@link ByteBuffer}, checking every length against the bytes
 * actually present before allocating anything, so a forged length can never cause a large allocation.
 *
 * <p>{@code bytes} and {@code records} come back as slices sharing the underlying buffer's content (zero-copy):
 * they stay valid only as long as that buffer is not reused.
 * Not thread-safe; one reader per buffer being decoded.
 *
 * <p><b>Heap buffers are read from their array.</b> Every response frame is a heap buffer, and going through
 * the buffer's relative getters costs a bounds check of the buffer's own and a position update in the buffer
 * for each field. For a writable heap buffer the reader instead keeps its own position in the backing array
 * (the <i>window</i>) and checks each read once against the window's end. The buffer's position then lags
 * behind: {@link #buffer()} and {@link #syncToBuffer()} bring it up to date and hand it back to the caller,
 * who may then read or move it; the next read through the reader picks its position up again. Generated
 * {@code decode}/{@code read} methods sync when they return. Direct and read-only buffers have no accessible
 * array: the reader reads them through the buffer, as before.
 */
public final class ByteReader {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** {@link #end} when there is no open window: {@code end - pos} is then negative, so every read leaves the fast path. */
    private static final int CLOSED = -1;

    private ByteBuffer buf;
    /** The buffer's backing array, or null when it has none we may read (direct or read-only buffer). */
    private byte[] array;
    /** Buffer index {@code i} is {@code array[offset + i]}. */
    private int offset;
    /** Array index of the next byte to read while the window is open; never negative. */
    private int pos;
    /** Array index one past the last readable byte while the window is open, else {@link #CLOSED}. */
    private int end = CLOSED;

    /** Small {@code []int32} lists decoded lately, for {@link IntList} to share; kept across {@link #reset}. */
    private IntList.Small[] recentSmall;
    private int recentNext;

    public ByteReader(ByteBuffer buf) {
        reset(buf);
    }

    IntList.Small[] recentSmallLists() {
        IntList.Small[] r = recentSmall;
        if (r == null) {
            r = new IntList.Small[4];
            recentSmall = r;
        }
        return r;
    }

    int nextRecentSlot() {
        int i = recentNext;
        recentNext = (i + 1) & 3;
        return i;
    }

    /**
     * Starts reading {@code buf} at its position, as a new reader would. A client decoding one frame after another
     * on one thread reuses a reader this way rather than allocating one per frame; it should
     * {@link #reset(ByteBuffer)} to an empty buffer afterwards so a large frame is not kept reachable.
     */
    public ByteReader reset(ByteBuffer buf) {
        this.buf = buf;
        this.end = CLOSED;
        if (buf.hasArray()) {
            this.array = buf.array();
            this.offset = buf.arrayOffset();
            openWindow();
        } else {
            this.array = null;
            this.offset = 0;
        }
        return this;
    }

    /** The buffer, its position brought up to date; the caller may read or move it (see the class comment). */
    public ByteBuffer buffer() {
        syncToBuffer();
        return buf;
    }

    /**
     * Writes the reader's position back to the buffer and makes the buffer the source of truth again until the
     * next read through this reader.
     */
    public void syncToBuffer() {
        if (end != CLOSED) {
            buf.position(pos - offset);
            end = CLOSED;
        }
    }

    public int remaining() {
        return end != CLOSED ? end - pos : buf.remaining();
    }

    public int position() {
        return end != CLOSED ? pos - offset : buf.position();
    }

    /** Opens the window at the buffer's position, if the buffer has an array; whether the window is open. */
    private boolean openWindow() {
        if (end == CLOSED && array != null) {
            pos = offset + buf.position();
            end = offset + buf.limit();
        }
        return end != CLOSED;
    }

    /**
     * The slow path of a read of {@code n} bytes that the open window does not hold: opens the window if it was
     * closed and checks that the bytes are there. Returns whether to read them from the array (true) or through
     * the buffer (false, no array).
     */
    private boolean prepare(int n, String what) {
        boolean window = openWindow();
        int remaining = window ? end - pos : buf.remaining();
        if (remaining < n) {
            throw new ProtocolException("Truncated message: " + what + " needs " + n + " bytes but only "
                    + remaining + " remain");
        }
        return window;
    }

    public byte readByte() {
        return nextByte("int8");
    }

    private byte nextByte(String what) {
        int p = pos;
        if (p >= end && !prepare(1, what)) {
            return buf.get();
        }
        p = pos;
        pos = p + 1;
        return array[p];
    }

    /**
     * Moves past the next {@code n} bytes and returns the array index of the first, to be read with
     * {@link #byteAt}, {@link #shortAt}, {@link #intAt} and {@link #longAt}: generated decoders read a run of
     * fixed-size fields with this one bounds check instead of one per field. Returns -1 and moves nothing when the
     * open window does not hold them (window closed, buffer without an array, or too few bytes); the caller then
     * reads field by field, so a truncation is reported as precisely as before.
     */
    public int take(int n) {
        int p = pos;
        if (end - p < n) { // a closed window (end -1) lands here too
            if (end != CLOSED || !openWindow() || end - pos < n) {
                return -1;
            }
            p = pos; // reopened after the buffer was handed out
        }
        pos = p + n;
        return p;
    }

    /** The byte at array index {@code i}, which a {@link #take} returned or lies within the bytes it took. */
    public byte byteAt(int i) {
        return array[i];
    }

    /** The big-endian int16 at array index {@code i}, within bytes a {@link #take} took. */
    public short shortAt(int i) {
        return (short) SHORT.get(array, i);
    }

    /** The big-endian int32 at array index {@code i}, within bytes a {@link #take} took. */
    public int intAt(int i) {
        return (int) INT.get(array, i);
    }

    /** The big-endian int64 at array index {@code i}, within bytes a {@link #take} took. */
    public long longAt(int i) {
        return (long) LONG.get(array, i);
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public short readShort() {
        if (end - pos < 2 && !prepare(2, "int16")) {
            return buf.getShort();
        }
        int p = pos;
        pos = p + 2;
        return (short) SHORT.get(array, p);
    }

    public int readUnsignedShort() {
        return readShort() & 0xffff;
    }

    public int readInt() {
        if (end - pos < 4 && !prepare(4, "int32")) {
            return buf.getInt();
        }
        int p = pos;
        pos = p + 4;
        return (int) INT.get(array, p);
    }

    /** {@code n} int32 values into a new array, with one bounds check for all of them. */
    public int[] readInts(int n) {
        if (n < 0 || n > remaining() / 4) {
            throw new ProtocolException("Truncated message: " + n + " int32 values need " + 4L * n
                    + " bytes but only " + remaining() + " remain");
        }
        int[] out = new int[n];
        if (!prepare(4 * n, "int32 values")) {
            for (int i = 0; i < n; i++) {
                out[i] = buf.getInt();
            }
            return out;
        }
        int p = pos;
        for (int i = 0; i < n; i++, p += 4) {
            out[i] = (int) INT.get(array, p);
        }
        pos = p;
        return out;
    }

    public long readUnsignedInt() {
        return readInt() & 0xffffffffL;
    }

    public long readLong() {
        return readLong("int64");
    }

    private long readLong(String what) {
        if (end - pos < 8 && !prepare(8, what)) {
            return buf.getLong();
        }
        int p = pos;
        pos = p + 8;
        return (long) LONG.get(array, p);
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong("float64"));
    }

    public Uuid readUuid() {
        if (end - pos < 16 && !prepare(16, "uuid")) {
            return new Uuid(buf.getLong(), buf.getLong());
        }
        int p = pos;
        pos = p + 16;
        return new Uuid((long) LONG.get(array, p), (long) LONG.get(array, p + 8));
    }

    /** An unsigned LEB128 varint of at most 5 bytes. */
    public int readUnsignedVarint() {
        // Every length, tag and tagged-field count of a flexible message is a varint, and almost all of them are
        // one byte: that case first, on its own.
        int p = pos;
        if (p < end) {
            int b = array[p];
            if (b >= 0) {
                pos = p + 1;
                return b;
            }
        }
        return readLongerUnsignedVarint();
    }

    private int readLongerUnsignedVarint() {
        int p = pos;
        if (end - p < 5) {
            return readUnsignedVarintByBytes();
        }
        // Unrolled, one bounds check for all five bytes.
        byte[] a = array;
        int b = a[p];
        if (b >= 0) {
            pos = p + 1;
            return b;
        }
        int value = b & 0x7f;
        b = a[p + 1];
        value |= (b & 0x7f) << 7;
        if (b >= 0) {
            pos = p + 2;
            return value;
        }
        b = a[p + 2];
        value |= (b & 0x7f) << 14;
        if (b >= 0) {
            pos = p + 3;
            return value;
        }
        b = a[p + 3];
        value |= (b & 0x7f) << 21;
        if (b >= 0) {
            pos = p + 4;
            return value;
        }
        b = a[p + 4];
        value |= (b & 0x7f) << 28;
        if (b >= 0) {
            pos = p + 5;
            return value;
        }
        throw new ProtocolException("Malformed varint: more than 5 bytes");
    }

    /** Near the end of the bytes, and for buffers without a window: one checked byte at a time. */
    private int readUnsignedVarintByBytes() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = nextByte("varint");
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtocolException("Malformed varint: more than 5 bytes");
    }

    /** A zig-zag encoded signed varint. */
    public int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A zig-zag encoded signed varlong of at most 10 bytes. */
    public long readVarlong() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = nextByte("varlong");
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new ProtocolException("Malformed varlong: more than 10 bytes");
    }

    /** Reads {@code length} bytes of UTF-8; the length has been read by the caller and is checked here. */
    public String readString(int length) {
        if (length < 0) {
            throw new ProtocolException("Negative string length " + length);
        }
        if (end - pos < length && !prepare(length, "string")) {
            byte[] bytes = new byte[length];
            buf.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        int p = pos;
        pos = p + length;
        return new String(array, p, length, StandardCharsets.UTF_8);
    }

    /** A slice of the next {@code length} bytes (zero-copy), advancing past them. */
    public ByteBuffer readSlice(int length) {
        if (length < 0) {
            throw new ProtocolException("Negative byte length " + length);
        }
        if (end - pos < length && !prepare(length, "bytes")) {
            ByteBuffer slice = buf.slice(buf.position(), length);
            buf.position(buf.position() + length);
            return slice;
        }
        int p = pos;
        pos = p + length;
        return buf.slice(p - offset, length);
    }

    /**
     * Checks that an array of {@code count} elements, each at least {@code minElementSize} bytes, fits in
     * what remains, before anything is allocated for it.
     */
    public void checkArrayLength(int count, int minElementSize, String what) {
        if (count < 0) {
            throw new ProtocolException("Negative array length " + count + " for " + what);
        }
        if ((long) count * Math.max(1, minElementSize) > remaining()) {
            throw new ProtocolException("Array " + what + " claims " + count + " elements but only "
                    + remaining() + " bytes remain");
        }
    }

    public void skip(int length) {
        if (length < 0) {
            throw new ProtocolException("Negative skip length " + length);
        }
        if (end - pos < length && !prepare(length, "tagged field")) {
            buf.position(buf.position() + length);
            return;
        }
        pos += length;
    }
}
