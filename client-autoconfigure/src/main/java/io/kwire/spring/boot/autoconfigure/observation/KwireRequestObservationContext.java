package io.kwire.spring.boot.autoconfigure.observation;

import io.kwire.client.ClientObserver;
import io.micrometer.observation.Observation;
import io.kwire.protocol.ApiKey;

/**
 * What an observation of one kwire request knows: set on the caller's thread when it starts (API, client), then on
 * the I/O thread when the request ended on a connection (node, version, correlation id) and how it ended. The
 * {@link KwireRequestObservationConvention} turns it into key values.
 */
public final class KwireRequestObservationContext extends Observation.Context {

    /** Node, version and correlation id before the request went out on a connection (or when it never did). */
    public static final int UNKNOWN = -1;

    private final ApiKey api;
    private final String clientId;
    private final String clientName;
    private volatile int nodeId = UNKNOWN;
    private volatile short version = UNKNOWN;
    private volatile int correlationId = UNKNOWN;
    private volatile ClientObserver.Outcome outcome;

    public KwireRequestObservationContext(ApiKey api, String clientId, String clientName) {
        this.api = api;
        this.clientId = clientId;
        this.clientName = clientName;
    }

    /** The request's API. */
    public ApiKey api() {
        return api;
    }

    /** The client's {@code client.id} as brokers see it. */
    public String clientId() {
        return clientId;
    }

    /** The client's bean name. */
    public String clientName() {
        return clientName;
    }

    /** The node the request went to, or {@link #UNKNOWN}. */
    public int nodeId() {
        return nodeId;
    }

    /** The version it was sent at, or {@link #UNKNOWN}. */
    public short version() {
        return version;
    }

    /** Its correlation id on the connection, or {@link #UNKNOWN}. */
    public int correlationId() {
        return correlationId;
    }

    /** How it ended; {@code null} while it runs. */
    public ClientObserver.Outcome outcome() {
        return outcome;
    }

    void sentAs(int nodeId, short version, int correlationId) {
        this.nodeId = nodeId;
        this.version = version;
        this.correlationId = correlationId;
    }

    void ended(Throwable error) {
        this.outcome = ClientObserver.Outcome.of(error);
    }
}
