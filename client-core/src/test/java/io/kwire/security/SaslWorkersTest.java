package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's SASL threads: at most four steps at once, named after the client, ended by close and when idle. */
class SaslWorkersTest {

    @Test
    void atMostFourStepsRunAtOnceAndCloseEndsTheirThreads() throws Exception {
        SaslWorkers workers = new SaslWorkers("orders");
        Semaphore running = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        CountDownLatch fifthRan = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            workers.execute(() -> {
                threads.add(Thread.currentThread());
                running.release();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.add(true);
                }
            });
        }
        workers.execute(fifthRan::countDown);

        assertThat(running.tryAcquire(4, 10, TimeUnit.SECONDS)).as("four steps running").isTrue();
        assertThat(fifthRan.await(200, TimeUnit.MILLISECONDS)).as("the fifth waits its turn").isFalse();
        assertThat(threads).extracting(Thread::getName).allMatch(n -> n.startsWith("kwire-sasl-orders-"))
                .doesNotHaveDuplicates();
        assertThat(threads).allMatch(Thread::isDaemon);

        workers.close(); // interrupts the four; the fifth, never begun, is dropped
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
        }
        assertThat(interrupted).hasSize(4);
        assertThat(fifthRan.getCount()).as("the step not begun never ran").isEqualTo(1);
        assertThatThrownBy(() -> workers.execute(() -> { })).as("no step once closed")
                .isInstanceOf(RejectedExecutionException.class);
    }

    /** An idle client keeps no SASL thread: each ends once it has had no work for the idle time. */
    @Test
    void threadsEndWhenIdleAndStartAgainForTheNextStep() throws Exception {
        try (SaslWorkers workers = new SaslWorkers("idle", 50)) {
            for (int round = 0; round < 2; round++) {
                CompletableFuture<Thread> ran = new CompletableFuture<>();
                workers.execute(() -> ran.complete(Thread.currentThread()));
                Thread t = ran.get(10, TimeUnit.SECONDS);
                assertThat(t.getName()).startsWith("kwire-sasl-idle-");
                t.join(10_000);
                assertThat(t.isAlive()).as(t.getName() + " ended after 50 ms without work").isFalse();
            }
        }
    }
}
