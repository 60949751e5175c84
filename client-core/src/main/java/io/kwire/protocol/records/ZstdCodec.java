package io.kwire.protocol.records;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zstandard frames through zstd-jni's streaming API, as Kafka writes them ({@code ZstdOutputStreamNoFinalizer} at
 * level 3, no checksum, no content size in the frame header since the size is not pledged). zstd buffers input
 * into its own blocks, so the one write here gives the same frame as Kafka's 16 KiB-buffered writes; the flush
 * before the end of the frame is Kafka's too (see {@link #compress}).
 */
final class ZstdCodec implements Codec {

    ZstdCodec() {
        Zstd.defaultCompressionLevel(); // loads the native library now, so a platform without it fails up front
    }

    @Override
    public void compress(byte[] src, int off, int len, int level, GrowableBuffer out) throws IOException {
        try (ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, level)) {
            z.write(src, off, len);
            // Kafka closes a BufferedOutputStream in front of the zstd stream, and its close() flushes first: the
            // flush ends the current block and the close then adds an empty last block (3 bytes). Same here.
            z.flush();
        }
    }

    @Override
    public void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        try (ZstdInputStreamNoFinalizer in = new ZstdInputStreamNoFinalizer(new ByteBufferInputStream(src))) {
            out.readFully(in);
        }
    }
}
