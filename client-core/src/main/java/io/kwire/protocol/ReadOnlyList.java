package io.kwire.protocol;

import java.util.List;

/**
 * An immutable list over an array it owns: how decoded messages hold their non-empty arrays of structs, strings
 * and other non-int32 values (empty ones are {@link List#of()}, {@code []int32} ones {@link IntList}s). 8 bytes
 * smaller than an {@code ArrayList} of the same array, and read-only, so a decoded message cannot be changed
 * through its lists by accident: to change one, set a new list. Every mutator throws
 * {@link UnsupportedOperationException}; the elements themselves (generated structs) stay mutable.
 *
 * @param <E> the element type
 */
public final class ReadOnlyList<E> extends FixedList<E> {

    private static final Object[] NO_ELEMENTS = {};

    private final Object[] elements;

    private ReadOnlyList(Object[] elements) {
        this.elements = elements;
    }

    /** An array for {@code n} elements, to fill and {@link #wrap}; a shared one when {@code n} is 0. */
    public static Object[] newArray(int n) {
        return n == 0 ? NO_ELEMENTS : new Object[n];
    }

    /**
     * A list over {@code elements}, which the caller hands over and must not change afterwards; for the generated
     * decoders, which fill the array with values of type {@code E}.
     */
    public static <E> List<E> wrap(Object[] elements) {
        return elements.length == 0 ? List.of() : new ReadOnlyList<>(elements);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        return (E) elements[index];
    }

    @Override
    public int size() {
        return elements.length;
    }
}
