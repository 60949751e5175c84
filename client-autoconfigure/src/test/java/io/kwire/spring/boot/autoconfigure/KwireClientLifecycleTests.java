package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link KwireClientLifecycle} with several clients: all started, all closed, and closed side by side. */
class KwireClientLifecycleTests {

    @Test
    void severalClientsAreClosedAtTheSameTimeSoShutdownTakesOneTimeout() {
        // Each close waits until every client's close has begun: closed one after another, the first would wait
        // out its five seconds alone and report false.
        CountDownLatch allClosing = new CountDownLatch(3);
        List<MeetingClient> clients = List.of(new MeetingClient(allClosing), new MeetingClient(allClosing),
                new MeetingClient(allClosing));
        KwireClientLifecycle lifecycle = new KwireClientLifecycle(List.<KwireClient>copyOf(clients), 0,
                Duration.ofSeconds(7), true);
        lifecycle.start();
        assertThat(lifecycle.isRunning()).isTrue();

        lifecycle.stop();

        assertThat(clients).allSatisfy(c -> {
            assertThat(c.calls()).containsExactly("start", "close PT7S");
            assertThat(c.metTheOthers).isTrue();
        });
        assertThat(lifecycle.isRunning()).isFalse();
    }

    @Test
    void runningWhileAnyClientRunsSoTheContextStopsThemAll() {
        FakeKwireClient first = new FakeKwireClient();
        FakeKwireClient second = new FakeKwireClient();
        KwireClientLifecycle lifecycle = new KwireClientLifecycle(List.of(first, second), 0, Duration.ofSeconds(1),
                true);
        assertThat(lifecycle.isRunning()).isFalse();
        second.start();
        assertThat(lifecycle.isRunning()).isTrue();
        lifecycle.start();
        // The one already running is not started twice.
        assertThat(first.calls()).containsExactly("start");
        assertThat(second.calls()).containsExactly("start");
    }

    /** A client whose close waits for the other clients' closes to begin. */
    private static final class MeetingClient extends FakeKwireClient {

        private final CountDownLatch allClosing;
        volatile boolean metTheOthers;

        MeetingClient(CountDownLatch allClosing) {
            this.allClosing = allClosing;
        }

        @Override
        public void close(Duration gracePeriod) {
            super.close(gracePeriod);
            allClosing.countDown();
            try {
                metTheOthers = allClosing.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
