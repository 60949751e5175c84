package io.kwire;

import io.kwire.client.RequestListener;
import io.kwire.errors.QueueFullException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on what a {@link KwireClient} holds: requests accepted and not yet finished, counted and weighed by the
 * bytes they carry (record batches and other byte fields, as a producer counts its buffer memory). A submitter takes
 * a share before its request is queued and waits up to {@code queueFullWait} for one to be returned; the share goes
 * back when the request's future completes, however it completes. A single request heavier than the byte bound is
 * let through when nothing else is held, so that it can be sent at all. Any thread may call it.
 */
final class RequestBudget {

    private static final Logger log = LoggerFactory.getLogger(RequestBudget.class);

    private final int maxRequests;
    private final long maxBytes;
    private final long waitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private int requests; // guarded by lock
    private long bytes; // guarded by lock

    RequestBudget(int maxRequests, long maxBytes, long waitNanos) {
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
        this.waitNanos = waitNanos;
    }

    /**
     * Takes a share for one request of {@code weight} bytes, waiting up to the configured time for room if
     * {@code mayWait} (never on the I/O thread, the only thread that returns shares).
     *
     * @throws QueueFullException when there is no room within that time
     */
    void acquire(long weight, boolean mayWait) {
        lock.lock();
        try {
            long left = mayWait ? waitNanos : 0;
            while (!fits(weight)) {
                if (left <= 0) {
                    throw new QueueFullException("kwire holds " + requests + " unfinished requests of " + bytes
                            + " bytes (maxQueuedRequests " + maxRequests + ", maxQueuedBytes " + maxBytes
                            + ") and none finished within queueFullWait (" + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                            + " ms): nothing was sent; slow down or raise the bounds");
                }
                left = returned.awaitNanos(left);
            }
            requests++;
            bytes += weight;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueFullException("Interrupted while waiting for room in kwire's request queue");
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(long weight) {
        return requests < maxRequests && (bytes + weight <= maxBytes || requests == 0);
    }

    /** Gives back the share of a request that finished. */
    void release(long weight) {
        lock.lock();
        try {
            requests--;
            bytes -= weight;
            returned.signalAll(); // one finished request may make room for several light ones
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting for room now; for tests. */
    int waiters() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(returned);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A request's future that returns its share before anyone who waits on it runs, once, however it completes
     * (answered, failed, cancelled by the caller): a callback that sends the next request finds the room this one
     * left. Its dependents are plain futures. It also carries the request's {@link RequestListener}, if it has one:
     * the engine hands it the request's node, version and correlation id ({@link #sentAs}), and it is told of the end
     * right after the share went back.
     */
    static final class BudgetedFuture<T> extends CompletableFuture<T> implements RequestListener {

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<BudgetedFuture> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(BudgetedFuture.class, "released");

        private final RequestBudget budget;
        private final long weight;
        /** Null for a request sent without one (the usual case): then nothing more is done or allocated. */
        private final RequestListener listener;
        /** 1 once the share went back; a field, not an AtomicBoolean: one object less per request. */
        private volatile int released;

        BudgetedFuture(RequestBudget budget, long weight, RequestListener listener) {
            this.budget = budget;
            this.weight = weight;
            this.listener = listener;
        }

        @Override
        public boolean complete(T value) {
            release(null);
            return super.complete(value);
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            release(ex);
            return super.completeExceptionally(ex);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            release(listener == null ? null : new CancellationException("cancelled by the caller"));
            return super.cancel(mayInterruptIfRunning);
        }

        /** Called by the engine (on the I/O thread) when the request ended on a connection. */
        @Override
        public void sentAs(int nodeId, short version, int correlationId) {
            if (listener == null) {
                return;
            }
            synchronized (this) { // against a cancel on the caller's thread: sentAs before ended, or not at all
                if (released == 0) {
                    try {
                        listener.sentAs(nodeId, version, correlationId);
                    } catch (RuntimeException e) {
                        log.warn("A RequestListener failed in sentAs; the request goes on", e);
                    }
                }
            }
        }

        /** Tells a listener of a request's end; what it throws is logged, not passed on. */
        static void tell(RequestListener listener, Throwable error) {
            try {
                listener.ended(error);
            } catch (RuntimeException e) {
                log.warn("A RequestListener failed in ended; the request's future completes all the same", e);
            }
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }

        private void release(Throwable error) {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                budget.release(weight);
                if (listener != null) {
                    synchronized (this) { // after a sentAs under way on the I/O thread
                        tell(listener, error);
                    }
                }
            }
        }
    }

    /** Requests held now. */
    int requests() {
        lock.lock();
        try {
            return requests;
        } finally {
            lock.unlock();
        }
    }
}
