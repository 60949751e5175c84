package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record read from a batch, as {@link RecordBatch#iterator()} and {@link RecordBatch#records()} hand it out (or
 * {@link RecordCursor#toRecord()} keeps it). It holds only the positions of its fields: key, value and header values
 * are views of the fetched buffer (uncompressed batches: zero-copy) or of the batch's decompressed bytes, made on
 * each call, so callers may move their positions. The views stay valid as long as the caller does not overwrite the
 * fetched buffer. Immutable; the header list is decoded on first use.
 */
public final class Record {

    private final ByteBuffer section;
    private final long offset;
    private final long timestamp;
    private final int keyPos;
    private final int keySize;
    private final int valuePos;
    private final int valueSize;
    private final int headersPos;
    private final int headerCount;
    private final int sizeInBytes;
    private List<Header> headers;

    Record(ByteBuffer section, long offset, long timestamp, int keyPos, int keySize, int valuePos, int valueSize,
            int headersPos, int headerCount, int sizeInBytes) {
        this.section = section;
        this.offset = offset;
        this.timestamp = timestamp;
        this.keyPos = keyPos;
        this.keySize = keySize;
        this.valuePos = valuePos;
        this.valueSize = valueSize;
        this.headersPos = headersPos;
        this.headerCount = headerCount;
        this.sizeInBytes = sizeInBytes;
    }

    /** The absolute offset: the batch's base offset plus this record's offset delta. */
    public long offset() {
        return offset;
    }

    /**
     * The timestamp: base timestamp plus delta for {@link TimestampType#CREATE_TIME} batches, the batch's max
     * timestamp for {@link TimestampType#LOG_APPEND_TIME} batches; -1 if the producer set none.
     */
    public long timestamp() {
        return timestamp;
    }

    /** The key, or null. */
    public ByteBuffer key() {
        return keySize < 0 ? null : section.slice(keyPos, keySize);
    }

    /** The value, or null (a tombstone). */
    public ByteBuffer value() {
        return valueSize < 0 ? null : section.slice(valuePos, valueSize);
    }

    public boolean hasKey() {
        return keySize >= 0;
    }

    public boolean hasValue() {
        return valueSize >= 0;
    }

    /** Key length in bytes, or -1 for a null key. */
    public int keySize() {
        return keySize;
    }

    /** Value length in bytes, or -1 for a null value. */
    public int valueSize() {
        return valueSize;
    }

    /** A copy of the key bytes, or null. */
    public byte[] keyBytes() {
        return RecordBytes.copy(key());
    }

    /** A copy of the value bytes, or null. */
    public byte[] valueBytes() {
        return RecordBytes.copy(value());
    }

    /** The headers in wire order (unmodifiable; empty if none). */
    public List<Header> headers() {
        List<Header> h = headers;
        if (h == null) {
            h = RecordCursor.readHeaders(section, headersPos, headerCount);
            headers = h;
        }
        return h;
    }

    /** The encoded size of this record inside the (uncompressed) records section, length prefix included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + keySize + " bytes, value="
                + valueSize + " bytes, headers=" + headerCount + ")";
    }
}
