package io.kwire.client;

import java.time.Instant;
import java.util.Optional;

/**
 * What the client currently knows about its own health, taken from cached state without touching the network:
 * cheap enough for a health probe to call on every request.
 *
 * @param running           whether the I/O thread is running
 * @param clusterId         cluster id from the last metadata, if any
 * @param controllerId      controller id from the last metadata, or -1
 * @param brokerCount       brokers in the last metadata
 * @param readyNodeCount    connections ready for requests right now
 * @param connectingNodeCount connections being set up right now
 * @param lastMetadataUpdate when metadata last arrived, if ever
 * @param metadataFresh     whether that metadata is younger than the configured maximum age
 * @param lastError         the last connection-level error, if any, without secrets
 * @param lastErrorTime     when it happened
 * @param credentialProblem a problem with the client's own credentials that connections may not have hit yet,
 *                          such as Kerberos ticket renewals failing; empty while all is well
 */
public record ClientStatus(boolean running, Optional<String> clusterId, int controllerId, int brokerCount,
                           int readyNodeCount, int connectingNodeCount, Optional<Instant> lastMetadataUpdate,
                           boolean metadataFresh, Optional<String> lastError, Optional<Instant> lastErrorTime,
                           Optional<String> credentialProblem) {

    /** The status without a credential problem (the common case). */
    public ClientStatus(boolean running, Optional<String> clusterId, int controllerId, int brokerCount,
                        int readyNodeCount, int connectingNodeCount, Optional<Instant> lastMetadataUpdate,
                        boolean metadataFresh, Optional<String> lastError, Optional<Instant> lastErrorTime) {
        this(running, clusterId, controllerId, brokerCount, readyNodeCount, connectingNodeCount, lastMetadataUpdate,
                metadataFresh, lastError, lastErrorTime, Optional.empty());
    }
}
