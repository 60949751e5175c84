package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reusable view that steps through the records of one {@link RecordBatch} without allocating: each
 * {@link #next()} decodes the next record's fields in place and the accessors describe that record until the next
 * call. Key, value and header values are made as views (zero-copy for uncompressed batches) only when asked for.
 * Keep a record beyond the step with {@link #toRecord()}; {@link RecordBatch#iterator()} does that for every record.
 *
 * <pre>{@code
 * RecordCursor c = batch.cursor();
 * while (c.next()) {
 *     handle(c.offset(), c.key(), c.value());
 * }
 * }</pre>
 *
 * <p>Every record is checked as it is reached (its length against the bytes left, each field against the record's
 * end, the header structure); the first malformed record, a section shorter than the declared record count or
 * bytes left over after it raise {@link CorruptRecordException} naming the batch and the record. Not thread-safe.
 */
public final class RecordCursor {

    private final RecordBatch batch;
    private final ByteBuffer section; // the records section, position 0
    private final byte[] array;       // section's backing array, or null (direct or read-only buffer)
    private final int arrayBase;
    private final int limit;
    private final int count;
    private final long baseOffset;
    private final long baseTimestamp;
    private final boolean logAppendTime;
    private final long maxTimestamp;

    private int pos;
    private int index;
    private boolean onRecord;

    // the current record
    private long offset;
    private long timestamp;
    private int keyPos;
    private int keySize;
    private int valuePos;
    private int valueSize;
    private int headersPos;
    private int headerCount;
    private int sizeInBytes;

    RecordCursor(RecordBatch batch, ByteBuffer section) {
        this.batch = batch;
        this.section = section;
        this.array = section.hasArray() ? section.array() : null;
        this.arrayBase = array == null ? 0 : section.arrayOffset();
        this.limit = section.limit();
        this.count = batch.recordCount();
        if ((long) count * RecordBatch.MIN_RECORD_SIZE > limit) {
            throw batch.corrupt("declares " + count + " records but its records section has only " + limit
                    + " bytes");
        }
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        this.maxTimestamp = batch.maxTimestamp();
    }

    /**
     * Moves to the next record.
     *
     * @return false once the declared number of records has been read
     * @throws CorruptRecordException if the record is malformed, or (at the end) bytes are left over
     */
    public boolean next() {
        onRecord = false;
        if (index == count) {
            if (pos != limit) {
                throw batch.corrupt((limit - pos) + " bytes left over after the declared " + count + " records");
            }
            return false;
        }
        try {
            readRecord();
        } catch (CorruptRecordException e) {
            throw batch.corrupt("record " + index + ": " + e.getMessage());
        }
        index++;
        onRecord = true;
        return true;
    }

    /** The absolute offset: the batch's base offset plus this record's offset delta. */
    public long offset() {
        check();
        return offset;
    }

    /** As {@link Record#timestamp()}. */
    public long timestamp() {
        check();
        return timestamp;
    }

    /** A fresh view of the key, or null. */
    public ByteBuffer key() {
        check();
        return keySize < 0 ? null : section.slice(keyPos, keySize);
    }

    /** A fresh view of the value, or null (a tombstone). */
    public ByteBuffer value() {
        check();
        return valueSize < 0 ? null : section.slice(valuePos, valueSize);
    }

    /** Key length in bytes, or -1 for a null key. */
    public int keySize() {
        check();
        return keySize;
    }

    /** Value length in bytes, or -1 for a null value. */
    public int valueSize() {
        check();
        return valueSize;
    }

    /** The headers in wire order (a new unmodifiable list each call; empty if none). */
    public List<Header> headers() {
        check();
        return readHeaders(section, headersPos, headerCount);
    }

    /** The encoded size of this record inside the (uncompressed) records section, length prefix included. */
    public int sizeInBytes() {
        check();
        return sizeInBytes;
    }

    /** This record as an object that stays valid after the cursor moves on (its views share the batch's bytes). */
    public Record toRecord() {
        check();
        return new Record(section, offset, timestamp, keyPos, keySize, valuePos, valueSize, headersPos, headerCount,
                sizeInBytes);
    }

    private void check() {
        if (!onRecord) {
            throw new IllegalStateException("No current record: call next() first (and only while it returns true)");
        }
    }

    private void readRecord() {
        int start = pos;
        int length = readVarint(limit);
        if (length < RecordBatch.MIN_RECORD_SIZE - 1 || length > limit - pos) {
            throw new CorruptRecordException("length " + length + " but " + (limit - pos)
                    + " bytes remain in the records section");
        }
        int end = pos + length;
        pos++; // record attributes: unused
        long timestampDelta = readVarlong(end);
        int offsetDelta = readVarint(end);
        keySize = readVarint(end);
        keyPos = skipField(keySize, end, "key");
        valueSize = readVarint(end);
        valuePos = skipField(valueSize, end, "value");
        headerCount = readVarint(end);
        if (headerCount < 0) {
            throw new CorruptRecordException("negative header count " + headerCount);
        }
        if (headerCount > (end - pos) / 2) {
            throw new CorruptRecordException(headerCount + " headers cannot fit in the " + (end - pos)
                    + " bytes left in the record");
        }
        headersPos = pos;
        for (int h = 0; h < headerCount; h++) {
            int keyLength = readVarint(end);
            if (keyLength < 0) {
                throw new CorruptRecordException("header " + h + " has a null or negative key length " + keyLength);
            }
            skipField(keyLength, end, "header key");
            skipField(readVarint(end), end, "header value");
        }
        if (pos != end) {
            throw new CorruptRecordException("length " + length + " but its fields end " + (end - pos)
                    + " bytes earlier");
        }
        offset = baseOffset + offsetDelta;
        timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        sizeInBytes = end - start;
    }

    /** Checks a nullable bytes field of {@code length} (-1: null) and steps over it; returns where it starts. */
    private int skipField(int length, int end, String what) {
        int at = pos;
        if (length < -1) {
            throw new CorruptRecordException("invalid " + what + " length " + length);
        }
        if (length > end - pos) {
            throw new CorruptRecordException(what + " length " + length + " runs past the record's end ("
                    + (end - pos) + " bytes left)");
        }
        if (length > 0) {
            pos += length;
        }
        return at;
    }

    private byte byteAt(int i) {
        return array != null ? array[arrayBase + i] : section.get(i);
    }

    private int readVarint(int end) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= end) {
                throw new CorruptRecordException("a varint runs past the record's end");
            }
            byte b = byteAt(pos++);
            raw |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new CorruptRecordException("malformed varint: more than 5 bytes");
    }

    private long readVarlong(int end) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw new CorruptRecordException("a varlong runs past the record's end");
            }
            byte b = byteAt(pos++);
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new CorruptRecordException("malformed varlong: more than 10 bytes");
    }

    /** Decodes {@code count} headers at {@code pos}, which {@link #next()} has already checked. */
    static List<Header> readHeaders(ByteBuffer section, int pos, int count) {
        if (count == 0) {
            return List.of();
        }
        Header[] hs = new Header[count];
        int[] at = {pos};
        for (int h = 0; h < count; h++) {
            int keyLength = checkedVarint(section, at);
            byte[] key = new byte[keyLength];
            section.get(at[0], key);
            at[0] += keyLength;
            int valueLength = checkedVarint(section, at);
            ByteBuffer value = valueLength < 0 ? null : section.slice(at[0], valueLength);
            at[0] += Math.max(valueLength, 0);
            hs[h] = new Header(new String(key, StandardCharsets.UTF_8), value);
        }
        return List.of(hs);
    }

    /** A varint of a record already checked by {@link #next()}; advances {@code at[0]}. */
    private static int checkedVarint(ByteBuffer section, int[] at) {
        int raw = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = section.get(at[0]++);
            raw |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
    }
}
