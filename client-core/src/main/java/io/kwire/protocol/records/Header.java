package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A record header: a non-null string key and a nullable byte value. On the read side the value is a slice of
 * the fetched (or decompressed) buffer; {@link #value()} returns a fresh view each call so callers may move its
 * position freely.
 */
public final class Header {

    /** No headers: shared, never written to. */
    static final Header[] NONE = new Header[0];

    private final String key;
    private final ByteBuffer value;

    public Header(String key, ByteBuffer value) {
        this.key = Objects.requireNonNull(key, "header key");
        this.value = value;
    }

    public static Header of(String key, byte[] value) {
        return new Header(key, value == null ? null : ByteBuffer.wrap(value));
    }

    public static Header of(String key, String utf8Value) {
        return of(key, utf8Value == null ? null : utf8Value.getBytes(StandardCharsets.UTF_8));
    }

    public String key() {
        return key;
    }

    /** The value as a read view (position 0 of the value), or null. */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /** A copy of the value bytes, or null. */
    public byte[] valueBytes() {
        return RecordBytes.copy(value);
    }

    /** Number of value bytes, or -1 for a null value. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    ByteBuffer rawValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Objects.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(" + key + ", " + (value == null ? "null" : value.remaining() + " bytes") + ")";
    }
}
