package io.kwire.protocol.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * GZIP (RFC 1952) through the JDK, as Kafka writes it: a {@link GZIPOutputStream} with an 8 KiB deflate buffer at
 * the default level (6). Kafka puts a 16 KiB BufferedOutputStream in front of it; zlib's output with no flush in
 * between does not depend on how the input is chunked, so one write of the whole section gives the same bytes.
 */
final class GzipCodec implements Codec {

    @Override
    public void compress(byte[] src, int off, int len, GrowableBuffer out) throws IOException {
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8 * 1024)) {
            gz.write(src, off, len);
        }
    }

    @Override
    public void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteBufferInputStream(src), 8 * 1024)) {
            out.readFully(in);
        }
    }
}
