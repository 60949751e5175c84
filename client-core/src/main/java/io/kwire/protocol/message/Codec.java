package io.kwire.protocol.message;

import io.kwire.errors.KwireException;
import io.kwire.errors.ProtocolException;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.ByteWriter;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encoding helpers shared by the generated message classes: length-prefixed strings, bytes and arrays in both
 * the classic (int16/int32 lengths, -1 for null) and the compact (unsigned varint length + 1, 0 for null)
 * forms, and the exceptions the generated code throws. Package-private: only the generated classes beside it
 * use it.
 */
final class Codec {

    /** The empty default of {@code bytes} fields. Shared: it has no content to change. */
    static final ByteBuffer EMPTY_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** Kafka strings are at most 32767 bytes of UTF-8, whatever the length prefix. */
    static final int MAX_STRING_BYTES = ByteWriter.MAX_STRING_BYTES;

    private Codec() {
    }

    static int stringSize(String s, boolean compact) {
        if (s == null) {
            return compact ? 1 : 2;
        }
        int n = ByteWriter.utf8Length(s);
        if (n > MAX_STRING_BYTES) {
            throw new KwireException("A string of " + n + " UTF-8 bytes is too long for the Kafka protocol (max "
                    + MAX_STRING_BYTES + ")");
        }
        return compact ? ByteWriter.unsignedVarintSize(n + 1) + n : 2 + n;
    }

    static void writeString(ByteWriter out, String s, boolean compact) {
        if (s == null) {
            if (compact) {
                out.writeUnsignedVarint(0);
            } else {
                out.writeShort((short) -1);
            }
            return;
        }
        // Kafka strings are nearly always ASCII: copy and check in one pass instead of measuring first.
        if (out.tryWriteAsciiString(s, compact)) {
            return;
        }
        int n = ByteWriter.utf8Length(s);
        if (n > MAX_STRING_BYTES) {
            throw new KwireException("A string of " + n + " UTF-8 bytes is too long for the Kafka protocol (max "
                    + MAX_STRING_BYTES + ")");
        }
        if (compact) {
            out.writeUnsignedVarint(n + 1);
        } else {
            out.writeShort((short) n);
        }
        out.writeUtf8(s);
    }

    static String readString(ByteReader in, boolean compact, boolean nullable, String field) {
        int n = compact ? in.readUnsignedVarint() - 1 : in.readShort();
        if (n < 0) {
            if (n == -1 && nullable) {
                return null;
            }
            throw new ProtocolException("Field " + field + " has invalid string length " + n);
        }
        if (n > MAX_STRING_BYTES) {
            throw new ProtocolException("Field " + field + " has string length " + n + ", more than "
                    + MAX_STRING_BYTES);
        }
        return in.readString(n);
    }

    static int bytesSize(ByteBuffer b, boolean compact) {
        if (b == null) {
            return compact ? 1 : 4;
        }
        int n = b.remaining();
        return compact ? ByteWriter.unsignedVarintSize(n + 1) + n : 4 + n;
    }

    static void writeBytes(ByteWriter out, ByteBuffer b, boolean compact) {
        if (b == null) {
            if (compact) {
                out.writeUnsignedVarint(0);
            } else {
                out.writeInt(-1);
            }
            return;
        }
        if (compact) {
            out.writeUnsignedVarint(b.remaining() + 1);
        } else {
            out.writeInt(b.remaining());
        }
        out.writeBytes(b);
    }

    /** A zero-copy slice of the underlying buffer, or null. */
    static ByteBuffer readBytes(ByteReader in, boolean compact, boolean nullable, String field) {
        int n = compact ? in.readUnsignedVarint() - 1 : in.readInt();
        if (n < 0) {
            if (n == -1 && nullable) {
                return null;
            }
            throw new ProtocolException("Field " + field + " has invalid byte length " + n);
        }
        return in.readSlice(n);
    }

    static int arrayLengthSize(List<?> list, boolean compact) {
        if (!compact) {
            return 4;
        }
        return list == null ? 1 : ByteWriter.unsignedVarintSize(list.size() + 1);
    }

    static void writeArrayLength(ByteWriter out, List<?> list, boolean compact) {
        int n = list == null ? -1 : list.size();
        if (compact) {
            out.writeUnsignedVarint(n + 1);
        } else {
            out.writeInt(n);
        }
    }

    /**
     * Reads an array length and checks it against the bytes present before anything is allocated; -1 for a
     * null array.
     */
    static int readArrayLength(ByteReader in, boolean compact, boolean nullable, int minElementSize,
            String field) {
        int n = compact ? in.readUnsignedVarint() - 1 : in.readInt();
        if (n < 0) {
            if (n == -1 && nullable) {
                return -1;
            }
            throw new ProtocolException("Field " + field + " has invalid array length " + n);
        }
        in.checkArrayLength(n, minElementSize, field);
        return n;
    }

    static void checkUint16(int v, String field) {
        if (v < 0 || v > 0xffff) {
            throw new KwireException("Field " + field + " is a uint16 and cannot hold " + v);
        }
    }

    static void checkUint32(long v, String field) {
        if (v < 0 || v > 0xffffffffL) {
            throw new KwireException("Field " + field + " is a uint32 and cannot hold " + v);
        }
    }

    /**
     * Skips {@code count} tagged fields of a struct that knows none at any version: generated decoders call this
     * only for a non-zero count, keeping the loop out of their own, hot, code.
     */
    static void skipTaggedFields(ByteReader in, int count) {
        for (int t = 0; t < count; t++) {
            in.readUnsignedVarint(); // the tag
            in.skip(in.readUnsignedVarint());
        }
    }

    /** Checks that a known tagged field used exactly the bytes its header announced. */
    static void endTaggedField(ByteReader in, int start, int size, String field) {
        int used = in.position() - start;
        if (used != size) {
            throw new ProtocolException("Tagged field " + field + " announced " + size + " bytes but used " + used);
        }
    }

    /** How generated {@code toString()}s print bytes and records: never the content, which may be secret. */
    static String bytesToString(ByteBuffer b) {
        return b == null ? "null" : "bytes[" + b.remaining() + "]";
    }

    static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    static KwireException nullField(String field, short version) {
        return new KwireException("Field " + field + " is null, which version " + version
                + " does not allow");
    }

    static UnsupportedVersionException absentField(String field, short version) {
        return new UnsupportedVersionException("Field " + field + " does not exist at version " + version
                + " and must be left at its default to write that version");
    }

    static UnsupportedVersionException unsupportedVersion(String message, short version) {
        return new UnsupportedVersionException(message + " does not support version " + version);
    }

    static ProtocolException malformed(String message, short version, RuntimeException cause) {
        return new ProtocolException("Malformed " + message + " at version " + version + ": " + cause, cause);
    }
}
