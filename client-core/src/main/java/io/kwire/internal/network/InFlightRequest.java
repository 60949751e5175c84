package io.kwire.internal.network;

import io.kwire.client.ClientResponse;
import io.kwire.client.ConnectionClass;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One request from the moment it is queued until its future completes: the in-flight record a connection keeps
 * in send order, and then the outcome waiting in {@link Completions}. A request costs one of these, its frame and
 * its future. Only the I/O thread touches it.
 */
final class InFlightRequest {

    final ApiRequest<?> request;
    final ApiKey apiKey;
    final short version;
    final int nodeId;
    final int correlationId;
    /** Completed with the outcome; null for a set-up request, whose response its connection takes directly. */
    final CompletableFuture<ApiResponse> future;
    final long createdNanos;
    final long deadlineNanos;
    /** Sent by the client itself (set-up, metadata): not among the responses {@code poll} hands back. */
    final boolean internal;
    /** The class the request was routed to; not its connection's when it went on the control connection instead. */
    ConnectionClass connectionClass = ConnectionClass.CONTROL;
    int bytesSent;
    int bytesReceived;
    ApiResponse response;
    KwireException error;
    long completedNanos;

    @SuppressWarnings("unchecked")
    InFlightRequest(ApiRequest<?> request, short version, int nodeId, int correlationId,
                    CompletableFuture<? extends ApiResponse> future, long createdNanos, long deadlineNanos,
                    boolean internal) {
        this.request = request;
        this.apiKey = request.apiKey();
        this.version = version;
        this.nodeId = nodeId;
        this.correlationId = correlationId;
        this.future = (CompletableFuture<ApiResponse>) future;
        this.createdNanos = createdNanos;
        this.deadlineNanos = deadlineNanos;
        this.internal = internal;
    }

    /** Whether the connection hands the response to its set-up step rather than to a future. */
    boolean isSetupRequest() {
        return future == null;
    }

    void fail(KwireException e, long nowNanos) {
        error = e;
        completedNanos = nowNanos;
    }

    ClientResponse toClientResponse() {
        return new ClientResponse(request, apiKey, version, nodeId, correlationId, response, error,
                completedNanos - createdNanos, bytesSent, bytesReceived);
    }
}
