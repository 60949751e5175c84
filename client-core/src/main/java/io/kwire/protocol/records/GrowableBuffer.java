package io.kwire.protocol.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A byte-array output that grows by doubling up to a hard {@code limit}: the sink for compression (limit
 * {@link Integer#MAX_VALUE}-ish) and for decompression (limit = the configured cap, so a decompression bomb is
 * stopped at the cap instead of exhausting the heap). Exceeding the limit throws {@link LimitExceeded}.
 */
final class GrowableBuffer extends OutputStream {

    static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** Thrown when writing would pass the limit; an IOException so it travels through codec streams. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(int limit) {
            super("decompressed size exceeds the limit of " + limit + " bytes");
        }
    }

    private final int limit;
    private byte[] buf;
    private int size;

    GrowableBuffer(int initialCapacity, int limit) {
        this.limit = limit;
        this.buf = new byte[Math.max(16, Math.min(initialCapacity, limit))];
    }

    int limit() {
        return limit;
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    /** Bytes that may still be written before the limit. */
    int headroom() {
        return limit - size;
    }

    /** Makes room for {@code n} more bytes (fails if that would pass the limit). */
    void ensure(int n) throws LimitExceeded {
        if (n > limit - size) {
            throw new LimitExceeded(limit);
        }
        int needed = size + n;
        if (needed > buf.length) {
            int cap = (int) Math.min((long) limit, Math.max((long) buf.length * 2, needed));
            buf = Arrays.copyOf(buf, cap);
        }
    }

    /** Marks {@code n} bytes written directly into {@link #array()} at {@link #size()}. */
    void advance(int n) {
        size += n;
    }

    void position(int newSize) {
        size = newSize;
    }

    @Override
    public void write(int b) throws IOException {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    void writeIntLE(int v) throws IOException {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    void writeIntBE(int v) throws IOException {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    /** Reads {@code in} to its end, failing once more than {@link #limit()} bytes in total would be held. */
    void readFully(InputStream in) throws IOException {
        while (true) {
            if (size == buf.length) {
                if (size == limit) {
                    if (in.read() != -1) {
                        throw new LimitExceeded(limit);
                    }
                    return;
                }
                ensure(1);
            }
            int n = in.read(buf, size, buf.length - size);
            if (n < 0) {
                return;
            }
            size += n;
        }
    }

    /** The written bytes as a buffer over the same array (no copy). */
    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(buf, 0, size);
    }
}
