package io.kwire.protocol.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xerial.snappy.Snappy;

/**
 * Snappy in xerial's framing ({@code SnappyOutputStream}), which is what Kafka writes: a 16-byte header
 * (8 magic bytes {@code 0x82 "SNAPPY" 0x00}, int version 1, int compatible version 1), then for each 32 KiB block
 * of input a big-endian int length and the raw snappy block. Framing is done here so every chunk length is
 * checked against the bytes present and every block's declared uncompressed size against the limit before
 * anything is allocated. Input without the header is read as one raw snappy block, as xerial's reader does.
 */
final class SnappyCodec implements Codec {

    private static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int HEADER_SIZE = 16;
    private static final int BLOCK_SIZE = 32 * 1024;
    private static final int MAX_EXPANSION = 24;

    SnappyCodec() {
        Snappy.maxCompressedLength(1); // loads the native library now, so a platform without it fails up front
    }

    @Override
    public void compress(byte[] src, int off, int len, int level, GrowableBuffer out) throws IOException {
        out.write(MAGIC, 0, MAGIC.length);
        out.writeIntBE(1);
        out.writeIntBE(1);
        int end = off + len;
        for (int p = off; p < end; p += BLOCK_SIZE) {
            int n = Math.min(BLOCK_SIZE, end - p);
            out.ensure(4 + Snappy.maxCompressedLength(n));
            int lenPos = out.size();
            out.advance(4);
            int c = Snappy.compress(src, p, n, out.array(), out.size());
            out.advance(c);
            int after = out.size();
            out.position(lenPos);
            out.writeIntBE(c);
            out.position(after);
        }
    }

    @Override
    public void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        byte[] in;
        int pos;
        int end;
        if (src.hasArray()) {
            in = src.array();
            pos = src.arrayOffset() + src.position();
        } else {
            in = RecordBytes.copy(src);
            pos = 0;
        }
        end = pos + src.remaining();
        if (!hasMagic(in, pos, end)) {
            block(in, pos, end - pos, out);
            return;
        }
        while (pos < end) {
            if (hasMagic(in, pos, end)) { // a stream header, at the start or between concatenated streams
                if (end - pos < HEADER_SIZE) {
                    throw new IOException("truncated snappy stream header");
                }
                pos += HEADER_SIZE;
                continue;
            }
            if (end - pos < 4) {
                throw new IOException("truncated snappy chunk length");
            }
            int chunk = ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8)
                    | (in[pos + 3] & 0xff);
            pos += 4;
            if (chunk < 0 || chunk > end - pos) {
                throw new IOException("snappy chunk claims " + chunk + " bytes but " + (end - pos) + " remain");
            }
            block(in, pos, chunk, out);
            pos += chunk;
        }
    }

    private static void block(byte[] in, int pos, int len, GrowableBuffer out) throws IOException {
        int size = Snappy.uncompressedLength(in, pos, len);
        if (size < 0) {
            throw new IOException("snappy block declares a negative length");
        }
        // A snappy element expands at most 64 bytes from 3 (a copy with a 2-byte offset), so a block cannot
        // honestly declare more than ~22x its size: refuse before allocating for a forged length.
        if (size > (long) len * MAX_EXPANSION + 64) {
            throw new IOException("snappy block of " + len + " bytes declares " + size + " uncompressed bytes, more"
                    + " than snappy can encode in it");
        }
        out.ensure(size);
        int n = Snappy.uncompress(in, pos, len, out.array(), out.size());
        if (n != size) {
            throw new IOException("snappy block declared " + size + " bytes but produced " + n);
        }
        out.advance(n);
    }

    private static boolean hasMagic(byte[] in, int pos, int end) {
        if (end - pos < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in[pos + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
