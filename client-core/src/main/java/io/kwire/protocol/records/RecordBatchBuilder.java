package io.kwire.protocol.records;

import io.kwire.protocol.ByteWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Builds one magic v2 record batch, byte for byte as Kafka's {@code MemoryRecordsBuilder} does, ready for the
 * {@code records} field of a Produce request (or to be concatenated with others by {@link Records#concat}).
 *
 * <pre>{@code
 * ByteBuffer batch = new RecordBatchBuilder(Compression.LZ4)
 *         .producerState(producerId, producerEpoch, baseSequence)   // optional: idempotent producer
 *         .append(System.currentTimeMillis(), keyBytes, valueBytes, Header.of("trace", traceBytes))
 *         .append(System.currentTimeMillis(), null, otherValue)
 *         .build();
 * }</pre>
 *
 * <p>Appending only records the record and its exact encoded size (key and value buffers are referenced, not
 * copied: do not change them before {@link #build()}). {@code build()} then allocates the uncompressed batch at its
 * exact size, or for a compressed batch the records section at its exact size plus a growing output for the
 * compressed form. The base timestamp is the first record's timestamp, the max timestamp the largest one (or the
 * log append time for {@link TimestampType#LOG_APPEND_TIME}); offsets are the base offset plus 0, 1, 2, ... unless
 * given with {@link #appendWithOffset}. Building with no records gives an empty buffer, as Kafka does. Not
 * thread-safe; a builder can be built more than once (each build re-encodes).
 */
public final class RecordBatchBuilder {

    private final Compression compression;
    private int compressionLevel;
    private long baseOffset;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;

    private final List<Pending> records = new ArrayList<>();
    private long baseTimestamp;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private long lastOffset = -1;
    private long recordsSize;

    /** One appended record and its encoded body size (without the length varint). */
    private static final class Pending {
        final int offsetDelta;
        final long timestamp;
        final ByteBuffer key;
        final ByteBuffer value;
        final Header[] headers;
        final int bodySize;

        Pending(int offsetDelta, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers, int bodySize) {
            this.offsetDelta = offsetDelta;
            this.timestamp = timestamp;
            this.key = key;
            this.value = value;
            this.headers = headers;
            this.bodySize = bodySize;
        }
    }

    public RecordBatchBuilder() {
        this(Compression.NONE);
    }

    /**
     * @throws io.kwire.client.KwireException if the codec's optional library is not on the classpath (checked
     *         here, so a misconfigured producer fails before it has accepted any record)
     */
    public RecordBatchBuilder(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        if (compression != Compression.NONE) {
            compression.codec();
        }
        this.compressionLevel = compression.defaultLevel();
    }

    /**
     * The codec's level, as Kafka's {@code compression.gzip.level}, {@code compression.lz4.level} and
     * {@code compression.zstd.level}; defaults to Kafka's default for the codec.
     */
    public RecordBatchBuilder compressionLevel(int level) {
        this.compressionLevel = compression.checkLevel(level);
        return this;
    }

    public Compression compression() {
        return compression;
    }

    /** The offset of the first record; producers leave it 0 (the broker assigns offsets). */
    public RecordBatchBuilder baseOffset(long baseOffset) {
        ensureEmpty("baseOffset");
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    public RecordBatchBuilder timestampType(TimestampType timestampType) {
        this.timestampType = Objects.requireNonNull(timestampType, "timestampType");
        return this;
    }

    /** Sets {@link TimestampType#LOG_APPEND_TIME} with this time as the batch's max timestamp. */
    public RecordBatchBuilder logAppendTime(long logAppendTime) {
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = logAppendTime;
        return this;
    }

    /** Producer id, epoch and the first record's sequence number, for idempotent/transactional producers. */
    public RecordBatchBuilder producerState(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    /** Marks the batch as holding control records (the caller supplies their key and value). */
    public RecordBatchBuilder controlBatch(boolean control) {
        this.control = control;
        return this;
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, Header... headers) {
        return append(timestamp, wrap(key), wrap(value), headers);
    }

    /** Appends a record with the next offset; key, value and headers may be null (no headers). */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, Header... headers) {
        return appendWithOffset(lastOffset < 0 ? baseOffset : lastOffset + 1, timestamp, key, value, headers);
    }

    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        return append(timestamp, key, value, headers == null ? null : headers.toArray(new Header[0]));
    }

    /**
     * Appends a record at an explicit offset, which must be above the previous record's and at or after the base
     * offset (within {@code Integer.MAX_VALUE} of it).
     */
    public RecordBatchBuilder appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value,
            Header... headers) {
        if (offset < baseOffset || offset <= lastOffset || offset - baseOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " must be above the last offset " + lastOffset
                    + ", at or above the base offset " + baseOffset + " and within an int of it");
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("Invalid negative timestamp " + timestamp);
        }
        Header[] hs = headers == null ? new Header[0] : headers.clone();
        for (Header h : hs) {
            Objects.requireNonNull(h, "header");
        }
        if (records.isEmpty()) {
            baseTimestamp = timestamp;
        }
        int offsetDelta = (int) (offset - baseOffset);
        long timestampDelta = timestamp - baseTimestamp;
        int body = bodySize(offsetDelta, timestampDelta, key, value, hs);
        records.add(new Pending(offsetDelta, timestamp, slice(key), slice(value), hs, body));
        recordsSize += ByteWriter.varintSize(body) + body;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        lastOffset = offset;
        return this;
    }

    public int recordCount() {
        return records.size();
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** The batch's size uncompressed: exact for {@link Compression#NONE}, an upper estimate otherwise. */
    public int estimatedSizeInBytes() {
        return records.isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, RecordBatch.HEADER_SIZE + recordsSize);
    }

    /** What {@link #estimatedSizeInBytes()} would become after appending this record (for batch-full checks). */
    public int estimatedSizeAfterAppend(long timestamp, ByteBuffer key, ByteBuffer value, Header... headers) {
        long base = records.isEmpty() ? timestamp : baseTimestamp;
        int delta = records.isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, lastOffset + 1 - baseOffset);
        int body = bodySize(delta, timestamp - base, key, value, headers == null ? new Header[0] : headers);
        long size = RecordBatch.HEADER_SIZE + recordsSize + ByteWriter.varintSize(body) + body;
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** Encodes the batch: a heap buffer, position 0, limit = batch size (empty if no records were appended). */
    public ByteBuffer build() {
        if (records.isEmpty()) {
            return ByteBuffer.allocate(0);
        }
        if (RecordBatch.HEADER_SIZE + recordsSize > GrowableBuffer.MAX_ARRAY) {
            throw new IllegalStateException("Record batch too large: " + (RecordBatch.HEADER_SIZE + recordsSize));
        }
        int sectionSize = (int) recordsSize;
        ByteBuffer out;
        if (compression == Compression.NONE) {
            out = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + sectionSize);
            out.position(RecordBatch.HEADER_SIZE);
            writeRecords(new ByteWriter(out));
        } else {
            Codec codec = compression.codec();
            ByteBuffer section = ByteBuffer.allocate(sectionSize);
            writeRecords(new ByteWriter(section));
            GrowableBuffer compressed = new GrowableBuffer(RecordBatch.HEADER_SIZE + sectionSize / 2 + 64,
                    GrowableBuffer.MAX_ARRAY);
            compressed.advance(RecordBatch.HEADER_SIZE);
            try {
                codec.compress(section.array(), 0, sectionSize, compressionLevel, compressed);
            } catch (IOException e) {
                throw new UncheckedIOException("Compressing a record batch with " + compression + " failed", e);
            }
            out = compressed.toByteBuffer();
        }
        writeHeader(out);
        out.position(0);
        return out;
    }

    private void writeRecords(ByteWriter w) {
        for (Pending p : records) {
            w.writeVarint(p.bodySize);
            w.writeByte((byte) 0); // record attributes: unused
            w.writeVarlong(p.timestamp - baseTimestamp);
            w.writeVarint(p.offsetDelta);
            writeNullable(w, p.key);
            writeNullable(w, p.value);
            w.writeVarint(p.headers.length);
            for (Header h : p.headers) {
                w.writeVarint(ByteWriter.utf8Length(h.key()));
                w.writeUtf8(h.key());
                writeNullable(w, h.rawValue());
            }
        }
    }

    private void writeHeader(ByteBuffer out) {
        int size = out.limit();
        int attributes = compression.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= RecordBatch.TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= RecordBatch.TRANSACTIONAL_MASK;
        }
        if (control) {
            attributes |= RecordBatch.CONTROL_MASK;
        }
        out.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        out.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        out.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        out.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        out.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, (int) (lastOffset - baseOffset));
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
                timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        out.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        out.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RecordBatch.RECORDS_COUNT_OFFSET, records.size());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + RecordBatch.ATTRIBUTES_OFFSET, size - RecordBatch.ATTRIBUTES_OFFSET);
        out.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    }

    private static void writeNullable(ByteWriter w, ByteBuffer b) {
        if (b == null) {
            w.writeVarint(-1);
        } else {
            w.writeVarint(b.remaining());
            w.writeBytes(b);
        }
    }

    private static int bodySize(int offsetDelta, long timestampDelta, ByteBuffer key, ByteBuffer value,
            Header[] headers) {
        long size = 1 + ByteWriter.varlongSize(timestampDelta) + ByteWriter.varintSize(offsetDelta)
                + nullableSize(key) + nullableSize(value) + ByteWriter.varintSize(headers.length);
        for (Header h : headers) {
            int keyLength = ByteWriter.utf8Length(h.key());
            size += ByteWriter.varintSize(keyLength) + keyLength + nullableSize(h.rawValue());
        }
        if (size > GrowableBuffer.MAX_ARRAY) {
            throw new IllegalArgumentException("Record too large: " + size + " bytes");
        }
        return (int) size;
    }

    private static long nullableSize(ByteBuffer b) {
        return b == null ? 1 : ByteWriter.varintSize(b.remaining()) + (long) b.remaining();
    }

    private static ByteBuffer wrap(byte[] b) {
        return b == null ? null : ByteBuffer.wrap(b);
    }

    private static ByteBuffer slice(ByteBuffer b) {
        return b == null ? null : b.slice();
    }

    private void ensureEmpty(String what) {
        if (!records.isEmpty()) {
            throw new IllegalStateException(what + " must be set before the first record is appended");
        }
    }
}
