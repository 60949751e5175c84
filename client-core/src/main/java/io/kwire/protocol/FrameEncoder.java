package io.kwire.protocol;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Encodes request frames (int32 size, header, body) into a buffer the caller keeps, such as a connection's send
 * queue. {@link #tryEncode} writes in one pass and fills in the size afterwards: the size pass of
 * {@link Message#size(short)} costs about as much as writing (it measures every string), so it is only run, by
 * {@link #frameLength} and {@link #encode}, when a frame did not fit.
 *
 * <p>For frames without spliced values only: a request whose record batches are sent by reference (a
 * {@link SplicedFrame}) needs the sizes first (see
 * {@link ByteWriter#ByteWriter(ByteBuffer, SplicedFrame.Builder, int)}).
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /**
     * Writes the frame at {@code dst}'s position and moves the position past it. When the frame does not fit, or
     * encoding fails, the position is left where it was (bytes after it may have been overwritten).
     *
     * @return false when the frame did not fit
     */
    public static boolean tryEncode(ByteBuffer dst, Message header, short headerVersion, Message body,
                                    short version) {
        int start = dst.position();
        if (dst.remaining() < 4) {
            return false;
        }
        boolean done = false;
        try {
            dst.position(start + 4);
            ByteWriter writer = new ByteWriter(dst);
            header.write(writer, headerVersion);
            body.write(writer, version);
            dst.putInt(start, dst.position() - start - 4);
            done = true;
            return true;
        } catch (BufferOverflowException | IndexOutOfBoundsException tooSmall) {
            return false;
        } finally {
            if (!done) {
                dst.position(start);
            }
        }
    }

    /** The frame's length, size prefix included: the two-pass way, for a frame {@link #tryEncode} could not fit. */
    public static int frameLength(Message header, short headerVersion, Message body, short version) {
        return 4 + header.size(headerVersion) + body.size(version);
    }

    /**
     * Writes a frame of {@code length} bytes ({@link #frameLength}) at {@code dst}'s position, which must have
     * room for it. If encoding fails, or writes a different number of bytes, the position is left where it was.
     */
    public static void encode(ByteBuffer dst, int length, Message header, short headerVersion, Message body,
                              short version) {
        int start = dst.position();
        boolean done = false;
        try {
            dst.putInt(length - 4);
            ByteWriter writer = new ByteWriter(dst);
            header.write(writer, headerVersion);
            body.write(writer, version);
            if (dst.position() - start != length) {
                // A size() that disagrees with write() would put a wrong size prefix on the wire.
                throw new IllegalStateException("Encoded " + (dst.position() - start) + " bytes for a frame sized "
                        + length);
            }
            done = true;
        } finally {
            if (!done) {
                dst.position(start);
            }
        }
    }
}
