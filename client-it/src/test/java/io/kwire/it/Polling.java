package io.kwire.it;

import io.kwire.KafkaClient;
import io.kwire.protocol.ApiMessage;
import io.kwire.protocol.ByteWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link KafkaClient} until a condition holds, failing the test with a message when time runs out; and the
 * wire bytes of a message body, for the fake broker's replies. Shared by the fake-broker tests of every package.
 */
public final class Polling {

    private Polling() {
    }

    public static void pollUntil(KafkaClient client, Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            client.poll(Duration.ofMillis(50));
        }
    }

    /**
     * Waits until a condition that another thread makes true holds (a published snapshot, a broker-side count),
     * checking it every few milliseconds, and fails the test with a message when time runs out.
     */
    public static void awaitCondition(Duration timeout, String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(5); // the pace of the checks, not a stand-in for the condition
        }
    }

    /** The wire bytes of {@code message} at {@code version}, as a fake broker's reply body. */
    public static byte[] body(ApiMessage message, short version) {
        ByteBuffer buf = ByteBuffer.allocate(message.size(version));
        message.write(new ByteWriter(buf), version);
        return buf.array();
    }

    /** Live threads whose name starts with {@code kwire-io}. */
    static long kwireThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kwire-io")).count();
    }
}
