package io.kwire.it;

import io.kwire.client.KafkaClient;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Drives a {@link KafkaClient} until a condition holds, failing the test with a message when time runs out. */
final class Polling {

    private Polling() {
    }

    static void pollUntil(KafkaClient client, Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            client.poll(Duration.ofMillis(50));
        }
    }

    /** Live threads whose name starts with {@code kwire-io}. */
    static long kwireThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kwire-io")).count();
    }
}
