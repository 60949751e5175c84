package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the kwire client with the application context and closes it on shutdown, giving in-flight requests
 * {@code kwire.client.lifecycle.shutdown-timeout} to finish.
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

    private final KwireClient client;
    private final int phase;
    private final Duration shutdownTimeout;
    private final boolean autoStartup;
    private volatile boolean stopped;

    public KwireClientLifecycle(KwireClient client, int phase, Duration shutdownTimeout, boolean autoStartup) {
        this.client = client;
        this.phase = phase;
        this.shutdownTimeout = shutdownTimeout;
        this.autoStartup = autoStartup;
    }

    @Override
    public void start() {
        if (!stopped && !client.isRunning()) {
            client.start();
        }
    }

    /** Closes the client; a closed client cannot be started again, so a later {@link #start()} does nothing. */
    @Override
    public void stop() {
        if (!stopped) {
            stopped = true;
            client.close(shutdownTimeout);
        }
    }

    @Override
    public boolean isRunning() {
        return !stopped && client.isRunning();
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
