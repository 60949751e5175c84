package io.kwire.client;

import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;

/**
 * How one request ended: its response, or its error, with what it cost. {@code KafkaClient.poll} returns those that
 * ended during the call. Immutable.
 *
 * @param request       the request as the caller sent it
 * @param apiKey        its API
 * @param version       the version it was sent at
 * @param nodeId        the node it was sent to
 * @param correlationId its correlation id on the connection
 * @param response      the response, or {@code null} if the request failed
 * @param error         the error, or {@code null} if a response arrived
 * @param latencyNanos  from queueing to completion
 * @param bytesSent     the request frame's size, size prefix included
 * @param bytesReceived the response frame's size, 0 when none arrived
 */
public record ClientResponse(ApiRequest<?> request, ApiKey apiKey, short version, int nodeId, int correlationId,
                             ApiResponse response, KwireException error, long latencyNanos, int bytesSent,
                             int bytesReceived) {

    public boolean succeeded() {
        return error == null;
    }

    @Override
    public String toString() {
        return "ClientResponse{" + apiKey.displayName() + " v" + version + " node " + nodeId + " correlationId "
                + correlationId + (error == null ? "" : ", error " + error.getMessage()) + "}";
    }
}
