package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests through one {@link KwireClient} and waits for their answers, failing fast while the client can
 * reach no broker at all.
 *
 * <p>Why the gate: a request for a node that is not ready waits up to the request timeout while the client
 * reconnects. When the broker is gone that makes every page refresh hang for the whole timeout. So before each
 * request the client's cached {@link ClientStatus} is read (no network I/O): when no connection is ready and
 * connections have failed since the last metadata arrived (the rule by which the kwire health indicator says
 * DOWN), the request is not sent and a {@link NoBrokersAvailableException} naming the last error is thrown at once.
 * The client keeps reconnecting on its own meanwhile, and the first ready connection opens the gate again. Any
 * thread may call it.
 */
public final class KafkaCalls {

    /** How much longer than the client's request timeout a caller waits, so the client's own timeout fails first. */
    private static final Duration AWAIT_SLACK = Duration.ofSeconds(5);

    private final KwireClient client;
    private final Duration awaitTimeout;

    public KafkaCalls(KwireClient client) {
        this.client = client;
        this.awaitTimeout = client.config().requestTimeout().plus(AWAIT_SLACK);
    }

    public KwireClient client() {
        return client;
    }

    /** Timeouts to hand to the broker inside requests, derived from this client's configuration. */
    public BrokerTimeouts brokerTimeouts() {
        return BrokerTimeouts.of(client.config());
    }

    /** Sends to the least-loaded node and waits for the answer. */
    public <R extends ApiResponse> R call(ApiRequest<R> request, String what) {
        requireReachable();
        return await(client.send(request), what);
    }

    /** Sends to one node and waits for the answer. */
    public <R extends ApiResponse> R call(int nodeId, ApiRequest<R> request, String what) {
        requireReachable();
        return await(client.send(nodeId, request), what);
    }

    /** Sends to one node without waiting: for callers that chain on the future (the live view). */
    public <R extends ApiResponse> CompletableFuture<R> sendAsync(int nodeId, ApiRequest<R> request) {
        requireReachable();
        return client.send(nodeId, request);
    }

    /**
     * Throws at once when the client is closed, or when it has no ready connection and connections have failed since
     * the last metadata arrived; returns otherwise (also while the client is still bootstrapping without an error).
     */
    public void requireReachable() {
        ClientStatus status = client.status();
        unreachableReason(status).ifPresent(reason -> {
            throw status.running() ? new NoBrokersAvailableException(reason) : new ClientClosedException(reason);
        });
    }

    /** Why no request can get through now, by the health indicator's DOWN rule; empty when one may. */
    static Optional<String> unreachableReason(ClientStatus status) {
        if (!status.running()) {
            return Optional.of("The kwire client is not running");
        }
        if (status.readyNodeCount() > 0 || status.lastError().isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> metadata = status.lastMetadataUpdate();
        Instant errorAt = status.lastErrorTime().orElse(Instant.MAX);
        if (metadata.isPresent() && !errorAt.isAfter(metadata.get())) {
            return Optional.empty();
        }
        return Optional.of("No Kafka broker is reachable (the client keeps trying to reconnect): "
                + status.lastError().get());
    }

    /** Waits for a request's future within the client's request timeout (plus slack), unwrapping its failure. */
    public <R extends ApiResponse> R await(CompletableFuture<R> future, String what) {
        try {
            return future.get(awaitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause(), what);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new KwireTimeoutException(what + " got no answer within " + awaitTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KwireException(what + " was interrupted", e);
        }
    }

    /** A future's failure as the exception the API maps to a problem detail. */
    public static RuntimeException unwrap(Throwable cause, String what) {
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof KwireException k) {
            return k;
        }
        if (cause instanceof ApiException a) {
            return a;
        }
        return new KwireException(what + " failed: " + cause, cause);
    }
}
