package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;

/** Creates the client side of a SASL mechanism for one authentication (or re-authentication) of one connection. */
@FunctionalInterface
public interface SaslMechanismFactory {

    /**
     * @param config the client configuration (credentials, Kerberos and OAuth keys)
     * @param node   the broker being authenticated to (its host is the GSSAPI server name)
     */
    SaslMechanism create(KafkaClientConfig config, Node node);
}
