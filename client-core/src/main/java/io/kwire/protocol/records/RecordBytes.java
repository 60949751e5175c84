package io.kwire.protocol.records;

import java.nio.ByteBuffer;

/** Small byte helpers shared by the records package. */
final class RecordBytes {

    private RecordBytes() {
    }

    static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
