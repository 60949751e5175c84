package io.kwire.protocol.records;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One compression codec, as Kafka frames it inside a record batch. Implementations touch their optional
 * library directly; they are only instantiated by {@link Compression} after it has checked that the library
 * is on the classpath.
 */
interface Codec {

    /**
     * Compresses {@code len} bytes of {@code src} from {@code off} at {@code level} (already validated by
     * {@link Compression#checkLevel}), appending the framed result to {@code out}.
     */
    void compress(byte[] src, int off, int len, int level, GrowableBuffer out) throws IOException;

    /**
     * Decompresses all remaining bytes of {@code src} (not moving its position) into {@code out}, whose limit
     * bounds the result. Malformed input raises an IOException or a runtime exception of the library; the caller
     * turns both into a {@link CorruptRecordException}.
     */
    void decompress(ByteBuffer src, GrowableBuffer out) throws IOException;
}
