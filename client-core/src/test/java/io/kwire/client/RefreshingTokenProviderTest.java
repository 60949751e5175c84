package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.KwireException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tokens' expiry is read on a manual clock; the refresher's waits are real, and short here. */
@Timeout(30)
class RefreshingTokenProviderTest {

    private final AtomicLong nowMs = new AtomicLong(1_000_000_000_000L);
    private final Time manual = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return nowMs.get();
        }
    };

    private OAuthBearerToken token(String value, long lifeMs) {
        return new OAuthBearerToken(value, Map.of(), Instant.ofEpochMilli(nowMs.get() + lifeMs));
    }

    private RefreshingTokenProvider provider(OAuthBearerTokenProvider source, double refreshAt, long minRetryMs,
                                             long maxRetryMs, Duration firstFetchWait) {
        return new RefreshingTokenProvider(source, refreshAt, Duration.ofMillis(minRetryMs),
                Duration.ofMillis(maxRetryMs), manual, firstFetchWait);
    }

    @Test
    void theFirstTokenIsThereWhenTheConstructorReturnsAndTheNextIsFetchedAt80PerCentOfItsTime() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (RefreshingTokenProvider p = provider(() -> {
            threads.add(Thread.currentThread().getName());
            return token("first", 100_000);
        }, 0.8, 10, 100, Duration.ofSeconds(20))) {
            assertThat(p.token().value()).isEqualTo("first");
            assertThat(p.nextFetchInMs()).isEqualTo(80_000);
            assertThat(threads).singleElement().asString().startsWith("kwire-oauth-refresh-");
        }
    }

    /** Tokens that are due at once are fetched again and again on the refresher's thread, never on the caller's. */
    @Test
    void refreshesRunOnTheRefreshersThreadAndNoSoonerThanTheShortestWait() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        try (RefreshingTokenProvider p = provider(() -> {
            threads.add(Thread.currentThread().getName());
            OAuthBearerToken t = token("t" + calls.incrementAndGet(), 60_000);
            third.countDown();
            return t;
        }, 0.000_001, 20, 100, Duration.ofSeconds(20))) {
            assertThat(third.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.nextFetchInMs()).as("a refresh waits at least the shortest retry").isEqualTo(20);
            assertThat(p.token().value()).startsWith("t");
            assertThat(threads).hasSizeGreaterThanOrEqualTo(3)
                    .allMatch(name -> name.startsWith("kwire-oauth-refresh-"));
        }
    }

    /** Failures are retried after a doubling wait, capped; meanwhile token() fails at once and says why. */
    @Test
    void aFailingSourceIsRetriedWithAGrowingWaitAndTokenSaysWhyUntilItRecovers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fourFailures = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        try (RefreshingTokenProvider p = provider(() -> {
            if (calls.incrementAndGet() <= 4) {
                fourFailures.countDown();
                throw new KwireException("the identity provider answered 503");
            }
            await(release);
            return token("good", 300_000);
        }, 0.8, 5, 20, Duration.ZERO)) {
            assertThat(fourFailures.await(20, TimeUnit.SECONDS)).isTrue();
            KwireException e = awaitFailure(p, "503");
            assertThat(e).hasMessage("no OAUTHBEARER token yet: fetching one failed: the identity provider answered 503");
            long wait = waitFor(p::nextFetchInMs, w -> w == 20);
            assertThat(wait).as("5, 10, 20, then capped at 20 ms").isEqualTo(20);
            release.countDown();
            assertThat(awaitToken(p).value()).isEqualTo("good");
            assertThat(p.toString()).doesNotContain("good").contains("heldUntil=");
        }
    }

    /** An exception's message may quote a secret: only a KwireException's is repeated, others by class. */
    @Test
    void anUnexpectedExceptionIsNamedByItsClassAlone() throws Exception {
        try (RefreshingTokenProvider p = provider(() -> {
            throw new IllegalStateException("client_secret=s3cr3t-value rejected");
        }, 0.8, 5_000, 5_000, Duration.ofSeconds(20))) {
            assertThatThrownBy(p::token).isInstanceOf(KwireException.class)
                    .hasMessageContaining("java.lang.IllegalStateException").hasMessageNotContaining("s3cr3t");
        }
    }

    /** A checked exception thrown sneakily (Kotlin, Lombok) is a failed fetch too, not the end of refreshing. */
    @Test
    void aCheckedExceptionThrownSneakilyIsAFailedFetch() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (RefreshingTokenProvider p = provider(() -> {
            if (calls.incrementAndGet() == 1) {
                throw RefreshingTokenProviderTest.<RuntimeException>sneaky(new java.io.IOException("connect timed out"));
            }
            return token("after", 300_000);
        }, 0.8, 5, 5, Duration.ofSeconds(20))) {
            assertThat(awaitToken(p).value()).isEqualTo("after");
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** A token that arrives expired, or none at all, is a failed fetch; a token "valid forever" is taken. */
    @Test
    void expiredMissingAndEndlessTokens() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (RefreshingTokenProvider p = provider(() -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                return null;
            }
            if (n == 2) {
                return new OAuthBearerToken("stale", Map.of(), Instant.ofEpochMilli(0));
            }
            return new OAuthBearerToken("forever", Map.of(), Instant.MAX);
        }, 0.8, 5, 5, Duration.ofSeconds(20))) {
            assertThat(awaitToken(p).expiresAt()).isEqualTo(Instant.MAX);
            assertThat(calls.get()).isEqualTo(3);
        }
    }

    /** While fetches fail, the held token serves until it expires, and a retry never waits past its expiry. */
    @Test
    void theHeldTokenServesUntilItExpiresAndRetriesDoNotWaitPastIt() throws Exception {
        long expiry = nowMs.get() + 60_000;
        AtomicInteger calls = new AtomicInteger();
        try (RefreshingTokenProvider p = provider(() -> {
            if (calls.incrementAndGet() == 1) {
                return new OAuthBearerToken("held", Map.of(), Instant.ofEpochMilli(expiry));
            }
            nowMs.set(expiry - 30); // 30 ms left on the held token
            throw new KwireException("the identity provider answered 503");
        }, 0.000_001, 10, 10_000, Duration.ofSeconds(20))) {
            assertThat(waitFor(p::nextFetchInMs, w -> w == 30)).as("10, 20, then the 30 ms left, not 40")
                    .isEqualTo(30);
            assertThat(p.token().value()).isEqualTo("held");
            nowMs.set(expiry);
            assertThatThrownBy(p::token).isInstanceOf(KwireException.class)
                    .hasMessageStartingWith("the OAUTHBEARER token expired at " + Instant.ofEpochMilli(expiry))
                    .hasMessageEndingWith(": the identity provider answered 503");
        }
    }

    @Test
    void closeStopsTheRefresherThreadEvenDuringAFetch() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        RefreshingTokenProvider p = provider(() -> {
            fetching.countDown();
            await(new CountDownLatch(1)); // an identity provider that never answers, until interrupted
            throw new KwireException("interrupted");
        }, 0.5, 5, 5, Duration.ZERO);
        assertThat(fetching.await(20, TimeUnit.SECONDS)).isTrue();
        p.close();
        assertThat(p.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertThatThrownBy(p::token).isInstanceOf(KwireException.class)
                .hasMessage("the OAUTHBEARER token provider is closed");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OAuthBearerToken awaitToken(RefreshingTokenProvider p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return p.token();
            } catch (KwireException e) {
                assertThat(System.nanoTime()).as("a token within 20 s").isLessThan(deadline);
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private static OAuthBearerToken awaitValue(RefreshingTokenProvider p, String value) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                OAuthBearerToken t = p.token();
                if (t.value().equals(value)) {
                    return t;
                }
            } catch (KwireException e) {
                // not yet
            }
            assertThat(System.nanoTime()).as("token " + value + " within 20 s").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static KwireException awaitFailure(RefreshingTokenProvider p, String naming) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                p.token();
            } catch (KwireException e) {
                if (e.getMessage().contains(naming)) {
                    return e;
                }
            }
            assertThat(System.nanoTime()).as("the failure recorded within 20 s").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static long waitFor(Supplier<Long> value, java.util.function.LongPredicate done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long v = value.get();
            if (done.test(v)) {
                return v;
            }
            assertThat(System.nanoTime()).as("the condition within 20 s").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }
}
