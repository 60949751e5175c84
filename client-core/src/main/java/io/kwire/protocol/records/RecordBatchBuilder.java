package io.kwire.protocol.records;

import io.kwire.protocol.ByteWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
 * <p>Each append encodes the record at once (its size is computed first, so every length is written once) into a
 * scratch array that the builder takes from a small shared pool and gives back at {@link #build()}; key, value and
 * header bytes are copied then, so the caller may reuse its arrays and buffers as soon as {@code append} returns.
 * {@code build()} copies an uncompressed batch into a buffer of its exact size, or compresses the records section,
 * then writes the header and CRC: in steady state the batch itself is the only allocation of any size.
 * {@link #buildInto} writes it into the caller's buffer instead (a pooled or a direct one), allocating nothing for an
 * uncompressed batch.
 *
 * <p>The base timestamp is the first record's timestamp, the max timestamp the largest one (or the log append time
 * for {@link TimestampType#LOG_APPEND_TIME}); offsets are the base offset plus 0, 1, 2, ... unless given with
 * {@link #appendWithOffset}. Building with no records gives an empty buffer, as Kafka does. Once built, the batch
 * takes no more records ({@code append} throws {@link IllegalStateException}, as Kafka's builder does once closed);
 * building again gives a copy, with the header rewritten from the current settings (producer state, leader epoch).
 * Not thread-safe: one thread at a time.
 */
public final class RecordBatchBuilder {

    /** First scratch array when the pool has none: big enough for small batches, grows by doubling. */
    private static final int INITIAL_SCRATCH_BYTES = 4096;

    private final Compression compression;
    private int compressionLevel;
    private long baseOffset;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    /** The timestamp-type, transactional and control bits of the batch attributes (the codec bits are added at build). */
    private int flags;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;

    /** Header space then the encoded records; null before the first append and after build(). */
    private byte[] scratch;
    /** Uncompressed batch size so far: header plus records section. */
    private int size = RecordBatch.HEADER_SIZE;
    private int count;
    private long baseTimestamp;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private long lastOffset = -1;
    /**
     * The batch handed out last (by build(), or the part of buildInto's buffer it filled: position 0, limit its
     * size); non-null closes the builder for appends, and a rebuild copies from it. It keeps that buffer reachable for
     * as long as the builder is.
     */
    private ByteBuffer built;

    public RecordBatchBuilder() {
        this(Compression.NONE);
    }

    /**
     * @throws io.kwire.errors.KwireException if the codec's optional library is not on the classpath (checked
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
        return flag(RecordBatch.TIMESTAMP_TYPE_MASK,
                Objects.requireNonNull(timestampType, "timestampType") == TimestampType.LOG_APPEND_TIME);
    }

    /** Sets {@link TimestampType#LOG_APPEND_TIME} with this time as the batch's max timestamp. */
    public RecordBatchBuilder logAppendTime(long logAppendTime) {
        this.logAppendTime = logAppendTime;
        return flag(RecordBatch.TIMESTAMP_TYPE_MASK, true);
    }

    /** Producer id, epoch and the first record's sequence number, for idempotent/transactional producers. */
    public RecordBatchBuilder producerState(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        return flag(RecordBatch.TRANSACTIONAL_MASK, transactional);
    }

    /** Marks the batch as holding control records (the caller supplies their key and value). */
    public RecordBatchBuilder controlBatch(boolean control) {
        return flag(RecordBatch.CONTROL_MASK, control);
    }

    /** Appends a record without headers with the next offset; key and value may be null. */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
        return append(timestamp, key, value, (Header[]) null);
    }

    /** Appends a record with the next offset; key, value and headers may be null (no headers). */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, Header... headers) {
        long offset = nextOffset();
        beginRecord(offset, timestamp, key == null ? -1 : key.length, value == null ? -1 : value.length, headers);
        putField(key);
        putField(value);
        putHeaders(headers);
        return endRecord(offset, timestamp);
    }

    /** Appends a record without headers with the next offset; key and value (their remaining bytes) may be null. */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value) {
        return appendWithOffset(nextOffset(), timestamp, key, value, (Header[]) null);
    }

    /**
     * Appends a record with the next offset; key and value are their remaining bytes (positions are not moved);
     * key, value and headers may be null (no headers).
     */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, Header... headers) {
        return appendWithOffset(nextOffset(), timestamp, key, value, headers);
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
        beginRecord(offset, timestamp, key == null ? -1 : key.remaining(), value == null ? -1 : value.remaining(),
                headers);
        putField(key);
        putField(value);
        putHeaders(headers);
        return endRecord(offset, timestamp);
    }

    public int recordCount() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The batch's size uncompressed: exact for {@link Compression#NONE}, an upper estimate otherwise. */
    public int estimatedSizeInBytes() {
        return count == 0 ? 0 : size;
    }

    /** What {@link #estimatedSizeInBytes()} would become after appending this record (for batch-full checks). */
    public int estimatedSizeAfterAppend(long timestamp, ByteBuffer key, ByteBuffer value, Header... headers) {
        long base = count == 0 ? timestamp : baseTimestamp;
        int delta = count == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, lastOffset + 1 - baseOffset);
        int body = bodySize(delta, timestamp - base, key == null ? -1 : key.remaining(),
                value == null ? -1 : value.remaining(), headers == null ? Header.NONE : headers);
        long after = (long) size + ByteWriter.varintSize(body) + body;
        return (int) Math.min(Integer.MAX_VALUE, after);
    }

    /**
     * The encoded batch: a heap buffer, position 0, limit = batch size (empty if no records were appended); for
     * {@link Compression#NONE} its capacity is exactly the batch size. The first call closes the builder for
     * appends; a later call returns a fresh copy with the header rewritten.
     */
    public ByteBuffer build() {
        if (count == 0) {
            return ByteBuffer.allocate(0);
        }
        ByteBuffer out;
        if (built == null) {
            out = compression == Compression.NONE ? ByteBuffer.wrap(Arrays.copyOf(scratch, size)) : compress();
            releaseScratch();
        } else {
            ByteBuffer last = lastBuilt();
            out = ByteBuffer.allocate(last.remaining()).put(last).flip();
        }
        writeHeader(out);
        built = out.duplicate();
        return out;
    }

    /**
     * Writes the encoded batch into {@code target} at its position and moves the position past it, as {@link #build()}
     * would return it but in the caller's memory: a buffer the application pools, or a direct one, which a connection
     * encrypting with {@link io.kwire.client.TlsEngine#OPENSSL} or sending in plain text hands to the cipher or the
     * socket without copying it first (in plain text a batch of 32 KiB or more; with OpenSSL 16 KiB, a record's worth,
     * at a time); with the JDK's TLS engine the heap suits as well. The batch is in {@code target} until the caller
     * reuses it, which it must not do before the request that carries it has completed. The first call closes the
     * builder for appends, as {@code build()} does; a later call (or a later {@code build()}) writes the batch again
     * with the header rewritten from the current settings, copying it from where it was last written: make it before
     * that memory is reused (a batch whose bytes changed since is refused with an {@link IllegalStateException}, by its
     * CRC). The builder keeps {@code target} reachable.
     *
     * @return the batch: a view of the part of {@code target} it fills, position 0, limit the batch size, big-endian
     *         (empty, and {@code target} untouched, if no records were appended)
     * @throws java.nio.BufferOverflowException if {@code target} has fewer bytes left than the batch needs
     *         ({@link #estimatedSizeInBytes()} without compression); nothing is written, and the builder is as it
     *         was (open for appends if it was), so a call with a larger buffer succeeds
     * @throws java.nio.ReadOnlyBufferException if {@code target} is read-only
     */
    public ByteBuffer buildInto(ByteBuffer target) {
        Objects.requireNonNull(target, "target");
        if (target.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (count == 0) {
            return target.slice(target.position(), 0);
        }
        ByteBuffer batch;
        if (built != null) {
            batch = lastBuilt();
        } else if (compression == Compression.NONE) {
            batch = ByteBuffer.wrap(scratch, 0, size);
        } else {
            batch = compress(); // again on a call after one that overflowed: the builder is as it was then
        }
        int n = batch.remaining();
        if (target.remaining() < n) {
            throw new BufferOverflowException();
        }
        ByteBuffer out = target.slice(target.position(), n).order(ByteOrder.BIG_ENDIAN);
        out.put(0, batch, batch.position(), n);
        target.position(target.position() + n);
        releaseScratch();
        writeHeader(out);
        built = out.duplicate();
        return out;
    }

    /**
     * The batch handed out last (a private view: its holder's position and limit do not matter), checked against the
     * CRC written with it, so that a rebuild never puts a fresh header and CRC on memory its holder has since reused.
     */
    private ByteBuffer lastBuilt() {
        ByteBuffer last = built.duplicate();
        if (last.getInt(RecordBatch.LENGTH_OFFSET) != last.limit() - RecordBatch.LOG_OVERHEAD
                || last.getInt(RecordBatch.CRC_OFFSET) != RecordBatch.checksum(last)) {
            throw new IllegalStateException("The batch built before changed since (its buffer reused?): it cannot be"
                    + " built again; start a new RecordBatchBuilder");
        }
        return last;
    }

    private void releaseScratch() {
        if (scratch != null) {
            ScratchPool.give(scratch);
            scratch = null;
        }
    }

    private ByteBuffer compress() {
        int sectionSize = size - RecordBatch.HEADER_SIZE;
        GrowableBuffer compressed = new GrowableBuffer(RecordBatch.HEADER_SIZE + sectionSize / 2 + 64,
                GrowableBuffer.MAX_ARRAY);
        compressed.advance(RecordBatch.HEADER_SIZE);
        try {
            compression.codec().compress(scratch, RecordBatch.HEADER_SIZE, sectionSize, compressionLevel, compressed);
        } catch (IOException e) {
            throw new UncheckedIOException("Compressing a record batch with " + compression + " failed", e);
        }
        return compressed.toByteBuffer();
    }

    private long nextOffset() {
        return lastOffset < 0 ? baseOffset : lastOffset + 1;
    }

    /**
     * Checks the record, makes room for it and writes its length, attributes, timestamp and offset deltas. Nothing
     * is written if it throws; nothing after it can throw, so a record is either appended whole or not at all.
     */
    private void beginRecord(long offset, long timestamp, int keySize, int valueSize, Header[] headers) {
        if (built != null) {
            throw new IllegalStateException("This batch is already built; start a new RecordBatchBuilder");
        }
        if (offset < baseOffset || offset <= lastOffset || offset - baseOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " must be above the last offset " + lastOffset
                    + ", at or above the base offset " + baseOffset + " and within an int of it");
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("Invalid negative timestamp " + timestamp);
        }
        Header[] hs = headers == null ? Header.NONE : headers;
        for (Header h : hs) {
            Objects.requireNonNull(h, "header");
        }
        int offsetDelta = (int) (offset - baseOffset);
        long timestampDelta = timestamp - (count == 0 ? timestamp : baseTimestamp);
        int body = bodySize(offsetDelta, timestampDelta, keySize, valueSize, hs);
        ensureRoom(ByteWriter.varintSize(body) + body);
        byte[] a = scratch;
        int pos = ArrayWriter.writeVarint(a, size, body);
        a[pos++] = 0; // record attributes: unused
        pos = ArrayWriter.writeVarlong(a, pos, timestampDelta);
        size = ArrayWriter.writeVarint(a, pos, offsetDelta);
    }

    private RecordBatchBuilder endRecord(long offset, long timestamp) {
        if (count == 0) {
            baseTimestamp = timestamp;
        }
        count++;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        lastOffset = offset;
        return this;
    }

    private void putField(byte[] b) {
        if (b == null) {
            size = ArrayWriter.writeVarint(scratch, size, -1);
        } else {
            int pos = ArrayWriter.writeVarint(scratch, size, b.length);
            System.arraycopy(b, 0, scratch, pos, b.length);
            size = pos + b.length;
        }
    }

    private void putField(ByteBuffer b) {
        if (b == null) {
            size = ArrayWriter.writeVarint(scratch, size, -1);
        } else {
            int n = b.remaining();
            int pos = ArrayWriter.writeVarint(scratch, size, n);
            b.get(b.position(), scratch, pos, n); // absolute: the caller's position does not move
            size = pos + n;
        }
    }

    private void putHeaders(Header[] headers) {
        if (headers == null) {
            scratch[size++] = 0; // varint 0
            return;
        }
        size = ArrayWriter.writeVarint(scratch, size, headers.length);
        for (Header h : headers) {
            int pos = ArrayWriter.writeVarint(scratch, size, ByteWriter.utf8Length(h.key()));
            size = ArrayWriter.writeUtf8(scratch, pos, h.key());
            putField(h.rawValue());
        }
    }

    /** Makes room for {@code n} more bytes, taking a pooled array on the first record and doubling after that. */
    private void ensureRoom(int n) {
        long needed = (long) size + n;
        if (needed > GrowableBuffer.MAX_ARRAY) {
            throw new IllegalArgumentException("Record batch too large: a record of " + n + " bytes after "
                    + size + " bytes");
        }
        if (scratch == null) {
            scratch = ScratchPool.take();
            if (scratch == null) {
                scratch = new byte[INITIAL_SCRATCH_BYTES];
            }
        }
        if (needed > scratch.length) {
            // the smaller array is dropped, not pooled: the pool keeps the sizes batches grow to
            scratch = Arrays.copyOf(scratch, (int) Math.min(GrowableBuffer.MAX_ARRAY,
                    Math.max(needed, 2L * scratch.length)));
        }
    }

    private void writeHeader(ByteBuffer out) {
        int batchSize = out.limit();
        int attributes = flags | compression.id();
        boolean logAppend = (flags & RecordBatch.TIMESTAMP_TYPE_MASK) != 0;
        out.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(RecordBatch.LENGTH_OFFSET, batchSize - RecordBatch.LOG_OVERHEAD);
        out.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        out.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        out.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        out.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, (int) (lastOffset - baseOffset));
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
                logAppend ? logAppendTime : maxTimestamp);
        out.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        out.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RecordBatch.RECORDS_COUNT_OFFSET, count);
        out.putInt(RecordBatch.CRC_OFFSET, RecordBatch.checksum(out));
    }

    private static int bodySize(int offsetDelta, long timestampDelta, int keySize, int valueSize, Header[] headers) {
        long size = 1 + ByteWriter.varlongSize(timestampDelta) + ByteWriter.varintSize(offsetDelta)
                + fieldSize(keySize) + fieldSize(valueSize) + ByteWriter.varintSize(headers.length);
        for (Header h : headers) {
            int keyLength = ByteWriter.utf8Length(h.key());
            size += ByteWriter.varintSize(keyLength) + keyLength + fieldSize(h.valueSize());
        }
        if (size > GrowableBuffer.MAX_ARRAY) {
            throw new IllegalArgumentException("Record too large: " + size + " bytes");
        }
        return (int) size;
    }

    /** A nullable bytes field: its length varint (-1 for null) and its bytes. */
    private static long fieldSize(int length) {
        return length < 0 ? 1 : ByteWriter.varintSize(length) + (long) length;
    }

    private RecordBatchBuilder flag(int mask, boolean on) {
        flags = on ? flags | mask : flags & ~mask;
        return this;
    }

    private void ensureEmpty(String what) {
        if (count != 0) {
            throw new IllegalStateException(what + " must be set before the first record is appended");
        }
    }
}
