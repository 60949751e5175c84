package io.kwire.client;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client currently knows about its own health, taken from cached state without touching the network:
 * cheap enough for a health probe to call on every request. Build one with {@link #builder()}, or change one with
 * {@link #toBuilder()}; the record's constructor takes its parts in order.
 *
 * @param running             whether the I/O thread is running
 * @param clusterId           cluster id from the last metadata, if any
 * @param controllerId        controller id from the last metadata, or -1
 * @param brokerCount         brokers in the last metadata
 * @param readyNodeCount      brokers with a connection (of any class) ready for requests right now
 * @param connectingNodeCount brokers with a connection being set up right now and none ready
 * @param lastMetadataUpdate  when metadata last arrived, if ever
 * @param metadataFresh       whether that metadata is younger than the configured maximum age
 * @param lastError           the last connection-level error, if any, without secrets
 * @param lastErrorTime       when it happened
 * @param credentialProblem   a problem with the client's own credentials that connections may not have hit yet,
 *                            such as Kerberos ticket renewals failing; empty while all is well
 * @param connectionsByClass  connections ready and being set up per {@link ConnectionClass}, over all brokers; every
 *                            class present
 * @param tls                 the TLS material's rotation state; empty for a client without TLS
 * @param clusterMismatch     brokers refused for belonging to another cluster than {@code clusterId}
 *                            ({@code "host:port is in cluster X, not Y"}, several separated by "; "); empty if none
 */
public record ClientStatus(boolean running, Optional<String> clusterId, int controllerId, int brokerCount,
                           int readyNodeCount, int connectingNodeCount, Optional<Instant> lastMetadataUpdate,
                           boolean metadataFresh, Optional<String> lastError, Optional<Instant> lastErrorTime,
                           Optional<String> credentialProblem,
                           Map<ConnectionClass, ConnectionCounts> connectionsByClass,
                           Optional<TlsStatus> tls, Optional<String> clusterMismatch) {

    public ClientStatus {
        connectionsByClass = counts(Objects.requireNonNull(connectionsByClass, "connectionsByClass"));
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(lastMetadataUpdate, "lastMetadataUpdate");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(lastErrorTime, "lastErrorTime");
        Objects.requireNonNull(credentialProblem, "credentialProblem");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(clusterMismatch, "clusterMismatch");
    }

    /** The counts of one class ({@link ConnectionCounts#NONE} when it has no connection). */
    public ConnectionCounts connections(ConnectionClass c) {
        return connectionsByClass.get(c);
    }

    private static Map<ConnectionClass, ConnectionCounts> counts(Map<ConnectionClass, ConnectionCounts> given) {
        Map<ConnectionClass, ConnectionCounts> all = new EnumMap<>(ConnectionClass.class);
        for (ConnectionClass c : ConnectionClass.values()) {
            ConnectionCounts n = given.get(c);
            all.put(c, n == null ? ConnectionCounts.NONE : n);
        }
        return Collections.unmodifiableMap(all);
    }

    /** A status of a client that knows nothing yet: not running, no metadata, no connection, no error. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this status's parts, to change some of them. */
    public Builder toBuilder() {
        return new Builder().running(running).clusterId(clusterId.orElse(null)).controllerId(controllerId)
                .brokerCount(brokerCount).readyNodeCount(readyNodeCount).connectingNodeCount(connectingNodeCount)
                .lastMetadataUpdate(lastMetadataUpdate.orElse(null)).metadataFresh(metadataFresh)
                .lastError(lastError.orElse(null), lastErrorTime.orElse(null))
                .credentialProblem(credentialProblem.orElse(null)).connectionsByClass(connectionsByClass)
                .tls(tls.orElse(null)).clusterMismatch(clusterMismatch.orElse(null));
    }

    /** Builds a {@link ClientStatus} part by part; absent values are {@code null}. Not thread-safe. */
    public static final class Builder {

        private boolean running;
        private String clusterId;
        private int controllerId = -1;
        private int brokerCount;
        private int readyNodeCount;
        private int connectingNodeCount;
        private Instant lastMetadataUpdate;
        private boolean metadataFresh;
        private String lastError;
        private Instant lastErrorTime;
        private String credentialProblem;
        private Map<ConnectionClass, ConnectionCounts> connectionsByClass = Map.of();
        private TlsStatus tls;
        private String clusterMismatch;

        private Builder() {
        }

        public Builder running(boolean running) {
            this.running = running;
            return this;
        }

        /** The cluster id of the last metadata, or null. */
        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        /** The controller of the last metadata, or -1. */
        public Builder controllerId(int controllerId) {
            this.controllerId = controllerId;
            return this;
        }

        public Builder brokerCount(int brokerCount) {
            this.brokerCount = brokerCount;
            return this;
        }

        public Builder readyNodeCount(int readyNodeCount) {
            this.readyNodeCount = readyNodeCount;
            return this;
        }

        public Builder connectingNodeCount(int connectingNodeCount) {
            this.connectingNodeCount = connectingNodeCount;
            return this;
        }

        /** When metadata last arrived, or null if never. */
        public Builder lastMetadataUpdate(Instant lastMetadataUpdate) {
            this.lastMetadataUpdate = lastMetadataUpdate;
            return this;
        }

        public Builder metadataFresh(boolean metadataFresh) {
            this.metadataFresh = metadataFresh;
            return this;
        }

        /** The last connection-level error and when it happened, or nulls. */
        public Builder lastError(String lastError, Instant lastErrorTime) {
            this.lastError = lastError;
            this.lastErrorTime = lastErrorTime;
            return this;
        }

        /** A problem with the client's own credentials, or null while all is well. */
        public Builder credentialProblem(String credentialProblem) {
            this.credentialProblem = credentialProblem;
            return this;
        }

        /** Connections per class; classes left out count as none. */
        public Builder connectionsByClass(Map<ConnectionClass, ConnectionCounts> connectionsByClass) {
            this.connectionsByClass = Objects.requireNonNull(connectionsByClass, "connectionsByClass");
            return this;
        }

        /** The TLS material's rotation state, or null for a client without TLS. */
        public Builder tls(TlsStatus tls) {
            this.tls = tls;
            return this;
        }

        /** Brokers refused for belonging to another cluster, or null if none. */
        public Builder clusterMismatch(String clusterMismatch) {
            this.clusterMismatch = clusterMismatch;
            return this;
        }

        public ClientStatus build() {
            return new ClientStatus(running, Optional.ofNullable(clusterId), controllerId, brokerCount, readyNodeCount,
                    connectingNodeCount, Optional.ofNullable(lastMetadataUpdate), metadataFresh,
                    Optional.ofNullable(lastError), Optional.ofNullable(lastErrorTime),
                    Optional.ofNullable(credentialProblem), connectionsByClass,
                    Optional.ofNullable(tls), Optional.ofNullable(clusterMismatch));
        }
    }
}
