package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates over the record batches in a buffer holding zero or more of them, such as the {@code records} field of
 * a Fetch response partition. Each batch is checked before it is handed out: its length against the bytes present,
 * magic 2, the CRC32C over attributes..end, a known compression codec and a non-negative record count. A failing
 * check throws {@link CorruptRecordException} (a {@link io.kwire.errors.ProtocolException}).
 *
 * <p>A partial batch at the end (brokers cut the last batch of a Fetch at the size limit) ends the iteration
 * silently; {@link #trailingBytes()} then says how many bytes were left unread, so a consumer can notice a batch
 * larger than its fetch size.
 *
 * <p>The reader never moves the caller's buffer. Records of uncompressed batches are views of it (zero-copy).
 * Decompressed output is bounded by {@code maxDecompressedBytes} per batch (default
 * {@value #DEFAULT_MAX_DECOMPRESSED_BYTES}), which stops decompression bombs. Not thread-safe.
 *
 * <pre>{@code
 * for (RecordBatch batch : new RecordBatchReader(partition.records())) {
 *     if (batch.isControlBatch()) continue;
 *     for (Record r : batch) { ... r.offset(), r.key(), r.value(), r.headers() ... }
 * }
 * }</pre>
 */
public final class RecordBatchReader implements Iterable<RecordBatch>, Iterator<RecordBatch> {

    /** Default cap on one batch's decompressed records section: 64 MiB. */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

    /** The smallest length field of any message-set entry (magic v0); below it a buffer cannot be framed. */
    private static final int MIN_LEGACY_LENGTH = 14;

    private final ByteBuffer buf;
    private final int maxDecompressedBytes;
    private int pos;
    private RecordBatch next;
    private boolean done;
    private boolean iterated;

    public RecordBatchReader(ByteBuffer records) {
        this(records, DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /**
     * @param records the batches; its remaining bytes are read, its position is not moved; null reads as empty
     * @param maxDecompressedBytes the largest records section a compressed batch may decompress to
     */
    public RecordBatchReader(ByteBuffer records, int maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must be positive: " + maxDecompressedBytes);
        }
        this.buf = records == null ? ByteBuffer.allocate(0) : records.slice();
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** This reader, for use in a for-each loop; it can be iterated once. */
    @Override
    public Iterator<RecordBatch> iterator() {
        if (iterated) {
            throw new IllegalStateException("A RecordBatchReader can be iterated only once");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readNext();
            if (next == null) {
                done = true;
            }
        }
        return next != null;
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordBatch b = next;
        next = null;
        return b;
    }

    /** Bytes after the last complete batch (a partial batch), valid once iteration has finished. */
    public int trailingBytes() {
        return buf.limit() - pos;
    }

    private RecordBatch readNext() {
        int remaining = buf.limit() - pos;
        if (remaining < RecordBatch.LOG_OVERHEAD) {
            return null;
        }
        long baseOffset = buf.getLong(pos + RecordBatch.BASE_OFFSET_OFFSET);
        int length = buf.getInt(pos + RecordBatch.LENGTH_OFFSET);
        if (length < MIN_LEGACY_LENGTH) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " has length " + length
                    + ", less than the minimum of " + MIN_LEGACY_LENGTH);
        }
        if (length > remaining - RecordBatch.LOG_OVERHEAD) {
            return null; // partial trailing batch: the broker cut it at the fetch size
        }
        int size = length + RecordBatch.LOG_OVERHEAD;
        byte magic = buf.get(pos + RecordBatch.MAGIC_OFFSET);
        if (magic != RecordBatch.MAGIC) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " has magic " + magic
                    + "; kwire reads only the magic v2 record batch format (Kafka 0.11+)"
                    + (magic == 0 || magic == 1 ? ", not the legacy v" + magic + " message set" : ""));
        }
        if (size < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " has length " + length
                    + ", less than the v2 header needs (" + (RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) + ")");
        }
        ByteBuffer batch = buf.slice(pos, size);
        int stored = batch.getInt(RecordBatch.CRC_OFFSET);
        int computed = RecordBatch.checksum(batch);
        if (computed != stored) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " is corrupt: stored CRC32C 0x"
                    + Integer.toHexString(stored) + " but computed 0x" + Integer.toHexString(computed));
        }
        int codecId = batch.getShort(RecordBatch.ATTRIBUTES_OFFSET) & RecordBatch.COMPRESSION_MASK;
        if (Compression.forId(codecId) == null) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " uses unknown compression id "
                    + codecId);
        }
        int count = batch.getInt(RecordBatch.RECORDS_COUNT_OFFSET);
        if (count < 0) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " declares a negative record "
                    + "count " + count);
        }
        pos += size;
        return new RecordBatch(batch, maxDecompressedBytes);
    }
}
