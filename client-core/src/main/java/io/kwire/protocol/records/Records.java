package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Helpers for a {@code records} field: several batches end to end (what Produce sends and Fetch returns).
 */
public final class Records {

    private Records() {
    }

    /** An empty records field. */
    public static ByteBuffer empty() {
        return ByteBuffer.allocate(0);
    }

    /** Concatenates batches (their remaining bytes) into one exactly sized buffer, position 0. */
    public static ByteBuffer concat(ByteBuffer... batches) {
        return concat(Arrays.asList(batches));
    }

    public static ByteBuffer concat(List<ByteBuffer> batches) {
        long total = 0;
        for (ByteBuffer b : batches) {
            total += b.remaining();
        }
        if (total > GrowableBuffer.MAX_ARRAY) {
            throw new IllegalArgumentException("Records too large: " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    /** All complete batches in {@code records} (checked as {@link RecordBatchReader} does). */
    public static List<RecordBatch> batches(ByteBuffer records) {
        List<RecordBatch> out = new ArrayList<>();
        for (RecordBatch b : new RecordBatchReader(records)) {
            out.add(b);
        }
        return out;
    }

    /** All records of all complete batches, control batches included, in order. */
    public static List<Record> records(ByteBuffer records) {
        List<Record> out = new ArrayList<>();
        for (RecordBatch b : new RecordBatchReader(records)) {
            for (Record r : b) {
                out.add(r);
            }
        }
        return out;
    }
}
