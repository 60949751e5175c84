package io.kwire.internal.network;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer the client calls: the configured one, with its exceptions caught. An observer runs on the I/O
 * thread as requests end and connections change, so one that throws must cost no future and no connection: the
 * exception is logged (the first with its stack trace at WARN, later ones counted at DEBUG) and the client goes on.
 * An {@link Error} is not caught; the futures it interrupts still complete (see {@link Completions#completeEnded}).
 * Only used on the I/O thread.
 */
final class GuardedObserver implements ClientObserver {

    private static final Logger log = LoggerFactory.getLogger(GuardedObserver.class);

    private final ClientObserver delegate;
    private final AtomicLong failures = new AtomicLong();

    private GuardedObserver(ClientObserver delegate) {
        this.delegate = delegate;
    }

    static ClientObserver wrap(ClientObserver observer) {
        return observer == ClientObserver.NONE || observer instanceof GuardedObserver ? observer
                : new GuardedObserver(observer);
    }

    private void failed(String method, RuntimeException e) {
        long n = failures.incrementAndGet();
        if (n == 1) {
            log.warn("Observer {} threw from {}; the client goes on, and further failures are logged at DEBUG",
                    delegate.getClass().getName(), method, e);
        } else {
            log.debug("Observer {} threw from {} ({} failures so far): {}", delegate.getClass().getName(), method, n,
                    e.toString());
        }
    }

    @Override
    public void connectionReady(Node node) {
        try {
            delegate.connectionReady(node);
        } catch (RuntimeException e) {
            failed("connectionReady", e);
        }
    }

    @Override
    public void connectionClosed(Node node, String reason) {
        try {
            delegate.connectionClosed(node, reason);
        } catch (RuntimeException e) {
            failed("connectionClosed", e);
        }
    }

    @Override
    public void connectionFailed(Node node, KwireException cause) {
        try {
            delegate.connectionFailed(node, cause);
        } catch (RuntimeException e) {
            failed("connectionFailed", e);
        }
    }

    @Override
    public void authenticationFailed(Node node, KwireException cause) {
        try {
            delegate.authenticationFailed(node, cause);
        } catch (RuntimeException e) {
            failed("authenticationFailed", e);
        }
    }

    @Override
    public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                 int bytesReceived, Outcome outcome) {
        try {
            delegate.requestCompleted(api, version, nodeId, latencyNanos, bytesSent, bytesReceived, outcome);
        } catch (RuntimeException e) {
            failed("requestCompleted", e);
        }
    }

    @Override
    public void throttled(int nodeId, ApiKey api, int throttleTimeMs) {
        try {
            delegate.throttled(nodeId, api, throttleTimeMs);
        } catch (RuntimeException e) {
            failed("throttled", e);
        }
    }

    @Override
    public void metadataUpdated(ClusterMetadata metadata) {
        try {
            delegate.metadataUpdated(metadata);
        } catch (RuntimeException e) {
            failed("metadataUpdated", e);
        }
    }
}
