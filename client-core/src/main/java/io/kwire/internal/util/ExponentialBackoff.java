package io.kwire.internal.util;

import java.util.function.DoubleSupplier;

/**
 * Back-off that doubles per consecutive failure up to a cap, with a random factor of +/- {@code jitter} applied
 * before the cap (as kafka-python and Apache's client do), so that many clients do not retry in lock step.
 * Immutable and thread-safe; randomness comes from an injected source so tests can fix it.
 */
public final class ExponentialBackoff {

    private final long initialMs;
    private final long maxMs;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param random source of uniform values in [0, 1)
     */
    public ExponentialBackoff(long initialMs, long maxMs, double jitter, DoubleSupplier random) {
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
        this.jitter = jitter;
        this.random = random;
    }

    /** The back-off after {@code failures} consecutive failures (0 failures: no back-off). */
    public long backoffMs(int failures) {
        if (failures <= 0 || initialMs <= 0) {
            return 0;
        }
        double exp = initialMs * Math.pow(2, Math.min(failures - 1, 62));
        double factor = jitter == 0 ? 1.0 : 1.0 + jitter * (2 * random.getAsDouble() - 1);
        return (long) Math.min(maxMs, exp * factor);
    }
}
