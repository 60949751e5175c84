package io.kwire.internal.network;

import io.kwire.client.HostResolver;
import io.kwire.internal.util.IpLiterals;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host-name lookups of one engine, run on lookup threads of its own so that a slow name server never stalls the
 * I/O thread: the engine starts a lookup ({@link #start}) and goes on polling; the lookup thread queues its result and
 * wakes the engine, which takes it ({@link #poll}) on its next round. One lookup per host at a time: every connection
 * waiting for the host shares it, and an attempt that starts while the host's lookup is still running (a name server
 * slower than the set-up timeout) waits for that one instead of starting another.
 *
 * <p>An IP address given as text needs no lookup and is taken at once, on the I/O thread, whatever the resolver
 * ({@link #immediate}). At most {@link #THREADS} lookups run at once; more wait their turn, so a resolver must answer
 * within a bounded time (the operating system's gives up after the timeouts of its own configuration). The threads
 * start with the first lookup and end when idle for a while, or at {@link #close}. {@link #running} is used only on
 * the I/O thread; the result queue, {@link #closed} and the thread count are shared with the lookup threads.
 */
final class HostLookups {

    /** A finished lookup: the addresses, or the error that says why there are none. */
    record Done(String host, InetAddress[] addresses, Throwable error) {
    }

    /** At most this many lookups run at once; the others queue. */
    static final int THREADS = 4;

    private static final long IDLE_THREAD_SECONDS = 30;

    /** One host's lookup, as queued: {@link #close} leaves out the hosts of those that never started. */
    private final class Lookup implements Runnable {
        final String host;

        Lookup(String host) {
            this.host = host;
        }

        @Override
        public void run() {
            lookUp(host);
        }
    }

    private final HostResolver resolver;
    private final Runnable wake;
    private final String threadName;
    private final Queue<Done> done = new ConcurrentLinkedQueue<>();
    /** Hosts with a lookup started and its result not yet taken. */
    private final Set<String> running = new HashSet<>();
    private final AtomicInteger threads = new AtomicInteger();
    private ThreadPoolExecutor executor;
    private volatile boolean closed;

    /**
     * @param wake       makes the engine's poll return (any thread): called after each result is queued
     * @param threadName the name of the lookup threads, numbered
     */
    HostLookups(HostResolver resolver, Runnable wake, String threadName) {
        this.resolver = resolver;
        this.wake = wake;
        this.threadName = threadName;
    }

    /**
     * The host's address when it needs no lookup (an IP address given as text, {@link IpLiterals}), else null:
     * {@link #start} the lookup.
     *
     * @throws UnknownHostException when the text is no valid address
     */
    InetAddress[] immediate(String host) throws UnknownHostException {
        return IpLiterals.isAddress(host) ? InetAddress.getAllByName(host) : null;
    }

    /**
     * Starts a lookup of {@code host} on a lookup thread, unless one is running; its result comes by {@link #poll}.
     * When no thread can be started, the result is that failure, at once.
     */
    void start(String host) {
        if (closed || !running.add(host)) {
            return;
        }
        try {
            executor().execute(new Lookup(host));
        } catch (RuntimeException | Error e) { // no thread could be made: fail this attempt, not the next ones too
            UnknownHostException failure = new UnknownHostException(host + ": no lookup thread could be started ("
                    + e + ")");
            failure.initCause(e);
            done.add(new Done(host, null, failure));
        }
    }

    /** Whether a lookup of {@code host} is running or its result waits to be taken; for tests. */
    boolean isRunning(String host) {
        return running.contains(host);
    }

    /** Whether a result waits to be taken by {@link #poll}; for tests (the lookup thread wakes the engine). */
    boolean hasResults() {
        return !done.isEmpty();
    }

    /** The next finished lookup, or null. */
    Done poll() {
        Done d = done.poll();
        if (d != null) {
            running.remove(d.host());
        }
        return d;
    }

    /** On a lookup thread: asks the resolver and queues what it said, whatever it threw. */
    private void lookUp(String host) {
        Done result;
        try {
            result = checked(host, resolver.resolve(host));
        } catch (Throwable e) { // an Error too: the host must not stay "running" for good
            result = new Done(host, null, e);
        }
        done.add(result);
        if (!closed) {
            wake.run();
        }
    }

    /** The resolver's answer, refused unless it names at least one address and no null. */
    private static Done checked(String host, InetAddress[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return new Done(host, null, new UnknownHostException(host + ": the host resolver found no address"));
        }
        InetAddress[] copy = addresses.clone();
        for (InetAddress a : copy) {
            if (a == null) {
                return new Done(host, null, new UnknownHostException(host + ": the host resolver returned a null"
                        + " address"));
            }
        }
        return new Done(host, copy, null);
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            e = new ThreadPoolExecutor(THREADS, THREADS, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, threadName + "-" + threads.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            e.allowCoreThreadTimeOut(true);
            executor = e;
        }
        return e;
    }

    /**
     * Stops the lookups: those not started never run, idle threads end at once, and a running one is interrupted (a
     * lookup blocked in the operating system's resolver ends only when that returns, and its thread with it).
     *
     * @return the hosts whose lookup was still running after {@code waitMs} (empty when every thread has ended)
     */
    Set<String> close(long waitMs) throws InterruptedException {
        closed = true;
        ThreadPoolExecutor e = executor;
        if (e == null) {
            return Set.of();
        }
        Set<String> left = new HashSet<>(running);
        for (Runnable never : e.shutdownNow()) {
            left.remove(((Lookup) never).host);
        }
        if (e.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
            return Set.of();
        }
        for (Done d : done) {
            left.remove(d.host());
        }
        return left;
    }
}
