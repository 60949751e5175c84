package io.kwire.client;

/**
 * The client's source of time, injectable so that tests step a manual clock instead of sleeping. Timeouts and
 * back-offs use {@link #nanoTime()} (monotonic); only timestamps shown to people (health details, metadata
 * age) use {@link #currentTimeMillis()}. Implementations must be safe to call from any thread.
 */
public interface Time {

    /** The system clocks. */
    Time SYSTEM = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public String toString() {
            return "Time.SYSTEM";
        }
    };

    /** Monotonic nanoseconds, meaningful only as a difference between two calls. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch. */
    long currentTimeMillis();
}
