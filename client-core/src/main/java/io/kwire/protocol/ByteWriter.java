package io.kwire.protocol;

import java.nio.ByteBuffer;

/**
 * Writes Kafka primitive types into a big-endian {@link ByteBuffer}: one sized in advance by
 * {@link Message#size(short)}, or one with room to spare, where a write past the limit throws
 * {@link java.nio.BufferOverflowException} (the client's one-pass frame encoding relies on it). Strings are encoded to UTF-8
 * straight into the buffer, without an intermediate array. Not thread-safe.
 */
public final class ByteWriter {

    /** The longest string Kafka's int16 length prefix can carry, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = Short.MAX_VALUE;

    private ByteBuffer buf;
    /** With splicing: collects the large values of the frame; null when every byte is copied into {@link #buf}. */
    private SplicedFrame.Builder splices;
    private int spliceThreshold;

    /**
     * A writer with no buffer yet, for an encoder that keeps one writer and {@linkplain #reset points it} at each
     * frame's buffer: encoding then allocates no writer, whether or not the JIT can prove that a new one does not
     * escape (through the generated {@code write} methods it often cannot).
     */
    public ByteWriter() {
        this(null, null, Integer.MAX_VALUE);
    }

    public ByteWriter(ByteBuffer buf) {
        this(buf, null, Integer.MAX_VALUE);
    }

    /**
     * A writer that copies small values into {@code buf} but hands {@code bytes}/{@code records} values of at least
     * {@code spliceThreshold} bytes to {@code splices} by reference, noting where in {@code buf} they belong.
     * {@code buf} is sized {@code size - splicedSize}; {@link SplicedFrame.Builder#build} then makes the frame.
     */
    public ByteWriter(ByteBuffer buf, SplicedFrame.Builder splices, int spliceThreshold) {
        reset(buf, splices, spliceThreshold);
    }

    /** Points the writer at {@code buf}, every value copied into it; null lets go of the last buffer. */
    public ByteWriter reset(ByteBuffer buf) {
        return reset(buf, null, Integer.MAX_VALUE);
    }

    /** Points the writer at {@code buf}, as {@link #ByteWriter(ByteBuffer, SplicedFrame.Builder, int)} would. */
    public ByteWriter reset(ByteBuffer buf, SplicedFrame.Builder splices, int spliceThreshold) {
        this.buf = buf;
        this.splices = splices;
        this.spliceThreshold = spliceThreshold;
        return this;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public void writeByte(byte v) {
        buf.put(v);
    }

    public void writeBoolean(boolean v) {
        buf.put(v ? (byte) 1 : (byte) 0);
    }

    public void writeShort(short v) {
        buf.putShort(v);
    }

    public void writeUnsignedShort(int v) {
        buf.putShort((short) v);
    }

    public void writeInt(int v) {
        buf.putInt(v);
    }

    public void writeUnsignedInt(long v) {
        buf.putInt((int) v);
    }

    public void writeLong(long v) {
        buf.putLong(v);
    }

    public void writeDouble(double v) {
        buf.putDouble(v);
    }

    public void writeUuid(Uuid v) {
        buf.putLong(v.mostSignificantBits());
        buf.putLong(v.leastSignificantBits());
    }

    public void writeUnsignedVarint(int v) {
        while ((v & 0xffffff80) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    public void writeVarint(int v) {
        writeUnsignedVarint((v << 1) ^ (v >> 31));
    }

    public void writeVarlong(long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & 0xffffffffffffff80L) != 0) {
            buf.put((byte) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        buf.put((byte) z);
    }

    /** Writes the UTF-8 bytes of {@code s} (no length prefix); {@link #utf8Length(String)} gives the count. */
    public void writeUtf8(String s) {
        int n = s.length();
        int start = 0;
        if (buf.hasArray()) {
            // Fast path for ASCII (topic names, client ids): straight into the backing array, no per-byte put.
            byte[] array = buf.array();
            int base = buf.arrayOffset() + buf.position();
            int limit = Math.min(n, buf.remaining());
            while (start < limit) {
                char c = s.charAt(start);
                if (c >= 0x80) {
                    break;
                }
                array[base + start] = (byte) c;
                start++;
            }
            buf.position(buf.position() + start);
        }
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf.put((byte) c);
            } else if (c < 0x800) {
                buf.put((byte) (0xc0 | (c >> 6)));
                buf.put((byte) (0x80 | (c & 0x3f)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf.put((byte) (0xf0 | (cp >> 18)));
                buf.put((byte) (0x80 | ((cp >> 12) & 0x3f)));
                buf.put((byte) (0x80 | ((cp >> 6) & 0x3f)));
                buf.put((byte) (0x80 | (cp & 0x3f)));
            } else if (Character.isSurrogate(c)) {
                buf.put((byte) '?'); // an unpaired surrogate encodes as '?', as String.getBytes(UTF_8) does
            } else {
                buf.put((byte) (0xe0 | (c >> 12)));
                buf.put((byte) (0x80 | ((c >> 6) & 0x3f)));
                buf.put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }

    /**
     * Writes {@code s} with its length prefix (compact: unsigned varint of length + 1, else int16) if every char is
     * ASCII, in one pass over the chars: they are copied into the backing array and checked together, and the
     * prefix, whose value the char count then is, goes in front of them. Returns false with the position unchanged
     * (for the caller's general UTF-8 path) when a char is not ASCII, the buffer has no accessible array, or the
     * string does not fit; bytes past the position may have been overwritten.
     */
    public boolean tryWriteAsciiString(String s, boolean compact) {
        int n = s.length();
        if (n > MAX_STRING_BYTES || !buf.hasArray()) {
            return false;
        }
        int pos = buf.position();
        int prefix = !compact ? 2 : n < 127 ? 1 : unsignedVarintSize(n + 1);
        if (buf.limit() - pos < prefix + n) {
            return false;
        }
        byte[] array = buf.array();
        int at = buf.arrayOffset() + pos + prefix;
        // No exit from the loop: the JIT unrolls a loop without one, and non-ASCII strings are rare.
        int seen = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            seen |= c;
            array[at + i] = (byte) c;
        }
        if (seen >= 0x80) {
            return false;
        }
        if (compact) {
            writeUnsignedVarint(n + 1);
        } else {
            buf.putShort((short) n);
        }
        buf.position(pos + prefix + n);
        return true;
    }

    /** Writes the remaining bytes of {@code src} without moving its position (by reference when splicing). */
    public void writeBytes(ByteBuffer src) {
        int n = src.remaining();
        if (splices != null && n >= spliceThreshold) {
            splices.add(buf.position(), src);
            return;
        }
        // Absolute bulk put: copies without moving src, and without the duplicate view a relative put would need.
        buf.put(buf.position(), src, src.position(), n);
        buf.position(buf.position() + n);
    }

    public void writeBytes(byte[] src) {
        buf.put(src);
    }

    /** The number of bytes {@link #writeUtf8(String)} writes for {@code s}. */
    public static int utf8Length(String s) {
        int n = s.length();
        int len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    len += 2; // four bytes for two chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    len += 2;
                }
            }
        }
        return len;
    }

    public static int unsignedVarintSize(int v) {
        return (38 - Integer.numberOfLeadingZeros(v | 1)) / 7;
    }

    public static int varintSize(int v) {
        return unsignedVarintSize((v << 1) ^ (v >> 31));
    }

    public static int varlongSize(long v) {
        long z = (v << 1) ^ (v >> 63);
        return (70 - Long.numberOfLeadingZeros(z | 1)) / 7;
    }
}
