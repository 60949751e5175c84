package io.kwire.protocol.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame format as Kafka writes it for magic v1+ batches ({@code Lz4BlockOutputStream}):
 * magic {@code 0x184D2204} (little-endian), FLG {@code 0x60} (version 01, independent blocks, no block checksum,
 * no content size, no content checksum), BD {@code 0x40} (64 KiB max block), the header checksum byte
 * {@code (xxhash32(FLG..BD, seed 0) >> 8) & 0xff}, then blocks of up to 64 KiB each as a little-endian length
 * (high bit set = stored uncompressed, used when compressing does not shrink the block) followed by the data,
 * then a zero end mark. Kafka's default level (9) uses LZ4's fast compressor, other levels (1-17) the HC one.
 *
 * <p>Reading also accepts the optional frame features Kafka's reader accepts: block checksums, a content size
 * and a content checksum (all verified), and block sizes up to 4 MiB. Dependent blocks and dictionaries are
 * rejected.
 */
final class Lz4Codec implements Codec {

    private static final int MAGIC = 0x184D2204;
    private static final int BLOCK_SIZE = 64 * 1024;
    private static final byte FLG = 0x60;
    private static final byte BD = 0x40;
    private static final int INCOMPRESSIBLE = 0x80000000;
    /** LZ4's worst-case expansion is about 255:1; used to bound the output room reserved for one block. */
    private static final int MAX_RATIO = 255;
    private static final int DEFAULT_LEVEL = 9;
    private static final int MAX_LEVEL = 17;

    private final LZ4Factory factory;
    private final LZ4Compressor fastCompressor;
    private final LZ4Compressor[] highCompressors = new LZ4Compressor[MAX_LEVEL + 1];
    private final LZ4SafeDecompressor decompressor;
    private final XXHash32 xxhash;

    Lz4Codec() {
        this.factory = LZ4Factory.fastestInstance();
        this.fastCompressor = factory.fastCompressor();
        this.decompressor = factory.safeDecompressor();
        this.xxhash = XXHashFactory.fastestInstance().hash32();
    }

    @Override
    public void compress(byte[] src, int off, int len, int level, GrowableBuffer out) throws IOException {
        LZ4Compressor compressor = compressor(level);
        out.writeIntLE(MAGIC);
        byte[] descriptor = {FLG, BD};
        out.write(descriptor[0]);
        out.write(descriptor[1]);
        out.write((xxhash.hash(descriptor, 0, 2, 0) >> 8) & 0xff);
        int end = off + len;
        for (int p = off; p < end; p += BLOCK_SIZE) {
            int n = Math.min(BLOCK_SIZE, end - p);
            int max = compressor.maxCompressedLength(n);
            out.ensure(4 + max);
            int lenPos = out.size();
            out.advance(4);
            int c = compressor.compress(src, p, n, out.array(), out.size(), max);
            if (c >= n) {
                System.arraycopy(src, p, out.array(), out.size(), n);
                out.advance(n);
                c = n | INCOMPRESSIBLE;
            } else {
                out.advance(c);
            }
            int after = out.size();
            out.position(lenPos);
            out.writeIntLE(c);
            out.position(after);
        }
        out.writeIntLE(0);
    }

    @Override
    public void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        byte[] in;
        int pos;
        if (src.hasArray()) {
            in = src.array();
            pos = src.arrayOffset() + src.position();
        } else {
            in = RecordBytes.copy(src);
            pos = 0;
        }
        int end = pos + src.remaining();
        if (end - pos < 7) {
            throw new IOException("truncated LZ4 frame header");
        }
        if (intLE(in, pos) != MAGIC) {
            throw new IOException("bad LZ4 frame magic 0x" + Integer.toHexString(intLE(in, pos)));
        }
        int descStart = pos + 4;
        int flg = in[descStart] & 0xff;
        int bd = in[descStart + 1] & 0xff;
        if ((flg >>> 6) != 1) {
            throw new IOException("unsupported LZ4 frame version " + (flg >>> 6));
        }
        if ((flg & 0x02) != 0 || (bd & 0x8f) != 0) {
            throw new IOException("reserved bits set in LZ4 frame descriptor");
        }
        if ((flg & 0x01) != 0) {
            throw new IOException("LZ4 frames with a dictionary id are not supported");
        }
        if ((flg & 0x20) == 0) {
            throw new IOException("LZ4 frames with dependent blocks are not supported");
        }
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        int blockSizeId = (bd >>> 4) & 0x7;
        if (blockSizeId < 4) {
            throw new IOException("invalid LZ4 block size id " + blockSizeId);
        }
        int maxBlock = 1 << (2 * blockSizeId + 8);
        int descLen = contentSize ? 10 : 2;
        if (end - descStart < descLen + 1) {
            throw new IOException("truncated LZ4 frame descriptor");
        }
        int hc = (xxhash.hash(in, descStart, descLen, 0) >> 8) & 0xff;
        if ((in[descStart + descLen] & 0xff) != hc) {
            throw new IOException("LZ4 frame header checksum mismatch");
        }
        pos = descStart + descLen + 1;
        int outStart = out.size();
        while (true) {
            if (end - pos < 4) {
                throw new IOException("truncated LZ4 frame: no end mark");
            }
            int word = intLE(in, pos);
            pos += 4;
            if (word == 0) {
                break;
            }
            boolean stored = (word & INCOMPRESSIBLE) != 0;
            int blockLen = word & ~INCOMPRESSIBLE;
            if (blockLen > maxBlock || blockLen > end - pos) {
                throw new IOException("LZ4 block claims " + blockLen + " bytes but " + (end - pos)
                        + " remain (max block " + maxBlock + ")");
            }
            if (blockChecksum) {
                if (end - pos - blockLen < 4) {
                    throw new IOException("truncated LZ4 block checksum");
                }
                if (xxhash.hash(in, pos, blockLen, 0) != intLE(in, pos + blockLen)) {
                    throw new IOException("LZ4 block checksum mismatch");
                }
            }
            if (stored) {
                out.write(in, pos, blockLen);
            } else {
                long bound = Math.min((long) maxBlock, (long) blockLen * MAX_RATIO + 64);
                int room = (int) Math.min(bound, out.headroom());
                out.ensure(room);
                int n;
                try {
                    n = decompressor.decompress(in, pos, blockLen, out.array(), out.size(), room);
                } catch (LZ4Exception e) {
                    if (room < bound) {
                        throw new GrowableBuffer.LimitExceeded(out.limit());
                    }
                    throw new IOException("malformed LZ4 block: " + e.getMessage(), e);
                }
                out.advance(n);
            }
            pos += blockLen + (blockChecksum ? 4 : 0);
        }
        if (contentChecksum) {
            if (end - pos < 4) {
                throw new IOException("truncated LZ4 content checksum");
            }
            if (xxhash.hash(out.array(), outStart, out.size() - outStart, 0) != intLE(in, pos)) {
                throw new IOException("LZ4 content checksum mismatch");
            }
        }
    }

    /** Kafka's rule: its default level 9 means LZ4's fast compressor, any other level the HC compressor. */
    private LZ4Compressor compressor(int level) {
        if (level == DEFAULT_LEVEL) {
            return fastCompressor;
        }
        LZ4Compressor c = highCompressors[level];
        if (c == null) {
            c = factory.highCompressor(level);
            highCompressors[level] = c; // racy but benign: compressors are stateless
        }
        return c;
    }

    private static int intLE(byte[] b, int p) {
        return (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16) | ((b[p + 3] & 0xff) << 24);
    }
}
