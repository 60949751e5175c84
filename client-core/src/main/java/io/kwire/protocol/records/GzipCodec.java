package io.kwire.protocol.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * GZIP (RFC 1952) through the JDK, as Kafka writes it: a {@link GZIPOutputStream} with an 8 KiB deflate buffer at
 * the default level (6; levels 1-9 as Kafka's {@code compression.gzip.level}). Kafka puts a 16 KiB BufferedOutputStream in front of it; zlib's output with no flush in
 * between does not depend on how the input is chunked, so one write of the whole section gives the same bytes.
 */
final class GzipCodec implements Codec {

    @Override
    public void compress(byte[] src, int off, int len, int level, GrowableBuffer out) throws IOException {
        try (GZIPOutputStream gz = new LeveledGzipOutputStream(out, level)) {
            gz.write(src, off, len);
        }
    }

    /** A GZIPOutputStream whose deflater level is set before any data, as Kafka's own subclass does. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(GrowableBuffer out, int level) throws IOException {
            super(out, 8 * 1024);
            def.setLevel(level);
        }
    }

    @Override
    public void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteBufferInputStream(src), 8 * 1024)) {
            out.readFully(in);
        }
    }
}
