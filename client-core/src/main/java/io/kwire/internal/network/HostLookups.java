package io.kwire.internal.network;

import io.kwire.client.HostResolver;
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
import java.util.regex.Pattern;

/**
 * The host-name lookups of one engine, run on lookup threads of its own so that a slow or hung name server never
 * stalls the I/O thread: the engine starts a lookup ({@link #start}) and goes on polling; the lookup thread queues
 * its result and wakes the engine, which takes it ({@link #poll}) on its next round. One lookup per host at a time:
 * every connection waiting for the host shares it, and an attempt that starts while the host's lookup is still
 * running (a name server that does not answer) waits for that one instead of starting another.
 *
 * <p>An IP address given as text needs no lookup and is taken at once, on the I/O thread, whatever the resolver
 * ({@link #immediate}). The threads (at most {@link #THREADS}, so that distinct hung names cannot take more) start
 * with the first lookup and end when idle for a while, or at {@link #close}. Everything but the lookup itself and the
 * result queue is used only on the I/O thread.
 */
final class HostLookups {

    /** A finished lookup: the addresses, or the error that says why there are none. */
    record Done(String host, InetAddress[] addresses, Exception error) {
    }

    /** At most this many lookups run at once; the others queue. */
    static final int THREADS = 4;

    /** An IPv4 octet in decimal, without leading zeros (which some JDKs read as octal or refuse). */
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    /** Dotted-decimal IPv4, which {@link InetAddress#getAllByName} parses without asking anyone. */
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final long IDLE_THREAD_SECONDS = 30;

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
     * The host's address when it needs no lookup (an IP address given as text), else null: {@link #start} the lookup.
     *
     * @throws UnknownHostException when the text is no valid address
     */
    InetAddress[] immediate(String host) throws UnknownHostException {
        return isAddress(host) ? InetAddress.getAllByName(host) : null;
    }

    /**
     * Whether {@link InetAddress#getAllByName} takes {@code host} as an address without a lookup: dotted-decimal
     * IPv4, or IPv6 (which it parses, or refuses, without a lookup when the text starts with a hex digit, ':' or
     * '['). Anything else goes to the resolver.
     */
    static boolean isAddress(String host) {
        if (host.isEmpty()) {
            return false;
        }
        char first = host.charAt(0);
        if (host.indexOf(':') >= 0) {
            return Character.digit(first, 16) >= 0 || first == ':' || first == '[';
        }
        return IPV4.matcher(host).matches();
    }

    /** Starts a lookup of {@code host} on a lookup thread, unless one is running; its result comes by {@link #poll}. */
    void start(String host) {
        if (closed || !running.add(host)) {
            return;
        }
        executor().execute(() -> lookUp(host));
    }

    /** Whether a lookup of {@code host} is running or its result waits to be taken. */
    boolean isRunning(String host) {
        return running.contains(host);
    }

    /** Whether a result waits to be taken: the engine's poll must not block. */
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

    private void lookUp(String host) {
        Done result;
        try {
            InetAddress[] addresses = resolver.resolve(host);
            result = addresses == null || addresses.length == 0
                    ? new Done(host, null, new UnknownHostException(host + ": the resolver found no address"))
                    : new Done(host, addresses.clone(), null);
        } catch (Exception e) {
            result = new Done(host, null, e);
        }
        done.add(result);
        if (!closed) {
            wake.run();
        }
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
        e.shutdownNow();
        if (e.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
            return Set.of();
        }
        Set<String> left = new HashSet<>(running);
        for (Done d : done) {
            left.remove(d.host());
        }
        return left;
    }
}
