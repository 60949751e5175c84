package io.kwire.protocol.records;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few byte arrays that {@link RecordBatchBuilder}s encode into and hand back at {@code build()}, so that in steady
 * state building a batch allocates only the batch itself (as kafka-clients' producer recycles its batch buffers
 * through {@code BufferPool}). At most {@value #SLOTS} arrays of at most {@value #MAX_POOLED_BYTES} bytes each are
 * kept, the largest ones offered: a builder takes the largest free array, so that small batches do not make big
 * ones grow again. A builder that finds none allocates. Thread-safe and lock-free (compare-and-set per slot).
 */
final class ScratchPool {

    static final int SLOTS = 4;
    static final int MAX_POOLED_BYTES = 1024 * 1024;

    private static final AtomicReferenceArray<byte[]> POOL = new AtomicReferenceArray<>(SLOTS);

    private ScratchPool() {
    }

    /** The largest free pooled array, or null if there is none (the caller allocates). */
    static byte[] take() {
        while (true) {
            int best = -1;
            byte[] largest = null;
            for (int i = 0; i < SLOTS; i++) {
                byte[] b = POOL.get(i);
                if (b != null && (largest == null || b.length > largest.length)) {
                    best = i;
                    largest = b;
                }
            }
            if (largest == null || POOL.compareAndSet(best, largest, null)) {
                return largest;
            }
        }
    }

    /**
     * Offers an array the caller will never touch again: kept in a free slot, or in place of a smaller array, if it
     * is at most {@value #MAX_POOLED_BYTES} bytes.
     */
    static void give(byte[] b) {
        if (b.length > MAX_POOLED_BYTES) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (POOL.get(i) == null && POOL.compareAndSet(i, null, b)) {
                return;
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            byte[] held = POOL.get(i);
            if (held != null && held.length < b.length && POOL.compareAndSet(i, held, b)) {
                return;
            }
        }
    }
}
