package io.kwire.protocol.records;

import io.kwire.errors.KwireException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * One magic v2 record batch, as handed out by {@link RecordBatchReader}: its length, magic and CRC32C have been
 * checked. Header fields are read straight from the bytes. The records are decoded only as they are read, by
 * iterating the batch ({@code for (Record r : batch)}), through a {@link #cursor()} (no allocation per record) or
 * all at once with {@link #records()}; a compressed batch is decompressed on the first of these and the result kept,
 * so batches a caller skips (aborted, control) cost nothing more. Not thread-safe.
 *
 * <p>Layout (big-endian): baseOffset int64 | length int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 | producerId int64 |
 * producerEpoch int16 | baseSequence int32 | recordCount int32 | records. The CRC covers attributes to the end.
 */
public final class RecordBatch implements Iterable<Record> {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    /** Bytes before the batch's content that its length field does not count: baseOffset and length. */
    public static final int LOG_OVERHEAD = 12;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    /** Size of the batch header; the records section starts here. */
    public static final int HEADER_SIZE = 61;

    /**
     * The CRC32C a v2 batch stores at {@link #CRC_OFFSET}: over its bytes from the attributes to its end ({@code batch}
     * from index 0 to its limit). Moves nothing.
     */
    static int checksum(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        int n = batch.limit() - ATTRIBUTES_OFFSET;
        if (batch.hasArray()) {
            crc.update(batch.array(), batch.arrayOffset() + ATTRIBUTES_OFFSET, n);
        } else {
            crc.update(batch.slice(ATTRIBUTES_OFFSET, n));
        }
        return (int) crc.getValue();
    }
    public static final byte MAGIC = 2;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    static final int COMPRESSION_MASK = 0x07;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_MASK = 0x10;
    static final int CONTROL_MASK = 0x20;
    static final int DELETE_HORIZON_MASK = 0x40;

    /** The smallest possible record: length, attributes, timestamp delta, offset delta, key, value, header count. */
    static final int MIN_RECORD_SIZE = 7;

    private final ByteBuffer buf; // exactly this batch, position 0
    private final int maxDecompressedBytes;
    private ByteBuffer section; // decompressed records section, once decompressed
    private List<Record> records;

    RecordBatch(ByteBuffer batch, int maxDecompressedBytes) {
        this.buf = batch;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    public long baseOffset() {
        return buf.getLong(BASE_OFFSET_OFFSET);
    }

    /** The whole batch's size in bytes, including the 12 bytes of base offset and length. */
    public int sizeInBytes() {
        return buf.limit();
    }

    public int partitionLeaderEpoch() {
        return buf.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buf.get(MAGIC_OFFSET);
    }

    /** The stored CRC32C (unsigned). */
    public long checksum() {
        return buf.getInt(CRC_OFFSET) & 0xffffffffL;
    }

    public short attributes() {
        return buf.getShort(ATTRIBUTES_OFFSET);
    }

    public Compression compression() {
        return Compression.forId(attributes() & COMPRESSION_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    /** Whether this batch holds control records (transaction markers), which applications normally skip. */
    public boolean isControlBatch() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    /** Whether the base timestamp holds a delete horizon (set by log compaction). */
    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buf.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch: where the next fetch continues. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buf.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buf.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buf.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buf.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buf.getInt(BASE_SEQUENCE_OFFSET);
    }

    /** The declared number of records. */
    public int recordCount() {
        return buf.getInt(RECORDS_COUNT_OFFSET);
    }

    /** The raw bytes of this batch (a read-only view). */
    public ByteBuffer buffer() {
        return buf.asReadOnlyBuffer();
    }

    /**
     * A cursor over the records that allocates nothing per record: the fastest way to read a batch. Each call starts
     * again from the first record.
     *
     * @throws CorruptRecordException if the records section does not decompress, decompresses past the reader's
     *         limit, or is too short for the declared record count; later malformed records fail at
     *         {@link RecordCursor#next()}
     * @throws KwireException if the batch's codec library is not on the classpath
     */
    public RecordCursor cursor() {
        return new RecordCursor(this, section());
    }

    /**
     * The records one by one, decoded as the iteration reaches them (nothing is decoded up front, nothing is kept);
     * each {@link Record} stays valid after the iteration moves on. The batch can be iterated any number of times;
     * a compressed batch is decompressed only once. Throws as {@link #cursor()} and {@link RecordCursor#next()} do.
     */
    @Override
    public Iterator<Record> iterator() {
        RecordCursor cursor = cursor();
        return new Iterator<>() {
            private boolean advanced;
            private boolean more;

            @Override
            public boolean hasNext() {
                if (!advanced) {
                    more = cursor.next();
                    advanced = true;
                }
                return more;
            }

            @Override
            public Record next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                advanced = false;
                return cursor.toRecord();
            }
        };
    }

    /**
     * All records as a list, decoded on first call (then cached). Iterating the batch, or a {@link #cursor()},
     * avoids holding them all at once.
     *
     * @throws CorruptRecordException if the records section does not match the header or does not decompress,
     *         or decompresses past the reader's limit
     * @throws KwireException if the batch's codec library is not on the classpath
     */
    public List<Record> records() {
        List<Record> r = records;
        if (r == null) {
            RecordCursor cursor = cursor();
            List<Record> out = new ArrayList<>(recordCount());
            while (cursor.next()) {
                out.add(cursor.toRecord());
            }
            r = Collections.unmodifiableList(out);
            records = r;
        }
        return r;
    }

    /** The records section, position 0: a view of this batch, or its decompressed bytes (decompressed once). */
    private ByteBuffer section() {
        ByteBuffer s = section;
        if (s == null) {
            s = buf.slice(HEADER_SIZE, buf.limit() - HEADER_SIZE);
            Compression compression = compression();
            if (compression != Compression.NONE) {
                s = decompress(compression, s);
                section = s; // uncompressed sections are cheap views: not kept
            }
        }
        return s;
    }

    private ByteBuffer decompress(Compression compression, ByteBuffer section) {
        Codec codec = compression.codec(); // KwireException if the library is absent: not a corrupt batch
        int initial = (int) Math.min(maxDecompressedBytes, Math.max(1024L, section.remaining() * 4L));
        GrowableBuffer out = new GrowableBuffer(initial, maxDecompressedBytes);
        try {
            codec.decompress(section, out);
        } catch (GrowableBuffer.LimitExceeded e) {
            throw corrupt(compression.configName() + " records section decompresses to more than the limit of "
                    + maxDecompressedBytes + " bytes (raise it with RecordBatchReader's maxDecompressedBytes if the"
                    + " data is legitimate)");
        } catch (IOException | RuntimeException e) {
            throw corrupt(compression.configName() + " records section does not decompress: " + e.getMessage(), e);
        }
        return out.toByteBuffer();
    }

    CorruptRecordException corrupt(String what) {
        return new CorruptRecordException("Corrupt record batch at offset " + baseOffset() + ": " + what);
    }

    private CorruptRecordException corrupt(String what, Throwable cause) {
        return new CorruptRecordException("Corrupt record batch at offset " + baseOffset() + ": " + what, cause);
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", records="
                + recordCount() + ", size=" + sizeInBytes() + ", compression=" + compression() + ", "
                + timestampType() + (isTransactional() ? ", transactional" : "") + (isControlBatch() ? ", control" : "")
                + ")";
    }
}
