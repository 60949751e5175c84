package io.kwire.client;

/** How host names are turned into addresses (Kafka's {@code client.dns.lookup}). */
public enum ClientDnsLookup {
    /** Try every address a host name resolves to, in order, before giving up on the node. */
    USE_ALL_DNS_IPS,
    /**
     * Resolve each bootstrap server to its canonical names first (as Kerberos setups behind a load balancer need),
     * then use every address of those.
     */
    RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY
}
