package io.kwire.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable {@code List<Integer>} of primitive ints: how decoded messages hold their {@code []int32} fields
 * (replica and ISR broker ids, partition indexes). {@link #getInt(int)}, {@link #containsInt(int)} and
 * {@link #toIntArray()} read it without boxing; as a {@code List} it compares equal to any list with the same
 * values, and every mutator throws {@link UnsupportedOperationException}.
 *
 * <p>Why not {@code ArrayList<Integer>}: a list of three broker ids takes 56 bytes there (list and
 * {@code Object[]}, more once ids above 127 box to fresh {@code Integer}s); here up to three values sit in the
 * list object itself (32 bytes) and longer lists in one {@code int[]} (16 bytes and the array). The two forms
 * are the permitted subclasses; callers see only this type. Immutable, so safe to share between threads and
 * between messages.
 */
public abstract sealed class IntList extends FixedList<Integer>
        permits IntList.Small, IntList.Packed {

    /** The empty list; decoding an empty {@code []int32} gives this one. */
    public static final IntList EMPTY = new Small(0, 0, 0, 0);

    IntList() {
    }

    /** A list of the given values (copied). */
    public static IntList of(int... values) {
        switch (values.length) {
            case 0: return EMPTY;
            case 1: return new Small(1, values[0], 0, 0);
            case 2: return new Small(2, values[0], values[1], 0);
            case 3: return new Small(3, values[0], values[1], values[2]);
            default: return new Packed(values.clone());
        }
    }

    /**
     * Reads {@code n} int32 values; for the generated decoders, which have checked that the bytes are there.
     * When the values equal those of {@code same} (an earlier {@code []int32} field of the same struct, or null),
     * returns {@code same}: a partition's ISR is usually its replica list, and the two then share one list.
     */
    public static IntList read(ByteReader in, int n, List<Integer> same) {
        if (n == 0) {
            return EMPTY;
        }
        if (n > 3) {
            Packed read = new Packed(in.readInts(n));
            return same instanceof IntList && read.equals(same) ? (IntList) same : read;
        }
        // Compared before anything is allocated: the common shared ISR costs no object at all.
        int v0;
        int v1;
        int v2;
        int p = in.take(4 * n); // one bounds check for the values
        if (p >= 0) {
            v0 = in.intAt(p);
            v1 = n > 1 ? in.intAt(p + 4) : 0;
            v2 = n > 2 ? in.intAt(p + 8) : 0;
        } else {
            v0 = in.readInt();
            v1 = n > 1 ? in.readInt() : 0;
            v2 = n > 2 ? in.readInt() : 0;
        }
        if (same instanceof Small && ((Small) same).holds(n, v0, v1, v2)) {
            return (Small) same;
        }
        return shared(in, n, v0, v1, v2);
    }

    /**
     * An equal list this reader decoded lately, or a new one it remembers: replica lists repeat across the
     * partitions of a cluster (a handful of orderings of its brokers) and across responses, and immutable lists
     * can be shared. Four slots, compared without hashing.
     */
    private static Small shared(ByteReader in, int n, int v0, int v1, int v2) {
        Small[] recent = in.recentSmallLists();
        for (Small s : recent) {
            if (s != null && s.holds(n, v0, v1, v2)) {
                return s;
            }
        }
        Small made = new Small(n, v0, v1, v2);
        recent[in.nextRecentSlot()] = made;
        return made;
    }

    /** The value at {@code index}, without boxing. */
    public abstract int getInt(int index);

    /** A new array holding the values. */
    public int[] toIntArray() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getInt(i);
        }
        return out;
    }

    public boolean containsInt(int value) {
        return indexOfInt(value) >= 0;
    }

    public int indexOfInt(int value) {
        for (int i = 0, n = size(); i < n; i++) {
            if (getInt(i) == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Integer get(int index) {
        return getInt(index);
    }

    @Override
    public int indexOf(Object o) {
        return o instanceof Integer ? indexOfInt((Integer) o) : -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        if (o instanceof Integer) {
            int v = (Integer) o;
            for (int i = size() - 1; i >= 0; i--) {
                if (getInt(i) == v) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    private boolean sameInts(IntList other) {
        int n = size();
        if (other.size() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (getInt(i) != other.getInt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof IntList) {
            return sameInts((IntList) o);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0, n = size(); i < n; i++) {
            h = 31 * h + getInt(i); // Integer.hashCode(v) == v: the same as List.hashCode()
        }
        return h;
    }

    /** Up to three values held in fields: no array. */
    static final class Small extends IntList {

        private final int size;
        private final int v0;
        private final int v1;
        private final int v2;

        Small(int size, int v0, int v1, int v2) {
            this.size = size;
            this.v0 = v0;
            this.v1 = v1;
            this.v2 = v2;
        }

        boolean holds(int n, int w0, int w1, int w2) {
            return size == n && v0 == w0 && v1 == w1 && v2 == w2;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int getInt(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
            }
            return index == 0 ? v0 : index == 1 ? v1 : v2;
        }
    }

    /** Any number of values in an array this list owns. */
    static final class Packed extends IntList {

        private final int[] values;

        Packed(int[] values) {
            this.values = values;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public int getInt(int index) {
            return values[index];
        }

        @Override
        public int[] toIntArray() {
            return values.clone();
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }
}
