package io.kwire.protocol;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.UnaryOperator;

/**
 * The base of the immutable lists decoding hands out ({@link ReadOnlyList}, {@link IntList}): a {@code List}
 * from {@code get} and {@code size}, every mutator throwing {@link UnsupportedOperationException}. Not
 * {@code AbstractList}, whose {@code modCount} field would cost most decoded lists 8 bytes (a decoded Metadata
 * response holds one per topic and one or two per partition) for change detection an immutable list never needs.
 *
 * @param <E> the element type
 */
abstract class FixedList<E> extends AbstractCollection<E> implements List<E>, RandomAccess {

    FixedList() {
    }

    static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("A decoded list is immutable: set a new list instead");
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        for (int i = 0, n = size(); i < n; i++) {
            if (Objects.equals(o, get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        for (int i = size() - 1; i >= 0; i--) {
            if (Objects.equals(o, get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Iterator<E> iterator() {
        return listIterator(0);
    }

    @Override
    public ListIterator<E> listIterator() {
        return listIterator(0);
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        if (index < 0 || index > size()) {
            throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size());
        }
        return new Reader(index);
    }

    /** An immutable copy of the range: indistinguishable from a view, as neither side can change. */
    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        @SuppressWarnings("unchecked")
        E[] all = (E[]) toArray();
        return Collections.unmodifiableList(Arrays.asList(all).subList(fromIndex, toIndex));
    }

    @Override
    public E set(int index, E element) {
        throw immutable();
    }

    @Override
    public void add(int index, E element) {
        throw immutable();
    }

    @Override
    public E remove(int index) {
        throw immutable();
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        throw immutable();
    }

    @Override
    public boolean add(E e) {
        throw immutable();
    }

    @Override
    public void sort(Comparator<? super E> c) {
        throw immutable();
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        throw immutable();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof List)) {
            return false;
        }
        List<?> other = (List<?>) o;
        int n = size();
        if (other.size() != n) {
            return false;
        }
        Iterator<?> it = other.iterator();
        for (int i = 0; i < n; i++) {
            if (!it.hasNext() || !Objects.equals(get(i), it.next())) {
                return false;
            }
        }
        return !it.hasNext();
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0, n = size(); i < n; i++) {
            h = 31 * h + Objects.hashCode(get(i));
        }
        return h;
    }

    /** A read-only list iterator over {@code get}. */
    private final class Reader implements ListIterator<E> {

        private int next;

        Reader(int next) {
            this.next = next;
        }

        @Override
        public boolean hasNext() {
            return next < size();
        }

        @Override
        public E next() {
            if (next >= size()) {
                throw new NoSuchElementException();
            }
            return get(next++);
        }

        @Override
        public boolean hasPrevious() {
            return next > 0;
        }

        @Override
        public E previous() {
            if (next <= 0) {
                throw new NoSuchElementException();
            }
            return get(--next);
        }

        @Override
        public int nextIndex() {
            return next;
        }

        @Override
        public int previousIndex() {
            return next - 1;
        }

        @Override
        public void remove() {
            throw immutable();
        }

        @Override
        public void set(E e) {
            throw immutable();
        }

        @Override
        public void add(E e) {
            throw immutable();
        }
    }
}
