package io.kwire.testkit;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A request as the {@link FakeBroker} read it: the request header fields it parsed itself and the body bytes that
 * follow the header, raw.
 */
public final class ReceivedRequest {

    private final short apiKey;
    private final short apiVersion;
    private final int correlationId;
    private final String clientId;
    private final int headerVersion;
    private final byte[] body;
    private final long connectionId;
    private final long receivedNanos;

    ReceivedRequest(short apiKey, short apiVersion, int correlationId, String clientId, int headerVersion,
            byte[] body, long connectionId, long receivedNanos) {
        this.apiKey = apiKey;
        this.apiVersion = apiVersion;
        this.correlationId = correlationId;
        this.clientId = clientId;
        this.headerVersion = headerVersion;
        this.body = body;
        this.connectionId = connectionId;
        this.receivedNanos = receivedNanos;
    }

    public short apiKey() {
        return apiKey;
    }

    public short apiVersion() {
        return apiVersion;
    }

    public int correlationId() {
        return correlationId;
    }

    /** The client id, or null when the client sent a null string. */
    public String clientId() {
        return clientId;
    }

    /** The request header version the broker assumed: 1, or 2 for a flexible request (header tagged fields skipped). */
    public int headerVersion() {
        return headerVersion;
    }

    /** Whether the request uses the flexible (KIP-482) encoding, as far as the broker's version table knows. */
    public boolean flexible() {
        return headerVersion >= 2;
    }

    /** The bytes after the request header (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The bytes after the request header, as a read-only buffer (no copy). */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    public int bodySize() {
        return body.length;
    }

    /** The broker's id of the connection the request came on (1, 2, ... in accept order). */
    public long connectionId() {
        return connectionId;
    }

    /** {@link System#nanoTime()} when the broker parsed the request. */
    public long receivedNanos() {
        return receivedNanos;
    }

    @Override
    public String toString() {
        return "ReceivedRequest[apiKey=" + apiKey + ", apiVersion=" + apiVersion + ", correlationId=" + correlationId
                + ", clientId=" + clientId + ", headerVersion=" + headerVersion + ", body=" + body.length
                + " bytes, connection=" + connectionId + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReceivedRequest)) {
            return false;
        }
        ReceivedRequest r = (ReceivedRequest) o;
        return apiKey == r.apiKey && apiVersion == r.apiVersion && correlationId == r.correlationId
                && connectionId == r.connectionId && receivedNanos == r.receivedNanos
                && java.util.Objects.equals(clientId, r.clientId) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return (int) (31 * connectionId + correlationId) * 31 + apiKey;
    }
}
