package io.kwire.protocol;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Encodes request frames (int32 size, header, body) into heap buffers of exactly their size, in one pass: header
 * and body are written into a reusable scratch buffer and copied out, so nothing is walked twice. The size pass
 * of {@link Message#size(short)} costs about as much as writing (it measures every string), while copying a
 * small frame is one {@code arraycopy}. A frame that does not fit the scratch buffer is encoded the two-pass way
 * (size, then write into a buffer of that size) and the scratch buffer grows, up to {@link #MAX_SCRATCH}, for the
 * next one.
 *
 * <p>For frames without spliced values only: a request whose record batches are sent by reference (a
 * {@link SplicedFrame}) needs the sizes first (see
 * {@link ByteWriter#ByteWriter(ByteBuffer, SplicedFrame.Builder, int)}). Not thread-safe: one per client, used on
 * its I/O thread.
 */
public final class FrameEncoder {

    /** Frames larger than this are always encoded in two passes, so a huge request leaves no huge buffer behind. */
    static final int MAX_SCRATCH = 1 << 20;

    private ByteBuffer scratch;

    /** @param initialScratch the scratch buffer's first capacity; it grows as larger frames come */
    public FrameEncoder(int initialScratch) {
        this.scratch = ByteBuffer.allocate(Math.min(Math.max(initialScratch, 64), MAX_SCRATCH));
    }

    /** The frame of {@code header} and {@code body}: a new buffer at position 0, its limit the frame's length. */
    public ByteBuffer encode(Message header, short headerVersion, Message body, short version) {
        ByteBuffer s = scratch.clear();
        try {
            s.position(4);
            ByteWriter writer = new ByteWriter(s);
            header.write(writer, headerVersion);
            body.write(writer, version);
        } catch (BufferOverflowException | IndexOutOfBoundsException tooSmall) {
            return encodeSized(header, headerVersion, body, version);
        }
        int length = s.position();
        s.putInt(0, length - 4);
        return ByteBuffer.allocate(length).put(s.flip()).flip();
    }

    /** Two passes, for a frame larger than the scratch buffer; grows the scratch buffer for the next one. */
    private ByteBuffer encodeSized(Message header, short headerVersion, Message body, short version) {
        int size = header.size(headerVersion) + body.size(version);
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        ByteWriter writer = new ByteWriter(frame);
        header.write(writer, headerVersion);
        body.write(writer, version);
        if (4 + size <= MAX_SCRATCH) {
            scratch = ByteBuffer.allocate(Math.min(Integer.highestOneBit(4 + size) << 1, MAX_SCRATCH));
        }
        return frame.flip();
    }
}
