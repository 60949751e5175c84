package io.kwire.client;

import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One request from the moment it is queued until it ends, and then its outcome: the response, or the error.
 * {@link KafkaClient#poll} returns those that ended during the call. The same object is the in-flight record,
 * so a request costs one of these, its frame and its future.
 *
 * <p>Only the I/O thread (the thread that polls) changes it.
 */
public final class ClientResponse {

    final ApiRequest<?> request;
    final ApiKey apiKey;
    final short version;
    final int nodeId;
    final int correlationId;
    final CompletableFuture<ApiResponse> future;
    final long createdNanos;
    final long deadlineNanos;
    final boolean expectResponse;
    boolean internal;
    int bytesSent;
    int bytesReceived;
    ApiResponse response;
    KwireException error;
    long completedNanos;

    @SuppressWarnings("unchecked")
    ClientResponse(ApiRequest<?> request, short version, int nodeId, int correlationId,
                   CompletableFuture<? extends ApiResponse> future, long createdNanos, long deadlineNanos,
                   boolean expectResponse) {
        this.request = request;
        this.apiKey = request.apiKey();
        this.version = version;
        this.nodeId = nodeId;
        this.correlationId = correlationId;
        this.future = (CompletableFuture<ApiResponse>) future;
        this.createdNanos = createdNanos;
        this.deadlineNanos = deadlineNanos;
        this.expectResponse = expectResponse;
    }

    public ApiRequest<?> request() {
        return request;
    }

    public ApiKey apiKey() {
        return apiKey;
    }

    /** The version the request was sent at. */
    public short version() {
        return version;
    }

    public int nodeId() {
        return nodeId;
    }

    public int correlationId() {
        return correlationId;
    }

    /** The response, or {@code null} if the request failed. */
    public ApiResponse response() {
        return response;
    }

    /** The error, or {@code null} if a response arrived. */
    public KwireException error() {
        return error;
    }

    public boolean succeeded() {
        return error == null;
    }

    /** Nanoseconds from queueing to completion. */
    public long latencyNanos() {
        return completedNanos - createdNanos;
    }

    public int bytesSent() {
        return bytesSent;
    }

    public int bytesReceived() {
        return bytesReceived;
    }

    @Override
    public String toString() {
        return "ClientResponse{" + apiKey.displayName() + " v" + version + " node " + nodeId + " correlationId "
                + correlationId + (error == null ? "" : ", error " + error.getMessage()) + "}";
    }
}
