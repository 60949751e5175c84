package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HostLookupsTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final Semaphore wakes = new Semaphore(0);

    private HostLookups lookups(HostResolver resolver) {
        return new HostLookups(host -> {
            calls.incrementAndGet();
            return resolver.resolve(host);
        }, wakes::release, "kwire-dns-test");
    }

    private static InetAddress address(String host, int last) throws UnknownHostException {
        return InetAddress.getByAddress(host, new byte[] {10, 0, 0, (byte) last});
    }

    /** Takes the next result, waiting for the wake-up that announces it. */
    private HostLookups.Done next(HostLookups l) throws InterruptedException {
        assertThat(wakes.tryAcquire(10, TimeUnit.SECONDS)).as("woken for a result").isTrue();
        return l.poll();
    }

    /** A resolver that waits for {@code release}, deaf to interrupts as a lookup in the operating system is. */
    private static HostResolver deaf(CountDownLatch release, CountDownLatch entered) {
        return host -> {
            entered.countDown();
            while (true) {
                try {
                    release.await();
                    return new InetAddress[] {address(host, 1)};
                } catch (InterruptedException e) {
                    // not ended by an interrupt
                }
            }
        };
    }

    @Test
    void anIpAddressGivenAsTextNeedsNoLookupAndNoResolver() throws Exception {
        HostLookups l = lookups(host -> {
            throw new AssertionError("asked about " + host);
        });
        assertThat(l.immediate("127.0.0.1")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat(l.immediate("::1")).hasSize(1);
        assertThat(l.immediate("broker-1.example")).isNull();
        assertThat(l.immediate("10.0.0.300")).as("no address: a name for the resolver").isNull();
        assertThatThrownBy(() -> l.immediate("1::2::3")).isInstanceOf(UnknownHostException.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void oneLookupPerHostAtATimeAndItsResultComesWithAWakeUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HostLookups l = lookups(deaf(release, new CountDownLatch(1)));
        l.start("b1");
        l.start("b1");
        assertThat(l.isRunning("b1")).isTrue();
        assertThat(l.poll()).isNull();
        assertThat(l.hasResults()).isFalse();
        release.countDown();
        HostLookups.Done done = next(l);
        assertThat(done.host()).isEqualTo("b1");
        assertThat(done.error()).isNull();
        assertThat(done.addresses()).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.1");
        assertThat(l.isRunning("b1")).isFalse();
        assertThat(l.poll()).isNull();
        assertThat(calls).hasValue(1);

        l.start("b1"); // taken: the next attempt looks the host up again
        assertThat(next(l).addresses()).hasSize(1);
        assertThat(calls).hasValue(2);
        assertThat(l.close(1_000)).isEmpty();
    }

    @Test
    void whateverTheResolverDoesWrongIsAnErrorAndTheHostIsFreeForTheNextAttempt() throws Exception {
        HostLookups l = lookups(host -> switch (host) {
            case "unknown" -> throw new UnknownHostException("unknown: no such name");
            case "empty" -> new InetAddress[0];
            case "null" -> null;
            case "null-inside" -> new InetAddress[] {address(host, 1), null};
            case "error" -> throw new NoClassDefFoundError("a resolver's missing class");
            default -> throw new IllegalStateException("broken resolver");
        });
        for (String host : new String[] {"unknown", "empty", "null", "null-inside", "error", "broken"}) {
            l.start(host);
            HostLookups.Done done = next(l);
            assertThat(done.host()).isEqualTo(host);
            assertThat(done.addresses()).isNull();
            assertThat(l.isRunning(host)).as("%s: free for the next attempt", host).isFalse();
            switch (host) {
                case "unknown" -> assertThat(done.error()).isInstanceOf(UnknownHostException.class)
                        .hasMessage("unknown: no such name");
                case "empty", "null" -> assertThat(done.error()).isInstanceOf(UnknownHostException.class)
                        .hasMessageContaining("found no address");
                case "null-inside" -> assertThat(done.error()).isInstanceOf(UnknownHostException.class)
                        .hasMessageContaining("returned a null address");
                case "error" -> assertThat(done.error()).isInstanceOf(NoClassDefFoundError.class);
                default -> assertThat(done.error()).isInstanceOf(IllegalStateException.class);
            }
        }
        l.close(1_000);
    }

    @Test
    void atMostFourLookupsRunAtOnceAndTheRestWaitTheirTurn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fourInside = new CountDownLatch(HostLookups.THREADS);
        AtomicInteger inside = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        HostLookups l = lookups(host -> {
            threads.add(Thread.currentThread().getName());
            inside.incrementAndGet();
            fourInside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new UnknownHostException("interrupted");
            }
            return new InetAddress[] {address(host, 1)};
        });
        for (int i = 0; i < HostLookups.THREADS + 2; i++) {
            l.start("h" + i);
        }
        assertThat(fourInside.await(10, TimeUnit.SECONDS)).as("four lookups under way").isTrue();
        assertThat(inside).as("the other two wait for a thread").hasValue(HostLookups.THREADS);
        assertThat(l.hasResults()).isFalse();
        release.countDown();
        for (int i = 0; i < HostLookups.THREADS + 2; i++) {
            assertThat(next(l).error()).isNull();
        }
        assertThat(inside).hasValue(HostLookups.THREADS + 2);
        assertThat(threads).as("lookup threads").hasSize(HostLookups.THREADS)
                .allSatisfy(name -> assertThat(name).startsWith("kwire-dns-test-"));
        assertThat(l.close(1_000)).isEmpty();
    }

    @Test
    void closeNamesALookupThatIgnoresTheInterruptAndStartsNoOtherAfterwards() throws Exception {
        assertThat(lookups(host -> null).close(10)).as("no lookup ever ran: no threads").isEmpty();

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Thread> lookupThread = new AtomicReference<>();
        HostResolver deaf = deaf(release, entered);
        HostLookups hung = lookups(host -> {
            lookupThread.set(Thread.currentThread());
            return deaf.resolve(host);
        });
        hung.start("hung");
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(hung.close(50)).containsExactly("hung");
        hung.start("another");
        assertThat(hung.isRunning("another")).as("nothing starts after close").isFalse();
        release.countDown();
        lookupThread.get().join(10_000); // the pool is shut down: the thread ends after its lookup
        assertThat(lookupThread.get().isAlive()).as("the hung lookup's thread ended once it was answered").isFalse();
        assertThat(hung.hasResults()).as("its late result is queued, for nobody").isTrue();
        assertThat(wakes.availablePermits()).as("no wake-up after close").isZero();
        assertThat(calls).as("nothing started after close").hasValue(1);
    }

    @Test
    void closeNamesOnlyTheLookupsThatStartedNotThoseStillQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(HostLookups.THREADS);
        HostLookups l = lookups(deaf(release, entered));
        for (int i = 0; i < HostLookups.THREADS + 2; i++) {
            l.start("h" + i);
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(l.close(50)).as("the four running, not the two queued").hasSize(HostLookups.THREADS)
                    .containsExactlyInAnyOrder("h0", "h1", "h2", "h3");
        } finally {
            release.countDown();
        }
    }
}
