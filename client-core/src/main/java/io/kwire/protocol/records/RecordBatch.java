package io.kwire.protocol.records;

import io.kwire.client.KwireException;
import io.kwire.client.ProtocolException;
import io.kwire.protocol.ByteReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One magic v2 record batch, as handed out by {@link RecordBatchReader}: its length, magic and CRC32C have been
 * checked. Header fields are read straight from the bytes; {@link #records()} decompresses (if needed) and decodes
 * the records on first call and caches them, so batches a caller skips (aborted, control) cost nothing more.
 *
 * <p>Layout (big-endian): baseOffset int64 | length int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 | producerId int64 |
 * producerEpoch int16 | baseSequence int32 | recordCount int32 | records. The CRC covers attributes to the end.
 */
public final class RecordBatch {

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
     * The records, decompressed and decoded on first call (then cached).
     *
     * @throws CorruptRecordException if the records section does not match the header or does not decompress,
     *         or decompresses past the reader's limit
     * @throws KwireException if the batch's codec library is not on the classpath
     */
    public List<Record> records() {
        List<Record> r = records;
        if (r == null) {
            r = decode();
            records = r;
        }
        return r;
    }

    private List<Record> decode() {
        ByteBuffer section = buf.slice(HEADER_SIZE, buf.limit() - HEADER_SIZE);
        Compression compression = compression();
        if (compression != Compression.NONE) {
            section = decompress(compression, section);
        }
        int count = recordCount();
        if ((long) count * MIN_RECORD_SIZE > section.remaining()) {
            throw corrupt("declares " + count + " records but its records section has only " + section.remaining()
                    + " bytes");
        }
        long baseOffset = baseOffset();
        boolean logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME;
        long baseTimestamp = baseTimestamp();
        long maxTimestamp = maxTimestamp();
        ByteReader reader = new ByteReader(section);
        List<Record> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                out.add(readRecord(section, reader, baseOffset, logAppendTime, baseTimestamp, maxTimestamp));
            } catch (CorruptRecordException e) {
                throw corrupt("record " + i + ": " + e.getMessage());
            } catch (ProtocolException e) {
                throw corrupt("record " + i + ": " + e.getMessage(), e);
            }
        }
        if (section.hasRemaining()) {
            throw corrupt(section.remaining() + " bytes left over after the declared " + count + " records");
        }
        return Collections.unmodifiableList(out);
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

    private static Record readRecord(ByteBuffer section, ByteReader r, long baseOffset, boolean logAppendTime,
            long baseTimestamp, long maxTimestamp) {
        int lengthStart = section.position();
        int length = r.readVarint();
        if (length < MIN_RECORD_SIZE - 1 || length > section.remaining()) {
            throw new CorruptRecordException("length " + length + " but " + section.remaining()
                    + " bytes remain in the records section");
        }
        int end = section.position() + length;
        int limit = section.limit();
        section.limit(end);
        r.readByte(); // record attributes: unused
        long timestampDelta = r.readVarlong();
        int offsetDelta = r.readVarint();
        ByteBuffer key = readNullable(r, "key");
        ByteBuffer value = readNullable(r, "value");
        int headerCount = r.readVarint();
        if (headerCount < 0) {
            throw new CorruptRecordException("negative header count " + headerCount);
        }
        r.checkArrayLength(headerCount, 2, "headers");
        List<Header> headers;
        if (headerCount == 0) {
            headers = List.of();
        } else {
            Header[] hs = new Header[headerCount];
            for (int h = 0; h < headerCount; h++) {
                int keyLength = r.readVarint();
                if (keyLength < 0) {
                    throw new CorruptRecordException("header " + h + " has a null or negative key length "
                            + keyLength);
                }
                String headerKey = r.readString(keyLength);
                hs[h] = new Header(headerKey, readNullable(r, "header value"));
            }
            headers = List.of(hs);
        }
        if (section.hasRemaining()) {
            throw new CorruptRecordException("length " + length + " but its fields end " + section.remaining()
                    + " bytes earlier");
        }
        section.limit(limit);
        long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        return new Record(baseOffset + offsetDelta, timestamp, key, value, headers, end - lengthStart);
    }

    private static ByteBuffer readNullable(ByteReader r, String what) {
        int length = r.readVarint();
        if (length == -1) {
            return null;
        }
        if (length < -1) {
            throw new CorruptRecordException("invalid " + what + " length " + length);
        }
        return r.readSlice(length);
    }

    private CorruptRecordException corrupt(String what) {
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
