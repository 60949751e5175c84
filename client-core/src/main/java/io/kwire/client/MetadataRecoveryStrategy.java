package io.kwire.client;

/**
 * What the client does when none of the brokers it knows from metadata can be reached (KIP-899): go back to the
 * bootstrap servers, or keep trying the known brokers.
 */
public enum MetadataRecoveryStrategy {
    /** Forget the known brokers and resolve the bootstrap servers again. */
    REBOOTSTRAP,
    /** Keep retrying the brokers from the last metadata. */
    NONE
}
