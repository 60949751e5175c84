package io.kwire.protocol;

/**
 * A Kafka protocol structure that knows how to size, write and read itself at a given version. Implemented by
 * the generated message classes and their nested structs.
 *
 * <p>Writing is two-pass and allocation-free: {@link #size(short)} first, so the caller can allocate one buffer
 * of the exact size, then {@link #write(ByteWriter, short)}. Instances are mutable and not thread-safe.
 */
public interface Message {

    /** The exact number of bytes {@link #write(ByteWriter, short)} will produce at this version. */
    int size(short version);

    /** Writes this message at the version; fails with {@code UnsupportedVersionException} if a set field does not exist there. */
    void write(ByteWriter out, short version);

    /** Replaces this message's content with what {@code in} holds at the version. */
    void read(ByteReader in, short version);

    /**
     * How many bytes of this message's {@code bytes}/{@code records} fields of at least {@code threshold} bytes a
     * splicing {@link ByteWriter} puts into the frame by reference rather than copying them; 0 for messages without
     * such fields.
     */
    default int splicedSize(short version, int threshold) {
        return 0;
    }

    short lowestSupportedVersion();

    short highestSupportedVersion();
}
