package io.kwire.network;

import io.kwire.client.Node;
import java.util.Optional;

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

    /**
     * A problem with the client's own credentials that connections may not have run into yet, such as a Kerberos
     * ticket whose renewal keeps failing; empty while all is well. For health checks: any thread may call it, and
     * it holds no secret.
     */
    default Optional<String> credentialProblem() {
        return Optional.empty();
    }
}
