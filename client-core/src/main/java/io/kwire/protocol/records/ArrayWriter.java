package io.kwire.protocol.records;

/**
 * Static writers of Kafka's record fields straight into a byte array: zig-zag varints and varlongs and UTF-8
 * strings. Each returns the position after what it wrote; the caller has made room (record sizes are computed
 * before anything is written). Stateless, so any thread may call them.
 */
final class ArrayWriter {

    private ArrayWriter() {
    }

    static int writeVarint(byte[] a, int pos, int v) {
        int z = (v << 1) ^ (v >> 31);
        while ((z & ~0x7f) != 0) {
            a[pos++] = (byte) ((z & 0x7f) | 0x80);
            z >>>= 7;
        }
        a[pos++] = (byte) z;
        return pos;
    }

    static int writeVarlong(byte[] a, int pos, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7fL) != 0) {
            a[pos++] = (byte) ((z & 0x7f) | 0x80);
            z >>>= 7;
        }
        a[pos++] = (byte) z;
        return pos;
    }

    /**
     * Writes the UTF-8 bytes of {@code s}, {@link io.kwire.protocol.ByteWriter#utf8Length} of them; an unpaired
     * surrogate becomes '?', as {@code String.getBytes(UTF_8)} (what kafka-clients uses) does.
     */
    static int writeUtf8(byte[] a, int pos, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                a[pos++] = (byte) c;
            } else if (c < 0x800) {
                a[pos++] = (byte) (0xc0 | (c >> 6));
                a[pos++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                a[pos++] = (byte) (0xf0 | (cp >> 18));
                a[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                a[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                a[pos++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                a[pos++] = (byte) '?';
            } else {
                a[pos++] = (byte) (0xe0 | (c >> 12));
                a[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                a[pos++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return pos;
    }
}
