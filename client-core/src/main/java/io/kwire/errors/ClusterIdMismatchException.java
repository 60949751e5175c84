package io.kwire.errors;

import java.util.Objects;

/**
 * A broker belongs to another Kafka cluster than the one the client talks to: the cluster id it reports (in
 * Metadata, or by refusing the cluster id of an ApiVersions v5 request, KIP-1242) is not the one the client expects
 * ({@code expectedClusterId}, or the id of the first metadata it received). The connection is closed and never used
 * for requests. Not retriable: the broker at that address will answer the same way; fix the bootstrap list (or a
 * DNS name, load balancer or port mapping that leads to the wrong cluster), or {@code expectedClusterId}.
 */
public class ClusterIdMismatchException extends KwireException {

    private static final long serialVersionUID = 1L;

    private final String expectedClusterId;
    private final String reportedClusterId;
    private final String address;

    /**
     * @param expectedClusterId the cluster id the client expects
     * @param reportedClusterId the cluster id the broker reports, or null when it only refused the expected one
     * @param address           the broker's address, {@code host:port}
     */
    public ClusterIdMismatchException(String expectedClusterId, String reportedClusterId, String address) {
        super(message(expectedClusterId, reportedClusterId, address));
        this.expectedClusterId = Objects.requireNonNull(expectedClusterId, "expectedClusterId");
        this.reportedClusterId = reportedClusterId;
        this.address = Objects.requireNonNull(address, "address");
    }

    private static String message(String expected, String reported, String address) {
        return "The broker at " + address + " belongs to cluster " + (reported == null ? "(another id)" : reported)
                + ", not to cluster " + expected + " that this client talks to; its connection is closed and not"
                + " used. Check the bootstrap servers (and any DNS name, load balancer or port mapping behind them)"
                + " or expectedClusterId";
    }

    /** The cluster id the client expects. */
    public String expectedClusterId() {
        return expectedClusterId;
    }

    /** The cluster id the broker reports, or null when it refused the expected one without naming its own. */
    public String reportedClusterId() {
        return reportedClusterId;
    }

    /** The broker's address, {@code host:port}. */
    public String address() {
        return address;
    }
}
