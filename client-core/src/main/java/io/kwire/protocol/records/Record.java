package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record read from a batch. Key, value and header values are views of the fetched buffer (uncompressed
 * batches: zero-copy) or of the batch's decompressed bytes; each accessor returns a fresh view, so callers may
 * move its position. The views stay valid as long as the caller does not overwrite the fetched buffer.
 */
public final class Record {

    private final long offset;
    private final long timestamp;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final List<Header> headers;
    private final int sizeInBytes;

    Record(long offset, long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers, int sizeInBytes) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = headers;
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
        return key == null ? null : key.duplicate();
    }

    /** The value, or null (a tombstone). */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    public boolean hasKey() {
        return key != null;
    }

    public boolean hasValue() {
        return value != null;
    }

    /** Key length in bytes, or -1 for a null key. */
    public int keySize() {
        return key == null ? -1 : key.remaining();
    }

    /** Value length in bytes, or -1 for a null value. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    /** A copy of the key bytes, or null. */
    public byte[] keyBytes() {
        return RecordBytes.copy(key);
    }

    /** A copy of the value bytes, or null. */
    public byte[] valueBytes() {
        return RecordBytes.copy(value);
    }

    /** The headers in wire order (unmodifiable; empty if none). */
    public List<Header> headers() {
        return headers;
    }

    /** The encoded size of this record inside the (uncompressed) records section, length prefix included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + keySize() + " bytes, value="
                + valueSize() + " bytes, headers=" + headers.size() + ")";
    }
}
