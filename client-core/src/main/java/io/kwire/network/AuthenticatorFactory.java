package io.kwire.network;

import io.kwire.client.Node;

/** Creates the SASL exchange for a new connection (or a re-authentication), or null when SASL is not used. */
@FunctionalInterface
public interface AuthenticatorFactory {

    AuthenticatorFactory NONE = (node, versions) -> null;

    Authenticator create(Node node, NodeApiVersions versions);

    /**
     * Releases what the factory holds for the client's life (a Kerberos login and its refresh thread); called once
     * by {@code KafkaClient.close()}.
     */
    default void close() {
    }
}
