package io.kwire.security;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads on which one client's SASL mechanism steps run, off its I/O thread: a Kerberos service-ticket request or
 * a token fetch takes as long as the KDC or the identity provider, and on the I/O thread it held up every broker's
 * traffic for that long. At most {@value #THREADS} threads, {@code kwire-sasl-<clientId>-N} (several brokers
 * authenticating at start-up need not queue behind one slow KDC answer; steps beyond that wait their turn), started
 * on first use and ended after {@value #IDLE_SECONDS} s without work, so an idle client keeps none.
 */
final class SaslWorkers implements Executor, AutoCloseable {

    static final int THREADS = 4;
    static final int IDLE_SECONDS = 30;

    private final AtomicInteger ids = new AtomicInteger();
    private final ThreadPoolExecutor pool;

    SaslWorkers(String clientId) {
        this(clientId, TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
    }

    /** With threads that end after {@code idleMillis} without work (tests). */
    SaslWorkers(String clientId, long idleMillis) {
        pool = new ThreadPoolExecutor(THREADS, THREADS, idleMillis, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "kwire-sasl-" + clientId + "-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable step) {
        pool.execute(step);
    }

    /**
     * Drops the steps not yet begun, interrupts those running and waits at most 100 ms for their threads to end, as
     * the host lookups' close does. A step blocked in a call that ignores interrupts (a KDC request waits out its own
     * timeout) leaves its daemon thread to finish it; its result is dropped and its mechanism disposed.
     */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
