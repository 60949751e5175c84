package io.kwire.security;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a {@link KerberosLogin} renews its ticket-granting ticket: at {@code windowFactor} (80%) of the ticket's
 * lifetime plus up to {@code jitter} (5%) more, so that many clients started together do not all ask the KDC at the
 * same instant; never sooner than {@code minInterval} after the previous login, so that a KDC handing out very short
 * tickets is not hammered; after a failed renewal, again after a back-off that doubles from {@code retryBackoff} up
 * to {@code retryBackoffMax}.
 *
 * <p>Pure arithmetic on wall-clock milliseconds (Kerberos ticket times are wall-clock times); the jitter comes from
 * an injectable source. Immutable and thread-safe.
 */
public final class KerberosRefreshPolicy {

    private static final KerberosRefreshPolicy DEFAULTS = new KerberosRefreshPolicy(0.80, 0.05,
            Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofMinutes(5), () -> ThreadLocalRandom.current()
            .nextDouble());

    private final double windowFactor;
    private final double jitter;
    private final long minIntervalMs;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final DoubleSupplier random;

    private KerberosRefreshPolicy(double windowFactor, double jitter, Duration minInterval, Duration retryBackoff,
                                  Duration retryBackoffMax, DoubleSupplier random) {
        if (!(windowFactor > 0 && windowFactor + jitter < 1) || jitter < 0) {
            throw new IllegalArgumentException("windowFactor + jitter must be in (0, 1), jitter >= 0; got "
                    + windowFactor + " + " + jitter);
        }
        if (minInterval.isNegative() || retryBackoff.isNegative() || retryBackoff.isZero()
                || retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("minInterval >= 0, 0 < retryBackoff <= retryBackoffMax");
        }
        this.windowFactor = windowFactor;
        this.jitter = jitter;
        this.minIntervalMs = minInterval.toMillis();
        this.retryBackoffMs = retryBackoff.toMillis();
        this.retryBackoffMaxMs = retryBackoffMax.toMillis();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** 80% of the lifetime + up to 5% jitter, at least 1 minute apart, retries from 5 s doubling up to 5 min. */
    public static KerberosRefreshPolicy defaults() {
        return DEFAULTS;
    }

    /** A copy renewing at {@code windowFactor} of the lifetime plus up to {@code jitter} more. */
    public KerberosRefreshPolicy withWindow(double windowFactor, double jitter) {
        return new KerberosRefreshPolicy(windowFactor, jitter, Duration.ofMillis(minIntervalMs),
                Duration.ofMillis(retryBackoffMs), Duration.ofMillis(retryBackoffMaxMs), random);
    }

    /** A copy with another minimum time between two logins. */
    public KerberosRefreshPolicy withMinInterval(Duration minInterval) {
        return new KerberosRefreshPolicy(windowFactor, jitter, minInterval, Duration.ofMillis(retryBackoffMs),
                Duration.ofMillis(retryBackoffMaxMs), random);
    }

    /** A copy with another back-off after failed renewals. */
    public KerberosRefreshPolicy withRetryBackoff(Duration initial, Duration max) {
        return new KerberosRefreshPolicy(windowFactor, jitter, Duration.ofMillis(minIntervalMs), initial, max,
                random);
    }

    /** A copy drawing jitter from {@code random} (values in [0, 1)), for tests. */
    public KerberosRefreshPolicy withRandom(DoubleSupplier random) {
        return new KerberosRefreshPolicy(windowFactor, jitter, Duration.ofMillis(minIntervalMs),
                Duration.ofMillis(retryBackoffMs), Duration.ofMillis(retryBackoffMaxMs), random);
    }

    /**
     * The wall-clock time of the next renewal of a ticket valid from {@code startMs} to {@code endMs}, obtained by
     * the login at {@code lastLoginMs}.
     */
    public long nextRefreshMs(long startMs, long endMs, long lastLoginMs) {
        long lifetime = Math.max(0, endMs - startMs);
        double factor = windowFactor + jitter * random.getAsDouble();
        long at = startMs + (long) (lifetime * factor);
        return Math.max(at, lastLoginMs + minIntervalMs);
    }

    /** The delay before retrying after the {@code failures}-th failed renewal in a row (1 for the first). */
    public long retryDelayMs(int failures) {
        long delay = retryBackoffMs;
        for (int i = 1; i < failures && delay < retryBackoffMaxMs; i++) {
            delay *= 2;
        }
        return Math.min(delay, retryBackoffMaxMs);
    }

    long minIntervalMs() {
        return minIntervalMs;
    }

    @Override
    public String toString() {
        return "KerberosRefreshPolicy{window=" + windowFactor + "+" + jitter + ", minInterval=" + minIntervalMs
                + "ms, retryBackoff=" + retryBackoffMs + ".." + retryBackoffMaxMs + "ms}";
    }
}
