package io.kwire.protocol;

import java.nio.ByteBuffer;

/**
 * Writes Kafka primitive types into a big-endian {@link ByteBuffer} sized in advance by
 * {@link Message#size(short)}. Strings are encoded to UTF-8 straight into the buffer, without an intermediate
 * array. Not thread-safe.
 */
public final class ByteWriter {

    private final ByteBuffer buf;

    public ByteWriter(ByteBuffer buf) {
        this.buf = buf;
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

    /** Writes the remaining bytes of {@code src} without moving its position. */
    public void writeBytes(ByteBuffer src) {
        buf.put(src.duplicate());
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
