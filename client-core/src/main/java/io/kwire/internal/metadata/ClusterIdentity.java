package io.kwire.internal.metadata;

import io.kwire.client.Node;
import io.kwire.errors.ClusterIdMismatchException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Kafka cluster the client talks to, and the brokers found to belong to another. The id is pinned from the
 * start by {@code expectedClusterId}, or learned from the first metadata answer; from then on every new connection
 * is checked against it before it takes requests (ApiVersions v5 of KIP-1242 where the broker has it, a Metadata
 * answer otherwise), and a broker of another cluster is refused with a {@link ClusterIdMismatchException}.
 *
 * <p>Only used on the I/O thread.
 */
public final class ClusterIdentity {

    private static final Logger log = LoggerFactory.getLogger(ClusterIdentity.class);
    /** Mismatches kept for the status, by address; the oldest goes beyond this many. */
    private static final int MAX_MISMATCHES = 8;

    private final boolean pinned;
    private String clusterId;
    private final Map<String, ClusterIdMismatchException> mismatches = new LinkedHashMap<>();

    /** @param expectedClusterId the id the client is configured for, or null to learn it from the first metadata */
    public ClusterIdentity(String expectedClusterId) {
        this.clusterId = expectedClusterId;
        this.pinned = expectedClusterId != null;
    }

    /** The cluster id connections are checked against, or null while none is known. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * A metadata answer named its cluster: the first one defines the client's cluster unless one was configured.
     *
     * @return false if the answer names another cluster than the one already known: it must not be applied
     */
    public boolean accept(String reported) {
        if (reported == null) {
            return true; // brokers before 0.10.1 (Metadata v0-v1) name no cluster
        }
        if (clusterId == null) {
            clusterId = reported;
            log.debug("Talking to Kafka cluster {}", reported);
            return true;
        }
        return clusterId.equals(reported);
    }

    /**
     * Checks what a broker reports against the known cluster id (nothing to check while none is known, or when the
     * broker reports none).
     *
     * @throws ClusterIdMismatchException if the broker belongs to another cluster; it is remembered for the status
     */
    public void check(String reported, Node node) {
        if (clusterId != null && reported != null && !clusterId.equals(reported)) {
            throw refused(reported, node);
        }
    }

    /**
     * Records a broker of another cluster and returns the error to close its connection with.
     *
     * @param reported the broker's cluster id, or null when it only refused ours (KIP-1242)
     */
    public ClusterIdMismatchException refused(String reported, Node node) {
        String address = node.host() + ":" + node.port();
        ClusterIdMismatchException e = new ClusterIdMismatchException(clusterId, reported, address);
        if (mismatches.remove(address) == null) {
            log.warn(e.getMessage());
        }
        mismatches.put(address, e);
        if (mismatches.size() > MAX_MISMATCHES) {
            mismatches.remove(mismatches.keySet().iterator().next());
        }
        return e;
    }

    /** Whether the id was configured ({@code expectedClusterId}) rather than learned. */
    public boolean isPinned() {
        return pinned;
    }

    /**
     * The brokers refused for belonging to another cluster, for the status: {@code "host:port is in cluster X"},
     * separated by "; ", or empty when there were none.
     */
    public Optional<String> mismatchSummary() {
        if (mismatches.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (ClusterIdMismatchException e : mismatches.values()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(e.address()).append(" is in cluster ")
                    .append(e.reportedClusterId() == null ? "(another)" : e.reportedClusterId())
                    .append(", not ").append(e.expectedClusterId());
        }
        return Optional.of(sb.toString());
    }
}
