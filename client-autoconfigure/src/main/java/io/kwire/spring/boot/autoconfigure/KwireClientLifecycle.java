package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the kwire clients (every {@link KwireClient} bean) with the application context and closes them on
 * shutdown, giving in-flight requests {@code kwire.client.lifecycle.shutdown-timeout} to finish. Several clients
 * are closed at the same time, each on its own thread, so shutdown takes one timeout, not one per client.
 *
 * <p><b>Phase.</b> Lower phases start first and stop last. Spring Boot 4 stops the web server in two steps:
 * {@code WebServerGracefulShutdownLifecycle} (phase {@code DEFAULT_PHASE - 1024}) drains requests in flight, then
 * {@code WebServerStartStopLifecycle} (phase {@code DEFAULT_PHASE - 2048}) stops the server, which also starts in
 * that phase. The client's default phase, {@link #DEFAULT_PHASE} ({@code DEFAULT_PHASE - 4096}), is below both:
 * the client is running before the server accepts its first request, and is closed only after the last request
 * has been served, so a request handler never finds it closed.
 *
 * <p>{@link #stop()} blocks for up to the shutdown timeout. It does not use the asynchronous
 * {@code stop(Runnable)} form, so {@code spring.lifecycle.timeout-per-shutdown-phase} does not cut it short.
 * Called by the context's refresh and close threads only.
 */
public class KwireClientLifecycle implements SmartLifecycle {

    /** Below the web server's start/stop ({@code DEFAULT_PHASE - 2048}) and graceful shutdown ({@code - 1024}). */
    public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final List<KwireClient> clients;
    private final int phase;
    private final Duration shutdownTimeout;
    private final boolean autoStartup;
    private volatile boolean stopped;

    public KwireClientLifecycle(KwireClient client, int phase, Duration shutdownTimeout, boolean autoStartup) {
        this(List.of(client), phase, shutdownTimeout, autoStartup);
    }

    public KwireClientLifecycle(List<KwireClient> clients, int phase, Duration shutdownTimeout,
                                boolean autoStartup) {
        this.clients = List.copyOf(clients);
        this.phase = phase;
        this.shutdownTimeout = shutdownTimeout;
        this.autoStartup = autoStartup;
    }

    @Override
    public void start() {
        if (stopped) {
            return;
        }
        for (KwireClient client : clients) {
            if (!client.isRunning()) {
                client.start();
            }
        }
    }

    /** Closes the clients; a closed client cannot be started again, so a later {@link #start()} does nothing. */
    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<Thread> closing = new ArrayList<>();
        for (int i = 1; i < clients.size(); i++) {
            KwireClient client = clients.get(i);
            Thread thread = new Thread(() -> client.close(shutdownTimeout), "kwire-close-" + i);
            thread.start();
            closing.add(thread);
        }
        if (!clients.isEmpty()) {
            clients.get(0).close(shutdownTimeout);
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Running while any client runs, so that the context calls {@link #stop()} for the others. */
    @Override
    public boolean isRunning() {
        return !stopped && clients.stream().anyMatch(KwireClient::isRunning);
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }
}
