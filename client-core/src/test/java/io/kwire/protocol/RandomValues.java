package io.kwire.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random field values for the generated message fillers: biased towards edge values, strings with multi-byte
 * and supplementary characters, byte buffers that are slices at a non-zero offset, and small nested lists.
 */
public final class RandomValues {

    private static final String[] PIECES = {"a", "Z", "0", "-", " ", "é", "ß", "€", "日本", "\uD83D\uDE00",
        "topic", "_", ".", "\u0000"};

    private final Random random;
    private int depth;

    public RandomValues(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** True with the given percentage. */
    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private boolean edge() {
        return random.nextInt(5) == 0;
    }

    public byte int8() {
        return edge() ? pick((byte) 0, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE) : (byte) random.nextInt();
    }

    public short int16() {
        return edge() ? pick((short) 0, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE) : (short) random.nextInt();
    }

    public int uint16() {
        return edge() ? pick(0, 0xffff, 1, 0x8000) : random.nextInt(0x10000);
    }

    public int int32() {
        return edge() ? pick(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE) : random.nextInt();
    }

    public long uint32() {
        return edge() ? pick(0L, 0xffffffffL, 1L, 0x80000000L) : random.nextInt() & 0xffffffffL;
    }

    public long int64() {
        return edge() ? pick(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE) : random.nextLong();
    }

    public double float64() {
        return edge() ? pick(0.0, -0.0, Double.MAX_VALUE, Double.MIN_VALUE) : random.nextDouble() * 1e6 - 5e5;
    }

    public boolean bool() {
        return random.nextBoolean();
    }

    public Uuid uuid() {
        return chance(10) ? Uuid.ZERO : new Uuid(random.nextLong(), random.nextLong());
    }

    public String string() {
        int n = random.nextInt(6);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** A buffer whose content starts at a random offset of a larger array, to exercise position handling. */
    public ByteBuffer bytes() {
        int n = random.nextInt(20);
        int offset = random.nextInt(4);
        byte[] a = new byte[offset + n + random.nextInt(3)];
        random.nextBytes(a);
        return ByteBuffer.wrap(a, offset, n).slice();
    }

    public <T> List<T> list(Supplier<T> element) {
        depth++;
        try {
            int n = random.nextInt(depth > 2 ? 2 : 4);
            List<T> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(element.get());
            }
            return list;
        } finally {
            depth--;
        }
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
