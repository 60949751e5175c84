package io.kwire.client;

import io.kwire.errors.KwireException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OAuthBearerTokenProvider} that keeps a token ready: it asks its source for one on a thread of its own, at
 * once and then ahead of each token's expiry, and hands the client the token it holds without waiting. The client
 * asks its provider at every authentication and re-authentication (on one of its SASL threads, not the I/O thread),
 * so a source that fetches tokens over the network (an OAuth 2 token endpoint) would make each authentication wait
 * for a fetch; behind this class none waits.
 *
 * <pre>
 * KafkaClientConfig.builder().saslOauthTokenProvider(new RefreshingTokenProvider(() -&gt; fetchFromMyIdp()))
 * </pre>
 *
 * <ul>
 *   <li>The constructor waits for the first fetch to end, for at most 30 s, so that a client made next finds a
 *       token; it does not fail when the fetch does (the client's authentications then report why).</li>
 *   <li>A token is refreshed once 80% of the time it had left when it arrived has passed.</li>
 *   <li>A fetch that fails (the source throws, returns null, or returns a token already expired) is tried again
 *       after 1 s, then 2, 4, ... up to 60 s, and never later than the held token's expiry; the held token stays in
 *       use until it expires.</li>
 *   <li>Without a valid token (none fetched yet, or the held one expired with no new one), {@link #token()} throws
 *       a {@link KwireException} that says why: the last failure, a {@link KwireException}'s message or any other
 *       exception by its class alone (its message may quote a secret). The client reports it as an authentication
 *       failure at once, which fails the requests waiting for that broker, and connects again after its
 *       back-off.</li>
 *   <li>{@link #close()} stops the thread, interrupting a fetch under way (Spring calls it for a bean). A source
 *       must bound its own fetches: one that ignores interrupts and never returns keeps its thread (a daemon).</li>
 * </ul>
 * Safe for use from any thread.
 */
public final class RefreshingTokenProvider implements OAuthBearerTokenProvider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RefreshingTokenProvider.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Duration FIRST_FETCH_WAIT = Duration.ofSeconds(30);

    private final OAuthBearerTokenProvider source;
    private final double refreshAt;
    private final long minRetryMs;
    private final long maxRetryMs;
    private final Time time;
    private final ScheduledThreadPoolExecutor refresher;
    private final CountDownLatch firstFetch = new CountDownLatch(1);
    private volatile OAuthBearerToken held;
    private volatile String lastFailure;
    private volatile boolean closed;
    /** The wait before the next fetch, as last scheduled (tests). */
    private volatile long nextFetchInMs = -1;
    /** The next retry's delay; only the refresher thread uses it. */
    private long retryMs;

    /**
     * Refreshes at 80% of each token's time and retries after 1 s doubling to 60 s; fetches the first token now,
     * waiting for at most 30 s.
     */
    public RefreshingTokenProvider(OAuthBearerTokenProvider source) {
        this(source, FIRST_FETCH_WAIT);
    }

    /**
     * As {@link #RefreshingTokenProvider(OAuthBearerTokenProvider)}, waiting for at most {@code firstFetchWait} for
     * the first fetch ({@link Duration#ZERO}: not at all, and the client's first authentications fail until it has
     * ended).
     */
    public RefreshingTokenProvider(OAuthBearerTokenProvider source, Duration firstFetchWait) {
        this(source, 0.8, Duration.ofSeconds(1), Duration.ofSeconds(60), Time.SYSTEM, firstFetchWait);
    }

    /**
     * @param refreshAt      the share of a token's time, from its arrival, after which a new one is fetched (0 to 1)
     * @param minRetry       the wait before the first retry of a failed fetch, doubling with each failure; also the
     *                       shortest wait before a refresh
     * @param maxRetry       the longest wait between retries
     * @param time           the clock that tokens' expiry is compared with
     * @param firstFetchWait how long the constructor waits for the first fetch to end
     */
    RefreshingTokenProvider(OAuthBearerTokenProvider source, double refreshAt, Duration minRetry, Duration maxRetry,
                            Time time, Duration firstFetchWait) {
        this.source = Objects.requireNonNull(source, "source");
        if (!(refreshAt > 0 && refreshAt < 1)) {
            throw new IllegalArgumentException("refreshAt must be between 0 and 1, not " + refreshAt);
        }
        this.refreshAt = refreshAt;
        this.minRetryMs = Math.max(1, minRetry.toMillis());
        this.maxRetryMs = Math.min(Math.max(minRetryMs, maxRetry.toMillis()), Long.MAX_VALUE / 4);
        this.time = Objects.requireNonNull(time, "time");
        this.retryMs = minRetryMs;
        this.refresher = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kwire-oauth-refresh-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        refresher.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        refresher.execute(this::fetch);
        try {
            firstFetch.await(firstFetchWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The token held, if it has not expired; never waits. */
    @Override
    public OAuthBearerToken token() {
        OAuthBearerToken token = held;
        long now = time.currentTimeMillis();
        if (token != null && millis(token.expiresAt()) > now) {
            return token;
        }
        String why = lastFailure;
        if (closed) {
            throw new KwireException("the OAUTHBEARER token provider is closed" + (token == null ? ""
                    : " and its token expired at " + token.expiresAt()));
        }
        if (token == null) {
            throw new KwireException("no OAUTHBEARER token yet: " + (why == null
                    ? "the first fetch from the token source is under way" : "fetching one failed: " + why));
        }
        throw new KwireException("the OAUTHBEARER token expired at " + token.expiresAt() + " (now "
                + Instant.ofEpochMilli(now) + ") and no new one has come from the token source"
                + (why == null ? " yet" : ": " + why));
    }

    private void fetch() {
        try {
            OAuthBearerToken token = source.token();
            if (token == null) {
                throw new KwireException("the token source returned no token");
            }
            long left = millis(token.expiresAt()) - time.currentTimeMillis();
            if (left <= 0) {
                throw new KwireException("the token source returned a token that expired at " + token.expiresAt());
            }
            held = token;
            if (lastFailure != null) {
                log.info("OAUTHBEARER token fetched again after failures; valid until {}", token.expiresAt());
            }
            lastFailure = null;
            retryMs = minRetryMs;
            schedule(Math.max(minRetryMs, (long) (left * refreshAt)));
        } catch (Throwable e) { // a source may throw anything (a checked exception thrown sneakily): never stop
            if (closed) {
                return; // the interrupt of close()
            }
            String failure = e instanceof KwireException && e.getMessage() != null ? e.getMessage()
                    : e.getClass().getName();
            long delay = retryMs;
            OAuthBearerToken token = held;
            if (token != null) {
                long heldLeft = millis(token.expiresAt()) - time.currentTimeMillis();
                if (heldLeft > 0) {
                    delay = Math.min(delay, Math.max(minRetryMs, heldLeft));
                }
            }
            if (!failure.equals(lastFailure)) {
                log.warn("Fetching an OAUTHBEARER token failed ({}); the token held is {}; retrying in {} ms, then"
                        + " at growing intervals up to {} ms", failure, token == null ? "none"
                        : "valid until " + token.expiresAt(), delay, maxRetryMs);
            }
            lastFailure = failure;
            retryMs = Math.min(retryMs * 2, maxRetryMs);
            schedule(delay);
        } finally {
            firstFetch.countDown();
        }
    }

    private void schedule(long delayMs) {
        nextFetchInMs = delayMs;
        try {
            refresher.schedule(this::fetch, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // close() came first: nothing more to fetch
        }
    }

    /** An instant in epoch milliseconds, saturated at the ends of {@code long} (a token "valid forever"). */
    private static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isAfter(Instant.EPOCH) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    /** Stops the refresher thread, interrupting a fetch under way; the token held is handed out until it expires. */
    @Override
    public void close() {
        closed = true;
        refresher.shutdownNow();
    }

    /** Test-only: the wait before the next fetch, as last scheduled; -1 before any. */
    long nextFetchInMs() {
        return nextFetchInMs;
    }

    /** Test-only: whether the refresher thread has ended after {@link #close()}. */
    boolean awaitStopped(Duration wait) throws InterruptedException {
        return refresher.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        OAuthBearerToken token = held;
        return "RefreshingTokenProvider{source=" + source.getClass().getName() + ", heldUntil="
                + (token == null ? "none" : token.expiresAt()) + (lastFailure == null ? "" : ", lastFailure="
                + lastFailure) + "}";
    }
}
