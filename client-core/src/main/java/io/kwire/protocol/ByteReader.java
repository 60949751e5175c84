package io.kwire.protocol;

import io.kwire.client.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads Kafka primitive types from a big-endian {@link ByteBuffer}, checking every length against the bytes
 * actually present before allocating anything, so a forged length can never cause a large allocation.
 *
 * <p>{@code bytes} and {@code records} come back as slices sharing the underlying buffer's content (zero-copy):
 * they stay valid only as long as that buffer is not reused.
 * Not thread-safe; one reader per buffer being decoded.
 */
public final class ByteReader {

    private final ByteBuffer buf;

    public ByteReader(ByteBuffer buf) {
        this.buf = buf;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int remaining() {
        return buf.remaining();
    }

    public int position() {
        return buf.position();
    }

    private void need(int n, String what) {
        if (buf.remaining() < n) {
            throw new ProtocolException("Truncated message: " + what + " needs " + n + " bytes but only "
                    + buf.remaining() + " remain");
        }
    }

    public byte readByte() {
        need(1, "int8");
        return buf.get();
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public short readShort() {
        need(2, "int16");
        return buf.getShort();
    }

    public int readUnsignedShort() {
        return readShort() & 0xffff;
    }

    public int readInt() {
        need(4, "int32");
        return buf.getInt();
    }

    /** {@code n} int32 values into a new array, with one bounds check for all of them. */
    public int[] readInts(int n) {
        if (n < 0 || n > buf.remaining() / 4) {
            throw new ProtocolException("Truncated message: " + n + " int32 values need " + 4L * n
                    + " bytes but only " + buf.remaining() + " remain");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = buf.getInt();
        }
        return out;
    }

    public long readUnsignedInt() {
        return readInt() & 0xffffffffL;
    }

    public long readLong() {
        need(8, "int64");
        return buf.getLong();
    }

    public double readDouble() {
        need(8, "float64");
        return buf.getDouble();
    }

    public Uuid readUuid() {
        need(16, "uuid");
        return new Uuid(buf.getLong(), buf.getLong());
    }

    /** An unsigned LEB128 varint of at most 5 bytes. */
    public int readUnsignedVarint() {
        if (buf.remaining() >= 5) {
            // Unrolled, one bounds check: every length, tag and tagged-field count of a flexible message is a
            // varint, and almost all of them are one byte.
            int b = buf.get();
            if (b >= 0) {
                return b;
            }
            int value = b & 0x7f;
            b = buf.get();
            value |= (b & 0x7f) << 7;
            if (b >= 0) {
                return value;
            }
            b = buf.get();
            value |= (b & 0x7f) << 14;
            if (b >= 0) {
                return value;
            }
            b = buf.get();
            value |= (b & 0x7f) << 21;
            if (b >= 0) {
                return value;
            }
            b = buf.get();
            value |= (b & 0x7f) << 28;
            if (b >= 0) {
                return value;
            }
            throw new ProtocolException("Malformed varint: more than 5 bytes");
        }
        return readUnsignedVarintNearEnd();
    }

    private int readUnsignedVarintNearEnd() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            need(1, "varint");
            byte b = buf.get();
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
            need(1, "varlong");
            byte b = buf.get();
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
        need(length, "string");
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buf.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** A slice of the next {@code length} bytes (zero-copy), advancing past them. */
    public ByteBuffer readSlice(int length) {
        if (length < 0) {
            throw new ProtocolException("Negative byte length " + length);
        }
        need(length, "bytes");
        ByteBuffer slice = buf.slice(buf.position(), length);
        buf.position(buf.position() + length);
        return slice;
    }

    /**
     * Checks that an array of {@code count} elements, each at least {@code minElementSize} bytes, fits in
     * what remains, before anything is allocated for it.
     */
    public void checkArrayLength(int count, int minElementSize, String what) {
        if (count < 0) {
            throw new ProtocolException("Negative array length " + count + " for " + what);
        }
        if ((long) count * Math.max(1, minElementSize) > buf.remaining()) {
            throw new ProtocolException("Array " + what + " claims " + count + " elements but only "
                    + buf.remaining() + " bytes remain");
        }
    }

    public void skip(int length) {
        if (length < 0) {
            throw new ProtocolException("Negative skip length " + length);
        }
        need(length, "tagged field");
        buf.position(buf.position() + length);
    }
}
