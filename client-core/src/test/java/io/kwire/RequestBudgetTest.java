package io.kwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.UnavailableNodePolicy;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.QueueFullException;
import io.kwire.protocol.message.ApiVersionsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bound on what a KwireClient holds, and close's promise whatever it holds. */
class RequestBudgetTest {

    @Test
    void aFullBudgetRefusesAtOnceAndAFinishedRequestMakesRoom() {
        RequestBudget budget = new RequestBudget(2, 1_000, 0);
        budget.acquire(100, true);
        budget.acquire(100, true);
        assertThatThrownBy(() -> budget.acquire(0, true)).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("2 unfinished requests of 200 bytes").hasMessageContaining("maxQueuedRequests 2");
        budget.release(100);
        budget.acquire(0, true);
        assertThat(budget.requests()).isEqualTo(2);
    }

    @Test
    void bytesAreBoundedButOneHeavyRequestGoesWhenNothingElseIsHeld() {
        RequestBudget budget = new RequestBudget(100, 1_000, 0);
        budget.acquire(5_000, true); // heavier than the bound, alone: it goes
        assertThatThrownBy(() -> budget.acquire(1, true)).isInstanceOf(QueueFullException.class);
        budget.release(5_000);
        budget.acquire(600, true);
        assertThatThrownBy(() -> budget.acquire(600, true)).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("maxQueuedBytes 1000");
        budget.acquire(400, true);
    }

    @Test
    void aWaitingSubmitterGetsTheRoomAnotherThreadGivesBack() throws Exception {
        RequestBudget budget = new RequestBudget(1, 1_000, TimeUnit.SECONDS.toNanos(30));
        budget.acquire(0, true);
        assertThatThrownBy(() -> budget.acquire(0, false)).as("the I/O thread never waits")
                .isInstanceOf(QueueFullException.class);
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> budget.acquire(0, true));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.waiters() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until the submitter is waiting for room
        }
        assertThat(budget.waiters()).isEqualTo(1);
        assertThat(waiter).isNotDone();
        budget.release(0);
        waiter.get(10, TimeUnit.SECONDS);
        assertThat(budget.requests()).isEqualTo(1);
    }

    @Test
    void aFutureReturnsItsShareBeforeItsCallbacksRunAndOnlyOnceHoweverItEnds() {
        RequestBudget budget = new RequestBudget(1, 1_000, 0);
        budget.acquire(10, true);
        RequestBudget.BudgetedFuture<String> f = new RequestBudget.BudgetedFuture<>(budget, 10, null);
        java.util.concurrent.atomic.AtomicInteger heldInCallback = new java.util.concurrent.atomic.AtomicInteger(-1);
        f.whenComplete((r, e) -> heldInCallback.set(budget.requests()));
        f.complete("answered");
        assertThat(heldInCallback).as("a callback may send the next request").hasValue(0);
        f.completeExceptionally(new IllegalStateException("late"));
        f.cancel(false);
        assertThat(budget.requests()).isZero();
        budget.acquire(10, true);
        RequestBudget.BudgetedFuture<String> cancelled = new RequestBudget.BudgetedFuture<>(budget, 10, null);
        cancelled.cancel(false);
        assertThat(budget.requests()).as("a request the caller cancels gives its share back").isZero();
    }

    @Test
    void submittersFromFourThreadsNeverPileUpBeyondTheBoundAndCloseKeepsItsPromise() throws Exception {
        int bound = 1_000;
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("127.0.0.1:1")
                .clientId("budget-test").requestTimeout(Duration.ofMinutes(1))
                .unavailableNodePolicy(UnavailableNodePolicy.WAIT).maxQueuedRequests(bound).build();
        DefaultKwireClient client = (DefaultKwireClient) KwireClient.create(config);
        client.start();
        List<CompletableFuture<?>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger completions = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 5_000; i++) {
                    CompletableFuture<?> f = client.send(new ApiVersionsRequest());
                    f.whenComplete((r, e) -> completions.incrementAndGet());
                    futures.add(f);
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        int refused = 0;
        for (CompletableFuture<?> f : futures) {
            if (f.isCompletedExceptionally() && causeOf(f) instanceof QueueFullException) {
                refused++;
            }
        }
        assertThat(refused).as("all but the bound refused at once").isGreaterThanOrEqualTo(20_000 - bound);
        assertThat(futures.stream().filter(f -> !f.isDone()).count()).isLessThanOrEqualTo(bound);

        long start = System.nanoTime();
        client.close(Duration.ofSeconds(1));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(millis).as("close(1 s) within its grace period plus the documented 2 s margin")
                .isLessThan(1_000 + 2 * DefaultKwireClient.CLOSE_MARGIN_MS + 1_000);
        assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
        assertThat(completions).as("each future exactly once").hasValue(20_000);
        assertThat(futures.stream().filter(f -> causeOf(f) instanceof ClientClosedException).count())
                .isEqualTo(20_000 - refused);
        assertThat(client.heldRequests()).as("every share given back").isZero();
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        try {
            f.getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
