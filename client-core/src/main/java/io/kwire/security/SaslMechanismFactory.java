package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;

/**
 * Creates the client side of a SASL mechanism for one authentication (or re-authentication) of one connection.
 * Called on the client's SASL threads (on the I/O thread for the built-in PLAIN), possibly on several at once for
 * different connections: it, and whatever the mechanisms it makes share, must be thread-safe.
 */
@FunctionalInterface
public interface SaslMechanismFactory {

    /**
     * @param config the client configuration (credentials, Kerberos and OAuth keys)
     * @param node   the broker being authenticated to (its host is the GSSAPI server name)
     */
    SaslMechanism create(KafkaClientConfig config, Node node);
}
