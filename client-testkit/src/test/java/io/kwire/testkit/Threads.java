package io.kwire.testkit;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

final class Threads {

    private Threads() {
    }

    static Set<Thread> kafkaThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> {
                    String n = t.getName().toLowerCase(Locale.ROOT);
                    return n.contains("kafka") || n.contains("raft") || n.contains("broker")
                            || n.contains("controller") || n.contains("quorum");
                })
                .collect(Collectors.toSet());
    }

    /** Threads with Kafka-ish names that were not there before, after waiting up to the timeout for them to end. */
    static Set<String> awaitNoNewKafkaThreads(Set<Thread> before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Thread> now = kafkaThreads();
            now.removeAll(before);
            if (now.isEmpty() || System.nanoTime() > deadline) {
                return now.stream().map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                        .collect(Collectors.toSet());
            }
            Thread.sleep(100);
        }
    }
}
