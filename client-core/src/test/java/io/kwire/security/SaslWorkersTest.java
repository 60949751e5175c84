package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's SASL threads: at most four steps at once, named after the client, ended by close. */
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
    }
}
